package openapi_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/chatlayer-emulator/chatlayer-emulator/openapi"
)

// fake is the tiny application behind the middleware: it records what
// reached it and answers with status and body.
type fake struct {
	called bool
	body   string
	status int
	answer string
}

// ServeHTTP records the request and answers.
func (f *fake) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f.called = true
	b, _ := io.ReadAll(r.Body)
	f.body = string(b)
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(f.status)
	io.WriteString(w, f.answer)
}

// errorAnswer is what the test Error func writes.
type errorAnswer struct {
	Status  int    `json:"status"`
	Field   string `json:"field"`
	Message string `json:"message"`
}

// writeError is the Options.Error of the tests.
func writeError(w http.ResponseWriter, _ *http.Request, status int, field, message string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(errorAnswer{status, field, message})
}

// serve runs one request through the middleware built with opts.
func serve(t *testing.T, opts openapi.Options, app http.Handler, method, target, ctype, body string) *httptest.ResponseRecorder {
	t.Helper()
	doc, err := openapi.Load()
	if err != nil {
		t.Fatal(err)
	}
	opts.Error = writeError
	mw, err := openapi.Middleware(doc, opts)
	if err != nil {
		t.Fatal(err)
	}
	req := httptest.NewRequest(method, target, strings.NewReader(body))
	if ctype != "" {
		req.Header.Set("Content-Type", ctype)
	}
	rec := httptest.NewRecorder()
	mw(app).ServeHTTP(rec, req)
	return rec
}

const actions = "/v1/bots/demo/conversations/c1/actions"

func TestMiddlewareRequests(t *testing.T) {
	okText := `{"sendMessages":[{"textMessageTemplate":{"textMessages":[{"text":"hi"}]}}]}`
	cases := []struct {
		name, method, target, ctype, body string
		passed                            bool   // reached the application
		status                            int    // when it did not
		field, message                    string // message: a substring
	}{
		{"valid", "POST", actions + "?version=DRAFT", "application/json", okText, true, 0, "", ""},
		{"unknown fields allowed", "POST", actions + "?version=LIVE", "application/json; charset=utf-8", `{"pauseBot":true,"x":1}`, true, 0, "", ""},
		{"unknown path", "GET", "/v1/nothing", "", "", true, 0, "", ""},
		{"unknown method", "PUT", actions, "", "", true, 0, "", ""},
		{"missing query parameter", "POST", actions, "application/json", okText, false, 400, "version", "is required"},
		{"bad enum", "POST", actions + "?version=BETA", "application/json", okText, false, 400, "version", "must be one of DRAFT, LIVE"},
		{"not an integer", "GET", "/v1/bots/demo/conversations?version=DRAFT&page=x", "", "", false, 400, "page", "must be an integer"},
		{"above maximum", "GET", "/v1/bots/demo/conversations?version=DRAFT&pageSize=501", "", "", false, 400, "pageSize", "at most 500"},
		{"pattern", "GET", "/api/bots/demo/history/u1?limit=-1", "", "", false, 400, "limit", "must match ^[0-9]+$"},
		{"format", "GET", "/api/chatMessage/demo?from=2021-13-45", "", "", false, 400, "from", "must be a date (YYYY-MM-DD)"},
		{"body format", "POST", "/_emulator/clock", "application/json", `{"set":"tomorrow"}`, false, 400, "/set", "must be an RFC 3339 date-time"},
		{"missing property", "POST", actions + "?version=DRAFT", "application/json", `{"sendMessages":[{"textMessageTemplate":{}}]}`, false, 400, "/sendMessages/0/textMessageTemplate/textMessages", `"textMessages" is missing`},
		{"wrong type", "POST", actions + "?version=DRAFT", "application/json", `{"pauseBot":"yes"}`, false, 400, "/pauseBot", "must be a boolean"},
		{"two templates", "POST", actions + "?version=DRAFT", "application/json", `{"sendMessages":[{"textMessageTemplate":{"textMessages":[{"text":"a"}]},"buttonTemplate":{}}]}`, false, 400, "/sendMessages/0", "properties"},
		{"nested enum", "POST", actions + "?version=DRAFT", "application/json", `{"sendMessages":[{"attachmentTemplate":{"media":{"url":"u","type":"gif"}}}]}`, false, 400, "/sendMessages/0/attachmentTemplate/media/type", "must be one of image, video, audio, file"},
		{"wrong content type", "POST", actions + "?version=DRAFT", "text/plain", okText, false, 415, "Content-Type", "application/json"},
		{"no content type", "POST", actions + "?version=DRAFT", "", okText, false, 415, "Content-Type", "application/json"},
		{"empty body", "POST", actions + "?version=DRAFT", "application/json", "", false, 400, "", "request body is required"},
		{"truncated JSON goes to the handler", "POST", actions + "?version=DRAFT", "application/json", `{"sendMessages":`, true, 0, "", ""},
		{"invalid UTF-8 goes to the handler", "POST", actions + "?version=DRAFT", "application/json", "{\"pauseBot\":\"\xff\"}", true, 0, "", ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			app := &fake{status: 200, answer: "{}"}
			rec := serve(t, openapi.Options{}, app, tc.method, tc.target, tc.ctype, tc.body)
			if app.called != tc.passed {
				t.Fatalf("reached the application: %v, want %v (answer %d %s)", app.called, tc.passed, rec.Code, rec.Body)
			}
			if tc.passed {
				if app.body != tc.body {
					t.Errorf("the application read %q, want %q", app.body, tc.body)
				}
				return
			}
			var got errorAnswer
			json.Unmarshal(rec.Body.Bytes(), &got)
			if rec.Code != tc.status || got.Field != tc.field || !strings.Contains(got.Message, tc.message) {
				t.Errorf("answer %d %+v, want %d field %q message containing %q", rec.Code, got, tc.status, tc.field, tc.message)
			}
		})
	}
}

