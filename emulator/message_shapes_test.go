package emulator_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/chatlayer-emulator/chatlayer-emulator/emulator"
)

// trainsSay posts a v1 text to the trains bot and waits for its turn.
func trainsSay(t *testing.T, s *emulator.Server, conv, text string) {
	t.Helper()
	status, body := post(t, s.URL()+"/v1/channels/webhook/trains-channel/messages", "trains-token",
		map[string]any{"conversationId": conv, "message": map[string]any{"textMessage": map[string]any{"text": text}}})
	if status != http.StatusAccepted {
		t.Fatalf("status %d: %s", status, body)
	}
	s.FlushT(t)
}

// trainsWebview posts a legacy webview call to the trains bot and waits
// until its messages are delivered.
func trainsWebview(t *testing.T, s *emulator.Server, body string) {
	t.Helper()
	resp, out := exchange(t, http.MethodPost, s.URL()+"/api/webview?access_token=trains-token", "", "application/json", body)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("webview: %d %s", resp.StatusCode, out)
	}
	s.FlushT(t)
}

// wantDeliveries compares the bodies rc received with want, in order.
func wantDeliveries(t *testing.T, rc *receiver, want []string) {
	t.Helper()
	got := rc.received()
	if len(got) != len(want) {
		t.Fatalf("got %d deliveries, want %d:\n%s", len(got), len(want), joinBodies(got))
	}
	for i := range want {
		if string(got[i]) != want[i] {
			t.Errorf("delivery %d:\n got %s\nwant %s", i+1, got[i], want[i])
		}
	}
}

// planner plays an API plugin that answers with messages, given in the
// {type, config} dialect.
func planner(t *testing.T, messages string) string {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, `{"messages":`+messages+`}`)
	}))
	t.Cleanup(srv.Close)
	return srv.URL
}

// TestShareButtons checks the element_share buttons of Chatlayer's button
// tables: from a scenario, an API-plugin answer and a webview call, the
// webhook gets {"type":"element_share","title"} with no payload or url,
// and no title when the button has none.
func TestShareButtons(t *testing.T) {
	rc := newReceiver(t, nil)
	shares := `[{"type":"buttons","config":{"textMessages":[{"text":"Or share this"}],` +
		`"buttons":[{"type":"element_share"},{"type":"element_share","title":"Share"}]}}]`
	s := trainsBot(t, rc.URL, planner(t, shares))
	trainsSay(t, s, "rider-2", "share my trip")
	trainsSay(t, s, "rider-2", "ask the planner")
	trainsWebview(t, s, `{"botId":"trains","senderId":"rider-2","messages":`+shares+`}`)
	fromTypeConfig := `{"senderId":"rider-2","message":{"attachment":{"type":"template","payload":{"template_type":"button","text":"Or share this",` +
		`"buttons":[{"type":"element_share"},{"type":"element_share","title":"Share"}]}}},"messageCounter":1,"verifyToken":"trains-verify"}`
	want := []string{
		`{"senderId":"rider-2","message":{"attachment":{"type":"template","payload":{"template_type":"button","text":"Tell a friend",` +
			`"buttons":[{"type":"element_share"},{"type":"element_share","title":"Share it"},` +
			`{"type":"web_url","title":"Timetable","url":"https://example.com/t"}]}}},"messageCounter":1,"verifyToken":"trains-verify"}`,
		fromTypeConfig, // the plugin's answer
		fromTypeConfig, // the webview's message
	}
	wantDeliveries(t, rc, want)
}

// TestCardItemURL checks the item_url of Chatlayer's generic template
// element: a scenario carousel card's itemUrl is sent, interpolated, as
// item_url beside default_action; list elements have none.
func TestCardItemURL(t *testing.T) {
	rc := newReceiver(t, nil)
	s := trainsBot(t, rc.URL, "")
	trainsSay(t, s, "rider-4", "show the trains")
	want := []string{
		`{"senderId":"rider-4","message":{"attachment":{"type":"template","payload":{"template_type":"generic","elements":[` +
			`{"title":"To brussels","image_url":"https://example.com/brussels.png","item_url":"https://example.com/trips/brussels",` +
			`"default_action":{"type":"web_url","url":"https://example.com/book/brussels"},"buttons":[{"type":"element_share"}]}]}}},` +
			`"messageCounter":1,"verifyToken":"trains-verify"}`,
		`{"senderId":"rider-4","message":{"attachment":{"type":"template","payload":{"template_type":"list","elements":[` +
			`{"title":"IC 1","default_action":{"type":"web_url","url":"https://example.com/ic1"}},{"title":"IC 2"}]}}},` +
			`"messageCounter":2,"verifyToken":"trains-verify"}`,
	}
	wantDeliveries(t, rc, want)
}
