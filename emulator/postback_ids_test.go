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

// langServer runs the lang bot, whose language block has the id 3050,
// with every answer checked against the OpenAPI document; plugin, when
// set, answers the bot's API call.
func langServer(t *testing.T, cfg emulator.Config, plugin string) (*emulator.Server, *receiver) {
	t.Helper()
	rc := newReceiver(t, nil)
	bot := loadBot(t, "lang.yaml")
	if plugin != "" {
		bot.Script.Variables["config"] = map[string]any{"pluginUrl": plugin}
	}
	cfg.Bots, cfg.WebhookURL, cfg.Delivery, cfg.StrictResponses = []*scenarios.Bot{bot}, rc.URL, fastDelivery, true
	return emulator.RunT(t, cfg), rc
}

// sayLang posts a v1 user message (a JSON text) to the lang channel and
// waits for its turn.
func sayLang(t *testing.T, s *emulator.Server, message string) {
	t.Helper()
	body := `{"conversationId":"c1","message":` + message + `}`
	if status, out := post(t, s.URL()+"/v1/channels/webhook/lang-channel/messages", "lang-token", []byte(body)); status != http.StatusAccepted {
		t.Fatalf("user message %s: status %d: %s", message, status, out)
	}
	s.FlushT(t)
}

// legacyLang sends text the legacy way and waits for its turn.
func legacyLang(t *testing.T, s *emulator.Server, text string) {
	t.Helper()
	body := map[string]any{"text": text, "sender": map[string]any{"id": "c1"}, "verifyToken": "lang-verify"}
	if status, out := post(t, s.URL()+"/api/webhookMessage/lang", "", body); status != http.StatusOK {
		t.Fatalf("legacy message: status %d: %s", status, out)
	}
	s.FlushT(t)
}

// messagesSince decodes the messages delivered after the first skip.
func messagesSince(t *testing.T, rc *receiver, skip int) []dialog.Message {
	t.Helper()
	var out []dialog.Message
	for _, body := range rc.received()[skip:] {
		var d struct {
			Message dialog.Message `json:"message"`
		}
		if err := json.Unmarshal(body, &d); err != nil {
			t.Fatal(err)
		}
		out = append(out, d.Message)
	}
	return out
}

// seed001Click is the button click of Chatlayer's legacy "Request format
// for button click", with the block id as the example's table (a string)
// or its message objects (a number) write it.
func seed001Click(target string) string {
	return `{"params": [{"key": "userLangSelected", "value": "en-en"}], "nextDialogstateId": ` + target +
		`, "type": "button", "caption": "Dutch"}`
}

// TestNumericBlockIDs: a block id may come as a JSON number on every
// route a client or an endpoint names a block; the number's text is the
// id. Each request gets through the OpenAPI validation.
func TestNumericBlockIDs(t *testing.T) {
	type step struct {
		name string
		do   func(t *testing.T, s *emulator.Server, rc *receiver)
		want string
	}
	steps := []step{
		{"legacy text, string id", func(t *testing.T, s *emulator.Server, _ *receiver) { legacyLang(t, s, seed001Click(`"3050"`)) }, "Language: en-en"},
		{"legacy text, number id", func(t *testing.T, s *emulator.Server, _ *receiver) {
			legacyLang(t, s, strings.Replace(seed001Click("3050"), "en-en", "nl-be", 1))
		}, "Language: nl-be"},
		{"v1 nextDialogstateId", func(t *testing.T, s *emulator.Server, _ *receiver) {
			sayLang(t, s, `{"postbackMessage":{"title":"Dutch","nextDialogstateId":3050,"sessionDataToSet":[{"key":"userLangSelected","value":"nl-nl"}]}}`)
		}, "Language: nl-nl"},
		{"v1 JSON payload", func(t *testing.T, s *emulator.Server, _ *receiver) {
			raw, _ := json.Marshal(strings.Replace(seed001Click("3050"), "en-en", "en-gb", 1))
			sayLang(t, s, `{"postbackMessage":{"payload":`+string(raw)+`}}`)
		}, "Language: en-gb"},
		{"agent button", func(t *testing.T, s *emulator.Server, rc *receiver) {
			seen := len(rc.received())
			body := `{"sendMessages":[{"quickReplyTemplate":{"textMessages":[{"text":"Agent"}],"quickReplies":[` +
				`{"title":"German","payload":{"nextDialogstateId":3050,"sessionDataToSet":[{"key":"userLangSelected","value":"de-de"}]}}]}}]}`
			if status, out := post(t, s.URL()+"/v1/bots/lang/conversations/c1/actions?version=DRAFT", "lang-token", []byte(body)); status != http.StatusOK {
				t.Fatalf("actions: %d %s", status, out)
			}
			s.FlushT(t)
			payload := messagesSince(t, rc, seen)[0].QuickReplies[0].Payload
			sayLang(t, s, `{"postbackMessage":{"payload":"`+payload+`"}}`)
		}, "Language: de-de"},
		{"agent goToBlock", func(t *testing.T, s *emulator.Server, _ *receiver) {
			body := `{"goToBlock":{"blockId":3050,"sessionDataToSet":[{"key":"userLangSelected","value":"pt-pt"}]}}`
			if status, out := post(t, s.URL()+"/v1/bots/lang/conversations/c1/actions?version=DRAFT", "lang-token", []byte(body)); status != http.StatusOK {
				t.Fatalf("actions: %d %s", status, out)
			}
			s.FlushT(t)
		}, "Language: pt-pt"},
		{"webview action and buttons", func(t *testing.T, s *emulator.Server, rc *receiver) {
			body := `{"botId":"lang","senderId":"c1","session":{"namespace":"lang","data":{"source":"webview"}},"action":{"nextDialogstate":3050},` +
				`"messages":[{"type":"quickReplies","config":{"textMessages":[{"text":"Webview"}],"quickReplies":[` +
				`{"title":"Italian","payload":{"nextDialogstateId":3050,"params":[{"key":"userLangSelected","value":"it-it"}]}}]}}]}`
			if status, out := post(t, s.URL()+"/api/webview?access_token=lang-token", "", []byte(body)); status != http.StatusOK {
				t.Fatalf("webview: %d %s", status, out)
			}
			s.FlushT(t)
			sayLang(t, s, `{"postbackMessage":{"title":"italian"}}`)
		}, "Language: it-it"},
	}
	for _, st := range steps {
		t.Run(st.name, func(t *testing.T) {
			s, rc := langServer(t, emulator.Config{}, "")
			sayLang(t, s, `{"introMessage":{}}`)
			st.do(t, s, rc)
			got := lastTexts(t, rc, 0)
			if last := got[len(got)-1]; last != st.want {
				t.Errorf("last message %q, want %q", last, st.want)
			}
			for _, w := range s.Warnings("lang", "c1") {
				if w.Code == dialog.WarnUnknownPostback || w.Code == dialog.WarnUnknownBlock {
					t.Errorf("warning %+v", w)
				}
			}
		})
	}
}

