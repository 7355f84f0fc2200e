package emulator_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/chatlayer-emulator/chatlayer-emulator/emulator"
	"github.com/chatlayer-emulator/chatlayer-emulator/scenarios"
)

// conversationTest drives one conversation through the v1 API and checks
// the exact bodies the webhook receives.
type conversationTest struct {
	t    *testing.T
	s    *emulator.Server
	rc   *receiver
	conv string
	seen int
}

// send posts a v1 user message, waits until its replies are delivered and
// compares them with want (an empty want is left to the caller).
func (c *conversationTest) send(message map[string]any, want ...string) [][]byte {
	c.t.Helper()
	status, body := post(c.t, c.s.URL()+"/v1/channels/webhook/shop-channel/messages", "shop-token",
		map[string]any{"conversationId": c.conv, "message": message})
	if status != http.StatusAccepted {
		c.t.Fatalf("status %d: %s", status, body)
	}
	c.s.FlushT(c.t)
	got := c.rc.received()[c.seen:]
	c.seen += len(got)
	if len(got) != len(want) {
		c.t.Fatalf("after %v: got %d deliveries, want %d:\n%s", message, len(got), len(want), joinBodies(got))
	}
	for i := range want {
		if want[i] != "" && string(got[i]) != want[i] { // "": checked by the caller
			c.t.Errorf("after %v, delivery %d:\n got %s\nwant %s", message, i+1, got[i], want[i])
		}
	}
	return got
}

// joinBodies prints bodies one per line.
func joinBodies(bodies [][]byte) string {
	var b strings.Builder
	for _, x := range bodies {
		b.Write(x)
		b.WriteByte('\n')
	}
	return b.String()
}

// text builds the exact delivery body of a text message.
func text(conv, s string, counter int) string {
	m, _ := json.Marshal(s)
	return `{"senderId":"` + conv + `","message":{"text":` + string(m) + `},"messageCounter":` + strconv.Itoa(counter) + `,"verifyToken":"shop-verify"}`
}

// withNLP adds to a delivery body the nlp object of the user text its
// reply answers.
func withNLP(body, nlp string) string {
	return strings.TrimSuffix(body, "}") + `,"nlp":` + nlp + "}"
}

// noIntent is the nlp of a text that shares no word with any intent.
func noIntent(expression string) string {
	return `{"expression":"` + expression + `","intents":[],"entities":[],"exactMatchedIntent":null}`
}

// openingHours is the nlp of a text that matches the shop's opening-hours
// intent exactly.
func openingHours(expression string) string {
	return `{"expression":"` + expression + `","intent":{"name":"opening-hours","score":1},` +
		`"intents":[{"name":"opening-hours","score":1}],"entities":[],"exactMatchedIntent":"opening-hours"}`
}

var hexPayload = regexp.MustCompile(`"payload":"([0-9a-f]{40})"`)

// TestConversationEndToEnd drives intro, a quick-reply postback,
// collect-input with a re-ask, a condition, an API-plugin call, an intent and
// Not understood through the HTTP API and a test webhook.
func TestConversationEndToEnd(t *testing.T) {
	var pluginReq struct {
		method, header string
		body           map[string]any
	}
	plugin := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		raw, _ := io.ReadAll(r.Body)
		pluginReq.method, pluginReq.header = r.Method, r.Header.Get("X-Shop")
		json.Unmarshal(raw, &pluginReq.body)
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, `{"session":{"namespace":"order","data":{"status":"shipped"}},`+
			`"messages":[{"type":"text","config":{"textMessages":[{"text":"Order for {signup.email} found."}]}}],`+
			`"action":{"nextDialogstate":"order-done"}}`)
	}))
	defer plugin.Close()

	rc := newReceiver(t, nil)
	bot := loadBot(t, "shop.yaml")
	bot.Script.Variables["config"] = map[string]any{"pluginUrl": plugin.URL + "/orders"}
	s := emulator.RunT(t, emulator.Config{Bots: []*scenarios.Bot{bot}, WebhookURL: rc.URL, Delivery: fastDelivery})
	c := &conversationTest{t: t, s: s, rc: rc, conv: "conv-1"}

	got := c.send(map[string]any{"introMessage": map[string]any{}}, text("conv-1", "Welcome to the shop!", 1), "")
	payloads := hexPayload.FindAllStringSubmatch(string(got[1]), -1)
	if len(payloads) != 2 {
		t.Fatalf("quick replies: want 2 opaque payloads in %s", got[1])
	}
	signUp, orderStatus := payloads[0][1], payloads[1][1]
	wantQR := `{"senderId":"conv-1","message":{"text":"What would you like?","quick_replies":[` +
		`{"content_type":"text","title":"Sign up","payload":"` + signUp + `"},` +
		`{"content_type":"text","title":"Order status","payload":"` + orderStatus + `"}]},` +
		`"messageCounter":2,"verifyToken":"shop-verify"}`
	if string(got[1]) != wantQR {
		t.Errorf("quick replies:\n got %s\nwant %s", got[1], wantQR)
	}

	c.send(map[string]any{"postbackMessage": map[string]any{"payload": signUp}}, text("conv-1", "What is your email?", 1))
	c.send(map[string]any{"textMessage": map[string]any{"text": "not an email"}},
		withNLP(text("conv-1", "That is not a valid email.", 1), noIntent("not an email")),
		withNLP(text("conv-1", "What is your email?", 2), noIntent("not an email")))
	c.send(map[string]any{"textMessage": map[string]any{"text": "ann@example.com"}},
		withNLP(text("conv-1", "How old are you?", 1), `{"expression":"ann@example.com","intents":[],`+
			`"entities":[{"name":"sys.email","value":"ann@example.com","raw":"ann@example.com","score":1,"start":0,"end":15,"system":true}],`+
			`"exactMatchedIntent":null}`))
	c.send(map[string]any{"textMessage": map[string]any{"text": "I am 42"}},
		withNLP(text("conv-1", "Thanks ann@example.com, you are all set.", 1), `{"expression":"I am 42","intents":[],`+
			`"entities":[{"name":"sys.number","value":"42","raw":"42","score":1,"start":5,"end":7,"system":true}],"exactMatchedIntent":null}`))

	c.send(map[string]any{"postbackMessage": map[string]any{"payload": orderStatus}},
		text("conv-1", "Order for ann@example.com found.", 1), text("conv-1", "Done: shipped", 2))
	if pluginReq.method != http.MethodPost || pluginReq.header != "demo" ||
		pluginReq.body["email"] != "ann@example.com" || pluginReq.body["source"] != "quickreply" {
		t.Errorf("plugin request = %+v", pluginReq)
	}

	c.send(map[string]any{"textMessage": map[string]any{"text": "When are you open?"}},
		withNLP(text("conv-1", "We are open 9 to 5.", 1), openingHours("When are you open?")))
	c.send(map[string]any{"textMessage": map[string]any{"text": "purple elephants dancing"}},
		withNLP(text("conv-1", "Sorry, I did not get that.", 1), noIntent("purple elephants dancing")))
}

