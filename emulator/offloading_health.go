package emulator

// The health check of an offloading provider (docs/CONTRACT.md §2.2):
// GET <url>?challenge.verifyToken=<token>, answered 200 {"status":"ok"}.
// Chatlayer sends it when the settings form is saved; the emulator sends
// it when a provider is set (start-up, scenario load, PUT), again on a
// backoff schedule after a failure until a check passes, and before an
// offload call when the last check did not pass (FIDELITY.md, "Offloading
// webhook"). A bridge started after the emulator, or still compiling, so
// turns ok by itself.
// Docs: https://docs.chatlayer.ai/integrateandcode/human-offloading-live-chat/offloading-webhook

import (
	"net/http"
	"sync"
	"time"

	"github.com/chatlayer-emulator/chatlayer-emulator/emulator/delivery"
)

// Defaults of HealthRecheck.
const (
	DefaultRecheckFirst = 250 * time.Millisecond
	DefaultRecheckMax   = 30 * time.Second
)

// HealthRecheck is the schedule on which the emulator checks again an
// offloading provider whose health check failed: First after the failure,
// then twice as long after each further failure, at most Max apart, until
// a check passes, the provider is replaced or the server closes.
type HealthRecheck struct {
	// First is the delay before the first re-check. 0 means
	// DefaultRecheckFirst (250ms); a negative value turns re-checks off.
	First time.Duration
	// Max caps the delay between two re-checks. 0 or less means
	// DefaultRecheckMax (30s).
	Max time.Duration
}

// delay returns the wait before the re-check that follows the given
// number of failures in a row (1 or more), and false when re-checks are
// off.
func (h HealthRecheck) delay(failures int) (time.Duration, bool) {
	first, maxDelay := h.First, h.Max
	switch {
	case first < 0:
		return 0, false
	case first == 0:
		first = DefaultRecheckFirst
	}
	if maxDelay <= 0 {
		maxDelay = DefaultRecheckMax
	}
	d := first
	for i := 1; i < failures && d < maxDelay; i++ {
		d *= 2
	}
	return min(d, maxDelay), true
}

// rechecks owns the timers of the scheduled re-checks, at most one per
// provider. close stops them all and waits for the re-checks they
// started, so that none outlives the server.
type rechecks struct {
	now func() time.Time // the emulator's clock, for the due times shown

	mu      sync.Mutex // guards closed and pending
	closed  bool
	pending map[*offloadingProvider]*recheck
	running sync.WaitGroup // timers that fired and are starting their check
}

// recheck is one scheduled re-check.
type recheck struct {
	timer *time.Timer
	due   time.Time // on the emulator's clock
}

// newRechecks returns an empty, open set of re-checks.
func newRechecks(now func() time.Time) *rechecks {
	return &rechecks{now: now, pending: map[*offloadingProvider]*recheck{}}
}

// schedule runs fn after delay in place of p's pending re-check, unless
// the set is closed.
func (r *rechecks) schedule(p *offloadingProvider, delay time.Duration, fn func()) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.closed {
		return
	}
	if old := r.pending[p]; old != nil {
		old.timer.Stop()
	}
	rc := &recheck{due: r.now().Add(delay)}
	rc.timer = time.AfterFunc(delay, func() { r.fire(p, rc, fn) })
	r.pending[p] = rc
}

// fire runs fn if rc is still p's pending re-check and the set is open.
func (r *rechecks) fire(p *offloadingProvider, rc *recheck, fn func()) {
	r.mu.Lock()
	if r.closed || r.pending[p] != rc {
		r.mu.Unlock()
		return
	}
	delete(r.pending, p)
	r.running.Add(1)
	r.mu.Unlock()
	defer r.running.Done()
	fn()
}

// cancel drops p's pending re-check, if any.
func (r *rechecks) cancel(p *offloadingProvider) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if rc := r.pending[p]; rc != nil {
		rc.timer.Stop()
		delete(r.pending, p)
	}
}

// due returns when p's pending re-check is due, or nil.
func (r *rechecks) due(p *offloadingProvider) *time.Time {
	r.mu.Lock()
	defer r.mu.Unlock()
	if rc := r.pending[p]; rc != nil {
		due := rc.due
		return &due
	}
	return nil
}

