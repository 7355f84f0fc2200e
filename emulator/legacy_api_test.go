package emulator_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/chatlayer-emulator/chatlayer-emulator/emulator"
	"github.com/chatlayer-emulator/chatlayer-emulator/scenarios"
)

// clockT0 is the time the manual clocks of these tests start at.
var clockT0 = time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)

// shopOnClock runs the shop bot with a test webhook and a manual clock.
func shopOnClock(t *testing.T, clock *emulator.ManualClock) (*emulator.Server, *receiver) {
	t.Helper()
	rc := newReceiver(t, nil)
	s := emulator.RunT(t, emulator.Config{
		Bots: []*scenarios.Bot{loadBot(t, "shop.yaml")}, WebhookURL: rc.URL, Delivery: fastDelivery, Clock: clock,
	})
	return s, rc
}

// chatShop posts a v1 user message to the shop channel (extra fields merged
// into the body) and waits until its turn is processed and delivered.
func chatShop(t *testing.T, s *emulator.Server, conv string, message, extra map[string]any) {
	t.Helper()
	body := map[string]any{"conversationId": conv, "message": message}
	for k, v := range extra {
		body[k] = v
	}
	if status, out := post(t, s.URL()+"/v1/channels/webhook/shop-channel/messages", "shop-token", body); status != http.StatusAccepted {
		t.Fatalf("user message: status %d: %s", status, out)
	}
	s.FlushT(t)
}

// startShop starts a conversation with the shop bot.
func startShop(t *testing.T, s *emulator.Server, conv string) {
	t.Helper()
	chatShop(t, s, conv, map[string]any{"introMessage": map[string]any{}}, nil)
}

// getOK fetches url and decodes a 200 answer into v.
func getOK(t *testing.T, url string, v any) {
	t.Helper()
	resp, body := exchange(t, http.MethodGet, url, "", "", "")
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: status %d: %s", url, resp.StatusCode, body)
	}
	if err := json.Unmarshal(body, v); err != nil {
		t.Fatalf("GET %s: %v: %s", url, err, body)
	}
}

// wantErrorAt checks an error answer's status and field.
func wantErrorAt(t *testing.T, method, url, contentType, body string, status int, field string) {
	t.Helper()
	resp, out := exchange(t, method, url, "", contentType, body)
	if resp.StatusCode != status {
		t.Fatalf("%s %s: status %d, want %d: %s", method, url, resp.StatusCode, status, out)
	}
	if e := decodeError(t, out); e.Field != field {
		t.Errorf("%s %s: field %q, want %q (%s)", method, url, e.Field, field, e.Message)
	}
}

// historyAnswer is the answer of the legacy history endpoint.
type historyAnswer struct {
	Rows []struct {
		IsIntro   bool            `json:"isIntro"`
		Message   json.RawMessage `json:"message"`
		ID        string          `json:"id"`
		Actor     string          `json:"actor"`
		CreatedAt time.Time       `json:"createdAt"`
	} `json:"rows"`
	Count int `json:"count"`
}

func TestLegacyHistory(t *testing.T) {
	s, _ := shopOnClock(t, emulator.NewManualClock(clockT0))
	startShop(t, s, "conv-1")
	base := s.URL() + "/api/bots/shop/history/"

	var all historyAnswer
	getOK(t, base+"conv-1?access_token=shop-token", &all)
	if all.Count != 3 || len(all.Rows) != 3 || !all.Rows[0].IsIntro || all.Rows[0].Actor != "user" || all.Rows[1].Actor != "bot" {
		t.Fatalf("history = %+v, want the intro then two bot messages", all)
	}
	if want := `{"text":"Welcome to the shop!"}`; string(all.Rows[1].Message) != want || !all.Rows[1].CreatedAt.Equal(clockT0) {
		t.Errorf("row 1 = %s at %s, want %s at %s", all.Rows[1].Message, all.Rows[1].CreatedAt, want, clockT0)
	}
	var page historyAnswer
	getOK(t, base+"conv-1?access_token=shop-token&offset=1&limit=1", &page)
	if page.Count != 3 || len(page.Rows) != 1 || page.Rows[0].ID != all.Rows[1].ID {
		t.Errorf("offset 1 limit 1 = %+v, want row 1 of 3", page)
	}
	var none historyAnswer
	getOK(t, base+"conv-1?access_token=shop-token&limit=0", &none)
	if none.Count != 3 || len(none.Rows) != 0 {
		t.Errorf("limit 0 = %+v, want no rows of 3", none)
	}
	resp, body := exchange(t, http.MethodGet, base+"nobody?access_token=shop-token", "", "", "")
	if resp.StatusCode != http.StatusOK || string(body) != `{"rows":[],"count":0}` {
		t.Errorf("unknown sender: %d %s", resp.StatusCode, body)
	}
}

