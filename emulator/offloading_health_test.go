package emulator_test

// Issue 13: a bridge that comes up after the emulator (README's Human
// handover, "go run" still compiling) must turn healthy by itself, ready
// must show the failure, and an offload must not trust a stale failure.

import (
	"net"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"go.uber.org/goleak"

	"github.com/chatlayer-emulator/chatlayer-emulator/emulator"
)

// quickRecheck re-checks a failing provider every few milliseconds.
var quickRecheck = emulator.HealthRecheck{First: time.Millisecond, Max: 4 * time.Millisecond}

// lateProvider is an offloading webhook that fails its health check until
// up is set: it answers 503, or is not listening at all.
type lateProvider struct {
	url   string
	up    func() // makes the health check pass from now on
	calls func() []providerCall
}

// answering503 is a provider that answers the health check 503 until up.
func answering503(t *testing.T) lateProvider {
	var healthy atomic.Bool
	p := newProvider(t, flakyProvider(&healthy)(""))
	return lateProvider{url: p.URL + "/offloading", up: func() { healthy.Store(true) }, calls: p.calls}
}

// notListening is a provider whose port refuses connections until up
// starts it there.
func notListening(t *testing.T) lateProvider {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	var p *provider
	up := func() {
		ln, err := net.Listen("tcp", addr)
		if err != nil {
			t.Fatalf("listening again on %s: %v", addr, err)
		}
		p = &provider{next: fakeProvider(okAnswer)("")}
		p.Server = httptest.NewUnstartedServer(http.HandlerFunc(p.serve))
		p.Listener.Close()
		p.Listener = ln
		p.Start()
		t.Cleanup(p.Close)
	}
	calls := func() []providerCall {
		if p == nil {
			return nil
		}
		return p.calls()
	}
	return lateProvider{url: "http://" + addr + "/offloading", up: up, calls: calls}
}

// flakyProvider answers the health check 503 until healthy is set, and
// everything else as fakeProvider(okAnswer) does.
func flakyProvider(healthy *atomic.Bool) func(string) http.Handler {
	ok := fakeProvider(okAnswer)("")
	return func(string) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.Method == http.MethodGet && !healthy.Load() {
				w.WriteHeader(http.StatusServiceUnavailable)
				return
			}
			ok.ServeHTTP(w, r)
		})
	}
}

// readyAnswer is the part of /_emulator/ready these tests read.
type readyAnswer struct {
	Status   string `json:"status"`
	Degraded bool   `json:"degraded"`
	Bots     []struct {
		ID         string `json:"id"`
		Offloading *struct {
			Status string `json:"status"`
			Error  string `json:"error"`
		} `json:"offloading"`
	} `json:"bots"`
}

// ready GETs /_emulator/ready with the query and checks the status.
func ready(t *testing.T, s *emulator.Server, query string, wantStatus int) readyAnswer {
	t.Helper()
	var out readyAnswer
	status, body := v1Call(t, http.MethodGet, s.URL()+"/_emulator/ready"+query, "", nil)
	wantJSON(t, status, body, wantStatus, &out)
	return out
}

// demoProvider returns GET /_emulator/bots/demo/offloading.
func demoProvider(t *testing.T, s *emulator.Server) offloadingView {
	t.Helper()
	var v offloadingView
	status, body := v1Call(t, http.MethodGet, s.URL()+"/_emulator/bots/demo/offloading", "", nil)
	wantJSON(t, status, body, http.StatusOK, &v)
	return v
}

// TestLateProviderTurnsHealthy starts the emulator before its provider
// can pass the health check, as README's Human handover does while the
// bridge compiles: the emulator checks again with backoff, ready shows
// the failure, and once the provider is up it is ok without any PUT.
func TestLateProviderTurnsHealthy(t *testing.T) {
	for _, tc := range []struct {
		name  string
		start func(*testing.T) lateProvider
	}{
		{"answers 503 at first", answering503},
		{"not listening at first", notListening},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := tc.start(t)
			s := emulator.RunT(t, emulator.Config{OffloadingURL: p.url, OffloadingVerifyToken: providerToken,
				OffloadingRecheck: quickRecheck, Delivery: fastDelivery, StrictResponses: true})
			failed := emulator.DeliveryFilter{Bot: "demo", Kind: "offloading", State: "failed"}
			s.WaitDeliveriesT(t, failed, 3) // the start-up check and two re-checks
			s.FlushT(t)
			checkFailing(t, s)

			p.up()
			s.WaitDeliveriesT(t, emulator.DeliveryFilter{Bot: "demo", Kind: "offloading", State: "delivered"}, 1)
			s.FlushT(t)
			checkHealthy(t, s)
			if calls := p.calls(); len(calls) == 0 || calls[len(calls)-1].Method != http.MethodGet || calls[len(calls)-1].Token != providerToken {
				t.Errorf("provider calls %+v, want the passing health check last, with the token", calls)
			}
		})
	}
}

