package emulator

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"time"

	"github.com/chatlayer-emulator/chatlayer-emulator/emulator/delivery"
	"github.com/chatlayer-emulator/chatlayer-emulator/emulator/dialog"
)

// channelType is the channel type of conversations that come through a
// Webhook channel.
const channelType = "webhook"

// turn is one accepted user message, waiting in its conversation's lane.
type turn struct {
	in dialog.Input
	// legacyText, when set, is a legacy user text that may be a button
	// payload; it is resolved against the conversation inside the turn.
	legacyText *string
}

// accept queues a turn on the conversation of senderID with the channel's
// bot. Turns of one conversation run one after another; the HTTP answer
// does not wait for them.
func (s *Server) accept(ch *channel, senderID string, t turn) error {
	b := ch.bot
	key := convKey{bot: b.def.Script.BotID, version: ch.Version, id: senderID}
	conv := s.store.get(key, func() *conversation {
		d := dialog.NewConversation(b.def.Script, ch.Version, senderID, s.cfg.Clock.Now())
		d.Channel, d.ChannelID = channelType, ch.ID
		return &conversation{key: key, channel: ch, d: d}
	})
	if !s.turns.Go(key.String(), func() { s.runTurn(b, ch, conv, t) }) {
		return newError(http.StatusServiceUnavailable, "", "the emulator is shutting down")
	}
	return nil
}

// runTurn runs one user event through the engine and carries out the
// effects. It runs in the conversation's lane.
func (s *Server) runTurn(b *bot, ch *channel, conv *conversation, t turn) {
	now := s.cfg.Clock.Now()
	conv.mu.Lock()
	s.restartIfExpired(b, conv, now)
	conv.channel = ch
	conv.d.ChannelID = ch.ID
	if t.legacyText != nil {
		t.in.Event = b.engine.ParseLegacyText(conv.d, *t.legacyText)
	}
	titled := resolveTitle(b, conv, &t.in)
	entry := s.userEntry(conv.d, t.in, now)
	conv.appendHistory(entry, s.cfg.MaxHistory)
	effects := b.engine.Step(conv.d, t.in, now)
	nlp := s.replyNLP(ch, conv.d, t.in.Event, effects)
	conv.mu.Unlock()
	if titled != nil {
		s.warnTurn(conv, *titled, "")
	}
	s.sendMessagesEvent(b, conv, []historyEntry{entry}) // each user message alone
	s.carryOut(b, conv, effects, nlp)
}

// resolveTitle replaces a click that names only its title with what it
// stands for in the bot's last reply (a click with its target, or a text;
// dialog.Engine.ResolveTitle), before the history records it, and
// returns the warning to journal (nil for other events). The caller holds
// conv.mu.
func resolveTitle(b *bot, conv *conversation, in *dialog.Input) *dialog.Warn {
	click, ok := in.Event.(dialog.Click)
	if !ok || !click.TitleOnly() {
		return nil
	}
	ev, w := b.engine.ResolveTitle(conv.d, click)
	in.Event, w.Field = ev, "/message/postbackMessage/title"
	return &w
}

// carryOut performs the effects of a step. An API call or an offload
// suspends the flow: its answer is fed back to the engine, whose new
// effects are carried out in turn (an offload call answers later, see
// requestOffload). The bot messages go to the offloading provider as one
// messages event, flushed before an offload and at the end. nlp is the
// encoded nlp object of the user text the effects answer (see replyNLP),
// which every channel delivery of the reply carries; nil for none.
func (s *Server) carryOut(b *bot, conv *conversation, effects []dialog.Effect, nlp json.RawMessage) {
	batch := &botBatch{s: s, b: b, conv: conv}
	defer batch.flush()
	source := "" // the API-plugin call the next effects answer
	for len(effects) > 0 {
		var next dialog.Event
		for _, e := range effects {
			switch e := e.(type) {
			case dialog.Send:
				batch.add(s.sendBotMessage(conv, e, actorBot, nlp))
			case dialog.CallAPI:
				next, source = s.callAPI(conv, e)
			case dialog.RequestOffload:
				batch.flush()
				next, source = s.requestOffload(b, conv, e, nlp), ""
			case dialog.Warn:
				s.warnTurn(conv, e, source)
			default:
				s.log.Error("emulator bug: unknown dialog effect", "type", fmt.Sprintf("%T", e))
			}
		}
		if next == nil {
			return
		}
		conv.mu.Lock()
		effects = b.engine.Step(conv.d, dialog.Input{Event: next}, s.cfg.Clock.Now())
		conv.mu.Unlock()
	}
}