// TestLegacyWebhookMessage sends a text and a button click through the
// legacy endpoint, which answers EVENT_RECEIVED.
func TestLegacyWebhookMessage(t *testing.T) {
	rc := newReceiver(t, nil)
	s := emulator.RunT(t, emulator.Config{Bots: []*scenarios.Bot{loadBot(t, "shop.yaml")}, WebhookURL: rc.URL, Delivery: fastDelivery})
	sender := "a7355930-fa92-11e7-8308-2f056e75d1ee"
	legacy := func(textValue string) {
		t.Helper()
		status, body := post(t, s.URL()+"/api/webhookMessage/shop", "",
			map[string]any{"text": textValue, "sender": map[string]any{"id": sender}, "verifyToken": "shop-verify", "locale": "en"})
		if status != http.StatusOK || string(body) != "EVENT_RECEIVED" {
			t.Fatalf("answer %d %q, want 200 EVENT_RECEIVED", status, body)
		}
		s.FlushT(t)
	}
	legacy("hello there")
	got := rc.received()
	if len(got) != 2 || string(got[0]) != withNLP(text(sender, "Welcome to the shop!", 1), noIntent("hello there")) {
		t.Fatalf("first message must run the introduction, got:\n%s", joinBodies(got))
	}
	payload := hexPayload.FindStringSubmatch(string(got[1]))[1]
	legacy(payload)
	got = rc.received()
	if len(got) != 3 || string(got[2]) != text(sender, "What is your email?", 1) {
		t.Fatalf("a payload in text must act as a click, got:\n%s", joinBodies(got))
	}
	legacy(`{"nextDialogstateId":"hours","params":[],"type":"button","caption":"Hours"}`)
	if got = rc.received(); len(got) != 4 || string(got[3]) != text(sender, "We are open 9 to 5.", 1) {
		t.Fatalf("a JSON payload in text must act as a click, got:\n%s", joinBodies(got))
	}
}

// TestFirstMessageIntentSkipsIntroduction checks Chatlayer's rule that a
// first text matching an intent runs the intent instead of the introduction.
func TestFirstMessageIntentSkipsIntroduction(t *testing.T) {
	rc := newReceiver(t, nil)
	s := emulator.RunT(t, emulator.Config{Bots: []*scenarios.Bot{loadBot(t, "shop.yaml")}, WebhookURL: rc.URL, Delivery: fastDelivery})
	c := &conversationTest{t: t, s: s, rc: rc, conv: "conv-2"}
	c.send(map[string]any{"textMessage": map[string]any{"text": "what are your opening hours"}},
		withNLP(text("conv-2", "We are open 9 to 5.", 1), openingHours("what are your opening hours")))
}

// TestSenderIDFromUser checks that senderId is user.id when no
// conversationId is sent.
func TestSenderIDFromUser(t *testing.T) {
	rc := newReceiver(t, nil)
	s := emulator.RunT(t, emulator.Config{Bots: []*scenarios.Bot{loadBot(t, "shop.yaml")}, WebhookURL: rc.URL, Delivery: fastDelivery})
	status, body := post(t, s.URL()+"/v1/channels/webhook/shop-channel/messages", "shop-token",
		map[string]any{"user": map[string]any{"id": "discord-42", "firstName": "Ann"}, "message": map[string]any{"textMessage": map[string]any{"text": "when are you open"}}})
	if status != http.StatusAccepted {
		t.Fatalf("status %d: %s", status, body)
	}
	s.FlushT(t)
	if got := rc.received(); len(got) != 1 || string(got[0]) != withNLP(text("discord-42", "We are open 9 to 5.", 1), openingHours("when are you open")) {
		t.Fatalf("got:\n%s", joinBodies(got))
	}
}
