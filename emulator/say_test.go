package emulator_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/chatlayer-emulator/chatlayer-emulator/emulator"
	"github.com/chatlayer-emulator/chatlayer-emulator/scenarios"
)

// step is one user message, sent once by a client's POST and once by the
// Go lever that stands for it.
type step struct {
	name string
	body map[string]any // the v1 body a client sends
	say  func(ctx context.Context, s *emulator.Server) error
}

// goLeverSteps are a conversation in both forms, with a refused message.
var goLeverSteps = []step{
	{"intro", map[string]any{"conversationId": "c-1", "message": map[string]any{"introMessage": map[string]any{}}},
		func(ctx context.Context, s *emulator.Server) error { return s.Intro(ctx, "demo", "c-1") }},
	{"click by title", map[string]any{"conversationId": "c-1", "message": map[string]any{"postbackMessage": map[string]any{"title": "FAQ"}}},
		func(ctx context.Context, s *emulator.Server) error { return s.ClickTitle(ctx, "demo", "c-1", "FAQ") }},
	{"text", map[string]any{"conversationId": "c-1", "message": map[string]any{"textMessage": map[string]any{"text": "opening hours"}}},
		func(ctx context.Context, s *emulator.Server) error { return s.Say(ctx, "demo", "c-1", "opening hours") }},
	{"empty text", map[string]any{"conversationId": "c-1", "message": map[string]any{"textMessage": map[string]any{"text": " "}}},
		func(ctx context.Context, s *emulator.Server) error { return s.Say(ctx, "demo", "c-1", " ") }},
	{"session data", map[string]any{"conversationId": "c-2", "message": map[string]any{"introMessage": map[string]any{}}, "sessionData": map[string]any{"plan": "gold"}},
		func(ctx context.Context, s *emulator.Server) error {
			return s.Send(ctx, "demo", map[string]any{"conversationId": "c-2", "message": map[string]any{"introMessage": map[string]any{}}, "sessionData": map[string]any{"plan": "gold"}})
		}},
}