func TestMiddlewareBodyLimit(t *testing.T) {
	body := `{"pauseBot":"` + strings.Repeat("a", 100) + `"}`
	app := &fake{status: 413, answer: "{}"}
	serve(t, openapi.Options{MaxBodyBytes: 50}, app, "POST", actions+"?version=DRAFT", "application/json", body)
	if !app.called || app.body != body {
		t.Errorf("an oversized body must reach the application whole; got %d bytes", len(app.body))
	}
}

func TestMiddlewareAuthorized(t *testing.T) {
	valid := func(ok bool) func(*http.Request, string, map[string]string) bool {
		return func(*http.Request, string, map[string]string) bool { return ok }
	}
	cases := []struct {
		name, target string
		auth         bool
		passed       bool
	}{
		{"v1 unauthenticated goes to the handler", actions + "?version=BETA", false, true},
		{"v1 authenticated is validated", actions + "?version=BETA", true, false},
		{"open route is always validated", "/api/webhookMessage/demo", false, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			app := &fake{status: 200, answer: "{}"}
			serve(t, openapi.Options{Authorized: valid(tc.auth)}, app, "POST", tc.target, "application/json", `{}`)
			if app.called != tc.passed {
				t.Errorf("reached the application: %v, want %v", app.called, tc.passed)
			}
		})
	}
	var schemes []string
	var params map[string]string
	record := func(_ *http.Request, scheme string, p map[string]string) bool {
		schemes, params = append(schemes, scheme), p
		return false
	}
	app := &fake{status: 200, answer: "{}"}
	serve(t, openapi.Options{Authorized: record}, app, "POST", "/_emulator/flush?timeout=x", "", "")
	if !app.called || len(schemes) != 1 || schemes[0] != "adminToken" {
		t.Errorf("control route: asked %v, reached the application %v; want [adminToken], true", schemes, app.called)
	}
	schemes = nil
	serve(t, openapi.Options{Authorized: record}, app, "GET", "/v1/bots/b7/conversations", "", "")
	if len(schemes) != 1 || schemes[0] != "bearerAuth" || params["botId"] != "b7" {
		t.Errorf("v1 route: asked %v with %v; want [bearerAuth] with botId b7", schemes, params)
	}
}

func TestMiddlewareResponses(t *testing.T) {
	cases := []struct {
		name, target   string
		status         int
		answer         string
		want           int
		messageContain string
	}{
		{"valid", "/_emulator/health", 200, `{"status":"ok"}`, 200, ""},
		{"extra field", "/_emulator/health", 200, `{"status":"ok","x":1}`, 500, `body /: property "x" is unsupported`},
		{"wrong enum", "/_emulator/health", 200, `{"status":"fine"}`, 500, "body /status: must be one of ok"},
		{"undocumented status", "/_emulator/health", 418, `{}`, 500, "status is not supported"},
		{"bad error shape", "/v1/bots", 401, `{"status":401}`, 500, `property "status" is unsupported`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			app := &fake{status: tc.status, answer: tc.answer}
			rec := serve(t, openapi.Options{Responses: true}, app, "GET", tc.target, "", "")
			if rec.Code != tc.want {
				t.Fatalf("status %d, want %d: %s", rec.Code, tc.want, rec.Body)
			}
			if tc.want != 500 {
				if rec.Body.String() != tc.answer {
					t.Errorf("body %q, want %q", rec.Body, tc.answer)
				}
				return
			}
			var got errorAnswer
			json.Unmarshal(rec.Body.Bytes(), &got)
			if !strings.Contains(got.Message, tc.messageContain) {
				t.Errorf("message %q, want it to contain %q", got.Message, tc.messageContain)
			}
		})
	}
}

