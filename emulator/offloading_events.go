package emulator

// The "messages" and "offload" events POSTed to a bot's offloading
// webhook (docs/CONTRACT.md §2.3, §2.4), in the current dialect (event,
// actor) or the 2020 one (type in both places, FIDELITY.md Q32).
//
// Every user message goes out as its own messages event, the bot messages
// of one turn as one event batching them in order: the batch is flushed
// before an offload request and at the end of the turn, so the provider
// sees the messages in their true order. Agent messages (conversation
// actions) are not sent back: they come from the provider.

import (
	"encoding/json"
	"net/http"

	"github.com/chatlayer-emulator/chatlayer-emulator/emulator/delivery"
	"github.com/chatlayer-emulator/chatlayer-emulator/scenarios"
)

// Event names of the offloading webhook.
const (
	eventMessages = "messages"
	eventOffload  = "offload"
)

// offloadingItem is one message of an event: {actor, message, timestamp},
// with "type" instead of "actor" in the 2020 dialect.
type offloadingItem struct {
	Actor     string          `json:"actor,omitempty"`
	Type      string          `json:"type,omitempty"`
	Message   json.RawMessage `json:"message"`
	Timestamp string          `json:"timestamp"`
}

// offloadingHeader is what every event starts with; Event or Type names
// the event, by dialect.
type offloadingHeader struct {
	Event     string `json:"event,omitempty"`
	Type      string `json:"type,omitempty"`
	BotID     string `json:"botId"`
	Version   string `json:"version"`
	SessionID string `json:"sessionId"`
	Channel   string `json:"channel"`
	Timestamp string `json:"timestamp"`
}

// messagesEvent is a "messages" event.
type messagesEvent struct {
	offloadingHeader
	Messages []offloadingItem `json:"messages"`
}

// offloadEvent is an "offload" event: the action's payload and every
// message of the conversation so far.
type offloadEvent struct {
	offloadingHeader
	Payload    map[string]any   `json:"payload"`
	Transcript []offloadingItem `json:"transcript"`
}

// header builds an event's header in the provider's dialect.
func (s *Server) header(conv *conversation, dialect scenarios.OffloadingDialect, event string) offloadingHeader {
	conv.mu.Lock()
	channel := conv.d.Channel
	conv.mu.Unlock()
	h := offloadingHeader{
		BotID: conv.key.bot, Version: conv.key.version, SessionID: conv.key.id,
		Channel: channel, Timestamp: s.cfg.Clock.Now().UTC().Format(timeFormat),
	}
	if dialect == scenarios.Dialect2020 {
		h.Type = event
	} else {
		h.Event = event
	}
	return h
}

// itemOf turns a history entry into an event item. Agent messages count
// as bot messages: the user saw them on the bot's side.
func itemOf(e historyEntry, dialect scenarios.OffloadingDialect) offloadingItem {
	actor := e.Actor
	if actor == actorAgent {
		actor = actorBot
	}
	it := offloadingItem{Message: e.Message, Timestamp: e.CreatedAt.UTC().Format(timeFormat)}
	if dialect == scenarios.Dialect2020 {
		it.Type = actor
	} else {
		it.Actor = actor
	}
	return it
}

// Actors of history entries.
const (
	actorUser  = "user"
	actorBot   = "bot"
	actorAgent = "agent"
)

// offloadingKey is the ordering key of a conversation's calls to the
// provider: a lane of its own, so a dead provider never delays the
// user's webhook.
func offloadingKey(conv *conversation) string { return conv.key.String() + "/offloading" }

// sendMessagesEvent queues a messages event with the entries, when the
// bot has a provider URL (whatever its status). It is retried like a
// channel delivery; any 2xx answer is a success.
func (s *Server) sendMessagesEvent(b *bot, conv *conversation, entries []historyEntry) {
	o := b.offloading.config()
	if o.URL == "" || len(entries) == 0 {
		return
	}
	ev := messagesEvent{offloadingHeader: s.header(conv, o.Dialect, eventMessages)}
	for _, e := range entries {
		ev.Messages = append(ev.Messages, itemOf(e, o.Dialect))
	}
	body, _ := marshalJSON(ev) // always marshals: JSON values only
	_, err := s.out.Enqueue(delivery.Request{
		Kind: delivery.KindOffloading, Bot: conv.key.bot, Conversation: conv.key.id, Key: offloadingKey(conv),
		Method: http.MethodPost, URL: providerURL(o), Body: body, Secrets: providerSecrets(o),
	})
	if err != nil {
		s.log.Warn("messages event refused", "bot", conv.key.bot, "conversation", conv.key.id, "err", err)
	}
}

// botBatch collects the bot messages of one turn for one messages event.
type botBatch struct {
	s       *Server
	b       *bot
	conv    *conversation
	entries []historyEntry
}

// add appends a bot message; a zero entry (not recorded) is skipped.
func (bb *botBatch) add(e historyEntry) {
	if e.ID != "" {
		bb.entries = append(bb.entries, e)
	}
}

// flush sends the collected messages as one event and starts a new batch.
func (bb *botBatch) flush() {
	bb.s.sendMessagesEvent(bb.b, bb.conv, bb.entries)
	bb.entries = nil
}

// transcript lists every message of the conversation so far as items.
func transcript(conv *conversation, dialect scenarios.OffloadingDialect) []offloadingItem {
	conv.mu.Lock()
	defer conv.mu.Unlock()
	out := make([]offloadingItem, 0, len(conv.history))
	for _, e := range conv.historyLocked() {
		out = append(out, itemOf(e, dialect))
	}
	return out
}
