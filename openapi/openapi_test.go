package openapi_test

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"gopkg.in/yaml.v3"

	"github.com/chatlayer-emulator/chatlayer-emulator/openapi"
)

// errorRef is the schema every 4xx answer uses.
const errorRef = "#/components/schemas/Error"

// load fails the test if the document does not load.
func load(t *testing.T) *openapi3.T {
	t.Helper()
	doc, err := openapi.Load()
	if err != nil {
		t.Fatal(err)
	}
	return doc
}

// operation is one operation of the document with its place.
type operation struct {
	name string // "METHOD /path"
	op   *openapi3.Operation
}

// operations lists the document's operations, callbacks included when
// withCallbacks is set.
func operations(doc *openapi3.T, withCallbacks bool) []operation {
	var list []operation
	for path, item := range doc.Paths.Map() {
		for method, op := range item.Operations() {
			list = append(list, operation{method + " " + path, op})
			if !withCallbacks {
				continue
			}
			for cbName, cb := range op.Callbacks {
				for expr, cbItem := range cb.Value.Map() {
					for m, cbOp := range cbItem.Operations() {
						list = append(list, operation{fmt.Sprintf("%s callback %s %s %s", path, cbName, m, expr), cbOp})
					}
				}
			}
		}
	}
	return list
}

func TestDocumentLoads(t *testing.T) {
	doc := load(t)
	if got := doc.Servers; len(got) != 1 || got[0].URL != "/" {
		t.Errorf("servers %v, want the relative /", got)
	}
	if again, _ := openapi.Load(); again != doc {
		t.Error("Load parsed the document twice")
	}
}

func TestEveryOperationIsComplete(t *testing.T) {
	doc := load(t)
	ids := map[string]string{}
	for _, o := range operations(doc, false) {
		t.Run(o.name, func(t *testing.T) {
			if o.op.OperationID == "" {
				t.Fatal("no operationId")
			}
			if prev, dup := ids[o.op.OperationID]; dup {
				t.Errorf("operationId %q also used by %s", o.op.OperationID, prev)
			}
			ids[o.op.OperationID] = o.name
			if len(o.op.Tags) != 1 || !strings.Contains("v1 legacy control", o.op.Tags[0]) {
				t.Errorf("tags %v, want one of v1, legacy, control", o.op.Tags)
			}
			checkResponses(t, doc, o)
		})
	}
}

// checkResponses requires a 2xx, and a 4xx unless the operation is open
// and takes no input; every 4xx must use the error schema.
func checkResponses(t *testing.T, doc *openapi3.T, o operation) {
	t.Helper()
	var ok2xx, has4xx bool
	for code, resp := range o.op.Responses.Map() {
		switch code[0] {
		case '2':
			ok2xx = true
		case '4':
			has4xx = true
			mt := resp.Value.Content.Get("application/json")
			if mt == nil || mt.Schema == nil || mt.Schema.Ref != errorRef {
				t.Errorf("response %s does not use %s", code, errorRef)
			}
		}
	}
	if !ok2xx {
		t.Error("no 2xx response")
	}
	open := o.op.Security != nil && len(*o.op.Security) == 0
	if !has4xx && !(open && len(o.op.Parameters) == 0 && o.op.RequestBody == nil) {
		t.Error("no 4xx response")
	}
}

func TestExamplesMatchTheirSchemas(t *testing.T) {
	doc := load(t)
	n := 0
	for _, o := range operations(doc, true) {
		for _, p := range o.op.Parameters {
			n += checkExample(t, o.name+" parameter "+p.Value.Name, p.Value.Schema, p.Value.Example, p.Value.Examples)
		}
		if rb := o.op.RequestBody; rb != nil {
			n += checkContent(t, o.name+" request", rb.Value.Content, true)
		}
		for code, resp := range o.op.Responses.Map() {
			n += checkContent(t, o.name+" response "+code, resp.Value.Content, false)
			for name, h := range resp.Value.Headers {
				n += checkExample(t, o.name+" header "+name, h.Value.Schema, h.Value.Example, h.Value.Examples)
			}
		}
	}
	if n < 60 {
		t.Errorf("only %d examples checked", n)
	}
}

// checkContent checks the examples of every media type; JSON request
// bodies and JSON 2xx answers must have one.
func checkContent(t *testing.T, where string, content openapi3.Content, request bool) int {
	t.Helper()
	n := 0
	for mt, m := range content {
		k := checkExample(t, where+" "+mt, m.Schema, m.Example, m.Examples)
		required := mt == "application/json" && m.Schema != nil && m.Schema.Ref != errorRef
		if k == 0 && required && (request || strings.Contains(where, "response 2")) {
			t.Errorf("%s: no example", where)
		}
		n += k
	}
	return n
}

