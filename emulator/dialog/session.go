package dialog

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"unicode"
)

// NamespaceInternal is the read-only session namespace the engine refreshes
// after every step. Writes under it are refused by SetPath and ignored in
// assignments and session data.
const NamespaceInternal = "internal"

// NamespaceSys is the session namespace of system entities (sys.number,
// sys.email).
const NamespaceSys = "sys"

// ErrReadOnly is returned by SetPath for a path under "internal".
var ErrReadOnly = errors.New("dialog: the internal namespace is read-only")

// maxGrow bounds how far SetPath extends an array to reach an index, so a
// hostile path such as "a[999999]" cannot allocate without limit.
const maxGrow = 1024

// step is one element of a variable path: a map key, or an array index
// when index >= 0.
type step struct {
	key   string
	index int
}

// parsePath splits a variable path such as "ns.arr[0].x" into steps. A
// path is one or more names separated by dots, each name followed by zero
// or more [N] indexes. Names are letters, digits, '_' and '-'.
func parsePath(p string) ([]step, bool) {
	var steps []step
	for {
		n := nameLen(p)
		if n == 0 {
			return nil, false
		}
		steps = append(steps, step{key: p[:n], index: -1})
		p = p[n:]
		for strings.HasPrefix(p, "[") {
			end := strings.IndexByte(p, ']')
			if end < 2 || end > 7 {
				return nil, false
			}
			i, err := strconv.Atoi(p[1:end])
			if err != nil || i < 0 || strings.HasPrefix(p[1:end], "+") {
				return nil, false
			}
			steps = append(steps, step{index: i})
			p = p[end+1:]
		}
		if p == "" {
			return steps, true
		}
		if p[0] != '.' {
			return nil, false
		}
		p = p[1:]
	}
}

// nameLen is the length in bytes of the path name at the start of p.
func nameLen(p string) int {
	for i, r := range p {
		if !isNameRune(r) {
			return i
		}
	}
	return len(p)
}

func isNameRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsDigit(r) || r == '_' || r == '-'
}

// GetPath returns the session value at a dotted path ("ns.key",
// "ns.a.b", "ns.arr[0].x") and whether it exists. A present JSON null
// returns (nil, true).
func GetPath(session map[string]any, path string) (any, bool) {
	steps, ok := parsePath(path)
	if !ok || session == nil {
		return nil, false
	}
	var cur any = session
	for _, s := range steps {
		if s.index < 0 {
			m, ok := cur.(map[string]any)
			if !ok {
				return nil, false
			}
			if cur, ok = m[s.key]; !ok {
				return nil, false
			}
			continue
		}
		a, ok := cur.([]any)
		if !ok || s.index >= len(a) {
			return nil, false
		}
		cur = a[s.index]
	}
	return cur, true
}

// SetPath stores v at a dotted path, creating intermediate maps (and
// arrays, for indexes) where they are missing or null. It refuses paths
// under "internal" (ErrReadOnly), invalid paths, and paths that run
// through a value that is not an object or array. On error the session is
// unchanged.
func SetPath(session map[string]any, path string, v any) error {
	steps, ok := parsePath(path)
	if !ok {
		return fmt.Errorf("dialog: invalid variable path %q", path)
	}
	if session == nil {
		return errors.New("dialog: nil session")
	}
	if steps[0].key == NamespaceInternal {
		return ErrReadOnly
	}
	_, err := setIn(session, steps, v)
	return err
}

// setIn stores v under cur at steps and returns the (possibly new)
// container, which the caller stores back in its parent.
func setIn(cur any, steps []step, v any) (any, error) {
	if len(steps) == 0 {
		return v, nil
	}
	if steps[0].index < 0 {
		return setKey(cur, steps, v)
	}
	return setIndex(cur, steps, v)
}

// setKey stores v under the map key of steps[0], creating the map when
// cur is nil.
func setKey(cur any, steps []step, v any) (any, error) {
	key := steps[0].key
	m, ok := cur.(map[string]any)
	if cur == nil {
		m, ok = map[string]any{}, true
	}
	if !ok {
		return nil, fmt.Errorf("dialog: %q: parent is not an object", key)
	}
	nv, err := setIn(m[key], steps[1:], v)
	if err != nil {
		return nil, err
	}
	m[key] = nv
	return m, nil
}

// setIndex stores v at the array index of steps[0], growing a copy of the
// array (or a new one when cur is nil) with nulls to reach the index.
func setIndex(cur any, steps []step, v any) (any, error) {
	i := steps[0].index
	a, ok := cur.([]any)
	if cur != nil && !ok {
		return nil, fmt.Errorf("dialog: [%d]: parent is not an array", i)
	}
	if i >= len(a)+maxGrow {
		return nil, fmt.Errorf("dialog: [%d]: index too far past the end", i)
	}
	grown := a
	if i >= len(a) {
		grown = append(append([]any(nil), a...), make([]any, i+1-len(a))...)
	}
	nv, err := setIn(grown[i], steps[1:], v)
	if err != nil {
		return nil, err
	}
	grown[i] = nv
	return grown, nil
}

