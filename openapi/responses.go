package openapi

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/http"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
)

// recorder buffers a response so that it can be validated before it is
// sent. Headers go straight to the real writer's map (the outer layers'
// headers, such as rate limits, are part of what is validated).
type recorder struct {
	w      http.ResponseWriter
	status int
	body   bytes.Buffer
}

// Header returns the real writer's header map.
func (rec *recorder) Header() http.Header { return rec.w.Header() }

// WriteHeader records the first status written.
func (rec *recorder) WriteHeader(status int) {
	if rec.status == 0 {
		rec.status = status
	}
}

// Write buffers the body.
func (rec *recorder) Write(p []byte) (int, error) {
	rec.WriteHeader(http.StatusOK)
	return rec.body.Write(p)
}

// send writes the recorded response.
func (rec *recorder) send() {
	rec.WriteHeader(http.StatusOK)
	rec.w.WriteHeader(rec.status)
	rec.w.Write(rec.body.Bytes())
}

// serveChecked runs the handler, validates its response and sends it, or
// a 500 naming the violation.
func (v *validator) serveChecked(next http.Handler, w http.ResponseWriter, in *openapi3filter.RequestValidationInput) {
	rec := &recorder{w: w}
	next.ServeHTTP(rec, in.Request)
	rec.WriteHeader(http.StatusOK)
	err := openapi3filter.ValidateResponse(in.Request.Context(), &openapi3filter.ResponseValidationInput{
		RequestValidationInput: in,
		Status:                 rec.status,
		Header:                 w.Header(),
		Body:                   io.NopCloser(bytes.NewReader(rec.body.Bytes())),
		Options:                v.filter,
	})
	if err == nil {
		rec.send()
		return
	}
	clear(w.Header())
	msg := fmt.Sprintf("the emulator broke its OpenAPI document: %s %s answered %d: %s",
		in.Request.Method, in.Route.Path, rec.status, responseProblem(err))
	v.opts.Error(w, in.Request, http.StatusInternalServerError, "", msg)
}

// responseProblem describes a response violation briefly.
func responseProblem(err error) string {
	var se *openapi3.SchemaError
	if errors.As(err, &se) {
		where := pointer(se)
		if where == "" {
			where = "/"
		}
		return "body " + where + ": " + schemaMessage(se)
	}
	var re *openapi3filter.ResponseError
	if errors.As(err, &re) {
		return re.Reason
	}
	return err.Error()
}