// checkExample validates an example and named examples against a schema.
func checkExample(t *testing.T, where string, schema *openapi3.SchemaRef, example any, examples openapi3.Examples) int {
	t.Helper()
	if schema == nil {
		return 0
	}
	all := map[string]any{}
	if example != nil {
		all["example"] = example
	}
	for name, e := range examples {
		all[name] = e.Value.Value
	}
	for name, v := range all {
		if err := schema.Value.VisitJSON(v); err != nil {
			t.Errorf("%s: %s does not match: %v", where, name, err)
		}
	}
	return len(all)
}

func TestSecurity(t *testing.T) {
	doc := load(t)
	for _, o := range operations(doc, false) {
		want := map[string]string{"v1": "bearerAuth", "legacy": "accessToken", "control": "adminToken"}[o.op.Tags[0]]
		sec := o.op.Security
		if sec == nil {
			t.Errorf("%s: no security (use [] for open routes)", o.name)
			continue
		}
		if len(*sec) == 0 {
			continue // open: health, ready, the documents, legacy webhookMessage
		}
		if _, ok := (*sec)[0][want]; !ok {
			t.Errorf("%s: security %v, want %s", o.name, *sec, want)
		}
	}
}

func TestJSONMatchesYAML(t *testing.T) {
	raw, err := openapi.JSON()
	if err != nil {
		t.Fatal(err)
	}
	var fromJSON, fromYAML any
	if err := json.Unmarshal(raw, &fromJSON); err != nil {
		t.Fatal(err)
	}
	if err := yaml.Unmarshal(openapi.YAML(), &fromYAML); err != nil {
		t.Fatal(err)
	}
	a, _ := json.Marshal(fromJSON)
	b, _ := json.Marshal(fromYAML)
	if string(a) != string(b) {
		t.Error("chatlayer.json differs from chatlayer.yaml: run `go generate ./openapi`")
	}
	if _, err := openapi3.NewLoader().LoadFromData(raw); err != nil {
		t.Errorf("the JSON document does not load: %v", err)
	}
}

// TestDocumentValidates checks the document against the OpenAPI
// specification, which Load skips at run time to keep start-up fast.
func TestDocumentValidates(t *testing.T) {
	if err := load(t).Validate(context.Background()); err != nil {
		t.Fatalf("chatlayer.yaml is not a valid OpenAPI document: %v", err)
	}
}

func TestRoutes(t *testing.T) {
	routes := openapi.Routes()
	if len(routes) < 28 {
		t.Fatalf("%d routes", len(routes))
	}
	for i := 1; i < len(routes); i++ {
		if routes[i-1].String() >= routes[i].String() && routes[i-1].Path >= routes[i].Path {
			t.Errorf("not sorted: %s before %s", routes[i-1], routes[i])
		}
	}
	want := openapi.Route{Method: "POST", Path: "/v1/channels/webhook/{channelId}/messages"}
	found := false
	for _, r := range routes {
		found = found || r == want
	}
	if !found {
		t.Errorf("%s missing", want)
	}
}

// TestRuntimeDocumentInStep: chatlayer.runtime.json is chatlayer.json
// stripped by StripForRuntime and keeps every operation. (It is not a
// standalone OpenAPI document: responses lose their required descriptions.
// The emulator's tests, strict responses included, run through the
// middleware built from it.)
func TestRuntimeDocumentInStep(t *testing.T) {
	raw, _ := openapi.JSON()
	var full any
	if err := json.Unmarshal(raw, &full); err != nil {
		t.Fatal(err)
	}
	want, _ := json.Marshal(openapi.StripForRuntime(full))
	data, err := os.ReadFile("chatlayer.runtime.json")
	if err != nil {
		t.Fatal(err)
	}
	var onDisk any
	if err := json.Unmarshal(data, &onDisk); err != nil {
		t.Fatal(err)
	}
	if got, _ := json.Marshal(onDisk); string(got) != string(want) {
		t.Error("chatlayer.runtime.json is stale: run `go generate ./openapi`")
	}
	rt, err := openapi.Runtime()
	if err != nil {
		t.Fatalf("Runtime: %v", err)
	}
	if got, want := len(rt.Paths.Map()), len(load(t).Paths.Map()); got != want {
		t.Fatalf("the runtime document has %d paths, the full one %d", got, want)
	}
}
