package emulator_test

// The nlp object of Webhook-channel deliveries, as a receiver such as the
// Botium connector reads it: nlp.intent.name and nlp.intent.score, then
// the extract endpoint for the same text.

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"reflect"
	"testing"

	"github.com/chatlayer-emulator/chatlayer-emulator/emulator"
	"github.com/chatlayer-emulator/chatlayer-emulator/scenarios"
	"github.com/chatlayer-emulator/chatlayer-emulator/schemas"
)

// pizzaScenario has two Webhook channels, the second with nlp: false, an
// intent whose block sends two messages, and one whose block calls an API
// plugin.
const pizzaScenario = `
bot: {id: pizza, name: Pizza bot, languages: [en]}
channels:
  webhook:
    - {id: pizza-nlp, verifyToken: with-nlp}
    - {id: pizza-quiet, verifyToken: without-nlp, nlp: false}
accessTokens: [pizza-token]
variables:
  config: {pluginUrl: "http://127.0.0.1:1/unset"}
intents:
  - name: order_pizza
    block: order
    expressions: {en: ["I want to order a pizza"]}
  - name: order_status
    block: status-api
    expressions: {en: ["where is my order"]}
entities:
  - name: size
    values: [{value: large, synonyms: [big]}]
blocks:
  - id: introduction
    type: message
    messages:
      - text: "Hi!"
        quickReplies: [{title: Order, goto: order}]
  - id: order
    type: message
    messages: ["One pizza coming.", "Anything else?"]
  - id: status-api
    type: action
    api: {url: "{config.pluginUrl}"}
    next: status
  - id: status
    type: message
    messages: ["Status: {order.status}"]
  - id: not-understood
    type: message
    messages: ["Sorry?"]
`

// pizzaTest is the pizza bot with both channels pointed at one receiver.
type pizzaTest struct {
	t    *testing.T
	s    *emulator.Server
	rc   *receiver
	seen int
}

// startPizza runs the pizza bot with cfg; pluginURL, when set, is the
// plugin the status-api block calls.
func startPizza(t *testing.T, cfg emulator.Config, pluginURL string) *pizzaTest {
	t.Helper()
	bot, err := scenarios.Parse("pizza.yaml", []byte(pizzaScenario))
	if err != nil {
		t.Fatal(err)
	}
	if pluginURL != "" {
		bot.Script.Variables["config"] = map[string]any{"pluginUrl": pluginURL}
	}
	p := &pizzaTest{t: t, rc: newReceiver(t, nil)}
	cfg.Bots, cfg.WebhookURL, cfg.Delivery, cfg.StrictResponses = []*scenarios.Bot{bot}, p.rc.URL, fastDelivery, true
	p.s = emulator.RunT(t, cfg)
	return p
}

// pizzaDelivery is a delivery as a receiver reads it.
type pizzaDelivery struct {
	SenderID    string `json:"senderId"`
	VerifyToken string `json:"verifyToken"`
	Message     struct {
		Text         string `json:"text"`
		QuickReplies []struct {
			Payload string `json:"payload"`
		} `json:"quick_replies"`
	} `json:"message"`
	NLP json.RawMessage `json:"nlp"`
}

// deliveredNLP is the nlp object as a receiver reads it.
type deliveredNLP struct {
	Expression string       `json:"expression"`
	Intent     *scoredName  `json:"intent"`
	Intents    []scoredName `json:"intents"`
	Entities   []struct {
		Name   string  `json:"name"`
		Value  string  `json:"value"`
		Score  float64 `json:"score"`
		Start  int     `json:"start"`
		End    int     `json:"end"`
		System bool    `json:"system"`
	} `json:"entities"`
	ExactMatchedIntent string `json:"exactMatchedIntent"`
}

// scoredName is an intent and its score.
type scoredName struct {
	Name  string  `json:"name"`
	Score float64 `json:"score"`
}

// say posts a user message to a channel, waits until its replies are
// delivered and returns them, each checked against channel-message.
func (p *pizzaTest) say(channel, conv string, message map[string]any) []pizzaDelivery {
	p.t.Helper()
	status, body := post(p.t, p.s.URL()+"/v1/channels/webhook/"+channel+"/messages", "pizza-token",
		map[string]any{"conversationId": conv, "message": message})
	if status != http.StatusAccepted {
		p.t.Fatalf("status %d: %s", status, body)
	}
	return p.delivered()
}

