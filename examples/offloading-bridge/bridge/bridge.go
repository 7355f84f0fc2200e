// Package bridge is a reference offloading webhook: the live-chat bridge
// a team puts between Chatlayer and its agents (Chatlayer's Settings →
// Offloading → Webhook). It is small on purpose, and it is what the
// emulator's acceptance tests and the conformance suite's "good vendor"
// run against.
//
// The webhook, at /offloading:
//
//   - checks ?challenge.verifyToken= on every request (401 on a mismatch);
//   - answers the health check GET with {"status":"ok"};
//   - records messages and offload events per session, in both dialects
//     (event/actor, and the 2020 type/type), tolerating unknown fields and
//     answering unknown event types 200;
//   - answers offloads with {"offloadSuccess":true,"pauseBot":true};
//   - is idempotent: a re-delivered event (same X-Emulator-Delivery-Id, or
//     the same body) is answered 200 again and recorded once.
//
// The agent side:
//
//	GET  /sessions                  the session ids seen
//	GET  /sessions/{sessionId}      what the bridge knows of a session
//	POST /agent/{sessionId}/reply   {"text": "..."}: an agent message, sent
//	                                through the conversation actions API
//	POST /agent/{sessionId}/handback {"block"?: "..."}: gives the
//	                                conversation back to the bot
//
// The two agent routes are also what the conformance suite calls to play
// the agent (chatlayer-emulator conformance --handback
// http://<bridge>/agent/{sessionId}).
//
// Chatlayer docs: https://docs.chatlayer.ai/integrateandcode/human-offloading-live-chat/offloading-webhook
package bridge

import (
	"crypto/sha256"
	"crypto/subtle"
	"encoding/json"
	"io"
	"net/http"
	"sort"
	"sync"
	"time"
)

// maxBody caps the events read (an offload carries the whole transcript).
const maxBody = 16 << 20

// tokenParam is the query parameter Chatlayer puts the verify token in.
const tokenParam = "challenge.verifyToken"

// Config configures a Bridge.
type Config struct {
	// VerifyToken is the token Chatlayer sends as ?challenge.verifyToken=.
	VerifyToken string
	// ChatlayerURL is the base URL of the Chatlayer API (or the emulator),
	// such as http://127.0.0.1:8080; agent calls go to its v1 API.
	ChatlayerURL string
	// Token is a v1 API access token, sent as a Bearer token.
	Token string
	// Version is the bot version of agent calls when a session does not
	// tell it: DRAFT (default) or LIVE.
	Version string
	// Client makes the agent calls (default: a client with a 10 s timeout).
	Client *http.Client
}

// Bridge is the offloading webhook and its agent API; it is an
// http.Handler and safe for concurrent use.
type Bridge struct {
	cfg Config
	mux *http.ServeMux

	mu       sync.Mutex // guards sessions and seen
	sessions map[string]*Session
	seen     map[string]bool // keys of the events already recorded
}

// Session is what the bridge knows of one conversation.
type Session struct {
	SessionID string `json:"sessionId"`
	BotID     string `json:"botId"`
	Version   string `json:"version"`
	Channel   string `json:"channel,omitempty"`
	// Offloaded is set by an offload and cleared by a hand-back.
	Offloaded bool `json:"offloaded"`
	// Payload and Transcript come from the last offload event.
	Payload    json.RawMessage `json:"payload,omitempty"`
	Transcript []Item          `json:"transcript"`
	// Events lists every event received, in arrival order.
	Events []Event `json:"events"`
}

// Event is one event received: its name ("messages", "offload", or an
// unknown one), its timestamp and, for messages, its items.
type Event struct {
	Event     string `json:"event"`
	Timestamp string `json:"timestamp"`
	Messages  []Item `json:"messages,omitempty"`
}

// Item is one message: who sent it ("user" or "bot"), the message and
// when. Items of the 2020 dialect (type instead of actor) are read too.
type Item struct {
	Actor     string          `json:"actor"`
	Message   json.RawMessage `json:"message"`
	Timestamp string          `json:"timestamp"`
}

// New returns a Bridge.
func New(cfg Config) *Bridge {
	if cfg.Version == "" {
		cfg.Version = "DRAFT"
	}
	if cfg.Client == nil {
		cfg.Client = &http.Client{Timeout: 10 * time.Second}
	}
	b := &Bridge{cfg: cfg, mux: http.NewServeMux(), sessions: map[string]*Session{}, seen: map[string]bool{}}
	b.mux.HandleFunc("GET /offloading", b.checked(b.health))
	b.mux.HandleFunc("POST /offloading", b.checked(b.event))
	b.mux.HandleFunc("GET /sessions", b.listSessions)
	b.mux.HandleFunc("GET /sessions/{sessionId}", b.getSession)
	b.mux.HandleFunc("POST /agent/{sessionId}/reply", b.reply)
	b.mux.HandleFunc("POST /agent/{sessionId}/handback", b.handback)
	return b
}

// ServeHTTP implements http.Handler.
func (b *Bridge) ServeHTTP(w http.ResponseWriter, r *http.Request) { b.mux.ServeHTTP(w, r) }

