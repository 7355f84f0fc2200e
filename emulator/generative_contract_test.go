package emulator_test

import (
	"encoding/json"
	"math/rand/v2"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers/gorillamux"

	"github.com/chatlayer-emulator/chatlayer-emulator/emulator"
	"github.com/chatlayer-emulator/chatlayer-emulator/openapi"
)

// genVariant turns a valid request into the i-th request of the
// generative run: valid four times in ten, otherwise broken one way.
func genVariant(g *schemaGen, o genOp, r genRequest, i int) genRequest {
	pick := g.rng.IntN
	switch i % 10 {
	case 4:
		if b, ok := breakBody(o, r, mutations[pick(len(mutations))], pick); ok {
			return b
		}
	case 5:
		r.auth = genAuth(o.scheme(), false)
		if pick(2) == 0 {
			r.auth = ""
		}
	case 6:
		if r.body != nil {
			r.contentType = []string{"text/plain", "application/xml", ""}[pick(3)]
			if !strings.HasPrefix(string(r.body), "{") {
				r.contentType = "application/json"
			}
		}
	case 7:
		if r.body != nil {
			r.body = r.body[:len(r.body)/2]
		}
	case 8:
		if b, ok := breakParam(o, r, pick); ok {
			return b
		}
	case 9:
		r.path = strings.Replace(r.path, "/demo", "/unknown-"+string(rune('a'+pick(26))), 1)
		r.path = strings.Replace(r.path, "/"+genConv, "/nobody", 1)
	}
	return r
}

// routeUnknown reports whether an answer comes from the router's 404 or
// 405: the operation is not implemented yet.
func routeUnknown(status int, body []byte) bool {
	var e struct{ Message string }
	json.Unmarshal(body, &e)
	return (status == http.StatusNotFound && strings.HasPrefix(e.Message, "no route for")) ||
		(status == http.StatusMethodNotAllowed && strings.HasPrefix(e.Message, "method "))
}

// TestGenerativeContract sends genPerOp requests per operation, derived
// from the document's schemas with a seeded generator, valid and broken,
// to an emulator that validates its own answers. No answer may be a 5xx
// (a panic, or an answer off the document), and every status must be one
// the document lists for the operation.
func TestGenerativeContract(t *testing.T) {
	e := newGenEnv(t, emulator.RateLimit{Off: true})
	for _, o := range genOperations(t) {
		t.Run(o.name(), func(t *testing.T) {
			e.t = t
			e.prepare()
			g := &schemaGen{rng: rand.New(rand.NewPCG(genSeed, uint64(len(o.name())))), conv: genConv, sink: e.sink}
			statuses := map[int]int{}
			for i := range genPerOp {
				r := genVariant(g, o, e.validRequest(g, o, false), i)
				status, body := e.send(r)
				if i == 0 && routeUnknown(status, body) {
					t.Skipf("%s %s is not served yet", o.method, o.path)
				}
				statuses[status]++
				if status >= 500 || !o.documented(status) {
					t.Fatalf("request %d: %s %s?%s %s (%s)\nanswered %d, not documented or a 5xx: %s",
						i, r.method, r.path, r.query.Encode(), r.body, r.contentType, status, body)
				}
			}
			t.Logf("statuses: %v", statuses)
			if o.name() == "setClock" {
				e.send(genRequest{method: "POST", path: o.path, contentType: "application/json",
					auth: genAuth("adminToken", true), body: []byte(`{"resume":true}`)})
			}
		})
	}
}

// contractCase is one row of the per-operation table.
type contractCase struct {
	name string
	req  genRequest
}

