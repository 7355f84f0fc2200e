package emulator

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"mime"
	"net/http"
	"strconv"
	"sync"
	"unicode/utf8"

	"github.com/chatlayer-emulator/chatlayer-emulator/openapi"
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
	err := withJSON(v, func(b []byte) {
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		w.Header().Set("Content-Length", strconv.Itoa(len(b)))
		w.WriteHeader(status)
		w.Write(b)
	})
	if err != nil {
		writeError(w, err)
	}
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

// marshalJSON encodes v as JSON without HTML escaping and without the
// trailing newline of json.Encoder. The slice is v's alone, sized to fit.
func marshalJSON(v any) ([]byte, error) {
	var out []byte
	err := withJSON(v, func(b []byte) { out = bytes.Clone(b) })
	return out, err
}

// jsonBuffers holds the buffers withJSON encodes into: most encodings are
// small and gone once written, so their bytes need not grow anew each time.
var jsonBuffers = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// maxPooledBuffer is the largest buffer put back into jsonBuffers, so that
// one huge answer does not stay in memory.
const maxPooledBuffer = 64 << 10

// withJSON encodes v as marshalJSON does, into a pooled buffer, and passes
// the bytes to use, which must not keep them.
func withJSON(v any, use func([]byte)) error {
	buf := jsonBuffers.Get().(*bytes.Buffer)
	defer func() {
		if buf.Cap() <= maxPooledBuffer {
			buf.Reset()
			jsonBuffers.Put(buf)
		}
	}()
	enc := json.NewEncoder(buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return err
	}
	use(bytes.TrimSuffix(buf.Bytes(), []byte("\n")))
	return nil
}

// readJSON reads a JSON request body into v. It answers 415 for another
// content type, 413 past limit bytes, and 400 for invalid UTF-8, nesting
// deeper than maxJSONDepth, duplicate keys, trailing data or a wrong type
// (naming the field). A body the validation middleware has read is taken
// from it, and its checks are not repeated when it vetted the body: its
// BodyOK is scanJSON (validateRequests).
func readJSON(r *http.Request, limit int64, v any) error {
	if err := checkContentType(r); err != nil {
		return err
	}
	if body, vetted, ok := openapi.Buffered(r); ok {
		if int64(len(body)) > limit {
			return newError(http.StatusRequestEntityTooLarge, "", msgTooLarge, limit)
		}
		if vetted { // the validation middleware ran the checks of decodeStrict
			return unmarshal(body, v)
		}
		return decodeStrict(body, v)
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
	return unmarshal(body, v)
}

// unmarshal decodes checked JSON into v; a wrong type is a 400 naming the
// field.
func unmarshal(body []byte, v any) error {
	if err := json.Unmarshal(body, v); err != nil {
		var te *json.UnmarshalTypeError
		if errors.As(err, &te) {
			return badRequest(fieldPointer(te.Field), "must be %s, not %s", jsonTypeName(te.Type.Kind().String()), te.Value)
		}
		return badRequest("", "%s: %v", msgBadJSON, err)
	}
	return nil
}