// checkFailing checks what a failing provider looks like: failing with a
// reason in the control API, ready 200 but degraded, and 503 when ready
// is asked to require the providers.
func checkFailing(t *testing.T, s *emulator.Server) {
	t.Helper()
	if v := demoProvider(t, s); v.Health.Status != "failing" || v.Health.Error == "" || v.Health.Failures < 3 {
		t.Errorf("health while the provider is down = %+v, want failing, a reason and 3 failures or more", v.Health)
	}
	r := ready(t, s, "", http.StatusOK)
	if o := r.Bots[0].Offloading; r.Status != "ready" || !r.Degraded || o == nil || o.Status != "failing" || o.Error == "" {
		t.Errorf("ready while the provider is down = %+v, want 200, ready, degraded, the failure", r)
	}
	if r := ready(t, s, "?require=offloading", http.StatusServiceUnavailable); r.Status != "waiting" || !r.Degraded {
		t.Errorf("ready?require=offloading while the provider is down = %+v, want 503 waiting", r)
	}
}

// checkHealthy checks that the provider is ok, no re-check is due, and
// ready is plainly ready, with or without require.
func checkHealthy(t *testing.T, s *emulator.Server) {
	t.Helper()
	if v := demoProvider(t, s); v.Health.Status != "ok" || v.Health.Error != "" || v.Health.Failures != 0 || v.Health.NextCheckAt != "" {
		t.Errorf("health once the provider is up = %+v, want ok and no re-check due", v.Health)
	}
	for _, q := range []string{"", "?require=offloading"} {
		if r := ready(t, s, q, http.StatusOK); r.Status != "ready" || r.Degraded || r.Bots[0].Offloading.Status != "ok" {
			t.Errorf("ready%s once the provider is up = %+v, want ready, not degraded, ok", q, r)
		}
	}
}

// TestOffloadChecksFailingProviderFirst: while the last health check
// failed, an offload sends a health check first, on the conversation's
// lane, then the offload whatever its result; a passing check makes the
// provider ok, and the next offload goes without one.
func TestOffloadChecksFailingProviderFirst(t *testing.T) {
	var healthy atomic.Bool
	h := startHandover(t, flakyProvider(&healthy), emulator.Config{OffloadingRecheck: emulator.HealthRecheck{First: -1}})
	if v := demoProvider(t, h.s); v.Health.Status != "failing" || v.Health.NextCheckAt != "" {
		t.Fatalf("health after start-up = %+v, want failing and no re-check (they are off)", v.Health)
	}
	h.say(t, "conv-1", textMsg(askForHuman))
	checkCheckBeforeOffload(t, h, "conv-1", 2)
	if v := demoProvider(t, h.s); v.Health.Status != "failing" || v.Health.Failures != 2 {
		t.Errorf("health after the offload = %+v, want failing twice in a row", v.Health)
	}

	healthy.Store(true)
	h.say(t, "conv-2", textMsg(askForHuman))
	checkCheckBeforeOffload(t, h, "conv-2", 3)
	if v := demoProvider(t, h.s); v.Health.Status != "ok" {
		t.Errorf("health after a passing check before an offload = %+v, want ok", v.Health)
	}
	h.say(t, "conv-3", textMsg(askForHuman))
	if gets := countGets(h.prov.calls()); gets != 3 {
		t.Errorf("%d health checks, want no new one before an offload to a healthy provider", gets)
	}
}

