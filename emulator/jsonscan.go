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
func scanJSON(body []byte) error {
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
