package bridge

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/chatlayer-emulator/chatlayer-emulator/schemas"
)

const token = "s3cret"

// call sends a request to the bridge and returns the status and body.
func call(t *testing.T, h http.Handler, method, target, body string, header ...string) (int, string) {
	t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req := httptest.NewRequest(method, target, rd)
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec.Code, rec.Body.String()
}

const (
	webhook  = "/offloading?challenge.verifyToken=" + token
	messages = `{"event":"messages","botId":"demo","version":"LIVE","sessionId":"s1","channel":"webhook","timestamp":"2026-01-02T03:04:05.000Z",` +
		`"messages":[{"actor":"user","message":{"channelType":"webhook","sender":{"id":"s1"},"timestamp":"2026-01-02T03:04:05.000Z","messageType":"text","text":"hi"},"timestamp":"2026-01-02T03:04:05.000Z"}]}`
	offload = `{"event":"offload","botId":"demo","version":"LIVE","sessionId":"s1","timestamp":"2026-01-02T03:04:06.000Z","payload":{"skill":"support"},` +
		`"transcript":[{"actor":"bot","message":{"text":"hello"},"timestamp":"2026-01-02T03:04:05.500Z"}]}`
)

func TestVerifyToken(t *testing.T) {
	b := New(Config{VerifyToken: token})
	cases := []struct {
		method, target, body string
		want                 int
	}{
		{http.MethodGet, "/offloading", "", http.StatusUnauthorized},
		{http.MethodGet, "/offloading?challenge.verifyToken=nope", "", http.StatusUnauthorized},
		{http.MethodPost, "/offloading", messages, http.StatusUnauthorized},
		{http.MethodPost, "/offloading?challenge.verifyToken=nope", messages, http.StatusUnauthorized},
		{http.MethodGet, webhook, "", http.StatusOK},
		{http.MethodPost, webhook, messages, http.StatusOK},
	}
	for _, tc := range cases {
		if got, body := call(t, b, tc.method, tc.target, tc.body); got != tc.want {
			t.Errorf("%s %s: %d %s, want %d", tc.method, tc.target, got, body, tc.want)
		}
	}
	if _, body := call(t, b, http.MethodGet, webhook, ""); schemas.Default().Validate("health-answer", []byte(body)) != nil {
		t.Errorf("health answer %s is not valid", body)
	}
}

func TestEventsAreRecorded(t *testing.T) {
	b := New(Config{VerifyToken: token})
	call(t, b, http.MethodPost, webhook, messages)
	status, body := call(t, b, http.MethodPost, webhook, offload)
	if status != http.StatusOK || body != "{\"offloadSuccess\":true,\"pauseBot\":true}\n" {
		t.Fatalf("offload answer: %d %s", status, body)
	}
	if err := schemas.Default().Validate("offload-answer", []byte(body)); err != nil {
		t.Error(err)
	}
	s, ok := b.Session("s1")
	if !ok || s.BotID != "demo" || s.Version != "LIVE" || !s.Offloaded || len(s.Events) != 2 || len(s.Transcript) != 1 {
		t.Fatalf("session: %+v", s)
	}
	if s.Events[0].Event != "messages" || s.Events[0].Messages[0].Actor != "user" || s.Events[1].Event != "offload" {
		t.Errorf("events: %+v", s.Events)
	}
	status, body = call(t, b, http.MethodGet, "/sessions/s1", "")
	if status != http.StatusOK || !strings.Contains(body, `"sessionId":"s1"`) {
		t.Errorf("GET /sessions/s1: %d %s", status, body)
	}
	if status, _ = call(t, b, http.MethodGet, "/sessions/nobody", ""); status != http.StatusNotFound {
		t.Errorf("unknown session: %d", status)
	}
}

