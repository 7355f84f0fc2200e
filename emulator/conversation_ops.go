package emulator

import (
	"encoding/json"
	"net/http"

	"github.com/chatlayer-emulator/chatlayer-emulator/emulator/dialog"
)

// Bot versions.
const (
	versionDraft = "DRAFT"
	versionLive  = "LIVE"
)

// botByID returns a served bot, or a 404 naming the path parameter.
func (s *Server) botByID(id string) (*bot, error) {
	b, ok := s.registry().bots[id]
	if !ok {
		return nil, newError(http.StatusNotFound, "botId", msgUnknownBot, id)
	}
	return b, nil
}

// versionParam reads ?version=, which must be DRAFT or LIVE (default DRAFT
// when optional is true).
func versionParam(r *http.Request, optional bool) (string, error) {
	v := r.URL.Query().Get("version")
	switch {
	case v == versionDraft || v == versionLive:
		return v, nil
	case v == "" && optional:
		return versionDraft, nil
	case v == "":
		return "", badRequest("version", "is required: DRAFT or LIVE")
	}
	return "", badRequest("version", "must be DRAFT or LIVE, not %q", v)
}

// findConversation returns a stored conversation, or a 404.
func (s *Server) findConversation(botID, version, id string) (*conversation, error) {
	conv, ok := s.store.lookup(convKey{bot: botID, version: version, id: id})
	if !ok {
		return nil, newError(http.StatusNotFound, "conversationId", "unknown conversation %q of bot %q (%s)", id, botID, version)
	}
	return conv, nil
}

// onLane runs fn on the conversation's lane, after its pending turns, so
// that what fn sends is ordered with the bot's replies.
func (s *Server) onLane(conv *conversation, fn func()) error {
	if !s.turns.Go(conv.key.String(), fn) {
		return newError(http.StatusServiceUnavailable, "", "the emulator is shutting down")
	}
	return nil
}

// pushMessages sends messages to the conversation's channel as one reply
// (messageCounter 1..n), recorded in history under actor ("agent" for
// conversation actions, "bot" otherwise). Call it on the conversation's lane.
func (s *Server) pushMessages(conv *conversation, msgs []dialog.Message, actor string) {
	for i, m := range msgs {
		s.sendBotMessage(conv, dialog.Send{Message: m, Counter: i + 1}, actor, nil)
	}
}

// stepOnLane feeds an event to the engine on the conversation's lane and
// carries out the effects, like a user turn but without a user message;
// nlp is that of the user text whose reply the event continues, if any
// (see carryOut).
func (s *Server) stepOnLane(b *bot, conv *conversation, in dialog.Input, nlp json.RawMessage) error {
	return s.onLane(conv, func() {
		conv.mu.Lock()
		effects := b.engine.Step(conv.d, in, s.cfg.Clock.Now())
		conv.mu.Unlock()
		s.carryOut(b, conv, effects, nlp)
	})
}
