package conformance

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
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
	timedOut  bool  // no full answer within the per-request timeout
	budgetCut bool  // the run's budget ended during the request
}

// ok reports whether the exchange got a 2xx answer.
func (x *exchange) ok() bool { return x.err == nil && x.status >= 200 && x.status < 300 }

// newClient returns a client that never follows redirects. A given
// client's Transport and Jar are kept; its Timeout is replaced by the
// per-request deadline. Without one, the client's dialer applies the
// egress policy to every address it connects to.
func newClient(base *http.Client, policy egress.Policy) (*http.Client, func()) {
	c := &http.Client{}
	if base != nil {
		*c = *base
	}
	c.Timeout = 0
	c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	if c.Transport != nil {
		return c, func() {}
	}
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.DialContext = (&net.Dialer{Timeout: 30 * time.Second, KeepAlive: 30 * time.Second, Control: policy.Control}).DialContext
	t.MaxIdleConnsPerHost = 16
	c.Transport = t
	return c, t.CloseIdleConnections
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
func (r *runner) do(ctx context.Context, q request) *exchange {
	x := &exchange{req: q}
	timeout := r.opts.Timeout
	if q.timeout > 0 {
		timeout = q.timeout
	}
	rctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	start := time.Now()
	req, err := http.NewRequestWithContext(rctx, q.method, q.url, bytes.NewReader(q.body))
	if err != nil {
		x.err = err
		return x
	}
	req.Header = r.headers(q)
	resp, err := r.client.Do(req)
	if err == nil {
		x.status, x.header = resp.StatusCode, resp.Header
		x.body, x.truncated, err = readCapped(resp.Body)
		resp.Body.Close()
	}
	x.latency = time.Since(start)
	if err != nil {
		x.classify(err, ctx, rctx)
	}
	return x
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