func TestTolerantAndIdempotent(t *testing.T) {
	b := New(Config{VerifyToken: token})
	unknownFields := strings.Replace(messages, `"channel":"webhook"`, `"channel":"webhook","future":{"x":1}`, 1)
	cases := []struct{ name, body, header string }{
		{"unknown fields", unknownFields, ""},
		{"unknown event", `{"event":"typing","sessionId":"s2","botId":"demo","timestamp":"t"}`, ""},
		{"duplicate body", unknownFields, ""},
		{"first delivery", messages, "d-000007"},
		{"re-delivery", messages, "d-000007"},
		{"2020 dialect", strings.ReplaceAll(strings.Replace(messages, `"event"`, `"type"`, 1), `"actor"`, `"type"`), "d-000008"},
	}
	for _, tc := range cases {
		if status, body := call(t, b, http.MethodPost, webhook, tc.body, "X-Emulator-Delivery-Id", tc.header); status != http.StatusOK {
			t.Errorf("%s: %d %s", tc.name, status, body)
		}
	}
	s, _ := b.Session("s1")
	if len(s.Events) != 3 {
		t.Errorf("recorded %d events, want 3 (duplicates once): %+v", len(s.Events), s.Events)
	}
	if last := s.Events[2]; last.Event != "messages" || last.Messages[0].Actor != "user" {
		t.Errorf("2020 event read as %+v", last)
	}
	if status, _ := call(t, b, http.MethodPost, webhook, "{not json"); status != http.StatusBadRequest {
		t.Errorf("invalid JSON: %d, want 400", status)
	}
}

// chatlayer plays the actions API and records what the bridge sends.
type chatlayer struct {
	*httptest.Server
	mu     sync.Mutex // guards got
	got    []string   // "METHOD path?query auth body"
	status int
}

func newChatlayer(t *testing.T, status int) *chatlayer {
	c := &chatlayer{status: status}
	c.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		c.mu.Lock()
		c.got = append(c.got, r.Method+" "+r.URL.RequestURI()+" "+r.Header.Get("Authorization")+" "+string(body))
		c.mu.Unlock()
		w.WriteHeader(c.status)
		io.WriteString(w, `{"conversationId":"s1","applied":[],"messages":0}`)
	}))
	t.Cleanup(c.Close)
	return c
}

func TestAgentAPI(t *testing.T) {
	cl := newChatlayer(t, http.StatusOK)
	b := New(Config{VerifyToken: token, ChatlayerURL: cl.URL, Token: "api-token"})
	call(t, b, http.MethodPost, webhook, offload)
	if status, body := call(t, b, http.MethodPost, "/agent/s1/reply", `{"text":"Hi, I'm Ann"}`); status != http.StatusOK {
		t.Fatalf("reply: %d %s", status, body)
	}
	if status, body := call(t, b, http.MethodPost, "/agent/s1/handback", `{"block":"faq"}`); status != http.StatusOK {
		t.Fatalf("handback: %d %s", status, body)
	}
	want := []string{
		`POST /v1/bots/demo/conversations/s1/actions?version=LIVE Bearer api-token {"sendMessages":[{"textMessageTemplate":{"textMessages":[{"text":"Hi, I'm Ann"}]}}]}`,
		`POST /v1/bots/demo/conversations/s1/actions?version=LIVE Bearer api-token {"goToBlock":{"blockId":"faq"},"pauseBot":false}`,
	}
	if strings.Join(cl.got, "\n") != strings.Join(want, "\n") {
		t.Errorf("actions calls:\n%s\nwant\n%s", strings.Join(cl.got, "\n"), strings.Join(want, "\n"))
	}
	if s, _ := b.Session("s1"); s.Offloaded {
		t.Error("the hand-back must end the offload")
	}
	if status, _ := call(t, b, http.MethodPost, "/agent/nobody/reply", `{"text":"x"}`); status != http.StatusNotFound {
		t.Errorf("reply to an unknown session: %d, want 404", status)
	}
	if status, _ := call(t, b, http.MethodPost, "/agent/s1/reply", `{}`); status != http.StatusBadRequest {
		t.Errorf("reply without text: %d, want 400", status)
	}
}

func TestAgentAPIRelaysRefusals(t *testing.T) {
	cl := newChatlayer(t, http.StatusNotFound)
	b := New(Config{VerifyToken: token, ChatlayerURL: cl.URL})
	call(t, b, http.MethodPost, webhook, offload)
	status, body := call(t, b, http.MethodPost, "/agent/s1/handback", "")
	if status != http.StatusBadGateway || !json.Valid([]byte(body)) {
		t.Errorf("refused hand-back: %d %s, want 502 with Chatlayer's body", status, body)
	}
	if s, _ := b.Session("s1"); !s.Offloaded {
		t.Error("a refused hand-back must keep the offload")
	}
}
