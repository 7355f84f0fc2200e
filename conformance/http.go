package conformance

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptrace"
	"sync/atomic"
	"time"

	"github.com/chatlayer-emulator/chatlayer-emulator/emulator/egress"
)

// Limits on what the suite reads and keeps.
const (
	maxAnswer  = 1 << 20 // bytes read from an answer; the rest is dropped
	maxExcerpt = 4 << 10 // bytes of a body kept in evidence
)

// request is one HTTP call the suite makes.
type request struct {
	check       string // id of the check that makes it
	method, url string
	body        []byte
	header      http.Header
	offContract bool          // a deliberate negative case
	toTarget    bool          // counted by the latency check
	expect200   bool          // counted by the status-200 check
	coverage    []string      // coverage keys, e.g. "bot:text", "event:offload"
	timeout     time.Duration // overrides Options.Timeout when set
}

// exchange is a request and what came back.
type exchange struct {
	req       request
	status    int
	header    http.Header
	body      []byte // at most maxAnswer bytes
	truncated bool   // the answer was longer than maxAnswer
	latency   time.Duration
	err       error // transport error, masked when reported
	retried   error // the failure on a reused connection that the answer's attempt retried
	timedOut  bool  // no full answer within the per-request timeout
	budgetCut bool  // the run's budget ended during the request
}

// ok reports whether the exchange got a 2xx answer.
func (x *exchange) ok() bool { return x.err == nil && x.status >= 200 && x.status < 300 }

// newClient returns the suite's clients, which never follow redirects: a
// pooling one for every request, and one without connection reuse for the
// single retry of a request whose reused connection broke (see do). A
// given client's Transport and Jar are kept; its Timeout is replaced by
// the per-request deadline. Without one, the dialer applies the egress
// policy to every address the suite connects to. The function closes the
// idle connections of the transports the suite made, never those of a
// given client.
func newClient(base *http.Client, policy egress.Policy) (pooled, fresh *http.Client, closeIdle func()) {
	c := &http.Client{}
	if base != nil {
		*c = *base
	}
	c.Timeout = 0
	c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	var made []*http.Transport
	if c.Transport == nil {
		t := http.DefaultTransport.(*http.Transport).Clone()
		t.DialContext = (&net.Dialer{Timeout: 30 * time.Second, KeepAlive: 30 * time.Second, Control: policy.Control}).DialContext
		t.MaxIdleConnsPerHost = 16
		c.Transport, made = t, append(made, t)
	}
	f := *c
	if t, ok := c.Transport.(*http.Transport); ok {
		nt := t.Clone()
		nt.DisableKeepAlives = true
		f.Transport, made = nt, append(made, nt)
	}
	return c, &f, func() {
		for _, t := range made {
			t.CloseIdleConnections()
		}
	}
}

// send makes one request under the per-request timeout and records it.
func (r *runner) send(ctx context.Context, q request) *exchange {
	x := r.do(ctx, q)
	r.mu.Lock()
	r.exchanges = append(r.exchanges, x)
	r.mu.Unlock()
	return x
}

// do makes the request and reads at most maxAnswer bytes of the answer.
// A request that fails on a reused connection before any byte of the
// answer came back is retried once on a new connection: the server closed
// the connection while the request was on its way, which says nothing
// about the endpoint (Go's transport retries such requests only when they
// are idempotent, and the suite's POSTs are not). Chatlayer's own
// connection handling is not documented; a verdict must not depend on the
// client's.
func (r *runner) do(ctx context.Context, q request) *exchange {
	timeout := r.opts.Timeout
	if q.timeout > 0 {
		timeout = q.timeout
	}
	rctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	start := time.Now()
	x, stale := r.attempt(rctx, r.client, q)
	if stale && rctx.Err() == nil {
		first := x.err
		x, _ = r.attempt(rctx, r.fresh, q)
		x.retried = first
	}
	x.latency = time.Since(start)
	if x.err != nil {
		x.classify(x.err, ctx, rctx)
	}
	return x
}

// attempt sends the request once through c. stale reports a failure on a
// reused connection before any byte of the answer arrived.
func (r *runner) attempt(ctx context.Context, c *http.Client, q request) (x *exchange, stale bool) {
	x = &exchange{req: q}
	var reused, answered atomic.Bool // set by the transport's goroutines
	trace := &httptrace.ClientTrace{
		GotConn:              func(info httptrace.GotConnInfo) { reused.Store(info.Reused) },
		GotFirstResponseByte: func() { answered.Store(true) },
	}
	req, err := http.NewRequestWithContext(httptrace.WithClientTrace(ctx, trace), q.method, q.url, bytes.NewReader(q.body))
	if err != nil {
		x.err = err
		return x, false
	}
	req.Header = r.headers(q)
	resp, err := c.Do(req)
	if err != nil {
		x.err = err
		return x, reused.Load() && !answered.Load()
	}
	x.status, x.header = resp.StatusCode, resp.Header
	x.body, x.truncated, x.err = readCapped(resp.Body)
	resp.Body.Close()
	return x, false
}

// classify records why a request got no full answer.
func (x *exchange) classify(err error, run, req context.Context) {
	x.err = err
	switch {
	case run.Err() != nil:
		x.budgetCut = true
	case errors.Is(req.Err(), context.DeadlineExceeded):
		x.timedOut = true
	}
}

// headers builds the request headers: JSON for bodies, the suite's
// User-Agent, and the check id so that vendors can correlate their logs.
func (r *runner) headers(q request) http.Header {
	h := http.Header{}
	for k, v := range q.header {
		h[k] = v
	}
	if q.body != nil {
		h.Set("Content-Type", "application/json")
	}
	h.Set("User-Agent", "chatlayer-emulator-conformance/"+SuiteVersion)
	h.Set("X-Conformance-Check", q.check)
	if q.offContract {
		h.Set("X-Conformance-Off-Contract", "true")
	}
	return h
}

// readCapped reads at most maxAnswer bytes and reports whether there was
// more.
func readCapped(body io.Reader) ([]byte, bool, error) {
	b, err := io.ReadAll(io.LimitReader(body, maxAnswer+1))
	if len(b) > maxAnswer {
		return b[:maxAnswer], true, nil
	}
	return b, false, err
}

// problem says why an exchange is not a 2xx answer: "" when it is. The
// status is failed, or skipped when the outcome is inconclusive (budget
// spent, or a timeout that the latency check owns).
func (r *runner) problem(x *exchange) (Status, string) {
	switch {
	case x.budgetCut:
		return StatusSkipped, "the run's budget was spent during this request"
	case x.timedOut && r.latencyOwnsTimeouts:
		return StatusSkipped, fmt.Sprintf("inconclusive: no answer within %s (counted by the latency check)", r.opts.Timeout)
	case x.timedOut:
		return StatusFailed, fmt.Sprintf("no answer within %s", r.opts.Timeout)
	case x.err != nil:
		return StatusFailed, "no answer: " + r.errText(x.err)
	case x.status >= 300 && x.status < 400:
		return StatusFailed, fmt.Sprintf("answered %d redirecting to %q; Chatlayer does not follow redirects",
			x.status, r.mask.String(maskURLString(x.header.Get("Location"))))
	case !x.ok():
		return StatusFailed, fmt.Sprintf("answered %d; want a 2xx", x.status)
	}
	return "", ""
}

// errText renders a transport error without the URL (which holds the
// token), masked.
func (r *runner) errText(err error) string {
	return r.mask.String(maskedURLError(err).Error())
}
