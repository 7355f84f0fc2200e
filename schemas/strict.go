package schemas

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
)

// maxDepth bounds the nesting of arrays and objects Validate accepts.
const maxDepth = 512

// decoder builds a JSON value token by token, so that it can see what
// encoding/json silently accepts: duplicate keys (the last one would win)
// and data after the value.
type decoder struct {
	dec *json.Decoder
}

// decodeStrict decodes exactly one JSON value. Numbers stay json.Number.
// On failure it returns the cause, with the pointer of the offending value
// where one is known.
func decodeStrict(raw []byte) (any, *Cause) {
	d := decoder{dec: json.NewDecoder(bytes.NewReader(raw))}
	d.dec.UseNumber()
	v, c := d.value("", 0)
	if c != nil {
		return nil, c
	}
	if _, err := d.dec.Token(); err != io.EOF {
		return nil, &Cause{Reason: "invalid JSON: trailing data after the value"}
	}
	return v, nil
}

// value reads the value that starts at the next token.
func (d decoder) value(ptr string, depth int) (any, *Cause) {
	tok, err := d.dec.Token()
	if err != nil {
		return nil, syntaxCause(ptr, err)
	}
	delim, ok := tok.(json.Delim)
	if !ok {
		return tok, nil
	}
	if depth >= maxDepth {
		return nil, &Cause{Pointer: ptr, Reason: fmt.Sprintf("invalid JSON: nested deeper than %d levels", maxDepth)}
	}
	if delim == '{' {
		return d.object(ptr, depth+1)
	}
	return d.array(ptr, depth+1) // Token never returns a closing delimiter here
}

func (d decoder) object(ptr string, depth int) (any, *Cause) {
	m := map[string]any{}
	for d.dec.More() {
		tok, err := d.dec.Token()
		if err != nil {
			return nil, syntaxCause(ptr, err)
		}
		key, ok := tok.(string)
		if !ok { // not reached: the decoder rejects keys that are not strings
			return nil, &Cause{Pointer: ptr, Reason: "invalid JSON: object key is not a string"}
		}
		kptr := ptr + "/" + EscapePointer(key)
		if _, dup := m[key]; dup {
			return nil, &Cause{Pointer: kptr, Reason: fmt.Sprintf("invalid JSON: duplicate key %q", key)}
		}
		v, c := d.value(kptr, depth)
		if c != nil {
			return nil, c
		}
		m[key] = v
	}
	return m, d.end(ptr)
}

func (d decoder) array(ptr string, depth int) (any, *Cause) {
	a := []any{}
	for d.dec.More() {
		v, c := d.value(fmt.Sprintf("%s/%d", ptr, len(a)), depth)
		if c != nil {
			return nil, c
		}
		a = append(a, v)
	}
	return a, d.end(ptr)
}

// end consumes the closing delimiter of an object or array.
func (d decoder) end(ptr string) *Cause {
	if _, err := d.dec.Token(); err != nil {
		return syntaxCause(ptr, err)
	}
	return nil
}

func syntaxCause(ptr string, err error) *Cause {
	if errors.Is(err, io.EOF) {
		err = io.ErrUnexpectedEOF
	}
	return &Cause{Pointer: ptr, Reason: "invalid JSON: " + err.Error()}
}
