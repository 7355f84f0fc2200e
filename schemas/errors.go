package schemas

import (
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/santhosh-tekuri/jsonschema/v5"
)

// ValidationError says why a JSON value does not satisfy a schema.
type ValidationError struct {
	Schema string  // name of the schema, e.g. "channel-message"
	Causes []Cause // at least one, sorted by pointer
}

// Cause is one reason a value fails: where and why.
type Cause struct {
	// Pointer is the JSON pointer (RFC 6901) of the failing value in the
	// instance, e.g. "/message/quick_replies/0/title"; "" is the root.
	Pointer string
	// Reason says what is wrong, e.g. "expected string, but got number".
	Reason string
}

// Error renders the causes on one line, each as "pointer: reason".
func (e *ValidationError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "schema %s: ", e.Schema)
	for i, c := range e.Causes {
		if i > 0 {
			b.WriteString("; ")
		}
		b.WriteString(c.String())
	}
	return b.String()
}

// String renders the cause as "pointer: reason"; the root is "(root)".
func (c Cause) String() string {
	p := c.Pointer
	if p == "" {
		p = "(root)"
	}
	return p + ": " + c.Reason
}

// causes flattens a jsonschema error tree into its leaves, sorted and
// without duplicates. A leaf that rejects additional properties becomes one
// cause per property, pointing at the property itself.
func causes(ve *jsonschema.ValidationError, instance any) []Cause {
	var out []Cause
	var walk func(*jsonschema.ValidationError)
	walk = func(e *jsonschema.ValidationError) {
		if len(e.Causes) == 0 {
			out = append(out, leafCauses(e, instance)...)
			return
		}
		for _, c := range e.Causes {
			walk(c)
		}
	}
	walk(ve)
	sort.Slice(out, func(i, j int) bool {
		if out[i].Pointer != out[j].Pointer {
			return out[i].Pointer < out[j].Pointer
		}
		return out[i].Reason < out[j].Reason
	})
	return dedupe(out)
}

func dedupe(cs []Cause) []Cause {
	out := cs[:0]
	for i, c := range cs {
		if i == 0 || c != cs[i-1] {
			out = append(out, c)
		}
	}
	return out
}

// leafCauses converts one leaf error. Messages of the jsonschema library are
// kept, except the two that name properties without pointing at them.
func leafCauses(e *jsonschema.ValidationError, instance any) []Cause {
	switch {
	case strings.HasSuffix(e.KeywordLocation, "/additionalProperties"),
		strings.HasSuffix(e.KeywordLocation, "/unevaluatedProperties"):
		if cs := unknownProperties(e, instance); len(cs) > 0 {
			return cs
		}
	case e.Message == "not allowed": // a false schema, e.g. "properties": {"text": false}
		return []Cause{{Pointer: e.InstanceLocation, Reason: "property not allowed here"}}
	}
	return []Cause{{Pointer: e.InstanceLocation, Reason: e.Message}}
}

// unknownProperties finds the properties an additionalProperties error
// names: the keys of the object at the error's location whose quoted form
// the message contains.
func unknownProperties(e *jsonschema.ValidationError, instance any) []Cause {
	obj, ok := lookup(instance, e.InstanceLocation).(map[string]any)
	if !ok {
		return nil
	}
	var out []Cause
	for k := range obj {
		if strings.Contains(e.Message, quote(k)) {
			out = append(out, Cause{
				Pointer: e.InstanceLocation + "/" + EscapePointer(k),
				Reason:  fmt.Sprintf("unknown property %q", k),
			})
		}
	}
	return out
}

// quote quotes a property name the way the jsonschema library does in its
// messages.
func quote(s string) string {
	s = fmt.Sprintf("%q", s)
	s = strings.ReplaceAll(s, `\"`, `"`)
	s = strings.ReplaceAll(s, `'`, `\'`)
	return "'" + s[1:len(s)-1] + "'"
}

// EscapePointer escapes one JSON pointer token: "~" becomes "~0" and "/"
// becomes "~1".
func EscapePointer(token string) string {
	if !strings.ContainsAny(token, "~/") {
		return token
	}
	return strings.ReplaceAll(strings.ReplaceAll(token, "~", "~0"), "/", "~1")
}

// lookup resolves a JSON pointer in a decoded value; nil if absent.
func lookup(v any, pointer string) any {
	if pointer == "" {
		return v
	}
	for _, tok := range strings.Split(pointer[1:], "/") {
		tok = strings.ReplaceAll(strings.ReplaceAll(tok, "~1", "/"), "~0", "~")
		switch t := v.(type) {
		case map[string]any:
			v = t[tok]
		case []any:
			i, err := strconv.Atoi(tok)
			if err != nil || i < 0 || i >= len(t) {
				return nil
			}
			v = t[i]
		default:
			return nil
		}
	}
	return v
}
