package emulator_test

// Generative contract tests: requests derived from the OpenAPI document's
// schemas, valid and broken, against an emulator that validates its own
// answers (StrictResponses). Helpers for values live in schemagen_test.go.

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/chatlayer-emulator/chatlayer-emulator/emulator"
	"github.com/chatlayer-emulator/chatlayer-emulator/openapi"
)

// Settings of the generative tests.
const (
	genSeed     = 20260422
	genPerOp    = 200
	genAdmin    = "gen-admin"
	genConv     = "c1" // the conversation the document's examples use
	genBadToken = "not-a-token"
)

// genOp is one operation of the document.
type genOp struct {
	method, path string
	op           *openapi3.Operation
	params       openapi3.Parameters // the path item's and the operation's
}

// name identifies the operation in test names.
func (o genOp) name() string { return o.op.OperationID }

// scheme is the operation's security scheme, "" when open.
func (o genOp) scheme() string {
	if o.op.Security == nil || len(*o.op.Security) == 0 {
		return ""
	}
	for name := range (*o.op.Security)[0] {
		return name
	}
	return ""
}

// documented reports whether the document lists status for the operation.
func (o genOp) documented(status int) bool {
	return o.op.Responses.Status(status) != nil
}

// genOperations lists the document's operations by operationId.
func genOperations(t *testing.T) []genOp {
	t.Helper()
	doc, err := openapi.Load()
	if err != nil {
		t.Fatal(err)
	}
	var ops []genOp
	for path, item := range doc.Paths.Map() {
		for method, op := range item.Operations() {
			params := append(append(openapi3.Parameters{}, item.Parameters...), op.Parameters...)
			ops = append(ops, genOp{method, path, op, params})
		}
	}
	sort.Slice(ops, func(i, j int) bool { return ops[i].name() < ops[j].name() })
	return ops
}

// genRequest is one request to send, with what a table case expects.
type genRequest struct {
	method, path, contentType, auth string
	query                           url.Values
	body                            []byte
	wantStatus                      int
	wantField                       string
}

// genEnv is a running emulator and what the tests need to talk to it.
type genEnv struct {
	t        *testing.T
	s        *emulator.Server
	demoYAML []byte
	sink     string // base URL of a local receiver for generated URLs
}

// newGenEnv starts a strict emulator with a webhook receiver, an admin
// token and the rate limit given, and a sink that generated URLs point
// to: a URL the emulator calls (an offloading provider's, a webhook's)
// must never leave the machine.
func newGenEnv(t *testing.T, limit emulator.RateLimit) *genEnv {
	t.Helper()
	rc, sink := newReceiver(t, nil), newReceiver(t, nil)
	demo, err := os.ReadFile("../scenarios/demo.yaml")
	if err != nil {
		t.Fatal(err)
	}
	s := emulator.RunT(t, emulator.Config{
		StrictResponses: true, AdminToken: genAdmin, WebhookURL: rc.URL, Delivery: fastDelivery,
		RateLimit: limit,
	})
	return &genEnv{t: t, s: s, demoYAML: demo, sink: sink.URL}
}

// prepare forgets everything, then creates the fixture conversation and
// waits until its deliveries are final, so that every operation finds it.
func (e *genEnv) prepare() {
	e.t.Helper()
	e.s.Reset("", "")
	status, body := post(e.t, e.s.URL()+"/v1/channels/webhook/demo/messages", "demo-token",
		[]byte(`{"conversationId":"`+genConv+`","message":{"introMessage":{}}}`))
	if status != http.StatusAccepted {
		e.t.Fatalf("creating the fixture conversation: %d %s", status, body)
	}
	e.s.FlushT(e.t)
}

