package emulator

// The warnings journal: input the emulator accepted although Chatlayer's
// contract does not say Chatlayer would (the leniencies of FIDELITY.md),
// and the reasons a flow went somewhere its author may not expect. Served
// at GET /_emulator/warnings, in conversation dumps and in the entries of
// the inbound request journal. Under Config.Strict the leniencies are
// refused instead.

import (
	"context"
	"net/http"
	"sync"
	"time"

	"github.com/chatlayer-emulator/chatlayer-emulator/emulator/dialog"
)

// defaultWarningLogSize bounds the warnings journal.
const defaultWarningLogSize = 1000

// WarningCode names a kind of warning; the codes are the constants
// dialog.Warn* (for example dialog.WarnUnknownBlock).
type WarningCode = dialog.WarningCode

// Warning is one entry of the warnings journal.
type Warning struct {
	Seq  int64       `json:"seq"`
	At   time.Time   `json:"at"`
	Code WarningCode `json:"code"`
	Bot  string      `json:"bot,omitempty"`
	// Conversation is the conversation (sender) id, when one is concerned.
	Conversation string `json:"conversation,omitempty"`
	// Version is the conversation's bot version, when one is concerned.
	Version string `json:"version,omitempty"`
	// Source says what raised it: a request ("POST /api/webview"), a turn
	// of the conversation, or an API-plugin call ("plugin call d-000004").
	Source string `json:"source"`
	// Field is a JSON pointer into the request body or the answer at
	// fault ("/action/nextDialogstate"), when there is one.
	Field   string `json:"field,omitempty"`
	Message string `json:"message"`
}

// scope implements scoped.
func (w Warning) scope() (bot, conversation string) { return w.Bot, w.Conversation }

// requestWarnings collects the warnings raised while one request is
// served, for its entry in the request journal. It lives in the request's
// statusRecorder, which the request's context carries.
type requestWarnings struct {
	mu   sync.Mutex // guards list: a handler may hand work to a lane
	list []Warning
}

// warningsKey is the context key of a request's *requestWarnings.
type warningsKey struct{}

// withRequestWarnings returns r carrying rw, which collects its warnings.
func withRequestWarnings(r *http.Request, rw *requestWarnings) *http.Request {
	return r.WithContext(context.WithValue(r.Context(), warningsKey{}, rw))
}

// taken returns the collected warnings.
func (rw *requestWarnings) taken() []Warning {
	rw.mu.Lock()
	defer rw.mu.Unlock()
	return rw.list
}

// lenient accepts input Chatlayer's contract does not rule on: it records
// w as a warning of request r and returns nil, or, under Config.Strict,
// returns the 400 naming w.Field.
func (s *Server) lenient(r *http.Request, w Warning) error {
	if s.cfg.Strict {
		return badRequest(w.Field, "%s (refused: the emulator runs with --strict)", w.Message)
	}
	s.warnRequest(r, w)
	return nil
}

// warnRequest records w as raised by request r.
func (s *Server) warnRequest(r *http.Request, w Warning) {
	w.Source = r.Method + " " + r.URL.Path
	w = s.record(w)
	if rw, ok := r.Context().Value(warningsKey{}).(*requestWarnings); ok {
		rw.mu.Lock()
		rw.list = append(rw.list, w)
		rw.mu.Unlock()
	}
}

// warnTurn records a warning the engine raised in a turn of conv; source
// names the API-plugin call it concerns, if any.
func (s *Server) warnTurn(conv *conversation, w dialog.Warn, source string) {
	if source == "" {
		source = "turn"
	}
	s.record(Warning{Code: w.Code, Bot: conv.key.bot, Conversation: conv.key.id, Version: conv.key.version,
		Source: source, Field: w.Field, Message: w.Message})
}

// record numbers, dates, journals and logs a warning.
func (s *Server) record(w Warning) Warning {
	w.Seq, w.At = s.warningSeq.Add(1), s.cfg.Clock.Now()
	w.Message = s.registry().mask.Replace(w.Message)
	s.warnings.add(w)
	s.log.Warn(w.Message, "code", w.Code, "bot", w.Bot, "conversation", w.Conversation, "source", w.Source, "field", w.Field)
	return w
}

// Warnings returns the warnings journal of a bot and conversation, oldest
// first; empty strings match everything.
func (s *Server) Warnings(bot, conversation string) []Warning {
	return s.warnings.list(bot, conversation)
}

// warningsResponse lists warnings.
type warningsResponse struct {
	Warnings []Warning `json:"warnings"`
}

// getWarnings lists the warnings journal, filtered by ?bot= and
// ?conversation=.
func (s *Server) getWarnings(r *http.Request) (int, any, error) {
	q := r.URL.Query()
	return http.StatusOK, warningsResponse{Warnings: nonNil(s.Warnings(q.Get("bot"), q.Get("conversation")))}, nil
}