func TestLegacyAuthAndParameters(t *testing.T) {
	s, _ := shopOnClock(t, emulator.NewManualClock(clockT0))
	u := s.URL()
	tests := []struct {
		name, url string
		status    int
		field     string
	}{
		{"history without token", "/api/bots/shop/history/c", 401, "access_token"},
		{"history with unknown token", "/api/bots/shop/history/c?access_token=nope", 401, "access_token"},
		{"history of unknown bot", "/api/bots/ghost/history/c?access_token=shop-token", 404, "botId"},
		{"history with a negative offset", "/api/bots/shop/history/c?access_token=shop-token&offset=-1", 400, "offset"},
		{"history with a signed offset", "/api/bots/shop/history/c?access_token=shop-token&offset=+1", 400, "offset"},
		{"history with limit 501", "/api/bots/shop/history/c?access_token=shop-token&limit=501", 400, "limit"},
		{"history with a word limit", "/api/bots/shop/history/c?access_token=shop-token&limit=ten", 400, "limit"},
		{"sessionData without token (302 not emulated)", "/api/sessionData/shop/c/order", 401, "access_token"},
		{"chatMessage with a bad date", "/api/chatMessage/shop?access_token=shop-token&from=2026-13-01", 400, "from"},
		{"chatMessage without token", "/api/chatMessage/shop", 401, "access_token"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			wantErrorAt(t, http.MethodGet, u+tt.url, "", "", tt.status, tt.field)
		})
	}
}

func TestLegacySessionData(t *testing.T) {
	s, _ := shopOnClock(t, emulator.NewManualClock(clockT0))
	chatShop(t, s, "conv-1", map[string]any{"introMessage": map[string]any{}},
		map[string]any{"sessionData": map[string]any{"order": map[string]any{"id": "A7", "items": []any{1, 2}}}})
	base := s.URL() + "/api/sessionData/shop/"
	for _, tt := range []struct{ path, want string }{
		{"conv-1/order", `{"id":"A7","items":[1,2]}`},
		{"conv-1/nothing", `{}`},
		{"nobody/order", `{}`},
	} {
		resp, body := exchange(t, http.MethodGet, base+tt.path+"?access_token=shop-token", "", "", "")
		if resp.StatusCode != http.StatusOK || string(body) != tt.want {
			t.Errorf("%s: %d %s, want 200 %s", tt.path, resp.StatusCode, body, tt.want)
		}
	}
}

func TestLegacyWebview(t *testing.T) {
	s, rc := shopOnClock(t, emulator.NewManualClock(clockT0))
	startShop(t, s, "conv-1")
	body := `{"botId":"shop","senderId":"conv-1",` +
		`"session":{"namespace":"order","data":{"status":"packed"}},` +
		`"messages":[{"type":"text","config":{"textMessages":[{"text":"Status is {order.status}."}]}}],` +
		`"action":{"nextDialogstate":"order-status"}}`
	resp, out := exchange(t, http.MethodPost, s.URL()+"/api/webview?access_token=shop-token", "", "application/json", body)
	if resp.StatusCode != http.StatusOK || len(out) != 0 {
		t.Fatalf("webview: %d %q, want 200 with an empty body", resp.StatusCode, out)
	}
	s.FlushT(t)
	got := rc.received()[2:]
	want := []string{text("conv-1", "Status is packed.", 1), text("conv-1", "Status: packed", 2)}
	if len(got) != len(want) {
		t.Fatalf("got %d deliveries, want 2:\n%s", len(got), joinBodies(got))
	}
	for i := range want {
		if string(got[i]) != want[i] {
			t.Errorf("delivery %d:\n got %s\nwant %s", i+1, got[i], want[i])
		}
	}
	var h historyAnswer
	getOK(t, s.URL()+"/api/bots/shop/history/conv-1?access_token=shop-token", &h)
	if h.Count != 5 || h.Rows[3].Actor != "bot" {
		t.Errorf("history after webview = %+v, want 5 rows, the webview message by the bot", h)
	}
}

