package reference

import (
	"bytes"
	"encoding/json"
	"net/http"
	"sync"
	"sync/atomic"
)

// ReplyText is the demo bot's answer to FAQText.
const ReplyText = "We're open Monday to Friday, 9:00 to 17:00."

// FAQText hits the demo bot's faq.opening-hours intent, whose block sends
// exactly one message, ReplyText.
const FAQText = "what are your opening hours"

// faqNLP is the nlp object the emulator's demo bot sends with its answer
// to FAQText, a constant here: the bare platform has no NLP to run.
var faqNLP = json.RawMessage(`{"expression":"what are your opening hours",` +
	`"intent":{"name":"faq.opening-hours","score":1},"intents":[{"name":"faq.opening-hours","score":1},` +
	`{"name":"faq.pricing","score":0.6666666666666666},{"name":"faq.location","score":0.4444444444444444}],` +
	`"entities":[],"exactMatchedIntent":"faq.opening-hours"}`)

// delivery is the body the emulator POSTs to a channel webhook.
type delivery struct {
	SenderID       string          `json:"senderId"`
	Message        reply           `json:"message"`
	MessageCounter int64           `json:"messageCounter"`
	VerifyToken    string          `json:"verifyToken"`
	NLP            json.RawMessage `json:"nlp"`
}

// reply is a text message of a delivery.
type reply struct {
	Text string `json:"text"`
}

// Platform is the bare counterpart of a whole turn: it answers a v1 user
// message with 202 and then, in a goroutine, POSTs a delivery of the same
// shape and size as the emulator's (DeliveryBody) to the webhook. It owns those
// goroutines: Wait waits for them.
type Platform struct {
	client  *http.Client
	webhook string
	counter atomic.Int64
	wg      sync.WaitGroup
}

// NewPlatform returns a Platform that delivers to webhook with client.
func NewPlatform(client *http.Client, webhook string) *Platform {
	return &Platform{client: client, webhook: webhook}
}

// ServeHTTP accepts a user message and delivers the reply in the
// background.
func (p *Platform) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	m, ok := decode(w, r)
	if !ok {
		return
	}
	writeAccepted(w, m.ConversationID)
	p.wg.Add(1)
	go p.deliver(m.ConversationID)
}

// Wait blocks until every delivery started so far has ended.
func (p *Platform) Wait() { p.wg.Wait() }

// DeliveryBody is the body of the delivery of the demo bot's answer to
// FAQText: the emulator's, byte for byte, for the given conversation and
// messageCounter.
func DeliveryBody(id string, counter int64) ([]byte, error) {
	return json.Marshal(delivery{
		SenderID:       id,
		Message:        reply{Text: ReplyText},
		MessageCounter: counter,
		VerifyToken:    "demo-verify",
		NLP:            faqNLP,
	})
}

// deliver POSTs one delivery for conversation id; a failure is dropped,
// since the waiting side times out.
func (p *Platform) deliver(id string) {
	defer p.wg.Done()
	b, err := DeliveryBody(id, p.counter.Add(1))
	if err != nil {
		return
	}
	req, err := http.NewRequest(http.MethodPost, p.webhook, bytes.NewReader(b))
	if err != nil {
		return
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "chatlayer-reference")
	resp, err := p.client.Do(req)
	if err != nil {
		return
	}
	drain(resp)
}