// checked refuses requests whose verify token does not match (401).
func (b *Bridge) checked(next http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		got := r.URL.Query().Get(tokenParam)
		if subtle.ConstantTimeCompare([]byte(got), []byte(b.cfg.VerifyToken)) != 1 {
			writeJSON(w, http.StatusUnauthorized, map[string]string{"error": "wrong or missing " + tokenParam})
			return
		}
		next(w, r)
	}
}

// health answers the health check.
func (b *Bridge) health(w http.ResponseWriter, _ *http.Request) {
	writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
}

// envelope is the part of an event the bridge reads, in both dialects.
type envelope struct {
	Event      string          `json:"event"`
	Type       string          `json:"type"` // 2020 dialect
	BotID      string          `json:"botId"`
	Version    string          `json:"version"`
	SessionID  string          `json:"sessionId"`
	Channel    string          `json:"channel"`
	Timestamp  string          `json:"timestamp"`
	Messages   []wireItem      `json:"messages"`
	Payload    json.RawMessage `json:"payload"`
	Transcript []wireItem      `json:"transcript"`
}

// wireItem is an item as sent: actor, or type in the 2020 dialect.
type wireItem struct {
	Actor     string          `json:"actor"`
	Type      string          `json:"type"`
	Message   json.RawMessage `json:"message"`
	Timestamp string          `json:"timestamp"`
}

// event handles a POST: messages, offload, or an unknown event (200).
func (b *Bridge) event(w http.ResponseWriter, r *http.Request) {
	raw, err := io.ReadAll(io.LimitReader(r.Body, maxBody))
	var ev envelope
	if err == nil {
		err = json.Unmarshal(raw, &ev)
	}
	if err != nil {
		writeJSON(w, http.StatusBadRequest, map[string]string{"error": "the body is not a JSON event"})
		return
	}
	name := firstOf(ev.Event, ev.Type)
	if ev.SessionID != "" && b.firstDelivery(r, raw) {
		b.record(name, ev)
	}
	if name == "offload" {
		writeJSON(w, http.StatusOK, map[string]bool{"offloadSuccess": true, "pauseBot": true})
		return
	}
	w.WriteHeader(http.StatusOK)
}

// firstDelivery reports whether the event was not seen yet: the key is
// the emulator's delivery id when present, else a hash of the body.
func (b *Bridge) firstDelivery(r *http.Request, raw []byte) bool {
	key := r.Header.Get("X-Emulator-Delivery-Id")
	if key == "" {
		sum := sha256.Sum256(raw)
		key = string(sum[:])
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.seen[key] {
		return false
	}
	b.seen[key] = true
	return true
}

// record stores an event in its session.
func (b *Bridge) record(name string, ev envelope) {
	b.mu.Lock()
	defer b.mu.Unlock()
	s := b.sessions[ev.SessionID]
	if s == nil {
		s = &Session{SessionID: ev.SessionID, Transcript: []Item{}, Events: []Event{}}
		b.sessions[ev.SessionID] = s
	}
	s.BotID, s.Version, s.Channel = firstOf(ev.BotID, s.BotID), firstOf(ev.Version, s.Version), firstOf(ev.Channel, s.Channel)
	e := Event{Event: name, Timestamp: ev.Timestamp}
	if len(ev.Messages) > 0 {
		e.Messages = items(ev.Messages)
	}
	s.Events = append(s.Events, e)
	if name == "offload" {
		s.Offloaded, s.Payload, s.Transcript = true, ev.Payload, items(ev.Transcript)
	}
}

// items converts wire items, reading the 2020 "type" as the actor.
func items(in []wireItem) []Item {
	out := make([]Item, 0, len(in))
	for _, it := range in {
		out = append(out, Item{Actor: firstOf(it.Actor, it.Type), Message: it.Message, Timestamp: it.Timestamp})
	}
	return out
}

// Session returns a copy of what the bridge knows of a session.
func (b *Bridge) Session(id string) (Session, bool) {
	b.mu.Lock()
	defer b.mu.Unlock()
	s, ok := b.sessions[id]
	if !ok {
		return Session{}, false
	}
	out := *s
	out.Events = append([]Event(nil), s.Events...)
	out.Transcript = append([]Item(nil), s.Transcript...)
	return out, true
}

// listSessions answers the session ids seen, sorted.
func (b *Bridge) listSessions(w http.ResponseWriter, _ *http.Request) {
	b.mu.Lock()
	ids := make([]string, 0, len(b.sessions))
	for id := range b.sessions {
		ids = append(ids, id)
	}
	b.mu.Unlock()
	sort.Strings(ids)
	writeJSON(w, http.StatusOK, map[string][]string{"sessions": ids})
}

// getSession answers a session, or 404.
func (b *Bridge) getSession(w http.ResponseWriter, r *http.Request) {
	s, ok := b.Session(r.PathValue("sessionId"))
	if !ok {
		writeJSON(w, http.StatusNotFound, map[string]string{"error": "unknown session"})
		return
	}
	writeJSON(w, http.StatusOK, s)
}

// writeJSON writes v as JSON with status.
func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}

// firstOf returns the first non-empty string.
func firstOf(a, b string) string {
	if a != "" {
		return a
	}
	return b
}
