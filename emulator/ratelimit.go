package emulator

// Rate limits of the v1 API (contract §2.3): x-ratelimit-* headers and 429.

import (
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
		token, err := bearerToken(r)
		if err != nil || !strings.HasPrefix(r.URL.Path, "/v1/") {
			next.ServeHTTP(w, r)
			return
		}
		q := l.take(token)
		q.writeHeaders(w.Header())
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
// epoch in milliseconds, as in Chatlayer's example (1609459200000).
func (q quota) writeHeaders(h http.Header) {
	h.Set("x-ratelimit-limit", strconv.Itoa(q.limit))
	h.Set("x-ratelimit-remaining", strconv.Itoa(q.remaining))
	h.Set("x-ratelimit-reset", strconv.FormatInt(q.reset.UnixMilli(), 10))
}

// retryAfter is the number of seconds until the window ends, rounded up.
func (q quota) retryAfter() int {
	d := q.reset.Sub(q.now)
	return max(1, int((d+time.Second-1)/time.Second))
}
