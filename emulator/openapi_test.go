package emulator

import (
	"io"
	"maps"
	"net/http"
	"net/http/httptest"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/gorilla/mux"

	"github.com/chatlayer-emulator/chatlayer-emulator/openapi"
)

// paramName matches a path parameter, {name} or {name:pattern}.
var paramName = regexp.MustCompile(`\{[^{}]*\}`)

// normalise forgets parameter names: "/v1/bots/{botId}" → "/v1/bots/{}".
func normalise(method, path string) string {
	return method + " " + paramName.ReplaceAllString(path, "{}")
}

// routerRoutes lists the routes registered by routes(), normalised.
func routerRoutes(t *testing.T, r *mux.Router) map[string]bool {
	t.Helper()
	got := map[string]bool{}
	err := r.Walk(func(route *mux.Route, _ *mux.Router, _ []*mux.Route) error {
		path, err := route.GetPathTemplate()
		if err != nil {
			return nil // a matcher without a path
		}
		methods, err := route.GetMethods()
		if err != nil {
			return nil // a path prefix (the control subrouter)
		}
		for _, m := range methods {
			got[normalise(m, path)] = true
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return got
}

// TestRoutesMatchTheDocument proves that routes.go and the OpenAPI
// document list the same routes, in both directions.
func TestRoutesMatchTheDocument(t *testing.T) {
	s, err := New(Config{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	served := routerRoutes(t, s.router)
	if len(served) < 20 {
		t.Fatalf("the walk found only %d routes: %v", len(served), served)
	}
	documented := map[string]bool{}
	for _, r := range openapi.Routes() {
		documented[normalise(r.Method, r.Path)] = true
	}
	for _, r := range slices.Sorted(maps.Keys(served)) {
		if !documented[r] {
			t.Errorf("served but not in openapi/chatlayer.yaml: %s", r)
		}
	}
	for _, r := range slices.Sorted(maps.Keys(documented)) {
		if !served[r] {
			t.Errorf("documented but not served by routes.go: %s", r)
		}
	}
}

// TestOpenAPIDocumentsAreServed checks the two document routes, open even
// with an admin token.
func TestOpenAPIDocumentsAreServed(t *testing.T) {
	s, err := New(Config{AdminToken: "secret", StrictResponses: true})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	want, err := openapi.JSON()
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		path, contentType string
		body              []byte
	}{
		{"/_emulator/openapi.yaml", "application/yaml", openapi.YAML()},
		{"/_emulator/openapi.json", "application/json; charset=utf-8", want},
	}
	for _, tc := range cases {
		rec := httptest.NewRecorder()
		s.Handler().ServeHTTP(rec, httptest.NewRequest(http.MethodGet, tc.path, nil))
		body, _ := io.ReadAll(rec.Body)
		if rec.Code != http.StatusOK || rec.Header().Get("Content-Type") != tc.contentType || string(body) != string(tc.body) {
			t.Errorf("GET %s: %d %q, %d bytes; want 200 %q, %d bytes",
				tc.path, rec.Code, rec.Header().Get("Content-Type"), len(body), tc.contentType, len(tc.body))
		}
	}
}

// TestRouteTemplatesAreDocumentPaths: every route's template is a path of
// the document as written, parameter names included, so that the
// validation middleware takes the route the router matched (matchedRoute)
// instead of matching the request again.
func TestRouteTemplatesAreDocumentPaths(t *testing.T) {
	s, err := New(Config{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	doc, err := openapi.Runtime()
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	err = s.router.Walk(func(route *mux.Route, _ *mux.Router, _ []*mux.Route) error {
		path, err := route.GetPathTemplate()
		methods, merr := route.GetMethods()
		if err != nil || merr != nil {
			return nil // a prefix or a matcher without a path
		}
		n++
		if doc.Paths.Value(path) == nil {
			t.Errorf("%v %s: not a path of the document as written", methods, path)
		}
		return nil
	})
	if err != nil || n < 20 {
		t.Fatalf("walked %d routes (err %v)", n, err)
	}
}

// TestControlRoutesAreValidated: the middleware, applied by the router,
// reaches the control API's subrouter too.
func TestControlRoutesAreValidated(t *testing.T) {
	s, err := New(Config{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	req := httptest.NewRequest(http.MethodPost, "/_emulator/clock", strings.NewReader(`{"set":"tomorrow"}`))
	req.Header.Set("Content-Type", "application/json")
	rec := httptest.NewRecorder()
	s.Handler().ServeHTTP(rec, req)
	if rec.Code != http.StatusBadRequest || !strings.Contains(rec.Body.String(), "date-time") || !strings.Contains(rec.Body.String(), `"field":"/set"`) {
		t.Errorf("POST /_emulator/clock {set: tomorrow}: %d %s, want the validator's 400 on /set", rec.Code, rec.Body)
	}
}
