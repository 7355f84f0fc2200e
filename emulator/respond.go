package emulator

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"mime"
	"net/http"
	"strconv"
	"unicode/utf8"
)

// maxJSONDepth bounds the nesting of request bodies.
const maxJSONDepth = 64

// handlerFunc is the shape of every API handler: it returns the status and
// the value to render as JSON, or an error. One adapter (adapt) writes
// responses, so handlers never touch the ResponseWriter.
type handlerFunc func(r *http.Request) (int, any, error)

// adapt turns a handlerFunc into an http.Handler.
func adapt(h handlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		status, v, err := h(r)
		if err != nil {
			writeError(w, err)
			return
		}
		respond(w, status, v)
	})
}

// respond writes v as JSON (no HTML escaping, as Chatlayer's Node services
// do), or no body for a nil v or 204. A string v is written as text/plain.
func respond(w http.ResponseWriter, status int, v any) {
	switch body := v.(type) {
	case nil:
		w.WriteHeader(status)
		return
	case plainText:
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.WriteHeader(status)
		io.WriteString(w, string(body))
		return
	}
	b, err := marshalJSON(v)
	if err != nil {
		writeError(w, err)
		return
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Content-Length", strconv.Itoa(len(b)))
	w.WriteHeader(status)
	w.Write(b)
}

// plainText is a response body written as text/plain.
type plainText string

// writeError renders err in Chatlayer's error shape.
func writeError(w http.ResponseWriter, err error) {
	e := asError(err)
	b, _ := marshalJSON(e) // an *Error always marshals
	if e.Status == http.StatusRequestEntityTooLarge {
		w.Header().Set("Connection", "close") // the rest of the body is never read
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Content-Length", strconv.Itoa(len(b)))
	w.WriteHeader(e.Status)
	w.Write(b)
}

// marshalJSON encodes v without HTML escaping and without a trailing newline.
func marshalJSON(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n")), nil
}

// readJSON reads a JSON request body into v. It answers 415 for another
// content type, 413 past limit bytes, and 400 for invalid UTF-8, nesting
// deeper than maxJSONDepth, duplicate keys, trailing data or a wrong type
// (naming the field).
func readJSON(r *http.Request, limit int64, v any) error {
	if err := checkContentType(r); err != nil {
		return err
	}
	body, err := readBody(r, limit)
	if err != nil {
		return err
	}
	return decodeStrict(body, v)
}

// checkContentType accepts application/json with any parameters.
func checkContentType(r *http.Request) error {
	mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || mt != "application/json" {
		return newError(http.StatusUnsupportedMediaType, "Content-Type", msgContentType)
	}
	return nil
}

// readBody reads at most limit bytes of the body; more is a 413.
func readBody(r *http.Request, limit int64) ([]byte, error) {
	body, err := io.ReadAll(io.LimitReader(r.Body, limit+1))
	if err != nil {
		return nil, badRequest("", "reading request body: %v", err)
	}
	if int64(len(body)) > limit {
		return nil, newError(http.StatusRequestEntityTooLarge, "", msgTooLarge, limit)
	}
	return body, nil
}

// decodeStrict checks the raw JSON, then unmarshals it into v.
func decodeStrict(body []byte, v any) error {
	if !utf8.Valid(body) {
		return badRequest("", "%s: invalid UTF-8", msgBadJSON)
	}
	if err := scanJSON(body); err != nil {
		return err
	}
	if err := json.Unmarshal(body, v); err != nil {
		var te *json.UnmarshalTypeError
		if errors.As(err, &te) {
			return badRequest(fieldPointer(te.Field), "must be %s, not %s", jsonTypeName(te.Type.Kind().String()), te.Value)
		}
		return badRequest("", "%s: %v", msgBadJSON, err)
	}
	return nil
}
