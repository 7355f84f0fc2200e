package emulator

// The controllable clock and session expiry: GET and POST /_emulator/clock,
// and (*Server).Clock for Go tests.

import (
	"bytes"
	"encoding/json"
	"maps"
	"net/http"
	"slices"
	"sync"
	"time"

	"github.com/chatlayer-emulator/chatlayer-emulator/emulator/dialog"
)

// ControlClock is the server's clock: the configured Clock, shifted by an
// offset, or frozen at a fixed time. The dialog engine, the journals, the
// session store, session expiry and the rate-limit windows all read it, so
// moving it moves the whole emulator. It is safe for concurrent use.
type ControlClock struct {
	base Clock

	mu     sync.Mutex // guards the fields below
	offset time.Duration
	frozen bool
	at     time.Time // the frozen time, when frozen
}

// newControlClock wraps base, initially neither shifted nor frozen.
func newControlClock(base Clock) *ControlClock { return &ControlClock{base: base} }

// Now returns the frozen time, or the base clock's time plus the offset.
func (c *ControlClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.nowLocked()
}

// nowLocked is Now; the caller holds c.mu.
func (c *ControlClock) nowLocked() time.Time {
	if c.frozen {
		return c.at
	}
	return c.base.Now().Add(c.offset)
}

// Set freezes the clock at t until Resume.
func (c *ControlClock) Set(t time.Time) {
	c.mu.Lock()
	c.frozen, c.at = true, t.UTC()
	c.mu.Unlock()
}

// Advance moves the clock forward by d, frozen or not.
func (c *ControlClock) Advance(d time.Duration) {
	c.mu.Lock()
	if c.frozen {
		c.at = c.at.Add(d)
	} else {
		c.offset += d
	}
	c.mu.Unlock()
}

// Resume unfreezes the clock: time runs again from the frozen time, the
// offset to the base clock being kept from then on. It does nothing to a
// running clock.
func (c *ControlClock) Resume() {
	c.mu.Lock()
	if c.frozen {
		c.offset, c.frozen = c.at.Sub(c.base.Now()), false
	}
	c.mu.Unlock()
}

// clockState is the answer of GET and POST /_emulator/clock.
type clockState struct {
	Now    time.Time `json:"now"`
	Frozen bool      `json:"frozen"`
	Offset string    `json:"offset"` // a Go duration: Now minus the base clock
}

// state reports the clock's time, whether it is frozen, and its offset.
func (c *ControlClock) state() clockState {
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.frozen {
		return clockState{Now: c.base.Now().Add(c.offset), Offset: c.offset.String()}
	}
	return clockState{Now: c.at, Frozen: true, Offset: c.at.Sub(c.base.Now()).String()}
}

// Clock returns the server's clock, to freeze or move time from Go tests.
func (s *Server) Clock() *ControlClock { return s.cfg.Clock.(*ControlClock) }

// getClock answers the clock's state.
func (s *Server) getClock(*http.Request) (int, any, error) {
	return http.StatusOK, s.Clock().state(), nil
}

// clockRequest is the body of POST /_emulator/clock: exactly one field.
type clockRequest struct {
	Set     *string `json:"set"`     // RFC 3339 time: freeze there
	Advance *string `json:"advance"` // Go duration, not negative
	Resume  *bool   `json:"resume"`  // true: unfreeze
}

// postClock freezes, moves or resumes the clock and answers its state.
func (s *Server) postClock(r *http.Request) (int, any, error) {
	req, err := readClockRequest(r, s.cfg.MaxBodyBytes)
	if err != nil {
		return 0, nil, err
	}
	apply, err := req.action()
	if err != nil {
		return 0, nil, err
	}
	apply(s.Clock())
	return http.StatusOK, s.Clock().state(), nil
}

// readClockRequest decodes the body, refusing unknown fields.
func readClockRequest(r *http.Request, limit int64) (clockRequest, error) {
	var req clockRequest
	if err := checkContentType(r); err != nil {
		return req, err
	}
	body, err := readBody(r, limit)
	if err != nil {
		return req, err
	}
	if err := decodeStrict(body, &req); err != nil {
		return req, err
	}
	return req, unknownField(body, "set", "advance", "resume")
}

// action checks the request and returns what it does to the clock.
func (req clockRequest) action() (func(*ControlClock), error) {
	switch {
	case req.given() != 1:
		return nil, badRequest("", "give exactly one of set, advance or resume")
	case req.Set != nil:
		t, err := time.Parse(time.RFC3339Nano, *req.Set)
		if err != nil {
			return nil, badRequest("/set", "must be an RFC 3339 time such as 2026-01-02T15:04:05Z")
		}
		return func(c *ControlClock) { c.Set(t) }, nil
	case req.Advance != nil:
		d, err := time.ParseDuration(*req.Advance)
		if err != nil || d < 0 {
			return nil, badRequest("/advance", "must be a duration that is not negative, such as 30m or 720h")
		}
		return func(c *ControlClock) { c.Advance(d) }, nil
	case !*req.Resume:
		return nil, badRequest("/resume", "must be true")
	}
	return (*ControlClock).Resume, nil
}

// given counts the fields the request sets.
func (req clockRequest) given() int {
	n := 0
	for _, set := range []bool{req.Set != nil, req.Advance != nil, req.Resume != nil} {
		if set {
			n++
		}
	}
	return n
}

// unknownField returns a 400 naming the first key (in sorted order) of the
// JSON object body that is not in known.
func unknownField(body []byte, known ...string) error {
	var m map[string]json.RawMessage
	if err := json.NewDecoder(bytes.NewReader(body)).Decode(&m); err != nil {
		return nil // decodeStrict reports it
	}
	for _, k := range slices.Sorted(maps.Keys(m)) {
		if !slices.Contains(known, k) {
			return badRequest("/"+k, "unknown field")
		}
	}
	return nil
}

// restartIfExpired gives the conversation a fresh session when it has
// been inactive longer than the session TTL, as Chatlayer deletes sessions
// after its data-retention period. The flow starts over (a text is a first
// message again); the channel, the user and the history are kept. The
// caller holds conv.mu.
func (s *Server) restartIfExpired(b *bot, conv *conversation, now time.Time) {
	old := conv.d
	if s.cfg.SessionTTL < 0 || now.Sub(old.LastActivity) <= s.cfg.SessionTTL {
		return
	}
	d := dialog.NewConversation(b.def.Script, conv.key.version, conv.key.id, now)
	d.Channel, d.ChannelID, d.User, d.Locale = old.Channel, old.ChannelID, old.User, old.Locale
	conv.d = d
}
