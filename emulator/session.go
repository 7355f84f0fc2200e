package emulator

// GET and DELETE /v1/bots/{botId}/conversations/{conversationId}/session-data
// (getConversationSessionData, deleteSessionDataByConversationId).
// Docs: https://docs.chatlayer.ai/bot-answers/session and
// https://docs.chatlayer.ai/bot-answers/settings/data-retention

import (
	"encoding/json"
	"net/http"

	"github.com/chatlayer-emulator/chatlayer-emulator/emulator/dialog"
)

// getSessionData answers the conversation's whole session: every
// namespace, including the read-only "internal" and "sys" (FIDELITY.md Q8).
func (s *Server) getSessionData(r *http.Request) (int, any, error) {
	b, conv, err := s.v1Conversation(r)
	if err != nil {
		return 0, nil, err
	}
	conv.mu.Lock()
	raw, err := marshalJSON(b.engine.SessionView(conv.d)) // a snapshot: the session changes after unlock
	conv.mu.Unlock()
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, json.RawMessage(raw), nil
}

// deleteSessionData resets the conversation's session and flow state and
// answers 204 at once. The reset is queued on the conversation's lane,
// behind the turns already accepted, so it never cuts a turn in half; the
// next turn accepted after this answer starts fresh (a text then behaves
// as a first message: its intent, or the Introduction).
func (s *Server) deleteSessionData(r *http.Request) (int, any, error) {
	b, conv, err := s.v1Conversation(r)
	if err != nil {
		return 0, nil, err
	}
	err = s.onLane(conv, func() {
		conv.mu.Lock()
		s.resetSession(b, conv)
		conv.mu.Unlock()
	})
	if err != nil {
		return 0, nil, err
	}
	return http.StatusNoContent, nil, nil
}

// resetSession replaces the conversation's dialog state with a fresh one
// of the same bot, version and session id, keeping the channel, the user,
// the locale and the creation time (the history is kept too). The caller
// holds conv.mu and runs on the conversation's lane.
func (s *Server) resetSession(b *bot, conv *conversation) {
	old := conv.d
	d := dialog.NewConversation(b.def.Script, old.Version, old.SessionID, s.cfg.Clock.Now())
	d.Channel, d.ChannelID, d.User, d.Locale = old.Channel, old.ChannelID, old.User, old.Locale
	d.CreatedAt = old.CreatedAt
	conv.d = d
}