// TestNumericBlockIDsFromPlugin: an API-plugin answer may name blocks by
// number in button payloads (objects and JSON strings) and in
// action.nextDialogstate; the answer passes the plugin-response schema.
func TestNumericBlockIDsFromPlugin(t *testing.T) {
	plugin := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"messages":[{"type":"buttons","config":{"textMessages":[{"text":"From the API"}],"buttons":[` +
			`{"type":"postback","title":"German","payload":{"nextDialogstateId":3050,"params":[{"key":"userLangSelected","value":"de-de"}]}},` +
			`{"type":"postback","title":"Italian","payload":"{\"nextDialogstateId\":3050,\"params\":[{\"key\":\"userLangSelected\",\"value\":\"it-it\"}]}"}]}}],` +
			`"action":{"nextDialogstate":3050}}`))
	}))
	defer plugin.Close()
	s, rc := langServer(t, emulator.Config{}, plugin.URL)
	sayLang(t, s, `{"introMessage":{}}`)
	ask := messagesSince(t, rc, 0)[1].Attachment.Payload.Buttons[2]
	legacyLang(t, s, seed001Click("3050"))
	seen := len(rc.received())
	sayLang(t, s, `{"postbackMessage":{"payload":"`+ask.Payload+`"}}`)
	if got := lastTexts(t, rc, seen); len(got) != 2 || got[1] != "Language: en-en" {
		t.Fatalf("after the API call: %q, want its buttons, then block 3050", got)
	}
	buttons := messagesSince(t, rc, seen)[0].Attachment.Payload.Buttons
	sayLang(t, s, `{"postbackMessage":{"title":"German"}}`)
	sayLang(t, s, `{"postbackMessage":{"payload":"`+buttons[1].Payload+`"}}`)
	if got := lastTexts(t, rc, seen+2); strings.Join(got, "|") != "Language: de-de|Language: it-it" {
		t.Errorf("clicks on the API's buttons answered %q", got)
	}
	for _, w := range s.Warnings("lang", "c1") {
		if w.Code != dialog.WarnPostbackTitle && w.Code != dialog.WarnShortSenderID {
			t.Errorf("warning %+v", w)
		}
	}
}

// TestBlockIDOfAnotherType: a block id that is neither a string nor a
// number is a 400 naming the field and the types it may have.
func TestBlockIDOfAnotherType(t *testing.T) {
	s, _ := langServer(t, emulator.Config{}, "")
	status, body := post(t, s.URL()+"/v1/channels/webhook/lang-channel/messages", "lang-token",
		[]byte(`{"conversationId":"c1","message":{"postbackMessage":{"nextDialogstateId":true}}}`))
	wantError(t, status, body, http.StatusBadRequest, "/message/postbackMessage/nextDialogstateId")
	if e := decodeError(t, body); e.Message != "must be a string or a number" {
		t.Errorf("boolean nextDialogstateId: message %q", e.Message)
	}
	sayLang(t, s, `{"introMessage":{}}`)
	status, body = post(t, s.URL()+"/api/webview?access_token=lang-token", "", []byte(`{"botId":"lang","senderId":"c1","action":{"nextDialogstate":[3050]}}`))
	wantError(t, status, body, http.StatusBadRequest, "/action/nextDialogstate")
}