// channelDelivery is the body Chatlayer POSTs to a Webhook channel's URL
// for each bot message (docs/CONTRACT.md §3.1, FIDELITY Q15). deliveryBody adds nlp
// when the message answers a user text (see replyNLP).
type channelDelivery struct {
	SenderID       string          `json:"senderId"`
	Message        json.RawMessage `json:"message"` // the history entry's encoding, not encoded twice
	MessageCounter int             `json:"messageCounter"`
	VerifyToken    string          `json:"verifyToken"`
}

// sendBotMessage records a bot (or agent) message in the history, queues
// its delivery to the channel's webhook URL and returns the history entry
// (zero if the message could not be encoded). The delivery carries nlp
// when it is not nil.
func (s *Server) sendBotMessage(conv *conversation, m dialog.Send, actor string, nlp json.RawMessage) historyEntry {
	msg, err := marshalJSON(m.Message)
	if err != nil {
		s.log.Error("encoding a bot message", "err", err)
		return historyEntry{}
	}
	entry := historyEntry{ID: s.ids.next(), Actor: actor, Message: msg, CreatedAt: apiTime{s.cfg.Clock.Now()}}
	conv.mu.Lock()
	ch := conv.channel
	conv.appendHistory(entry, s.cfg.MaxHistory)
	conv.mu.Unlock()
	if ch.URL == "" {
		level := slog.LevelDebug
		if !ch.toldNoURL.Swap(true) {
			level = slog.LevelInfo
		}
		s.log.Log(context.Background(), level, "webhook channel has no URL: bot messages are kept in history only", "channel", ch.ID)
		return entry
	}
	body, _ := deliveryBody(channelDelivery{
		SenderID: conv.key.id, Message: msg, MessageCounter: m.Counter, VerifyToken: ch.VerifyToken,
	}, nlp)
	_, err = s.out.Enqueue(delivery.Request{
		Kind: delivery.KindChannel, Bot: conv.key.bot, Conversation: conv.key.id, Key: conv.key.String(),
		Method: http.MethodPost, URL: ch.URL, Body: body, Secrets: []string{ch.VerifyToken},
	})
	if err != nil {
		s.log.Warn("delivery refused", "channel", ch.ID, "err", err)
	}
	return entry
}

// callAPI makes an API-plugin call and returns its result for the engine,
// and the call's name for warnings ("plugin call d-000004"). A non-2xx
// answer, a transport error or an answer that is not a valid plugin
// response is a failure.
func (s *Server) callAPI(conv *conversation, c dialog.CallAPI) (dialog.Event, string) {
	h := http.Header{}
	for k, v := range c.Headers {
		h.Set(k, v)
	}
	ctx, cancel := context.WithTimeout(context.Background(), s.cfg.Delivery.Timeout+time.Second)
	defer cancel()
	d := s.out.Do(ctx, delivery.Request{
		Kind: delivery.KindPlugin, Bot: conv.key.bot, Conversation: conv.key.id, Key: conv.key.String(),
		Method: c.Method, URL: c.URL, Header: h, Body: c.Body, NoRetry: true,
		Accept: func(_ int, body []byte) error { return s.schemas.Validate("plugin-response", body) },
	})
	source := "plugin call " + d.ID
	if d.State != delivery.StateDelivered {
		return dialog.APIResult{Status: d.Status, Err: lastError(d)}, source
	}
	return dialog.APIResult{Status: d.Status, Body: d.ResponseBody}, source
}

// lastError describes why a delivery failed.
func lastError(d delivery.Delivery) string {
	if n := len(d.Attempts); n > 0 && d.Attempts[n-1].Error != "" {
		return d.Attempts[n-1].Error
	}
	return "call failed"
}