// TestGoLeversAreClientPOSTs: Say, Intro, ClickTitle and Send have the
// effects of a client's POST: the same answers (the refused message's
// error is the client's error body), the same deliveries, the same inbound
// request journal.
func TestGoLeversAreClientPOSTs(t *testing.T) {
	viaHTTP, viaGo := newReceiver(t, nil), newReceiver(t, nil)
	a := emulator.RunT(t, emulator.Config{WebhookURL: viaHTTP.URL, Delivery: fastDelivery})
	b := emulator.RunT(t, emulator.Config{WebhookURL: viaGo.URL, Delivery: fastDelivery})
	for _, st := range goLeverSteps {
		status, body := post(t, a.URL()+"/v1/channels/webhook/demo/messages", "demo-token", st.body)
		err := st.say(t.Context(), b)
		if status == http.StatusAccepted {
			if err != nil {
				t.Errorf("%s: the client got 202, the Go lever %v", st.name, err)
			}
		} else if got := errorJSON(t, err); got != string(body) {
			t.Errorf("%s: the client got %d %s, the Go lever %s", st.name, status, body, got)
		}
		a.FlushT(t)
		b.FlushT(t)
	}
	if got, want := bodies(viaGo.received()), bodies(viaHTTP.received()); !slices.Equal(got, want) || len(got) == 0 {
		t.Errorf("the webhook got\n%s\nfrom the Go levers, and\n%s\nfrom the client", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if got, want := requestLog(t, b), requestLog(t, a); !slices.Equal(got, want) {
		t.Errorf("inbound requests:\n%s\nfrom the Go levers, and\n%s\nfrom the client", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// errorJSON is err as the client's error body, or a note that it is none.
func errorJSON(t *testing.T, err error) string {
	t.Helper()
	var e *emulator.Error
	if !errors.As(err, &e) {
		return fmt.Sprintf("no *emulator.Error: %v", err)
	}
	raw, _ := json.Marshal(e)
	return string(raw)
}

// bodies are the received bodies as strings.
func bodies(list [][]byte) []string {
	out := make([]string, len(list))
	for i, b := range list {
		out[i] = string(b)
	}
	return out
}

// requestLog is the inbound request journal as "METHOD path status body".
func requestLog(t *testing.T, s *emulator.Server) []string {
	t.Helper()
	status, body := v1Call(t, http.MethodGet, s.URL()+"/_emulator/requests", "", nil)
	var resp struct {
		Requests []struct {
			Method, Path, Body string
			Status             int
		}
	}
	wantJSON(t, status, body, http.StatusOK, &resp)
	var out []string
	for _, r := range resp.Requests {
		if strings.HasPrefix(r.Path, "/v1/") {
			out = append(out, fmt.Sprintf("%s %s %d %s", r.Method, r.Path, r.Status, r.Body))
		}
	}
	return out
}

// TestGoLeverRefusals: a refused message returns the *emulator.Error a
// client gets, naming the field; SayT fails the test with it.
func TestGoLeverRefusals(t *testing.T) {
	s := emulator.RunT(t, emulator.Config{Strict: true})
	cases := []struct {
		name   string
		err    error
		status int
		field  string
	}{
		{"unknown channel", s.Say(t.Context(), "nope", "c-1", "hi"), http.StatusNotFound, "channelId"},
		{"empty text", s.Say(t.Context(), "demo", "c-1", ""), http.StatusBadRequest, "/message/textMessage/text"},
		{"title click under Strict", s.ClickTitle(t.Context(), "demo", "c-1", "FAQ"), http.StatusBadRequest, "/message/postbackMessage"},
		{"no conversation", s.Send(t.Context(), "demo", map[string]any{"message": map[string]any{"introMessage": map[string]any{}}}), http.StatusBadRequest, "/conversationId"},
		{"not JSON", s.Send(t.Context(), "demo", []byte(`{"conversationId":`)), http.StatusBadRequest, "/conversationId"},
	}
	for _, c := range cases {
		var e *emulator.Error
		if !errors.As(c.err, &e) || e.Status != c.status || e.Field != c.field {
			t.Errorf("%s: %v; want a %d naming %q", c.name, c.err, c.status, c.field)
		}
	}
	ft := &fakeT{}
	s.SayT(ft, "demo", "c-1", "")
	if !strings.Contains(ft.failure, `Say("demo", "c-1", ""): 400 Bad Request: /message/textMessage/text`) {
		t.Errorf("SayT failed with %q", ft.failure)
	}
}

// TestGoLeverWithoutToken: a bot that lists no access token, served
// without Config.AccessTokens, can be reached by no client; Say says why
// rather than sending a request that could only get a 401.
func TestGoLeverWithoutToken(t *testing.T) {
	bot := new(*scenarios.Demo()) // a copy: Demo's bot is shared
	bot.AccessTokens = nil
	s := emulator.RunT(t, emulator.Config{Bots: []*scenarios.Bot{bot}})
	var e *emulator.Error
	if err := s.Intro(t.Context(), "demo", "c-1"); !errors.As(err, &e) || e.Status != http.StatusUnauthorized || !strings.Contains(e.Message, "accessTokens") {
		t.Fatalf("Intro = %v; want a 401 that names accessTokens", err)
	}
	s2 := emulator.RunT(t, emulator.Config{Bots: []*scenarios.Bot{bot}, AccessTokens: []string{"global-token"}})
	if err := s2.Intro(t.Context(), "demo", "c-1"); err != nil {
		t.Fatalf("Intro with a global token: %v", err)
	}
}

// fakeT records the failure of a T form instead of failing the test.
type fakeT struct{ failure string }

// Helper implements emulator.Tester.
func (*fakeT) Helper() {}

// Cleanup implements emulator.Tester.
func (*fakeT) Cleanup(func()) {}

// Fatalf implements emulator.Tester.
func (f *fakeT) Fatalf(format string, args ...any) {
	if f.failure == "" {
		f.failure = fmt.Sprintf(format, args...)
	}
}
