package delivery_test

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"go.uber.org/goleak"

	"github.com/chatlayer-emulator/chatlayer-emulator/emulator/delivery"
)

func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}

// guard bounds every wait so that a bug fails the test instead of hanging
// it. It never decides an outcome.
const guard = 20 * time.Second

// guardCtx returns a context that ends after guard or with the test.
func guardCtx(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(t.Context(), guard)
	t.Cleanup(cancel)
	return ctx
}

// newDispatcher returns a Dispatcher closed at the end of the test. A zero
// Backoff becomes 1 ms. Register receivers before calling it, so that the
// dispatcher is closed before they are.
func newDispatcher(t *testing.T, cfg delivery.Config) *delivery.Dispatcher {
	t.Helper()
	if cfg.Backoff == 0 {
		cfg.Backoff = time.Millisecond
	}
	d := delivery.New(cfg)
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), guard)
		defer cancel()
		if err := d.Close(ctx); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	return d
}

// recorded is one request a receiver got.
type recorded struct {
	Header http.Header
	Body   string
}

// receiver plays a user's endpoint and records every request.
type receiver struct {
	*httptest.Server
	mu   sync.Mutex // guards reqs
	reqs []recorded
}

// handlerFunc answers request n (0-based) of a receiver; body is already read.
type handlerFunc func(w http.ResponseWriter, r *http.Request, n int, body []byte)

// newReceiver starts a receiver closed at the end of the test.
func newReceiver(t *testing.T, h handlerFunc) *receiver {
	t.Helper()
	rc := &receiver{}
	rc.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		rc.mu.Lock()
		n := len(rc.reqs)
		rc.reqs = append(rc.reqs, recorded{Header: r.Header.Clone(), Body: string(body)})
		rc.mu.Unlock()
		h(w, r, n, body)
	}))
	t.Cleanup(rc.Close)
	return rc
}

// requests returns a copy of what the receiver got so far.
func (rc *receiver) requests() []recorded {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	return append([]recorded(nil), rc.reqs...)
}

// statuses answers request n with codes[n], or the last code after that.
func statuses(codes ...int) handlerFunc {
	return func(w http.ResponseWriter, _ *http.Request, n int, _ []byte) {
		w.WriteHeader(codes[min(n, len(codes)-1)])
	}
}

// waitTerminal waits for n terminal deliveries matching f.
func waitTerminal(t *testing.T, d *delivery.Dispatcher, f delivery.Filter, n int) []delivery.Delivery {
	t.Helper()
	got, err := d.Journal().Wait(guardCtx(t), f, n)
	if err != nil {
		t.Fatalf("Wait(%+v, %d): %v; got %d", f, n, err, len(got))
	}
	return got
}

// mustEnqueue enqueues r and fails the test on error.
func mustEnqueue(t *testing.T, d *delivery.Dispatcher, r delivery.Request) string {
	t.Helper()
	id, err := d.Enqueue(r)
	if err != nil {
		t.Fatalf("Enqueue: %v", err)
	}
	return id
}

// flush waits until every enqueued delivery is terminal.
func flush(t *testing.T, d *delivery.Dispatcher) {
	t.Helper()
	if err := d.Flush(guardCtx(t)); err != nil {
		t.Fatalf("Flush: %v", err)
	}
}

// get returns delivery id from the journal.
func get(t *testing.T, d *delivery.Dispatcher, id string) delivery.Delivery {
	t.Helper()
	got, ok := d.Journal().Get(id)
	if !ok {
		t.Fatalf("Get(%q): not in the journal", id)
	}
	return got
}

// kinds lists the ErrorKind of every attempt.
func kinds(d delivery.Delivery) []delivery.ErrorKind {
	out := make([]delivery.ErrorKind, len(d.Attempts))
	for i, a := range d.Attempts {
		out[i] = a.ErrorKind
	}
	return out
}

// recv waits for ch to be closed or to deliver a value.
func recv[T any](t *testing.T, ch <-chan T, what string) {
	t.Helper()
	select {
	case <-ch:
	case <-time.After(guard):
		t.Fatalf("timed out waiting for %s", what)
	}
}

// syncBuffer is a bytes.Buffer safe for concurrent writers.
type syncBuffer struct {
	mu sync.Mutex // guards b
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// waitFor waits, without polling, until cond holds; cond reads the journal.
func waitFor(t *testing.T, d *delivery.Dispatcher, cond func() bool) {
	t.Helper()
	ctx := guardCtx(t)
	for {
		changed := d.Journal().Changed()
		if cond() {
			return
		}
		select {
		case <-changed:
		case <-ctx.Done():
			t.Fatalf("condition never held; journal: %+v", d.Journal().List(delivery.Filter{}))
		}
	}
}

// closeNow closes d with an expired context: deliveries still pending fail
// with "shutdown".
func closeNow(d *delivery.Dispatcher) error {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	return d.Close(ctx)
}
