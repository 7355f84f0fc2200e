package emulator

// The nlp object of Webhook-channel deliveries: the NLP result of the user
// text a reply answers. Chatlayer's docs do not show it; the Botium
// connector reads nlp.intent.name and nlp.intent.score from each delivery
// (docs/CONTRACT.md §3.4), and Chatlayer's session page documents
// internal.nlp (https://docs.chatlayer.ai/bot-answers/session).

import (
	"bytes"
	"encoding/json"

	"github.com/chatlayer-emulator/chatlayer-emulator/emulator/dialog"
)

// deliveryNLP is the nlp object of a delivery: the session's internal.nlp
// (same fields, same values) plus exactMatchedIntent, as the extract
// endpoints name it. Intent is omitted when no intent scored above the
// threshold (the text went to Not understood): a client that takes
// intent.name as the recognised intent then sees none.
type deliveryNLP struct {
	Expression         string                `json:"expression"`
	Intent             *dialog.ScoredIntent  `json:"intent,omitempty"`
	Intents            []dialog.ScoredIntent `json:"intents"`
	Entities           []deliveryEntity      `json:"entities"`
	ExactMatchedIntent *string               `json:"exactMatchedIntent"`
}

// deliveryEntity is an entity as internal.nlp shows it: system is always
// present (dialog.EntityMatch omits it when false).
type deliveryEntity struct {
	Name   string  `json:"name"`
	Value  string  `json:"value"`
	Raw    string  `json:"raw"`
	Score  float64 `json:"score"`
	Start  int     `json:"start"`
	End    int     `json:"end"`
	System bool    `json:"system"`
}

// newDeliveryNLP shapes an NLP result for a delivery.
func newDeliveryNLP(n dialog.NLP) deliveryNLP {
	out := deliveryNLP{Expression: n.Expression, Intent: n.Intent, Intents: n.Intents,
		Entities: make([]deliveryEntity, len(n.Entities)), ExactMatchedIntent: exactMatchedIntent(n)}
	if out.Intents == nil {
		out.Intents = []dialog.ScoredIntent{}
	}
	for i, m := range n.Entities {
		out.Entities[i] = deliveryEntity(m)
	}
	return out
}

// exactMatchedIntent is the best intent when its score is exactly 1.0,
// else nil (null, as Chatlayer's extract example shows). The engine scores 1.0 when the normalised text equals one of
// the intent's normalised expressions (see dialog.Engine.Extract), and also
// when it holds the same words in another order, which counts as exact
// here too.
func exactMatchedIntent(n dialog.NLP) *string {
	if len(n.Intents) > 0 && n.Intents[0].Score == 1 {
		return &n.Intents[0].Name // n's intents are encoded before they change
	}
	return nil
}

// replyNLP encodes, once per reply, the nlp object every delivery of the
// reply to ev carries: nil unless ev is a user text, the channel delivers
// nlp to a URL and the step has effects. Call it under conv.mu, after the
// step.
func (s *Server) replyNLP(ch *channel, c *dialog.Conversation, ev dialog.Event, effects []dialog.Effect) json.RawMessage {
	if _, text := ev.(dialog.Text); !text || !ch.DeliverNLP || ch.URL == "" || c.NLP == nil || len(effects) == 0 {
		return nil
	}
	raw, err := marshalJSON(newDeliveryNLP(*c.NLP))
	if err != nil {
		s.log.Error("encoding the nlp of a reply", "err", err)
		return nil
	}
	return raw
}

// deliveryBody encodes d, then nlp (when set) as its last key. nlp is
// spliced in as it is: encoded once per reply, it is not scanned again by
// encoding/json for every message of the reply.
func deliveryBody(d channelDelivery, nlp json.RawMessage) ([]byte, error) {
	var out []byte
	err := withJSON(d, func(b []byte) {
		if len(nlp) == 0 {
			out = bytes.Clone(b)
			return
		}
		out = make([]byte, 0, len(b)+len(nlpKey)+len(nlp))
		out = append(append(append(out, b[:len(b)-1]...), nlpKey...), nlp...)
		out = append(out, '}')
	})
	return out, err
}

// nlpKey starts the nlp member that deliveryBody appends.
const nlpKey = `,"nlp":`
