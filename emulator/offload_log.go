package emulator

// The offload log: every offload request and what became of it, served at
// GET /_emulator/offloads and in conversation dumps.

import (
	"net/http"
	"sync"
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

// offloadLog is a bounded log of offload records, oldest first.
type offloadLog struct {
	mu      sync.Mutex // guards records
	records []OffloadRecord
	size    int
}

// newOffloadLog returns a log keeping the last size records.
func newOffloadLog(size int) *offloadLog { return &offloadLog{size: size} }

// add appends a record, dropping the oldest past the bound.
func (l *offloadLog) add(r OffloadRecord) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if len(l.records) >= l.size {
		l.records = append(l.records[:0], l.records[len(l.records)-l.size+1:]...)
	}
	l.records = append(l.records, r)
}

// list returns the records of a bot and conversation ("" matches all).
func (l *offloadLog) list(bot, conversation string) []OffloadRecord {
	l.mu.Lock()
	defer l.mu.Unlock()
	var out []OffloadRecord
	for _, r := range l.records {
		if (bot == "" || r.Bot == bot) && (conversation == "" || r.Conversation == conversation) {
			out = append(out, r)
		}
	}
	return out
}

// reset forgets the records of a bot and conversation ("" matches all).
func (l *offloadLog) reset(bot, conversation string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	kept := l.records[:0]
	for _, r := range l.records {
		if (bot != "" && r.Bot != bot) || (conversation != "" && r.Conversation != conversation) {
			kept = append(kept, r)
		}
	}
	l.records = kept
}

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