// send sends r and returns the status and body.
func (e *genEnv) send(r genRequest) (int, []byte) {
	e.t.Helper()
	q := r.query
	if r.auth != "" && strings.HasPrefix(r.auth, "access_token=") {
		q = cloneValues(q)
		q.Set("access_token", strings.TrimPrefix(r.auth, "access_token="))
	}
	req, err := http.NewRequest(r.method, e.s.URL()+r.path+"?"+q.Encode(), bytes.NewReader(r.body))
	if err != nil {
		e.t.Fatal(err)
	}
	if r.contentType != "" {
		req.Header.Set("Content-Type", r.contentType)
	}
	if strings.HasPrefix(r.auth, "Bearer ") {
		req.Header.Set("Authorization", r.auth)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, body
}

// cloneValues copies url.Values.
func cloneValues(v url.Values) url.Values {
	c := url.Values{}
	for k, vs := range v {
		c[k] = append([]string(nil), vs...)
	}
	return c
}

// auth returns the credentials of a scheme: good or bad.
func genAuth(scheme string, good bool) string {
	token := map[bool]string{true: "demo-token", false: genBadToken}[good]
	switch scheme {
	case "bearerAuth":
		return "Bearer " + token
	case "accessToken":
		return "access_token=" + token
	case "adminToken":
		return "Bearer " + map[bool]string{true: genAdmin, false: genBadToken}[good]
	}
	return ""
}

// pathValue fills a path parameter.
func pathValue(g *schemaGen, p *openapi3.Parameter) string {
	switch p.Name {
	case "channelId", "botId":
		return "demo"
	case "conversationId", "senderId":
		return g.conv
	case "namespace":
		return []string{"order", "internal", "sys", "nothing"}[g.rng.IntN(4)]
	}
	return paramString(g.value(p.Schema.Value, p.Name, 0))
}

// paramString renders a generated scalar for a URL.
func paramString(v any) string {
	if f, ok := v.(float64); ok && f == float64(int64(f)) {
		return strconv.FormatInt(int64(f), 10)
	}
	return fmt.Sprint(v)
}

// validRequest builds a request valid against the document. Optional
// query parameters are included at random; timeouts always (short).
func (e *genEnv) validRequest(g *schemaGen, o genOp, examples bool) genRequest {
	r := genRequest{method: o.method, path: o.path, query: url.Values{}, auth: genAuth(o.scheme(), true)}
	for _, ref := range o.params {
		p := ref.Value
		switch {
		case p.In == "path":
			r.path = strings.Replace(r.path, "{"+p.Name+"}", url.PathEscape(pathValue(g, p)), 1)
		case p.In == "query" && (p.Required || p.Name == "timeout" || (!examples && g.rng.IntN(2) == 0)):
			r.query.Set(p.Name, paramString(g.value(p.Schema.Value, p.Name, 0)))
		}
	}
	if o.op.RequestBody != nil {
		r.contentType, r.body = e.validBody(g, o, examples)
	}
	return r
}

// validBody makes a body: the first example, or one generated from the
// schema; a scenario file for YAML operations.
func (e *genEnv) validBody(g *schemaGen, o genOp, examples bool) (string, []byte) {
	content := o.op.RequestBody.Value.Content
	mt := content.Get("application/json")
	if mt == nil {
		types := []string{"application/yaml", "application/x-yaml", "text/yaml", "text/plain"}
		return types[g.rng.IntN(len(types))], e.demoYAML
	}
	v := g.value(mt.Schema.Value, "", 0)
	if ex := firstExample(mt); examples && ex != nil {
		v = ex
	}
	b, _ := json.Marshal(v)
	return "application/json", b
}

// firstExample returns a media type's example, or its first named one.
func firstExample(mt *openapi3.MediaType) any {
	if mt.Example != nil {
		return mt.Example
	}
	names := make([]string, 0, len(mt.Examples))
	for n := range mt.Examples {
		names = append(names, n)
	}
	sort.Strings(names)
	if len(names) == 0 {
		return nil
	}
	return mt.Examples[names[0]].Value.Value
}

// jsonSchema is the operation's JSON body schema, or nil.
func jsonSchema(o genOp) *openapi3.Schema {
	if o.op.RequestBody == nil {
		return nil
	}
	if mt := o.op.RequestBody.Value.Content.Get("application/json"); mt != nil && mt.Schema != nil {
		return mt.Schema.Value
	}
	return nil
}

// breakBody applies mutation m to a copy of r's JSON body at the spot
// pick chooses; ok is false when it does not apply.
func breakBody(o genOp, r genRequest, m mutation, pick func(int) int) (genRequest, bool) {
	s := jsonSchema(o)
	if s == nil {
		return r, false
	}
	var v any
	json.Unmarshal(r.body, &v)
	ptr, ok := breakValue(s, v, m, pick)
	r.body, _ = json.Marshal(v)
	r.wantStatus, r.wantField = http.StatusBadRequest, ptr
	return r, ok
}

// breakParam breaks the first (or a picked) parameter that can be broken:
// a missing required query parameter, or a value outside its enum or
// type. ok is false when none can.
func breakParam(o genOp, r genRequest, pick func(int) int) (genRequest, bool) {
	var cands []*openapi3.Parameter
	for _, ref := range o.params {
		p := ref.Value
		if (p.In == "query" && p.Required) || len(p.Schema.Value.Enum) > 0 || genType(p.Schema.Value) == "integer" {
			cands = append(cands, p)
		}
	}
	if len(cands) == 0 {
		return r, false
	}
	p := cands[pick(len(cands))]
	r.query = cloneValues(r.query)
	switch {
	case p.In == "path":
		r.path = strings.Replace(o.path, "{"+p.Name+"}", "NOT_AN_ENUM", 1)
		r.path = strings.NewReplacer("{botId}", "demo", "{conversationId}", genConv).Replace(r.path)
	case p.Required && pick(2) == 0:
		r.query.Del(p.Name)
	default:
		r.query.Set(p.Name, "NOT_AN_ENUM")
	}
	r.wantStatus, r.wantField = http.StatusBadRequest, p.Name
	return r, true
}