// delivered flushes and returns the deliveries since the last call.
func (p *pizzaTest) delivered() []pizzaDelivery {
	p.t.Helper()
	p.s.FlushT(p.t)
	got := p.rc.received()[p.seen:]
	p.seen += len(got)
	out := make([]pizzaDelivery, len(got))
	for i, raw := range got {
		if err := schemas.Default().Validate("channel-message", raw); err != nil {
			p.t.Errorf("delivery off contract: %v\n%s", err, raw)
		}
		if err := json.Unmarshal(raw, &out[i]); err != nil {
			p.t.Fatalf("delivery is not JSON: %s", raw)
		}
	}
	return out
}

// nlpOf decodes the nlp of a delivery, failing the test when it has none.
func nlpOf(t *testing.T, d pizzaDelivery) deliveredNLP {
	t.Helper()
	if d.NLP == nil {
		t.Fatalf("delivery %q has no nlp", d.Message.Text)
	}
	var n deliveredNLP
	if err := json.Unmarshal(d.NLP, &n); err != nil {
		t.Fatalf("nlp %s: %v", d.NLP, err)
	}
	return n
}

// sameNLP checks that every delivery of a reply carries the same nlp and
// returns it.
func sameNLP(t *testing.T, got []pizzaDelivery, texts ...string) deliveredNLP {
	t.Helper()
	if len(got) != len(texts) {
		t.Fatalf("got %d deliveries, want %d: %+v", len(got), len(texts), got)
	}
	for i, d := range got {
		if d.Message.Text != texts[i] || string(d.NLP) != string(got[0].NLP) {
			t.Errorf("delivery %d: %q with nlp %s; want %q with nlp %s", i+1, d.Message.Text, d.NLP, texts[i], got[0].NLP)
		}
	}
	return nlpOf(t, got[0])
}

// extractAnswer is the v1 extract answer.
type extractAnswer struct {
	Extract struct {
		Score              float64 `json:"score"`
		Intent             string  `json:"intent"`
		ExactMatchedIntent string  `json:"exactMatchedIntent"`
		Intents            []struct {
			Intent string  `json:"intent"`
			Score  float64 `json:"score"`
		} `json:"intents"`
		Entities []struct {
			Name         string  `json:"name"`
			Value        string  `json:"value"`
			Score        float64 `json:"score"`
			StartIndex   int     `json:"startIndex"`
			EndIndex     int     `json:"endIndex"`
			SystemEntity bool    `json:"systemEntity"`
		} `json:"entities"`
	} `json:"extract"`
}

// extract asks the v1 extract endpoint about a text, as Botium does after
// reading nlp.intent.
func (p *pizzaTest) extract(text string) extractAnswer {
	p.t.Helper()
	var a extractAnswer
	status, body := v1Call(p.t, http.MethodPost, p.s.URL()+"/v1/bots/pizza/nlp/extract?version=DRAFT", "pizza-token",
		map[string]any{"language": "en", "expression": text})
	wantJSON(p.t, status, body, http.StatusOK, &a)
	return a
}

// checkAgainstExtract compares a delivered nlp with the extract answer for
// the same text, field by field.
func checkAgainstExtract(t *testing.T, n deliveredNLP, a extractAnswer) {
	t.Helper()
	x := a.Extract
	if x.Intent == "" && n.Intent != nil || x.Intent != "" && (n.Intent == nil || n.Intent.Name != x.Intent || n.Intent.Score != x.Score) {
		t.Errorf("nlp.intent = %+v; extract: intent %q, score %v", n.Intent, x.Intent, x.Score)
	}
	if n.ExactMatchedIntent != x.ExactMatchedIntent {
		t.Errorf("nlp.exactMatchedIntent = %q, extract %q", n.ExactMatchedIntent, x.ExactMatchedIntent)
	}
	if len(n.Intents) != len(x.Intents) {
		t.Fatalf("nlp.intents = %+v, extract %+v", n.Intents, x.Intents)
	}
	for i, in := range x.Intents {
		if n.Intents[i] != (scoredName{in.Intent, in.Score}) {
			t.Errorf("nlp.intents[%d] = %+v, extract %+v", i, n.Intents[i], in)
		}
	}
	if len(n.Entities) != len(x.Entities) {
		t.Fatalf("nlp.entities = %+v, extract %+v", n.Entities, x.Entities)
	}
	for i, e := range x.Entities {
		m := n.Entities[i]
		if m.Name != e.Name || m.Value != e.Value || m.Score != e.Score || m.Start != e.StartIndex || m.End != e.EndIndex || m.System != e.SystemEntity {
			t.Errorf("nlp.entities[%d] = %+v, extract %+v", i, m, e)
		}
	}
}