// benchRequest is the request of the benchmarks: a small valid actions call.
func benchRequest() *http.Request {
	body := `{"sendMessages":[{"textMessageTemplate":{"textMessages":[{"text":"hi"}]}}],"pauseBot":false}`
	req := httptest.NewRequest("POST", actions+"?version=DRAFT", strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	return req
}

// benchmark serves benchRequest through h b.N times.
func benchmark(b *testing.B, h http.Handler) {
	b.ReportAllocs()
	for b.Loop() {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, benchRequest())
		if rec.Code != 200 {
			b.Fatalf("status %d: %s", rec.Code, rec.Body)
		}
	}
}

func BenchmarkValidatedRequest(b *testing.B) {
	doc, err := openapi.Load()
	if err != nil {
		b.Fatal(err)
	}
	mw, err := openapi.Middleware(doc, openapi.Options{Error: writeError})
	if err != nil {
		b.Fatal(err)
	}
	benchmark(b, mw(&fake{status: 200, answer: "{}"}))
}

func BenchmarkUnvalidatedRequest(b *testing.B) {
	benchmark(b, &fake{status: 200, answer: "{}"})
}

// TestMiddlewareRouteOption: Options.Route names the operation for a
// router that matched already; when it does not know, or names what the
// document lacks, the middleware matches the request itself.
func TestMiddlewareRouteOption(t *testing.T) {
	const template = "/v1/bots/{botId}/conversations/{conversationId}/actions"
	params := map[string]string{"botId": "demo", "conversationId": "c1"}
	named := func(path string, ok bool) func(*http.Request) (string, map[string]string, bool) {
		return func(*http.Request) (string, map[string]string, bool) { return path, params, ok }
	}
	cases := []struct {
		name   string
		route  func(*http.Request) (string, map[string]string, bool)
		target string
		status int // 0: reached the application
	}{
		{"named operation is validated, whatever the URL", named(template, true), "/elsewhere?version=DRAFT", 400},
		{"not known: matched by path", named("", false), actions + "?version=DRAFT", 400},
		{"not known: unknown path passes", named("", false), "/elsewhere", 0},
		{"template the document lacks: matched by path", named("/v9/nothing", true), actions + "?version=DRAFT", 400},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			app := &fake{status: 200, answer: "{}"}
			rec := serve(t, openapi.Options{Route: tc.route}, app, "POST", tc.target, "application/json", `{"pauseBot":"yes"}`)
			if tc.status == 0 {
				if !app.called {
					t.Errorf("answered %d %s, want the application to get the request", rec.Code, rec.Body)
				}
				return
			}
			var got errorAnswer
			json.Unmarshal(rec.Body.Bytes(), &got)
			if app.called || rec.Code != tc.status || got.Field != "/pauseBot" {
				t.Errorf("answer %d %+v (application called: %v), want %d on /pauseBot", rec.Code, got, app.called, tc.status)
			}
		})
	}
}

// TestBuffered: the handler gets the body the middleware read, marked
// vetted only when it is JSON that Options.BodyOK accepted; a body the
// middleware did not read whole is the handler's to read.
func TestBuffered(t *testing.T) {
	body := `{"pauseBot":true}`
	refuse := func([]byte) bool { return false }
	cases := []struct {
		name         string
		opts         openapi.Options
		ctype, body  string
		ok, vetted   bool
		handlerReads string // what r.Body still yields
	}{
		{"JSON", openapi.Options{}, "application/json", body, true, true, body},
		{"refused by BodyOK", openapi.Options{BodyOK: refuse}, "application/json", body, true, false, body},
		{"invalid JSON", openapi.Options{}, "application/json", `{"pauseBot":`, true, false, `{"pauseBot":`},
		{"past MaxBodyBytes", openapi.Options{MaxBodyBytes: 4}, "application/json", body, false, false, body},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var got struct {
				data       string
				vetted, ok bool
				read       string
			}
			app := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				data, vetted, ok := openapi.Buffered(r)
				b, _ := io.ReadAll(r.Body)
				got.data, got.vetted, got.ok, got.read = string(data), vetted, ok, string(b)
				w.WriteHeader(http.StatusOK)
			})
			serve(t, tc.opts, app, "POST", actions+"?version=DRAFT", tc.ctype, tc.body)
			if got.ok != tc.ok || got.vetted != tc.vetted {
				t.Errorf("Buffered: ok %v vetted %v, want ok %v vetted %v", got.ok, got.vetted, tc.ok, tc.vetted)
			}
			if tc.ok && got.data != tc.body {
				t.Errorf("Buffered data %q, want %q", got.data, tc.body)
			}
			if got.read != tc.handlerReads {
				t.Errorf("r.Body yields %q, want %q", got.read, tc.handlerReads)
			}
		})
	}
}
