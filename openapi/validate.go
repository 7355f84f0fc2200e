package openapi

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/gorillamux"
)

// Options configures Middleware.
type Options struct {
	// Responses validates every response of a known operation (status,
	// headers, body) and replaces one that breaks the document by a 500
	// naming the violation. It buffers responses: for tests.
	Responses bool
	// Error writes an error answer; field is the parameter name or the JSON
	// pointer into the body at fault ("" when nothing specific is). Nil:
	// a plain-text answer.
	Error func(w http.ResponseWriter, r *http.Request, status int, field, message string)
	// MaxBodyBytes: a larger body is passed to the handler unvalidated, so
	// that the handler answers 413 in its own words. 0 means no limit.
	MaxBodyBytes int64
	// Authorized, if set, reports whether r may reach its operation before
	// validation, for one security scheme of the document (params are the
	// path parameters). A request that satisfies none of its operation's
	// requirements goes to the handler unvalidated, so that the
	// application's own checks answer first (401, or 404 for a resource
	// the token cannot be checked against, before 400). Empty
	// alternatives ({}) are ignored when others exist: the document uses
	// them for schemes the application may switch off, and Authorized
	// decides. Nil: every request is validated.
	Authorized func(r *http.Request, scheme string, params map[string]string) bool
	// BodyOK, if set, vets a JSON body that is valid UTF-8 and JSON before
	// it is validated. A body it refuses goes to the handler unvalidated,
	// so that the handler's own decoder names the fault (the emulator's
	// refuses duplicate keys and deep nesting, which JSON Schema cannot see).
	BodyOK func(body []byte) bool
	// Route, if set, names the operation r is for a router that has
	// matched r already (the middleware then runs inside it): the path
	// template as the document writes it, and the path parameters. With
	// ok false, or a template or method the document does not have, the
	// middleware matches r itself. Matching again costs a scan of every
	// path's regular expression, about as much as validating a small body.
	Route func(r *http.Request) (path string, params map[string]string, ok bool)
}

// validator is the state of one Middleware, built once.
type validator struct {
	router routers.Router
	opts   Options
	filter *openapi3filter.Options
	// open maps each operation to a copy without security requirements:
	// authentication is the application's, and kin-openapi would read the
	// body once more per requirement.
	open map[*openapi3.Operation]*openapi3.Operation
	// doc, server and paths build the routes that Options.Route names.
	doc    *openapi3.T
	server *openapi3.Server
	paths  map[string]*openapi3.PathItem
}

// Middleware returns a middleware that validates requests against doc
// (built once: the router and the per-operation data are computed here).
// A request the document does not know (path or method) passes through
// to the next handler, which answers 404 or 405. A request that breaks
// the document gets a 400 naming the parameter or the JSON pointer at
// fault, or a 415 for a content type the operation does not accept. A
// body that is not valid UTF-8 or JSON passes through: the handler's own
// decoder names the fault. The handler can read the body again.
func Middleware(doc *openapi3.T, opts Options) (func(http.Handler) http.Handler, error) {
	router, err := gorillamux.NewRouter(doc)
	if err != nil {
		return nil, fmt.Errorf("openapi: building the router: %w", err)
	}
	if opts.Error == nil {
		opts.Error = plainError
	}
	v := &validator{
		router: router,
		opts:   opts,
		filter: &openapi3filter.Options{
			AuthenticationFunc:    openapi3filter.NoopAuthenticationFunc,
			SkipSettingDefaults:   true,
			IncludeResponseStatus: true,
		},
		open:  openOperations(doc),
		doc:   doc,
		paths: doc.Paths.Map(),
	}
	if len(doc.Servers) > 0 {
		v.server = doc.Servers[0]
	}
	return v.wrap, nil
}

// openOperations copies every operation of doc with an empty security
// requirement list.
func openOperations(doc *openapi3.T) map[*openapi3.Operation]*openapi3.Operation {
	open := map[*openapi3.Operation]*openapi3.Operation{}
	for _, item := range doc.Paths.Map() {
		for _, op := range item.Operations() {
			c := *op
			c.Security = &openapi3.SecurityRequirements{}
			open[op] = &c
		}
	}
	return open
}

// plainError is the default Options.Error.
func plainError(w http.ResponseWriter, _ *http.Request, status int, field, message string) {
	if field != "" {
		message = field + ": " + message
	}
	http.Error(w, message, status)
}

// wrap is the middleware.
func (v *validator) wrap(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		route, params, err := v.findRoute(r)
		if err != nil || !v.authorized(r, route, params) {
			next.ServeHTTP(w, r)
			return
		}
		auth := route.Operation
		route.Operation = v.open[auth]
		in := &openapi3filter.RequestValidationInput{Request: r, PathParams: params, Route: route, Options: v.filter}
		if v.checkRequest(w, in) {
			return
		}
		route.Operation = auth // responses are validated against the original
		if !v.opts.Responses {
			next.ServeHTTP(w, r)
			return
		}
		v.serveChecked(next, w, in)
	})
}

