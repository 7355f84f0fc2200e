package emulator_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/chatlayer-emulator/chatlayer-emulator/emulator"
	"github.com/chatlayer-emulator/chatlayer-emulator/emulator/dialog"
	"github.com/chatlayer-emulator/chatlayer-emulator/scenarios"
)

// titleField is where a click by title names it.
const titleField = "/message/postbackMessage/title"

// byTitle is a v1 postbackMessage that names only the clicked title.
func byTitle(title string) map[string]any {
	return map[string]any{"postbackMessage": map[string]any{"title": title}}
}

// shopStrict runs the shop bot (plugin at plugin, if set) with every
// answer checked against the OpenAPI document, and opens conv-1.
func shopStrict(t *testing.T, cfg emulator.Config, plugin string) (*emulator.Server, *receiver) {
	t.Helper()
	rc := newReceiver(t, nil)
	bot := loadBot(t, "shop.yaml")
	if plugin != "" {
		bot.Script.Variables["config"] = map[string]any{"pluginUrl": plugin}
	}
	cfg.Bots, cfg.WebhookURL, cfg.Delivery, cfg.StrictResponses = []*scenarios.Bot{bot}, rc.URL, fastDelivery, true
	s := emulator.RunT(t, cfg)
	startShop(t, s, shopConv(cfg))
	return s, rc
}

// shopConv is the conversation shopStrict opens: conv-1, or under
// --strict, which refuses ids shorter than 32 characters, longConv.
func shopConv(cfg emulator.Config) string {
	if cfg.Strict {
		return longConv
	}
	return "conv-1"
}

// lastUserRow returns the last user message of conv-1's legacy history.
func lastUserRow(t *testing.T, s *emulator.Server) map[string]any {
	t.Helper()
	var h historyAnswer
	getOK(t, s.URL()+"/api/bots/shop/history/conv-1?access_token=shop-token", &h)
	for i := len(h.Rows) - 1; i >= 0; i-- {
		if h.Rows[i].Actor == "user" {
			var m map[string]any
			if err := json.Unmarshal(h.Rows[i].Message, &m); err != nil {
				t.Fatal(err)
			}
			return m
		}
	}
	t.Fatalf("no user message in %+v", h)
	return nil
}

// wantReply checks the texts delivered since seen, and returns the new
// number of deliveries.
func wantReply(t *testing.T, rc *receiver, seen int, want ...string) int {
	t.Helper()
	got := lastTexts(t, rc, seen)
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Fatalf("reply %q, want %q", got, want)
	}
	return seen + len(got)
}

// TestClickByTitle: a client that cannot read opaque payloads clicks a
// quick reply by its title. The title is matched, trimmed and
// case-insensitively, against the bot's last reply: the click runs (the
// history records it with its target), and the journal says it was
// matched by title. A title the reply does not offer is a text, exactly
// as typed: here the answer of a collect-input block.
func TestClickByTitle(t *testing.T) {
	s, rc := shopStrict(t, emulator.Config{}, "")
	seen := len(rc.received())

	chatShop(t, s, "conv-1", byTitle(" sign UP"), nil)
	seen = wantReply(t, rc, seen, "What is your email?")
	if m := lastUserRow(t, s); m["messageType"] != "postback" || m["title"] != " sign UP" || m["nextDialogstateId"] != "ask-email" {
		t.Errorf("history records the click as %v: want a postback with its title and target ask-email", m)
	}
	w := wantWarning(t, warningsOf(t, s, "conv-1"), dialog.WarnPostbackTitle, titleField, "turn")
	if !strings.Contains(w.Message, "ask-email") {
		t.Errorf("warning %q does not name the target", w.Message)
	}

	chatShop(t, s, "conv-1", byTitle("ann@example.com"), nil)
	seen = wantReply(t, rc, seen, "How old are you?")
	if m := lastUserRow(t, s); m["messageType"] != "text" || m["text"] != "ann@example.com" {
		t.Errorf("history records the unmatched title as %v: want a text", m)
	}
	wantWarning(t, warningsOf(t, s, "conv-1"), dialog.WarnPostbackTitleUnmatched, titleField, "turn")
	if doc := getSession(t, s, "conv-1"); doc.Internal.MessageType != "text" {
		t.Errorf("internal.messageType = %q, want text", doc.Internal.MessageType)
	}

	// The intro's quick replies belong to an older reply: no longer offered.
	chatShop(t, s, "conv-1", byTitle("Order status"), nil)
	wantReply(t, rc, seen, "How old are you?")
	if list := warningsOf(t, s, "conv-1"); len(list) != 3 || list[2].Code != dialog.WarnPostbackTitleUnmatched {
		t.Errorf("warnings %+v: want a second postback-title-unmatched", list)
	}
}