// close stops every timer, refuses new ones and waits for the re-checks
// already started (each only queues its call: the dispatcher owns it).
func (r *rechecks) close() {
	r.mu.Lock()
	r.closed = true
	for p, rc := range r.pending {
		rc.timer.Stop()
		delete(r.pending, p)
	}
	r.mu.Unlock()
	r.running.Wait()
}

// checkProviders starts the health check of every bot's provider that
// has a URL; it does not wait for the results.
func (s *Server) checkProviders(reg *registry, ids ...string) {
	if len(ids) == 0 {
		ids = reg.botIDs()
	}
	for _, id := range ids {
		if b, ok := reg.bots[id]; ok {
			s.checkHealth(id, b.offloading, nil, nil)
		}
	}
}

// checkHealth sends GET <url>?challenge.verifyToken=<token> (one attempt)
// and settles the result; the provider must answer 200 with
// {"status":"ok"}. conv, if not nil, is the conversation whose offload
// call the check precedes: the check then goes first on its offloading
// lane. done, if not nil, is closed once the result is stored.
func (s *Server) checkHealth(botID string, p *offloadingProvider, conv *conversation, done chan<- struct{}) {
	o, gen, seq := p.startCheck()
	if o.URL == "" {
		closeIfSet(done)
		return
	}
	req := delivery.Request{
		Kind: delivery.KindOffloading, Bot: botID, Key: botID + "/offloading-health",
		Method: http.MethodGet, URL: providerURL(o), Secrets: providerSecrets(o), NoRetry: true,
		Accept: s.accept200("health-answer"),
		OnDone: func(d delivery.Delivery) {
			s.settleHealth(botID, p, gen, seq, healthOf(d), "url", d.URL, "delivery", d.ID)
			closeIfSet(done)
		},
	}
	if conv != nil {
		req.Conversation, req.Key = conv.key.id, offloadingKey(conv)
	}
	if _, err := s.out.Enqueue(req); err != nil {
		s.settleHealth(botID, p, gen, seq, providerHealth{Status: healthFailing, Error: err.Error()})
		closeIfSet(done)
	}
}

// healthOf turns a finished health check into a health result.
func healthOf(d delivery.Delivery) providerHealth {
	at := d.CompletedAt
	if d.State == delivery.StateDelivered {
		return providerHealth{Status: healthOK, CheckedAt: &at}
	}
	return providerHealth{Status: healthFailing, CheckedAt: &at, Error: d.Error}
}

// settleHealth records the result of check seq and keeps the re-checks in
// step: a pass cancels them, a failure schedules the next one. The first
// failure in a row is logged as a warning (the token masked), the
// recovery as info; logAttrs are added to both lines.
func (s *Server) settleHealth(botID string, p *offloadingProvider, gen, seq int, h providerHealth, logAttrs ...any) {
	before, after, ok := p.recordHealth(gen, seq, h)
	if !ok {
		return
	}
	if after.Status == healthOK {
		s.rechecks.cancel(p)
		if before.Status == healthFailing {
			s.log.Info("offloading provider passed its health check",
				append([]any{"bot", botID, "failedBefore", before.Failures}, logAttrs...)...)
		}
		return
	}
	delay, on := s.cfg.OffloadingRecheck.delay(after.Failures)
	if on {
		s.rechecks.schedule(p, delay, func() { s.recheck(botID, p) })
	}
	if after.Failures == 1 {
		next := "never (re-checks are off)"
		if on {
			next = delay.String() + ", then with backoff until it passes"
		}
		s.log.Warn("offloading provider failed its health check",
			append([]any{"bot", botID, "err", after.Error, "recheckIn", next}, logAttrs...)...)
	}
}

// recheck runs a scheduled re-check, unless the bot no longer has this
// provider (a scenario load replaced or dropped it).
func (s *Server) recheck(botID string, p *offloadingProvider) {
	if b, ok := s.registry().bots[botID]; ok && b.offloading == p {
		s.checkHealth(botID, p, nil, nil)
	}
}