// findRoute returns r's operation as a fresh route (wrap changes it),
// from Options.Route when it knows, else by matching r against the
// document's paths.
func (v *validator) findRoute(r *http.Request) (*routers.Route, map[string]string, error) {
	if v.opts.Route != nil {
		if path, params, ok := v.opts.Route(r); ok {
			if item := v.paths[path]; item != nil {
				if op := item.GetOperation(r.Method); op != nil {
					return &routers.Route{Spec: v.doc, Server: v.server, Path: path, PathItem: item, Method: r.Method, Operation: op}, params, nil
				}
			}
		}
	}
	return v.router.FindRoute(r)
}

// authorized applies Options.Authorized to the route's security
// requirements.
func (v *validator) authorized(r *http.Request, route *routers.Route, params map[string]string) bool {
	if v.opts.Authorized == nil {
		return true
	}
	reqs := route.Operation.Security
	if reqs == nil {
		reqs = &route.Spec.Security
	}
	checked := false
	for _, req := range *reqs {
		if len(req) == 0 {
			continue
		}
		checked = true
		if v.satisfies(r, req, params) {
			return true
		}
	}
	return !checked
}

// satisfies reports whether r passes every scheme of one requirement.
func (v *validator) satisfies(r *http.Request, req openapi3.SecurityRequirement, params map[string]string) bool {
	for scheme := range req {
		if !v.opts.Authorized(r, scheme, params) {
			return false
		}
	}
	return true
}

// checkRequest validates the request and answers it if it is invalid; it
// reports whether it answered.
func (v *validator) checkRequest(w http.ResponseWriter, in *openapi3filter.RequestValidationInput) bool {
	if !v.bufferBody(in.Request, in.Route.Operation) {
		return false
	}
	err := openapi3filter.ValidateRequest(in.Request.Context(), in)
	if err == nil {
		return false
	}
	p, ok := describe(err, in.Route.Operation)
	if !ok {
		return false
	}
	v.opts.Error(w, in.Request, p.status, p.field, p.message)
	return true
}

// bufferBody reads the body of an operation that takes one, and makes it
// re-readable. It reports whether the body is worth validating: false for
// a body past MaxBodyBytes, or a non-empty one that is not valid UTF-8 or
// JSON while declared as JSON; those go to the handler as they came.
func (v *validator) bufferBody(r *http.Request, op *openapi3.Operation) bool {
	if op.RequestBody == nil || r.Body == nil || r.Body == http.NoBody {
		return true
	}
	src := io.Reader(r.Body)
	if v.opts.MaxBodyBytes > 0 {
		src = io.LimitReader(r.Body, v.opts.MaxBodyBytes+1)
	}
	data, err := io.ReadAll(src)
	if err != nil || (v.opts.MaxBodyBytes > 0 && int64(len(data)) > v.opts.MaxBodyBytes) {
		r.Body = struct {
			io.Reader
			io.Closer
		}{io.MultiReader(bytes.NewReader(data), r.Body), r.Body}
		return false
	}
	jsonBody := isJSON(r.Header.Get("Content-Type"))
	vetted := jsonBody && len(data) > 0 && v.jsonOK(data)
	r.GetBody = func() (io.ReadCloser, error) {
		return &buffered{Reader: bytes.NewReader(data), data: data, vetted: vetted}, nil
	}
	r.Body, _ = r.GetBody()
	return len(data) == 0 || !jsonBody || vetted
}

// buffered is a request body the middleware has read, served from memory.
// kin-openapi, after reading it, puts back what GetBody returns: another
// buffered of the same bytes.
type buffered struct {
	*bytes.Reader
	data   []byte
	vetted bool
}

// Close implements io.Closer.
func (*buffered) Close() error { return nil }

// Buffered returns the whole body of r when the middleware has read it,
// so that the handler need not read and copy it again; ok is false when
// the handler must read r.Body itself (a request the middleware did not
// validate, a body past MaxBodyBytes). vetted reports that the bytes are
// valid UTF-8 and JSON, accepted by Options.BodyOK, under a JSON content
// type: the checks the handler's decoder would otherwise repeat.
func Buffered(r *http.Request) (data []byte, vetted, ok bool) {
	b, ok := r.Body.(*buffered)
	if !ok {
		return nil, false, false
	}
	return b.data, b.vetted, true
}

// jsonOK reports whether a JSON body is worth validating.
func (v *validator) jsonOK(data []byte) bool {
	return utf8.Valid(data) && json.Valid(data) && (v.opts.BodyOK == nil || v.opts.BodyOK(data))
}

