package emulator_test

// Every example body of Chatlayer's Webhook channel / legacy API page (seed
// 001, testdata/seed001/README.txt lists them) sent to the emulator as it
// is written, and answered as the page says.

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"reflect"
	"strings"
	"testing"

	"github.com/chatlayer-emulator/chatlayer-emulator/emulator"
	"github.com/chatlayer-emulator/chatlayer-emulator/scenarios"
	"github.com/chatlayer-emulator/chatlayer-emulator/schemas"
)

// seedSender is the sender id of the page's webhookMessage examples.
const seedSender = "a7355930-fa92-11e7-8308-2f056e75d1ee"

// seedBot runs bot 1234 of testdata/seeds.yaml (the page's bot, verify
// token and blocks), delivering to a new receiver.
func seedBot(t *testing.T, cfg emulator.Config) (*emulator.Server, *receiver) {
	t.Helper()
	rc := newReceiver(t, nil)
	cfg.Bots, cfg.WebhookURL, cfg.Delivery = []*scenarios.Bot{loadBot(t, "seeds.yaml")}, rc.URL, fastDelivery
	return emulator.RunT(t, cfg), rc
}

// seedRaw reads an example body of testdata/seed001 as it is stored.
func seedRaw(t *testing.T, name string) []byte {
	t.Helper()
	raw, err := os.ReadFile("testdata/seed001/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return raw
}

// legacySay posts a body, verbatim, to /api/webhookMessage/1234 and checks
// the page's answer: 200 EVENT_RECEIVED.
func legacySay(t *testing.T, s *emulator.Server, body []byte) {
	t.Helper()
	resp, out := exchange(t, http.MethodPost, s.URL()+"/api/webhookMessage/1234", "", "application/json", string(body))
	if resp.StatusCode != http.StatusOK || string(out) != "EVENT_RECEIVED" {
		t.Fatalf("webhookMessage: %d %q, want 200 EVENT_RECEIVED", resp.StatusCode, out)
	}
	s.FlushT(t)
}

// jsonOf decodes raw, failing the test on error.
func jsonOf(t *testing.T, raw []byte) map[string]any {
	t.Helper()
	var v map[string]any
	if err := json.Unmarshal(raw, &v); err != nil {
		t.Fatalf("%v: %s", err, raw)
	}
	return v
}

// TestSeed001WebhookMessage sends the page's webhookMessage example ("hi",
// locale fr): the answer is EVENT_RECEIVED and the webhook gets, for the
// Introduction, exactly the page's text message example (the emulator adds
// only nlp, FIDELITY.md "nlp in deliveries").
func TestSeed001WebhookMessage(t *testing.T) {
	s, rc := seedBot(t, emulator.Config{})
	legacySay(t, s, seedRaw(t, "legacy-webhook-message-request.json"))
	got := rc.received()
	if len(got) != 1 {
		t.Fatalf("deliveries: %s, want the Introduction's one message", joinBodies(got))
	}
	delivered := jsonOf(t, got[0])
	if nlp, ok := delivered["nlp"].(map[string]any); !ok || nlp["expression"] != "hi" {
		t.Errorf("delivery %s: want nlp of the text", got[0])
	}
	delete(delivered, "nlp")
	if want := jsonOf(t, seedRaw(t, "message-text.json")); !reflect.DeepEqual(delivered, want) {
		t.Errorf("delivery %v\nwant the page's text example %v", delivered, want)
	}
}

// TestSeed001ButtonClick sends the page's "request format for button
// click": the stringified payload in text runs block 3050 and saves its
// params in the session.
func TestSeed001ButtonClick(t *testing.T) {
	s, rc := seedBot(t, emulator.Config{})
	legacySay(t, s, seedRaw(t, "legacy-webhook-message-request.json"))
	legacySay(t, s, seedRaw(t, "legacy-button-click-request.json"))
	got := rc.received()
	if len(got) != 2 || !containsJSON(got[1], `"message":{"text":"Language: en-en"}`) {
		t.Fatalf("deliveries: %s, want block 3050's message with userLangSelected en-en", joinBodies(got))
	}
	var session map[string]any
	getV1(t, s, "/v1/bots/1234/conversations/"+seedSender+"/session-data?version=DRAFT", &session)
	if session["userLangSelected"] != "en-en" {
		t.Errorf("session userLangSelected = %v, want en-en", session["userLangSelected"])
	}
}

// getV1 GETs a v1 path with bot 1234's token and decodes a 200 answer.
func getV1(t *testing.T, s *emulator.Server, path string, v any) {
	t.Helper()
	status, body := v1Call(t, http.MethodGet, s.URL()+path, "bot22", nil)
	wantJSON(t, status, body, http.StatusOK, v)
}

// containsJSON reports whether body holds fragment.
func containsJSON(body []byte, fragment string) bool {
	return json.Valid(body) && strings.Contains(string(body), fragment)
}

// TestSeed001Webview sends the page's two webview examples verbatim to the
// conversation they name: each answers 200 with an empty body; the session
// gets options.example, the messages are delivered, then block 12345 runs.
func TestSeed001Webview(t *testing.T) {
	s, rc := seedBot(t, emulator.Config{})
	sender := "the senderId of the conversation to act on"
	legacySay(t, s, []byte(`{"text":"hi","sender":{"id":"`+sender+`"},"verifyToken":"8wMsLZkdDPT64nqh"}`))
	for _, name := range []string{"webview-request.json", "webview-carousel-request.json"} {
		seen := len(rc.received())
		resp, out := exchange(t, http.MethodPost, s.URL()+"/api/webview?access_token=bot22", "", "application/json",
			string(seedRaw(t, name)))
		if resp.StatusCode != http.StatusOK || len(out) != 0 {
			t.Fatalf("%s: %d %q, want 200 and no body", name, resp.StatusCode, out)
		}
		s.FlushT(t)
		got := rc.received()[seen:]
		if len(got) != 2 || !containsJSON(got[1], `"message":{"text":"Anything else?"},"messageCounter":2`) {
			t.Errorf("%s: deliveries %s, want its message then block 12345's", name, joinBodies(got))
		}
	}
	var options map[string]any
	getOK(t, s.URL()+"/api/sessionData/1234/"+url.PathEscape(sender)+"/options?access_token=bot22", &options)
	if !reflect.DeepEqual(options, map[string]any{"example": true}) {
		t.Errorf("session options = %v, want {example: true}", options)
	}
}

// TestSeed001SessionData reads a namespace holding the page's example
// values back through GET /api/sessionData: the answer is the page's
// example response.
func TestSeed001SessionData(t *testing.T) {
	s, _ := seedBot(t, emulator.Config{})
	want := jsonOf(t, seedRaw(t, "session-data-response.json"))
	data := map[string]any{}
	for k, v := range want {
		data["myNamespace."+k] = v
	}
	status, body := post(t, s.URL()+"/v1/channels/webhook/seed-channel/messages", "bot22",
		map[string]any{"conversationId": seedSender, "message": map[string]any{"introMessage": map[string]any{}}, "sessionData": data})
	if status != http.StatusAccepted {
		t.Fatalf("status %d: %s", status, body)
	}
	s.FlushT(t)
	var got map[string]any
	getOK(t, s.URL()+"/api/sessionData/1234/"+seedSender+"/myNamespace?access_token=bot22", &got)
	if !reflect.DeepEqual(got, want) {
		t.Errorf("sessionData = %v, want the page's example %v", got, want)
	}
}

// seedMessages are the page's bot-message examples.
var seedMessages = []string{"message-text.json", "message-button-template.json", "message-quick-replies.json",
	"message-generic-template.json", "message-list-template.json", "message-attachment.json"}

// TestSeed001MessagesAreDeliveries: each of the page's bot-message
// examples is valid against schemas/channel-message.schema.json, the
// emulator's own definition of a delivery (which the conformance suite
// sends vendors): a schema that refused Chatlayer's own examples would
// fail receivers written against them.
func TestSeed001MessagesAreDeliveries(t *testing.T) {
	set := schemas.Default()
	for _, name := range seedMessages {
		if err := set.Validate("channel-message", seedRaw(t, name)); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
}

// TestSeed001MessagesAsSent: with --postback-format json, the bot's
// blocks that mirror the page's message examples deliver each one in the
// page's shape: the same keys and kinds at every level (sameShape), and
// postback payloads that are the page's stringified JSON with the same
// keys, block and params. The list example (one element, an empty buttons
// array) is outside what a scenario may send (2 to 4 elements, no empty
// arrays); TestSeed001MessagesAreDeliveries covers it.
func TestSeed001MessagesAsSent(t *testing.T) {
	s, rc := seedBot(t, emulator.Config{PostbackFormat: emulator.PostbackJSON, OmitDeliveryNLP: true})
	for _, name := range []string{"message-text.json", "message-button-template.json", "message-quick-replies.json",
		"message-generic-template.json", "message-attachment.json"} {
		t.Run(name, func(t *testing.T) {
			seen := len(rc.received())
			block := strings.TrimSuffix(name, ".json")
			chatSeed(t, s, map[string]any{"postbackMessage": map[string]any{"nextDialogstateId": block}})
			got := rc.received()[seen:]
			if len(got) != 1 {
				t.Fatalf("deliveries: %s, want one", joinBodies(got))
			}
			want, delivered := jsonOf(t, seedRaw(t, name)), jsonOf(t, got[0])
			// Chatlayer's history example has is_reusable on media, its
			// message example not; the emulator sends it (FIDELITY.md,
			// "Message shapes").
			if media, ok := want["message"].(map[string]any)["attachment"].(map[string]any); ok && media["type"] == "image" {
				media["payload"].(map[string]any)["is_reusable"] = false
			}
			for _, d := range sameShape(want, delivered, "") {
				t.Error(d)
			}
			wantPayloads, gotPayloads := payloads(want), payloads(delivered)
			if len(wantPayloads) != len(gotPayloads) {
				t.Fatalf("payloads %q, want as many as %q", gotPayloads, wantPayloads)
			}
			for i := range wantPayloads {
				samePayload(t, wantPayloads[i], gotPayloads[i])
			}
		})
	}
}

// chatSeed posts a v1 message from the page's sender to bot 1234 and
// waits for its turn.
func chatSeed(t *testing.T, s *emulator.Server, message map[string]any) {
	t.Helper()
	status, body := post(t, s.URL()+"/v1/channels/webhook/seed-channel/messages", "bot22",
		map[string]any{"conversationId": seedSender, "message": message})
	if status != http.StatusAccepted {
		t.Fatalf("status %d: %s", status, body)
	}
	s.FlushT(t)
}

// payloads collects, in document order, the payload strings of postback
// buttons and quick replies in a decoded delivery.
func payloads(v any) []string {
	var out []string
	switch t := v.(type) {
	case map[string]any:
		if p, ok := t["payload"].(string); ok && (t["type"] == "postback" || t["content_type"] == "text") {
			out = append(out, p)
		}
		for _, k := range []string{"message", "attachment", "payload", "quick_replies", "elements", "buttons"} {
			out = append(out, payloads(t[k])...)
		}
	case []any:
		for _, item := range t {
			out = append(out, payloads(item)...)
		}
	}
	return out
}

// samePayload compares a stringified-JSON payload with the page's: the
// same keys, the same block (the page writes 3050 as a number, the
// emulator as a string, the form of the page's field table), and the same
// params.
func samePayload(t *testing.T, want, got string) {
	t.Helper()
	w, g := jsonOf(t, []byte(want)), jsonOf(t, []byte(got))
	for _, d := range sameKeys(w, g, "payload") {
		if !strings.Contains(d, "/nextDialogstateId") {
			t.Error(d)
		}
	}
	if fmt.Sprint(w["nextDialogstateId"]) != fmt.Sprint(g["nextDialogstateId"]) || !reflect.DeepEqual(w["params"], g["params"]) {
		t.Errorf("payload %s, want the block and params of %s", got, want)
	}
}

// TestSeed001NumericPayloadsClick sends back, as a legacy text, each
// payload of the page's message examples, verbatim, with its numeric
// "nextDialogstateId": 3050: each runs block 3050 and saves its params.
func TestSeed001NumericPayloadsClick(t *testing.T) {
	s, rc := seedBot(t, emulator.Config{})
	for _, name := range []string{"message-button-template.json", "message-quick-replies.json",
		"message-generic-template.json", "message-list-template.json"} {
		for _, payload := range payloads(jsonOf(t, seedRaw(t, name))) {
			seen := len(rc.received())
			body, _ := json.Marshal(map[string]any{"text": payload, "sender": map[string]any{"id": seedSender},
				"verifyToken": "8wMsLZkdDPT64nqh"})
			legacySay(t, s, body)
			var p struct {
				Params []struct{ Value string } `json:"params"`
			}
			json.Unmarshal([]byte(payload), &p)
			want := `"message":{"text":"Language: ` // no params: the language chosen before stays
			if len(p.Params) == 1 {
				want = `"message":{"text":"Language: ` + p.Params[0].Value + `"}`
			}
			if got := rc.received()[seen:]; len(got) != 1 || !containsJSON(got[0], want) {
				t.Errorf("%s: the click %s answered %s, want block 3050's %s", name, payload, joinBodies(got), want)
			}
		}
	}
}
