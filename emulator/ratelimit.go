package emulator

// Rate limits of the v1 API (https://docs.chatlayer.ai/integrations/integrations-101;
// FIDELITY.md "Rate limits"): x-ratelimit-* headers and 429.

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
)

// msgRateLimited is the message of a 429.
const msgRateLimited = "rate limit of %d requests per %s exceeded for this access token: retry after %d s"

// rateLimit counts every /v1 request that carries a bearer token against
// a fixed window per token, and answers 429 past the limit. The headers go
// on every counted response, including the handlers' own errors. Requests
// without a bearer token are not counted: the handler answers 401.
func (s *Server) rateLimit(next http.Handler) http.Handler {
	if s.cfg.RateLimit.Off {
		return next
	}
	l := newRateLimiter(s.cfg.RateLimit, s.cfg.Clock.Now)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		token, err := s.v1Token(r)
		if err != nil || !strings.HasPrefix(r.URL.Path, "/v1/") {
			next.ServeHTTP(w, r)
			return
		}
		q := l.take(token)
		q.writeHeaders(w.Header(), l.cfg.ResetUnit)
		if !q.allowed {
			w.Header().Set("Retry-After", strconv.Itoa(q.retryAfter()))
			writeError(w, newError(http.StatusTooManyRequests, "Authorization", msgRateLimited,
				l.cfg.Limit, l.cfg.Window, q.retryAfter()))
			return
		}
		next.ServeHTTP(w, r)
	})
}

// rateLimiter keeps one fixed window per token. Windows are aligned on
// multiples of the window length (a one-minute window ends on the minute),
// so a window's end does not depend on when its first request came.
type rateLimiter struct {
	cfg RateLimit
	now func() time.Time

	mu        sync.Mutex // guards the fields below
	windows   map[string]*rateWindow
	nextSweep time.Time
}

// rateWindow is a token's current window.
type rateWindow struct {
	end  time.Time
	used int
}

// quota is the outcome of counting one request.
type quota struct {
	limit, remaining int
	allowed          bool
	now, reset       time.Time
}

// newRateLimiter returns a limiter with no windows.
func newRateLimiter(cfg RateLimit, now func() time.Time) *rateLimiter {
	return &rateLimiter{cfg: cfg, now: now, windows: map[string]*rateWindow{}}
}

// take counts one request of token in its current window.
func (l *rateLimiter) take(token string) quota {
	now := l.now()
	l.mu.Lock()
	defer l.mu.Unlock()
	l.sweep(now)
	w := l.windows[token]
	if w == nil || !now.Before(w.end) {
		w = &rateWindow{end: now.Truncate(l.cfg.Window).Add(l.cfg.Window)}
		l.windows[token] = w
	}
	q := quota{limit: l.cfg.Limit, now: now, reset: w.end}
	if w.used < l.cfg.Limit {
		w.used++
		q.allowed = true
	}
	q.remaining = l.cfg.Limit - w.used
	return q
}

// sweep drops the windows that have ended, at most once per window length,
// so memory stays bounded by the tokens seen in one window.
func (l *rateLimiter) sweep(now time.Time) {
	if now.Before(l.nextSweep) {
		return
	}
	for token, w := range l.windows {
		if !now.Before(w.end) {
			delete(l.windows, token)
		}
	}
	l.nextSweep = now.Add(l.cfg.Window)
}

// writeHeaders sets the x-ratelimit-* headers; the reset time is a UTC
// epoch in the unit.
func (q quota) writeHeaders(h http.Header, unit ResetUnit) {
	h.Set("x-ratelimit-limit", strconv.Itoa(q.limit))
	h.Set("x-ratelimit-remaining", strconv.Itoa(q.remaining))
	h.Set("x-ratelimit-reset", strconv.FormatInt(unit.epoch(q.reset), 10))
}

// retryAfter is the number of seconds until the window ends, rounded up.
func (q quota) retryAfter() int {
	d := q.reset.Sub(q.now)
	return max(1, int((d+time.Second-1)/time.Second))
}

// ResetUnit is the unit of the x-ratelimit-reset header, a UTC epoch time.
// Chatlayer's docs conflict: their text says seconds, their example
// (1609459200000) is in milliseconds.
type ResetUnit int

// Units of x-ratelimit-reset.
const (
	// ResetMilliseconds is epoch milliseconds, as in the docs' example
	// (the default).
	ResetMilliseconds ResetUnit = iota
	// ResetSeconds is epoch seconds, as the docs' text says, rounded up.
	ResetSeconds
)

// String returns the unit's name in --rate-limit-reset-unit: "ms" or "s".
func (u ResetUnit) String() string {
	switch u {
	case ResetMilliseconds:
		return "ms"
	case ResetSeconds:
		return "s"
	}
	return fmt.Sprintf("ResetUnit(%d)", int(u))
}

// MarshalText implements encoding.TextMarshaler: "ms" or "s".
func (u ResetUnit) MarshalText() ([]byte, error) {
	if err := u.check(); err != nil {
		return nil, err
	}
	return []byte(u.String()), nil
}

// UnmarshalText implements encoding.TextUnmarshaler: it takes "ms" or "s".
func (u *ResetUnit) UnmarshalText(text []byte) error {
	for _, unit := range []ResetUnit{ResetMilliseconds, ResetSeconds} {
		if string(text) == unit.String() {
			*u = unit
			return nil
		}
	}
	return fmt.Errorf("rate-limit reset unit must be ms or s, not %q", text)
}

// check reports a value that is none of the units.
func (u ResetUnit) check() error {
	switch u {
	case ResetMilliseconds, ResetSeconds:
		return nil
	}
	return fmt.Errorf("unknown reset unit %d: want ResetMilliseconds or ResetSeconds", int(u))
}

// epoch is t as a UTC epoch in the unit. Seconds are rounded up, so that a
// client that waits until the reset never comes back inside the window.
// Config validation refuses values that are none of the units.
func (u ResetUnit) epoch(t time.Time) int64 {
	if u == ResetSeconds {
		return t.Add(time.Second - 1).Unix()
	}
	return t.UnixMilli()
}