func TestLegacyWebviewErrors(t *testing.T) {
	s, _ := shopOnClock(t, emulator.NewManualClock(clockT0))
	startShop(t, s, "conv-1")
	tests := []struct {
		name, token, body string
		status            int
		field             string
	}{
		{"no token", "", `{"botId":"shop","senderId":"conv-1","action":{"nextDialogstate":"hours"}}`, 401, "access_token"},
		{"no botId", "shop-token", `{"senderId":"conv-1","action":{"nextDialogstate":"hours"}}`, 400, "/botId"},
		{"no senderId", "shop-token", `{"botId":"shop","action":{"nextDialogstate":"hours"}}`, 400, "/senderId"},
		{"nothing to do", "shop-token", `{"botId":"shop","senderId":"conv-1","messages":[]}`, 400, ""},
		{"bad message", "shop-token", `{"botId":"shop","senderId":"conv-1","messages":[{"type":"text","config":{}}]}`, 400, "/messages"},
		{"unknown bot", "shop-token", `{"botId":"ghost","senderId":"conv-1","action":{"nextDialogstate":"hours"}}`, 404, "/botId"},
		{"unknown conversation", "shop-token", `{"botId":"shop","senderId":"nobody","action":{"nextDialogstate":"hours"}}`, 404, "/senderId"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			url := s.URL() + "/api/webview"
			if tt.token != "" {
				url += "?access_token=" + tt.token
			}
			wantErrorAt(t, http.MethodPost, url, "application/json", tt.body, tt.status, tt.field)
		})
	}
	_, out := exchange(t, http.MethodPost, s.URL()+"/api/webview?access_token=shop-token", "", "application/json",
		`{"botId":"shop","senderId":"conv-1","messages":[{"type":"text","config":{}}]}`)
	if e := decodeError(t, out); !strings.Contains(e.Message, "messages[0].config.textMessages: required") {
		t.Errorf("bad message: message %q must carry the decoder's text", e.Message)
	}
}

func TestLegacyChatMessage(t *testing.T) {
	clock := emulator.NewManualClock(clockT0)
	s, _ := shopOnClock(t, clock)
	startShop(t, s, "conv-a")
	clock.Advance(48 * time.Hour)
	startShop(t, s, "conv-b")
	var resp struct {
		Rows []struct {
			ID, SenderID, Actor string
			Message             json.RawMessage
			CreatedAt           time.Time
		} `json:"rows"`
		Count int `json:"count"`
	}
	getOK(t, s.URL()+"/api/chatMessage/shop?access_token=shop-token", &resp)
	if resp.Count != 6 || len(resp.Rows) != 6 || resp.Rows[0].SenderID != "conv-a" || resp.Rows[5].SenderID != "conv-b" {
		t.Fatalf("all messages = %+v, want conv-a's three then conv-b's three", resp)
	}
	getOK(t, s.URL()+"/api/chatMessage/shop?access_token=shop-token&from=2026-01-04", &resp)
	if resp.Count != 3 {
		t.Fatalf("from 2026-01-04: %d rows, want conv-b's 3", resp.Count)
	}
	for _, r := range resp.Rows {
		if r.SenderID != "conv-b" || r.CreatedAt.Before(clockT0.Add(48*time.Hour)) || r.ID == "" {
			t.Errorf("row %+v is older than from or not conv-b's", r)
		}
	}
}
