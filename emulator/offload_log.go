package emulator

// The offload log: every offload request and what became of it, served at
// GET /_emulator/offloads and in conversation dumps.

import (
	"net/http"
	"time"

	"github.com/chatlayer-emulator/chatlayer-emulator/emulator/dialog"
)

// defaultOffloadLogSize bounds the offload log.
const defaultOffloadLogSize = 1000

// OffloadRecord is one offload request and its outcome.
type OffloadRecord struct {
	Bot          string    `json:"bot"`
	Version      string    `json:"version"`
	Conversation string    `json:"conversation"`
	At           time.Time `json:"at"`
	// Outcome is opened, closed or disabled: the block the user went to.
	Outcome  string `json:"outcome"`
	PauseBot bool   `json:"pauseBot,omitempty"`
	// Reason says why, for example "status 500 Internal Server Error".
	Reason string `json:"reason"`
	// DeliveryID is the journal id of the offload call, when one was made.
	DeliveryID string `json:"deliveryId,omitempty"`
}

// scope implements scoped.
func (r OffloadRecord) scope() (bot, conversation string) { return r.Bot, r.Conversation }

// logOffload records the outcome of an offload of conv.
func (s *Server) logOffload(conv *conversation, res dialog.OffloadResult, deliveryID string) {
	s.offloads.add(OffloadRecord{
		Bot: conv.key.bot, Version: conv.key.version, Conversation: conv.key.id, At: s.cfg.Clock.Now(),
		Outcome: string(res.Outcome), PauseBot: res.PauseBot, Reason: res.Reason, DeliveryID: deliveryID,
	})
	s.log.Info("offload", "bot", conv.key.bot, "conversation", conv.key.id, "outcome", res.Outcome, "reason", res.Reason)
}

// Offloads returns the offload records of a bot and conversation, oldest
// first; empty strings match everything.
func (s *Server) Offloads(bot, conversation string) []OffloadRecord {
	return s.offloads.list(bot, conversation)
}

// offloadsResponse lists offload records.
type offloadsResponse struct {
	Offloads []OffloadRecord `json:"offloads"`
}

// getOffloads lists the offload log, filtered by ?bot= and ?conversation=.
func (s *Server) getOffloads(r *http.Request) (int, any, error) {
	q := r.URL.Query()
	return http.StatusOK, offloadsResponse{Offloads: nonNil(s.Offloads(q.Get("bot"), q.Get("conversation")))}, nil
}