// contractCases derives the table of one operation: a valid request made
// from the document's examples, and broken variants with the status and
// field the answer must carry.
func contractCases(e *genEnv, o genOp) []contractCase {
	g := &schemaGen{rng: rand.New(rand.NewPCG(genSeed, 1)), conv: genConv, sink: e.sink}
	first := func(int) int { return 0 }
	valid := e.validRequest(g, o, true)
	if o.name() == "waitDeliveries" || o.name() == "flush" {
		valid.query.Set("timeout", "5s")
	}
	valid.wantStatus = firstSuccess(o)
	cases := []contractCase{{"valid", valid}}
	if s := o.scheme(); s != "" {
		bad := valid
		bad.auth = genAuth(s, false)
		bad.wantStatus, bad.wantField = http.StatusUnauthorized, map[bool]string{true: "access_token", false: "Authorization"}[s == "accessToken"]
		cases = append(cases, contractCase{"bad token", bad})
	}
	if b, ok := breakParam(o, valid, first); ok {
		cases = append(cases, contractCase{"bad parameter " + b.wantField, b})
	}
	for _, m := range mutations {
		if b, ok := breakBody(o, valid, m, first); ok {
			cases = append(cases, contractCase{m.name + " " + b.wantField, b})
		}
	}
	if valid.body != nil {
		b := valid
		b.contentType, b.wantStatus, b.wantField = "text/csv", http.StatusUnsupportedMediaType, "Content-Type"
		cases = append(cases, contractCase{"wrong content type", b})
	}
	return cases
}

// firstSuccess is the operation's first documented 2xx.
func firstSuccess(o genOp) int {
	for code := 200; code < 300; code++ {
		if o.documented(code) {
			return code
		}
	}
	return 0
}

// TestOperationContracts runs each operation's table: the valid request
// gets the documented success (its answer validated by StrictResponses),
// each broken one the documented 4xx naming the fault. The default rate
// limit is on, so that v1 answers carry (and validate) its headers.
func TestOperationContracts(t *testing.T) {
	e := newGenEnv(t, emulator.RateLimit{})
	for _, o := range genOperations(t) {
		t.Run(o.name(), func(t *testing.T) {
			e.t = t
			e.prepare()
			for _, c := range contractCases(e, o) {
				status, body := e.send(c.req)
				if c.name == "valid" && routeUnknown(status, body) {
					t.Skipf("%s %s is not served yet", o.method, o.path)
				}
				checkContract(t, o, c, status, body)
			}
		})
	}
}

// checkContract compares an answer with a table case.
func checkContract(t *testing.T, o genOp, c contractCase, status int, body []byte) {
	t.Helper()
	if !o.documented(status) {
		t.Errorf("%s: status %d is not documented: %s", c.name, status, body)
	}
	if status != c.req.wantStatus {
		t.Errorf("%s: status %d, want %d: %s\nrequest: %s?%s %s", c.name, status, c.req.wantStatus, body,
			c.req.path, c.req.query.Encode(), c.req.body)
		return
	}
	if status < 400 {
		return
	}
	e := decodeError(t, body)
	if e.Field != c.req.wantField {
		t.Errorf("%s: field %q, want %q (message %q)", c.name, e.Field, c.req.wantField, e.Message)
	}
}

// TestRateLimitAnswersMatchTheDocument checks the rate limiter's answers,
// headers included, against the document: the limiter answers before the
// validating middleware, so StrictResponses does not see its 429s.
func TestRateLimitAnswersMatchTheDocument(t *testing.T) {
	s := emulator.RunT(t, emulator.Config{RateLimit: emulator.RateLimit{Limit: 1, Window: time.Minute}})
	doc, err := openapi.Load()
	if err != nil {
		t.Fatal(err)
	}
	router, err := gorillamux.NewRouter(doc)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []int{http.StatusOK, http.StatusTooManyRequests} {
		req, _ := http.NewRequest(http.MethodGet, s.URL()+"/v1/bots", nil)
		req.Header.Set("Authorization", "Bearer demo-token")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		route, params, err := router.FindRoute(req)
		if err != nil {
			t.Fatal(err)
		}
		err = openapi3filter.ValidateResponse(req.Context(), &openapi3filter.ResponseValidationInput{
			RequestValidationInput: &openapi3filter.RequestValidationInput{Request: req, PathParams: params, Route: route},
			Status:                 resp.StatusCode, Header: resp.Header, Body: resp.Body,
			Options: &openapi3filter.Options{IncludeResponseStatus: true},
		})
		resp.Body.Close()
		if resp.StatusCode != want || err != nil {
			t.Errorf("status %d (want %d), off the document: %v", resp.StatusCode, want, err)
		}
		if resp.Header.Get("x-ratelimit-reset") == "" {
			t.Error("no x-ratelimit-reset header")
		}
	}
}