// agentQuickReplies sends quick replies to conv-1 as an agent.
func agentQuickReplies(t *testing.T, s *emulator.Server, replies ...map[string]any) {
	t.Helper()
	body := map[string]any{"sendMessages": []any{map[string]any{"quickReplyTemplate": map[string]any{
		"textMessages": []any{map[string]any{"text": "Agent here"}}, "quickReplies": replies}}}}
	if status, out := post(t, s.URL()+"/v1/bots/shop/conversations/conv-1/actions?version=DRAFT", "shop-token", body); status != http.StatusOK {
		t.Fatalf("actions: %d %s", status, out)
	}
	s.FlushT(t)
}

// reply is a v1 quick reply to block, setting key=value when key is set.
func reply(title, block, key string, value any) map[string]any {
	payload := map[string]any{"nextDialogstateId": block}
	if key != "" {
		payload["sessionDataToSet"] = []any{map[string]any{"key": key, "value": value}}
	}
	return map[string]any{"title": title, "payload": payload}
}

// TestClickByTitleOfAgentOffers: an agent's quick replies are part of the
// last reply. Titles offered twice with one target are clicks; with
// different targets or data they are ambiguous, and the title is a text.
func TestClickByTitleOfAgentOffers(t *testing.T) {
	s, rc := shopStrict(t, emulator.Config{}, "")
	agentQuickReplies(t, s, reply("Hours", "hours", "", nil), reply("Sign up", "ask-email", "", nil))
	seen := len(rc.received())
	chatShop(t, s, "conv-1", byTitle("hours"), nil)
	seen = wantReply(t, rc, seen, "We are open 9 to 5.")

	agentQuickReplies(t, s, reply("Yes", "hours", "", nil), reply("yes", "hours", "", nil))
	seen = len(rc.received())
	chatShop(t, s, "conv-1", byTitle("YES"), nil)
	seen = wantReply(t, rc, seen, "We are open 9 to 5.")

	agentQuickReplies(t, s, reply("Yes", "hours", "order.source", "a"), reply("Yes", "hours", "order.source", "b"))
	seen = len(rc.received())
	chatShop(t, s, "conv-1", byTitle("Yes"), nil)
	wantReply(t, rc, seen, "Sorry, I did not get that.")
	w := wantWarning(t, warningsOf(t, s, "conv-1"), dialog.WarnPostbackTitleAmbiguous, titleField, "turn")
	if !strings.Contains(w.Message, `"Yes"`) {
		t.Errorf("warning %q does not name the title", w.Message)
	}
	if m := lastUserRow(t, s); m["messageType"] != "text" || m["text"] != "Yes" {
		t.Errorf("history records the ambiguous title as %v: want a text", m)
	}
}