// checkCheckBeforeOffload checks that the conversation's offload opened
// (the health check does not gate it), that the provider got a health
// check right before it, and the number of health checks so far.
func checkCheckBeforeOffload(t *testing.T, h *handover, conv string, wantGets int) {
	t.Helper()
	if got := h.userTexts(t); got[len(got)-1] != textOpened {
		t.Errorf("%s: user got %q, want the Offloading opened message last", conv, got)
	}
	calls := h.prov.calls()
	for i, c := range calls {
		if c.Method == http.MethodPost && c.event(t)["event"] == "offload" && c.event(t)["sessionId"] == conv &&
			(i == 0 || calls[i-1].Method != http.MethodGet) {
			t.Errorf("%s: the offload was not preceded by a health check", conv)
		}
	}
	if gets := countGets(calls); gets != wantGets {
		t.Errorf("%s: %d health checks, want %d", conv, gets, wantGets)
	}
	checks := h.s.Deliveries(emulator.DeliveryFilter{Conversation: conv, Kind: "offloading"})
	if len(checks) == 0 || !hasGet(checks) {
		t.Errorf("%s: the journal does not list the health check under the conversation", conv)
	}
}

// countGets counts the health checks among the provider's calls.
func countGets(calls []providerCall) int {
	n := 0
	for _, c := range calls {
		if c.Method == http.MethodGet {
			n++
		}
	}
	return n
}

// hasGet reports whether a delivery is a GET.
func hasGet(ds []emulator.Delivery) bool {
	for _, d := range ds {
		if d.Method == http.MethodGet {
			return true
		}
	}
	return false
}

// TestRecheckSchedule reads the schedule from the control API on a
// frozen clock: the first re-check is due First after the failure, the
// next twice as long after, at most Max; a PUT starts the schedule over,
// and a passing check cancels it.
func TestRecheckSchedule(t *testing.T) {
	t0 := time.Date(2026, 3, 9, 10, 0, 0, 0, time.UTC) // a Monday
	var healthy atomic.Bool
	h := startHandover(t, flakyProvider(&healthy), emulator.Config{Clock: emulator.NewManualClock(t0),
		OffloadingRecheck: emulator.HealthRecheck{First: time.Hour, Max: 90 * time.Minute}})
	wantDue := func(step string, failures int, due time.Time) {
		t.Helper()
		v := demoProvider(t, h.s)
		if v.Health.Status != "failing" || v.Health.Failures != failures || v.Health.NextCheckAt != due.Format(time.RFC3339Nano) {
			t.Errorf("%s: health %+v, want failing %d times, next check at %s", step, v.Health, failures, due.Format(time.RFC3339))
		}
	}
	wantDue("after start-up", 1, t0.Add(time.Hour))
	h.say(t, "conv-1", textMsg(askForHuman)) // its health check fails too
	wantDue("after a second failure", 2, t0.Add(90*time.Minute))
	putProvider(t, h, map[string]any{})
	wantDue("after a PUT", 1, t0.Add(time.Hour))
	healthy.Store(true)
	putProvider(t, h, map[string]any{})
	if v := demoProvider(t, h.s); v.Health.Status != "ok" || v.Health.NextCheckAt != "" || v.Health.Failures != 0 {
		t.Errorf("after a passing check: %+v, want ok and no re-check due", v.Health)
	}
}

// TestReadyWithoutProvider: with no offloading provider (the compose
// example) ready is 200 and not degraded, with or without require; an
// unknown requirement is a 400 naming it.
func TestReadyWithoutProvider(t *testing.T) {
	s := emulator.RunT(t, emulator.Config{StrictResponses: true})
	for _, q := range []string{"", "?require=offloading"} {
		if r := ready(t, s, q, http.StatusOK); r.Status != "ready" || r.Degraded || r.Bots[0].Offloading != nil {
			t.Errorf("ready%s without a provider = %+v", q, r)
		}
	}
	status, body := v1Call(t, http.MethodGet, s.URL()+"/_emulator/ready?require=everything", "", nil)
	wantError(t, status, body, http.StatusBadRequest, "require")
}

// TestCloseStopsRechecks closes a server while it re-checks a dead
// provider every few milliseconds: nothing of it may outlive Close.
func TestCloseStopsRechecks(t *testing.T) {
	before := goleak.IgnoreCurrent()
	dead := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.WriteHeader(http.StatusServiceUnavailable)
	}))
	s, err := emulator.New(emulator.Config{OffloadingURL: dead.URL, OffloadingRecheck: quickRecheck, Delivery: fastDelivery})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Start("127.0.0.1:0"); err != nil {
		t.Fatal(err)
	}
	s.WaitDeliveriesT(t, emulator.DeliveryFilter{Kind: "offloading", State: "failed"}, 3)
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	dead.Close()
	goleak.VerifyNone(t, before)
	if d := s.Deliveries(emulator.DeliveryFilter{Kind: "offloading", State: "pending"}); len(d) != 0 {
		t.Errorf("%d health checks still pending after Close", len(d))
	}
}
