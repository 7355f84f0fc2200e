package emulator

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"strings"
)

// scanJSON walks the tokens of a JSON document and refuses what
// encoding/json would silently accept: duplicate keys (the last one would
// win), nesting deeper than maxJSONDepth, and data after the document.
//
// It runs on every request body, twice (validation, then decoding), so a
// body that is fine takes a fast path without allocations (quickScan);
// anything else is walked token by token, which names the fault.
func scanJSON(body []byte) error {
	if json.Valid(body) && quickScan(body) {
		return nil
	}
	return scanTokens(body)
}

// maxQuickKeys is the most keys one object may have for quickScan, which
// compares them pairwise; a larger object goes to scanTokens.
const maxQuickKeys = 32

// quickScan reports whether a syntactically valid JSON document has no
// duplicate keys and no nesting deeper than maxJSONDepth. It answers
// false, without saying why, for a fault and for what it does not decide
// itself (a key with escapes, an object of more than maxQuickKeys keys);
// scanTokens then decides.
func quickScan(body []byte) bool {
	var stack [maxJSONDepth]int // per open container: index of its first key in keys, or -1 for an array
	var keyBuf [64][]byte
	keys, depth, expectKey := keyBuf[:0], 0, false
	for i := 0; i < len(body); i++ {
		switch body[i] {
		case '{', '[':
			if depth == maxJSONDepth {
				return false
			}
			stack[depth], expectKey = -1, false
			if body[i] == '{' {
				stack[depth], expectKey = len(keys), true
			}
			depth++
		case '}', ']':
			depth--
			if stack[depth] >= 0 {
				keys = keys[:stack[depth]]
			}
		case ',':
			expectKey = depth > 0 && stack[depth-1] >= 0
		case '"':
			end := stringEnd(body, i)
			if expectKey {
				var ok bool
				if keys, ok = addKey(keys, stack[depth-1], body[i+1:end]); !ok {
					return false
				}
				expectKey = false
			}
			i = end
		}
	}
	return true
}

// stringEnd returns the index of the quote that closes the string whose
// opening quote is at body[start]; body is valid JSON.
func stringEnd(body []byte, start int) int {
	for i := start + 1; i < len(body); i++ {
		switch body[i] {
		case '\\':
			i++
		case '"':
			return i
		}
	}
	return len(body) - 1
}

// addKey adds key to the keys of the object whose keys start at first,
// and reports false for a duplicate, a key with escapes or one key too
// many (see quickScan).
func addKey(keys [][]byte, first int, key []byte) ([][]byte, bool) {
	own := keys[first:]
	if len(own) >= maxQuickKeys || bytes.IndexByte(key, '\\') >= 0 {
		return keys, false
	}
	for _, k := range own {
		if bytes.Equal(k, key) {
			return keys, false
		}
	}
	return append(keys, key), true
}

// scanTokens is scanJSON's slow path: it walks the document with
// encoding/json's tokenizer and names the first fault it finds.
func scanTokens(body []byte) error {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	if err := scanValue(dec, "", 0); err != nil {
		return err
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return badRequest("", "%s: unexpected data after the JSON document", msgBadJSON)
	}
	return nil
}

// scanValue consumes one value; path is its JSON pointer.
func scanValue(dec *json.Decoder, path string, depth int) error {
	tok, err := dec.Token()
	if err != nil {
		return syntaxError(path, err)
	}
	d, ok := tok.(json.Delim)
	if !ok {
		return nil
	}
	if depth >= maxJSONDepth {
		return badRequest(path, "JSON nesting deeper than %d levels", maxJSONDepth)
	}
	if d == '{' {
		return scanObject(dec, path, depth+1)
	}
	return scanArray(dec, path, depth+1)
}

// scanObject consumes the members of an object after its '{'.
func scanObject(dec *json.Decoder, path string, depth int) error {
	seen := map[string]bool{}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return syntaxError(path, err)
		}
		key, _ := tok.(string)
		child := path + "/" + escapePointer(key)
		if seen[key] {
			return badRequest(child, "duplicate key %q", key)
		}
		seen[key] = true
		if err := scanValue(dec, child, depth); err != nil {
			return err
		}
	}
	if _, err := dec.Token(); err != nil { // '}'
		return syntaxError(path, err)
	}
	return nil
}

// scanArray consumes the elements of an array after its '['.
func scanArray(dec *json.Decoder, path string, depth int) error {
	for i := 0; dec.More(); i++ {
		if err := scanValue(dec, path+"/"+itoa(i), depth); err != nil {
			return err
		}
	}
	if _, err := dec.Token(); err != nil { // ']'
		return syntaxError(path, err)
	}
	return nil
}

// syntaxError reports a JSON syntax error at path.
func syntaxError(path string, err error) error {
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		return badRequest(path, "%s: unexpected end of input", msgBadJSON)
	}
	return badRequest(path, "%s: %v", msgBadJSON, err)
}

// pointerEscaper escapes keys for JSON pointers (RFC 6901).
var pointerEscaper = strings.NewReplacer("~", "~0", "/", "~1")

// escapePointer escapes a key for a JSON pointer.
func escapePointer(key string) string {
	if !strings.ContainsAny(key, "~/") {
		return key
	}
	return pointerEscaper.Replace(key)
}

// fieldPointer turns encoding/json's dotted field path into a JSON pointer.
func fieldPointer(field string) string {
	if field == "" {
		return ""
	}
	return "/" + strings.ReplaceAll(field, ".", "/")
}

// jsonTypeName names a Go kind as a JSON type.
func jsonTypeName(kind string) string {
	switch kind {
	case "string":
		return "a string"
	case "map", "struct":
		return "an object"
	case "slice", "array":
		return "an array"
	case "bool":
		return "a boolean"
	default:
		return "a number"
	}
}