// sessionNLP reads internal.nlp through the v1 session-data API.
func (p *pizzaTest) sessionNLP(conv string) map[string]any {
	p.t.Helper()
	var doc struct {
		Internal struct {
			NLP map[string]any `json:"nlp"`
		} `json:"internal"`
	}
	status, body := v1Call(p.t, http.MethodGet, p.s.URL()+"/v1/bots/pizza/conversations/"+conv+"/session-data?version=DRAFT", "pizza-token", nil)
	wantJSON(p.t, status, body, http.StatusOK, &doc)
	return doc.Internal.NLP
}

// TestDeliveryNLPMatchesExtract: every message of the reply to a text that
// matches an intent carries nlp, whose intent name and score are what the
// extract endpoint answers for the same text, and which is the session's
// internal.nlp plus exactMatchedIntent.
func TestDeliveryNLPMatchesExtract(t *testing.T) {
	p := startPizza(t, emulator.Config{}, "")
	cases := []struct {
		name, text, exact string
		entities          int
	}{
		{"exact match", "I want to order a pizza!", "order_pizza", 0},
		{"above threshold, with an entity", "I want to order a big pizza", "", 1},
	}
	for i, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			conv := "match-" + string(rune('a'+i))
			n := sameNLP(t, p.say("pizza-nlp", conv, textMsg(c.text)), "One pizza coming.", "Anything else?")
			if n.Expression != c.text || n.Intent == nil || n.Intent.Name != "order_pizza" || n.ExactMatchedIntent != c.exact || len(n.Entities) != c.entities {
				t.Errorf("nlp = %+v", n)
			}
			checkAgainstExtract(t, n, p.extract(c.text))
			var delivered map[string]any
			if err := json.Unmarshal(p.rc.received()[p.seen-1], &delivered); err != nil {
				t.Fatal(err)
			}
			nlp := delivered["nlp"].(map[string]any)
			delete(nlp, "exactMatchedIntent")
			if session := p.sessionNLP(conv); !reflect.DeepEqual(nlp, session) {
				t.Errorf("delivered nlp without exactMatchedIntent:\n%v\nsession internal.nlp:\n%v", nlp, session)
			}
		})
	}
}

// TestDeliveryNLPNotUnderstood: a text no intent matches above the
// threshold goes to Not understood; its reply carries nlp without intent
// (a client reading nlp.intent.name sees no recognised intent), with the
// intent below the threshold still listed in intents.
func TestDeliveryNLPNotUnderstood(t *testing.T) {
	p := startPizza(t, emulator.Config{}, "")
	p.say("pizza-nlp", "conv-1", introMsg)
	got := p.say("pizza-nlp", "conv-1", textMsg("pizza"))
	n := sameNLP(t, got, "Sorry?")
	var raw map[string]any
	if err := json.Unmarshal(got[0].NLP, &raw); err != nil {
		t.Fatal(err)
	}
	if exact, has := raw["exactMatchedIntent"]; !has || exact != nil {
		t.Errorf("nlp.exactMatchedIntent = %v, want null as in the extract answer", exact)
	}
	if _, has := raw["intent"]; has || n.Expression != "pizza" || len(n.Intents) != 1 || n.Intents[0].Name != "order_pizza" ||
		n.Intents[0].Score >= 0.8 || n.ExactMatchedIntent != "" {
		t.Errorf("nlp = %s, want no intent and order_pizza below the threshold in intents", got[0].NLP)
	}
	checkAgainstExtract(t, n, p.extract("pizza"))
}