// isJSON reports whether a Content-Type is JSON.
func isJSON(contentType string) bool {
	mt, _, err := mime.ParseMediaType(contentType)
	return err == nil && (mt == "application/json" || strings.HasSuffix(mt, "+json"))
}

// problem is a validation failure ready to answer.
type problem struct {
	status         int
	field, message string
}

// describe turns a kin-openapi request error into a problem; ok is false
// for errors the handler describes better (an undecodable body).
func describe(err error, op *openapi3.Operation) (p problem, ok bool) {
	var re *openapi3filter.RequestError
	if !errors.As(err, &re) {
		return problem{http.StatusBadRequest, "", err.Error()}, true
	}
	switch {
	case re.Parameter != nil:
		return problem{http.StatusBadRequest, re.Parameter.Name, parameterMessage(re)}, true
	case re.RequestBody == nil:
		return problem{http.StatusBadRequest, "", re.Error()}, true
	case strings.HasPrefix(re.Reason, "header Content-Type has unexpected value"):
		return problem{http.StatusUnsupportedMediaType, "Content-Type", contentTypeMessage(op)}, true
	case errors.Is(re.Err, openapi3filter.ErrInvalidRequired):
		return problem{http.StatusBadRequest, "", "request body is required"}, true
	}
	var se *openapi3.SchemaError
	if errors.As(re.Err, &se) {
		return problem{http.StatusBadRequest, pointer(se), schemaMessage(se)}, true
	}
	return problem{}, false
}

// parameterMessage explains what is wrong with a parameter.
func parameterMessage(re *openapi3filter.RequestError) string {
	var se *openapi3.SchemaError
	var pe *openapi3filter.ParseError
	switch {
	case errors.Is(re.Err, openapi3filter.ErrInvalidRequired):
		return "is required"
	case errors.Is(re.Err, openapi3filter.ErrInvalidEmptyValue):
		return "must not be empty"
	case errors.As(re.Err, &se):
		return schemaMessage(se)
	case errors.As(re.Err, &pe) && re.Parameter.Schema != nil && re.Parameter.Schema.Value != nil:
		return "must be " + typeName(re.Parameter.Schema.Value)
	}
	return re.Error()
}

// contentTypeMessage lists the content types an operation accepts.
func contentTypeMessage(op *openapi3.Operation) string {
	types := make([]string, 0, len(op.RequestBody.Value.Content))
	for mt := range op.RequestBody.Value.Content {
		types = append(types, mt)
	}
	sort.Strings(types)
	if len(types) == 1 {
		return "Content-Type must be " + types[0]
	}
	return "Content-Type must be one of " + strings.Join(types, ", ")
}

// pointer is the JSON pointer of the value a schema error is about.
func pointer(se *openapi3.SchemaError) string {
	var b strings.Builder
	for _, key := range se.JSONPointer() {
		b.WriteByte('/')
		key = strings.ReplaceAll(key, "~", "~0")
		b.WriteString(strings.ReplaceAll(key, "/", "~1"))
	}
	return b.String()
}

// schemaMessage is a short reason for a schema error, without kin-openapi's
// dump of the schema and the value.
func schemaMessage(se *openapi3.SchemaError) string {
	switch se.SchemaField {
	case "enum":
		vals := make([]string, len(se.Schema.Enum))
		for i, e := range se.Schema.Enum {
			vals[i] = fmt.Sprint(e)
		}
		return "must be one of " + strings.Join(vals, ", ")
	case "type":
		return "must be " + typeName(se.Schema)
	case "pattern":
		return "must match " + se.Schema.Pattern
	case "format":
		return "must be " + formatName(se.Schema.Format)
	case "anyOf":
		return "must be " + alternatives(se.Schema.AnyOf)
	}
	return se.Reason
}

// alternatives names the types of an anyOf: "a string or a number".
func alternatives(refs openapi3.SchemaRefs) string {
	names := make([]string, 0, len(refs))
	for _, r := range refs {
		if r.Value == nil {
			return "one of the documented forms"
		}
		names = append(names, typeName(r.Value))
	}
	return strings.Join(names, " or ")
}

// formatName describes a string format.
func formatName(format string) string {
	switch format {
	case "date":
		return "a date (YYYY-MM-DD)"
	case "date-time":
		return "an RFC 3339 date-time"
	}
	return "a " + format
}

// typeName names a schema's type with an article: "an integer".
func typeName(s *openapi3.Schema) string {
	if s.Type == nil || len(s.Type.Slice()) == 0 {
		return "a valid value"
	}
	t := s.Type.Slice()[0]
	if strings.ContainsRune("aeiou", rune(t[0])) {
		return "an " + t
	}
	return "a " + t
}
