package emulator_test

import (
	"encoding/json"
	"net/http"
	"testing"

	"github.com/chatlayer-emulator/chatlayer-emulator/emulator"
	"github.com/chatlayer-emulator/chatlayer-emulator/scenarios"
)

// v1Call sends a request with an optional JSON body and bearer token and
// returns the status and body.
func v1Call(t *testing.T, method, url, token string, body any) (int, []byte) {
	t.Helper()
	text, ctype := "", ""
	if body != nil {
		text, ctype = jsonBody(t, body), "application/json"
	}
	resp, out := exchange(t, method, url, token, ctype, text)
	return resp.StatusCode, out
}

// wantJSON checks the status and decodes the body into v.
func wantJSON(t *testing.T, status int, body []byte, wantStatus int, v any) {
	t.Helper()
	if status != wantStatus {
		t.Fatalf("status %d, want %d: %s", status, wantStatus, body)
	}
	if err := json.Unmarshal(body, v); err != nil {
		t.Fatalf("decoding %s: %v", body, err)
	}
}

// wantError checks an error answer's status and field.
func wantError(t *testing.T, status int, body []byte, wantStatus int, wantField string) {
	t.Helper()
	if status != wantStatus {
		t.Fatalf("status %d, want %d: %s", status, wantStatus, body)
	}
	if e := decodeError(t, body); e.Field != wantField {
		t.Errorf("field = %q, want %q (%s)", e.Field, wantField, body)
	}
}

// twoBots serves the shop bot (token shop-token) and the demo bot (token
// demo-token), plus the global token global-token.
func twoBots(t *testing.T) *emulator.Server {
	return emulator.RunT(t, emulator.Config{
		Bots:         []*scenarios.Bot{loadBot(t, "shop.yaml"), scenarios.Demo()},
		AccessTokens: []string{"global-token"},
		Delivery:     fastDelivery,
	})
}

func TestListBots(t *testing.T) {
	s := twoBots(t)
	cases := []struct {
		token string
		want  string
	}{
		{"shop-token", `[{"id":"shop","name":"Shop bot","languages":["en"],"channels":[{"id":"shop-channel","type":"webhook","version":"DRAFT"}]}]`},
		{"demo-token", `[{"id":"demo","name":"Demo bot","languages":["en"],"channels":[{"id":"demo","type":"webhook","version":"DRAFT"}]}]`},
		{"global-token", `[{"id":"demo","name":"Demo bot","languages":["en"],"channels":[{"id":"demo","type":"webhook","version":"DRAFT"}]},` +
			`{"id":"shop","name":"Shop bot","languages":["en"],"channels":[{"id":"shop-channel","type":"webhook","version":"DRAFT"}]}]`},
	}
	for _, c := range cases {
		t.Run(c.token, func(t *testing.T) {
			status, body := v1Call(t, http.MethodGet, s.URL()+"/v1/bots", c.token, nil)
			if status != http.StatusOK || string(body) != c.want {
				t.Errorf("got %d %s\nwant 200 %s", status, body, c.want)
			}
		})
	}
	status, body := v1Call(t, http.MethodGet, s.URL()+"/v1/bots", "", nil)
	wantError(t, status, body, http.StatusUnauthorized, "Authorization")
	status, body = v1Call(t, http.MethodGet, s.URL()+"/v1/bots", "nope", nil)
	wantError(t, status, body, http.StatusUnauthorized, "Authorization")
}

// TestV1AuthOrder checks, on every new v1 route, 401 without a token, then
// 404 for an unknown bot, then 401 for a token of another bot.
func TestV1AuthOrder(t *testing.T) {
	s := twoBots(t)
	status, body := post(t, s.URL()+"/v1/channels/webhook/shop-channel/messages", "shop-token",
		map[string]any{"conversationId": "c1", "message": map[string]any{"introMessage": map[string]any{}}})
	if status != http.StatusAccepted {
		t.Fatalf("status %d: %s", status, body)
	}
	s.FlushT(t)
	routes := []struct {
		method, path string
		body         any // a valid body, so that only the access is at fault
	}{
		{http.MethodGet, "/conversations?version=DRAFT", nil},
		{http.MethodGet, "/conversations/c1/messages?version=DRAFT", nil},
		{http.MethodGet, "/conversations/c1/session-data?version=DRAFT", nil},
		{http.MethodDelete, "/conversations/c1/session-data?version=DRAFT", nil},
		{http.MethodPost, "/conversations/c1/actions?version=DRAFT", map[string]any{"pauseBot": true}},
		{http.MethodPost, "/nlp/extract?version=DRAFT", map[string]any{"language": "en", "expression": "hi"}},
	}
	for _, rt := range routes {
		t.Run(rt.method+rt.path, func(t *testing.T) {
			status, body := v1Call(t, rt.method, s.URL()+"/v1/bots/shop"+rt.path, "", rt.body)
			wantError(t, status, body, http.StatusUnauthorized, "Authorization")
			status, body = v1Call(t, rt.method, s.URL()+"/v1/bots/nobot"+rt.path, "shop-token", rt.body)
			wantError(t, status, body, http.StatusNotFound, "botId")
			status, body = v1Call(t, rt.method, s.URL()+"/v1/bots/shop"+rt.path, "demo-token", rt.body)
			wantError(t, status, body, http.StatusUnauthorized, "Authorization")
		})
	}
}