// TestDeliveryNLPOnlyAfterText: replies to an intro, a click and a legacy
// payload, and agent messages, carry no nlp; a legacy text does.
func TestDeliveryNLPOnlyAfterText(t *testing.T) {
	p := startPizza(t, emulator.Config{}, "")
	got := p.say("pizza-nlp", "conv-1", introMsg)
	if len(got) != 1 || got[0].NLP != nil || len(got[0].Message.QuickReplies) != 1 {
		t.Fatalf("after an intro: %+v, want one message without nlp", got)
	}
	click := map[string]any{"postbackMessage": map[string]any{"payload": got[0].Message.QuickReplies[0].Payload}}
	noNLP(t, "after a click", p.say("pizza-nlp", "conv-1", click), 2)
	status, body := v1Call(t, http.MethodPost, p.s.URL()+"/v1/bots/pizza/conversations/conv-1/actions?version=DRAFT", "pizza-token",
		map[string]any{"sendMessages": []any{map[string]any{"textMessageTemplate": map[string]any{"textMessages": []any{map[string]any{"text": "Agent here."}}}}}})
	if status != http.StatusOK {
		t.Fatalf("actions: %d %s", status, body)
	}
	noNLP(t, "agent message", p.delivered(), 1)

	legacy := func(text string) []pizzaDelivery {
		t.Helper()
		status, body := post(t, p.s.URL()+"/api/webhookMessage/pizza", "",
			map[string]any{"text": text, "sender": map[string]any{"id": "legacy-1"}, "verifyToken": "with-nlp"})
		if status != http.StatusOK {
			t.Fatalf("legacy: %d %s", status, body)
		}
		return p.delivered()
	}
	got = legacy("hello") // a first text that matches no intent: the Introduction
	if n := sameNLP(t, got, "Hi!"); n.Expression != "hello" || n.Intent != nil {
		t.Errorf("legacy text: nlp %+v", n)
	}
	noNLP(t, "after a legacy payload (a click)", legacy(got[0].Message.QuickReplies[0].Payload), 2)
	if n := sameNLP(t, legacy("I want to order a pizza"), "One pizza coming.", "Anything else?"); n.Intent == nil || n.Intent.Name != "order_pizza" {
		t.Errorf("legacy text: nlp %+v", n)
	}
}

// noNLP checks that a reply has n messages, none with nlp.
func noNLP(t *testing.T, what string, got []pizzaDelivery, n int) {
	t.Helper()
	if len(got) != n {
		t.Errorf("%s: %d deliveries, want %d", what, len(got), n)
	}
	for _, d := range got {
		if d.NLP != nil {
			t.Errorf("%s: %q carries nlp %s", what, d.Message.Text, d.NLP)
		}
	}
}

// TestDeliveryNLPAfterAPICall: the messages of a plugin's answer and of
// the block after it belong to the reply to the text that made the call.
func TestDeliveryNLPAfterAPICall(t *testing.T) {
	plugin := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, `{"session":{"namespace":"order","data":{"status":"shipped"}},`+
			`"messages":[{"type":"text","config":{"textMessages":[{"text":"Looking it up."}]}}]}`)
	}))
	defer plugin.Close()
	p := startPizza(t, emulator.Config{}, plugin.URL)
	n := sameNLP(t, p.say("pizza-nlp", "conv-1", textMsg("where is my order?")), "Looking it up.", "Status: shipped")
	if n.Intent == nil || n.Intent.Name != "order_status" || n.Expression != "where is my order?" {
		t.Errorf("nlp = %+v", n)
	}
}

// TestDeliveryNLPAfterOffload: the messages of the block an asynchronous
// offload answer leads to carry the nlp of the text that asked for it.
func TestDeliveryNLPAfterOffload(t *testing.T) {
	h := startHandover(t, fakeProvider(okAnswer), emulator.Config{})
	h.say(t, "conv-1", textMsg(askForHuman))
	got := h.user.received()
	if len(got) != 1 {
		t.Fatalf("got %d deliveries, want the Offloading opened message:\n%s", len(got), joinBodies(got))
	}
	var d pizzaDelivery
	if err := json.Unmarshal(got[0], &d); err != nil {
		t.Fatal(err)
	}
	if n := nlpOf(t, d); d.Message.Text != textOpened || n.Intent == nil || n.Intent.Name != "human" || n.Expression != askForHuman {
		t.Errorf("%q: nlp %s", d.Message.Text, d.NLP)
	}
}

// TestDeliveryNLPOff: Config.OmitDeliveryNLP (--delivery-nlp=false) leaves
// nlp out everywhere; a channel's "nlp: false" leaves it out of that
// channel only.
func TestDeliveryNLPOff(t *testing.T) {
	text := textMsg("I want to order a pizza")
	p := startPizza(t, emulator.Config{OmitDeliveryNLP: true}, "")
	for _, channel := range []string{"pizza-nlp", "pizza-quiet"} {
		noNLP(t, "OmitDeliveryNLP, channel "+channel, p.say(channel, "off-"+channel, text), 2)
	}

	p = startPizza(t, emulator.Config{}, "")
	noNLP(t, "channel with nlp: false", p.say("pizza-quiet", "quiet", text), 2)
	sameNLP(t, p.say("pizza-nlp", "loud", text), "One pizza coming.", "Anything else?")
}