// Interpolate replaces every {path} in s by the session value at path
// (see GetPath for the path syntax). Strings are inserted as they are,
// numbers in the shortest decimal form (12, 4.5, never 12.000000),
// booleans as true/false, null as the empty string, and objects and arrays
// as compact JSON.
//
// A {path} whose variable does not exist is LEFT AS IT IS, braces
// included, so a missing variable is visible in the output rather than
// silently blank. Braces that do not enclose a valid path ("{ a }",
// "{\"k\":1}", "{}") are left alone as well.
func Interpolate(session map[string]any, s string) string {
	if !strings.Contains(s, "{") {
		return s
	}
	var b strings.Builder
	for {
		i := strings.IndexByte(s, '{')
		if i < 0 {
			break
		}
		j := strings.IndexByte(s[i+1:], '}')
		if j < 0 {
			break
		}
		inner := s[i+1 : i+1+j]
		if _, ok := parsePath(inner); !ok {
			b.WriteString(s[:i+1])
			s = s[i+1:]
			continue
		}
		end := i + 1 + j + 1
		if v, found := GetPath(session, inner); found {
			b.WriteString(s[:i])
			b.WriteString(FormatValue(v))
		} else {
			b.WriteString(s[:end])
		}
		s = s[end:]
	}
	b.WriteString(s)
	return b.String()
}

// FormatValue formats a session value as Interpolate inserts it.
func FormatValue(v any) string {
	switch t := v.(type) {
	case nil:
		return ""
	case string:
		return t
	case float64:
		return strconv.FormatFloat(t, 'f', -1, 64)
	case float32:
		return strconv.FormatFloat(float64(t), 'f', -1, 32)
	case int:
		return strconv.Itoa(t)
	case int64:
		return strconv.FormatInt(t, 10)
	case json.Number:
		return t.String()
	case bool:
		return strconv.FormatBool(t)
	}
	return compactJSON(v)
}

// compactJSON encodes v without HTML escaping and without the trailing
// newline. Map keys come out sorted, so the output is deterministic.
func compactJSON(v any) string {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return fmt.Sprint(v)
	}
	return strings.TrimSuffix(buf.String(), "\n")
}

// singlePath reports whether s is exactly one "{path}" and returns path.
func singlePath(s string) (string, bool) {
	if len(s) < 3 || s[0] != '{' || s[len(s)-1] != '}' {
		return "", false
	}
	p := s[1 : len(s)-1]
	_, ok := parsePath(p)
	return p, ok
}

// ResolveValue returns a copy of v with its strings interpolated from the
// session, recursively through objects and arrays. A string that is
// exactly one "{path}" of an existing variable yields that variable's raw
// value, so it keeps its JSON type (a number stays a number, an object an
// object).
func ResolveValue(session map[string]any, v any) any {
	switch t := v.(type) {
	case string:
		if p, ok := singlePath(t); ok {
			if x, found := GetPath(session, p); found {
				return deepCopy(x)
			}
		}
		return Interpolate(session, t)
	case map[string]any:
		m := make(map[string]any, len(t))
		for k, e := range t {
			m[k] = ResolveValue(session, e)
		}
		return m
	case []any:
		a := make([]any, len(t))
		for i, e := range t {
			a[i] = ResolveValue(session, e)
		}
		return a
	}
	return v
}

// Apply runs assignments in order on the session: each value is resolved
// with ResolveValue against the session as it is at that moment, then
// stored with SetPath. Assignments to invalid paths or under "internal"
// are skipped.
func Apply(session map[string]any, set []Assignment) {
	for _, a := range set {
		_ = SetPath(session, a.Path, ResolveValue(session, a.Value))
	}
}

// mergeSessionData stores channel-supplied session data, keys being dotted
// paths, in sorted key order so that overlapping keys ("a", "a.b") always
// resolve the same way. Keys under "internal" and invalid keys are ignored.
func mergeSessionData(session map[string]any, data map[string]any) {
	keys := make([]string, 0, len(data))
	for k := range data {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		_ = SetPath(session, k, deepCopy(data[k]))
	}
}

// nonEmpty reports whether a session value counts as set: present, not
// null and not the empty string.
func nonEmpty(v any, found bool) bool {
	if !found || v == nil {
		return false
	}
	s, isString := v.(string)
	return !isString || s != ""
}
