// Package openapi holds the emulator's inbound contract: an OpenAPI 3.0
// document of Chatlayer's v1 and legacy APIs and of the emulator's control
// API, and a middleware that validates requests (and, in tests, responses)
// against it.
//
// Chatlayer publishes no machine-readable contract; chatlayer.yaml is a
// reconstruction, and every guessed element names its FIDELITY.md decision.
package openapi

import (
	"context"
	_ "embed"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"sync"

	"github.com/getkin/kin-openapi/openapi3"
	"gopkg.in/yaml.v3"
)

//go:embed chatlayer.yaml
var document []byte

// load and toJSON run once per process: the document is immutable.
var (
	load   = sync.OnceValues(parse)
	toJSON = sync.OnceValues(convert)
)

// Load returns the parsed and validated document. It is parsed once per
// process and shared: callers must not modify it. Its servers are
// rewritten to the relative "/" (kin-openapi turns absolute server URLs
// into host matchers), so routers built from it match any host.
func Load() (*openapi3.T, error) { return load() }

// YAML returns the embedded document as written.
func YAML() []byte { return document }

// JSON returns the embedded document converted to JSON (converted once).
func JSON() ([]byte, error) { return toJSON() }

// parse loads and validates the embedded document.
func parse() (*openapi3.T, error) {
	doc, err := openapi3.NewLoader().LoadFromData(document)
	if err != nil {
		return nil, fmt.Errorf("openapi: loading chatlayer.yaml: %w", err)
	}
	if err := doc.Validate(context.Background()); err != nil {
		return nil, fmt.Errorf("openapi: chatlayer.yaml is invalid: %w", err)
	}
	doc.Servers = openapi3.Servers{{URL: "/"}}
	return doc, nil
}

// convert turns the YAML document into JSON.
func convert() ([]byte, error) {
	var v any
	if err := yaml.Unmarshal(document, &v); err != nil {
		return nil, fmt.Errorf("openapi: decoding chatlayer.yaml: %w", err)
	}
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("openapi: encoding JSON: %w", err)
	}
	return b, nil
}

// Route is one operation of the document: a method and a path template.
type Route struct {
	Method string // upper case: GET, POST, DELETE ...
	Path   string // template with {param} placeholders
}

// String renders the route as "METHOD /path".
func (r Route) String() string { return r.Method + " " + r.Path }

// Routes lists every operation of the document, sorted by path then
// method. It panics if the embedded document does not load, which the
// package's tests rule out.
func Routes() []Route {
	doc, err := Load()
	if err != nil {
		panic(err)
	}
	var routes []Route
	for path, item := range doc.Paths.Map() {
		for method := range item.Operations() {
			routes = append(routes, Route{Method: strings.ToUpper(method), Path: path})
		}
	}
	sort.Slice(routes, func(i, j int) bool {
		if routes[i].Path != routes[j].Path {
			return routes[i].Path < routes[j].Path
		}
		return routes[i].Method < routes[j].Method
	})
	return routes
}