// TestClickByTitleOfPluginAndWebviewOffers: the buttons of an API-plugin
// answer and of a webview action are offers of the reply they end.
func TestClickByTitleOfPluginAndWebviewOffers(t *testing.T) {
	plugin := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"session":{"namespace":"order","data":{"status":"shipped"}},"messages":[{"type":"quickReplies",` +
			`"config":{"textMessages":[{"text":"More?"}],"quickReplies":[{"title":"Opening hours","payload":{"nextDialogstateId":"hours"}}]}}]}`))
	}))
	defer plugin.Close()
	s, rc := shopStrict(t, emulator.Config{}, plugin.URL)
	seen := len(rc.received())
	chatShop(t, s, "conv-1", byTitle("Order status"), nil)
	seen += len(lastTexts(t, rc, seen)) // More? and Status: shipped
	chatShop(t, s, "conv-1", byTitle("opening hours"), nil)
	seen = wantReply(t, rc, seen, "We are open 9 to 5.")

	webview := `{"botId":"shop","senderId":"conv-1","messages":[{"type":"buttons","config":{"textMessages":[{"text":"Done?"}],` +
		`"buttons":[{"type":"postback","title":"Finish","payload":{"nextDialogstateId":"order-done"}}]}}]}`
	if status, out := post(t, s.URL()+"/api/webview?access_token=shop-token", "", []byte(webview)); status != http.StatusOK {
		t.Fatalf("webview: %d %s", status, out)
	}
	s.FlushT(t)
	seen = len(rc.received())
	chatShop(t, s, "conv-1", byTitle("finish"), nil)
	wantReply(t, rc, seen, "Done: shipped")
}

// TestClickByTitleAfterSessionReset: deleting the session data, or its
// expiry, forgets what the last reply offered, as it forgets the issued
// payloads: the title is then a first text (the Introduction runs).
func TestClickByTitleAfterSessionReset(t *testing.T) {
	t.Run("DELETE session-data", func(t *testing.T) {
		s, rc := shopStrict(t, emulator.Config{}, "")
		if status, body := v1Call(t, http.MethodDelete, s.URL()+"/v1/bots/shop/conversations/conv-1/session-data?version=DRAFT", "shop-token", nil); status != http.StatusNoContent {
			t.Fatalf("DELETE: %d %s", status, body)
		}
		seen := len(rc.received())
		chatShop(t, s, "conv-1", byTitle("Sign up"), nil)
		if got := lastTexts(t, rc, seen); len(got) != 2 || got[0] != "Welcome to the shop!" {
			t.Errorf("after the reset, a title answered %q, want the Introduction", got)
		}
		wantWarning(t, warningsOf(t, s, "conv-1"), dialog.WarnPostbackTitleUnmatched, titleField, "turn")
	})
	t.Run("expiry", func(t *testing.T) {
		s, rc := shopOnClock(t, emulator.NewManualClock(clockT0))
		startShop(t, s, "conv-1")
		setClock(t, s, `{"advance":"744h"}`) // 31 days without activity
		seen := len(rc.received())
		chatShop(t, s, "conv-1", byTitle("Sign up"), nil)
		if got := lastTexts(t, rc, seen); len(got) != 2 || got[0] != "Welcome to the shop!" {
			t.Errorf("after the expiry, a title answered %q, want the Introduction", got)
		}
		wantWarning(t, warningsOf(t, s, "conv-1"), dialog.WarnPostbackTitleUnmatched, titleField, "turn")
	})
}

// TestClickByTitleStrict: under --strict a click with neither payload nor
// nextDialogstateId is refused at once; a blank title is refused always.
func TestClickByTitleStrict(t *testing.T) {
	url := func(s *emulator.Server) string { return s.URL() + "/v1/channels/webhook/shop-channel/messages" }
	s, rc := shopStrict(t, emulator.Config{Strict: true}, "")
	status, body := post(t, url(s), "shop-token", map[string]any{"conversationId": longConv, "message": byTitle("Sign up")})
	wantError(t, status, body, http.StatusBadRequest, "/message/postbackMessage")
	if e := decodeError(t, body); !strings.Contains(e.Message, "--strict") || !strings.Contains(e.Message, "title") {
		t.Errorf("message %q does not say that --strict refuses a click by title", e.Message)
	}
	payload := hexPayload.FindStringSubmatch(string(rc.received()[1]))[1]
	seen := len(rc.received())
	chatShop(t, s, longConv, map[string]any{"postbackMessage": map[string]any{"payload": payload}}, nil)
	wantReply(t, rc, seen, "What is your email?")
	if list := warningsOf(t, s, longConv); len(list) != 0 {
		t.Errorf("warnings %+v: want none", list)
	}

	lenient, _ := shopStrict(t, emulator.Config{}, "")
	status, body = post(t, url(lenient), "shop-token", map[string]any{"conversationId": "conv-1", "message": byTitle("  ")})
	wantError(t, status, body, http.StatusBadRequest, "/message/postbackMessage")
}
