package delivery

import (
	"bytes"
	"context"
	"log/slog"
	"net/http"
	"sync"
	"time"

	"github.com/chatlayer-emulator/chatlayer-emulator/emulator/lane"
)

// Dispatcher delivers Requests with retries, in order per ordering key, and
// records them in its Journal. It owns every goroutine it starts; Close
// stops them.
type Dispatcher struct {
	cfg        Config
	client     *http.Client
	ownsClient bool // the client was made by New: Close closes its idle connections
	journal    *Journal
	lanes      *lane.Group // one lane per ordering key, one per Do call

	// stop is canceled when Close gives up waiting; it aborts attempts and
	// backoff waits. abort cancels it.
	stop  context.Context
	abort context.CancelFunc

	// mu guards closed. It is held across the journal entry and the lane
	// submission of a delivery, so that Seq order is lane order per key.
	// It is never held across I/O.
	mu     sync.Mutex
	closed bool
}

// New returns a Dispatcher configured by cfg (zero fields take defaults).
func New(cfg Config) *Dispatcher {
	cfg = cfg.withDefaults()
	client, owns := newClient(cfg)
	stop, abort := context.WithCancel(context.Background())
	return &Dispatcher{
		cfg:        cfg,
		client:     client,
		ownsClient: owns,
		journal:    newJournal(cfg.JournalSize, cfg.Now),
		lanes:      lane.New(),
		stop:       stop,
		abort:      abort,
	}
}

// Journal returns the dispatcher's journal.
func (d *Dispatcher) Journal() *Journal {
	return d.journal
}

// Enqueue records r as pending and delivers it in the background, after
// every earlier delivery with the same ordering key is terminal. It never
// waits for I/O. It returns ErrClosed after Close and an error wrapping
// ErrInvalidRequest when r can never be sent (bad URL or method).
func (d *Dispatcher) Enqueue(r Request) (string, error) {
	c := newCall(r, d.cfg)
	if err := c.validate(); err != nil {
		return "", err
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.closed {
		return "", ErrClosed
	}
	c.setID(d.journal.add(c.record()))
	d.lanes.Go(c.key, func() { d.deliver(d.stop, c) })
	return c.id, nil
}

// Do delivers r synchronously, with the same attempts, retries and journal
// record as Enqueue, and returns the terminal Delivery, including the last
// answer's Status and ResponseBody: the whole answer read (up to MaxRead
// when the request has an Accept hook), where the journal keeps only
// KeepBytes. Do is meant for API-plugin calls
// made inside a turn: it ignores the ordering key and does not wait for
// queued deliveries. When ctx ends, the current attempt or backoff is
// abandoned and the delivery fails. After Close, or for a Request that can
// never be sent, Do returns a failed Delivery with no ID and no attempts
// that is not journaled; its Error says why.
func (d *Dispatcher) Do(ctx context.Context, r Request) Delivery {
	c := newCall(r, d.cfg)
	if err := c.validate(); err != nil {
		return rejected(c, err)
	}
	c.sync = true
	done := make(chan Delivery, 1)
	d.mu.Lock()
	if d.closed {
		d.mu.Unlock()
		return rejected(c, ErrClosed)
	}
	c.setID(d.journal.add(c.record()))
	d.lanes.Go("\x00do/"+c.id, func() { done <- d.deliverWithin(ctx, c) })
	d.mu.Unlock()
	out := <-done
	out.ResponseBody = c.answer // the whole answer read, not only the journal's excerpt
	return out
}

// rejected is the Delivery Do returns for a call it did not make.
func rejected(c *call, err error) Delivery {
	out := c.record()
	delete(out.Header, HeaderDeliveryID) // a rejected call has no id
	out.State = StateFailed
	out.Error = err.Error()
	return out
}

// Flush waits until every delivery enqueued so far is terminal and its
// OnDone has returned, or ctx ends.
func (d *Dispatcher) Flush(ctx context.Context) error {
	return d.lanes.Idle(ctx)
}

// Close stops accepting deliveries and keeps delivering, retries included,
// until every delivery is terminal or ctx ends. In the latter case it
// cancels the attempts in flight, marks every delivery that is not terminal
// failed with Error "shutdown", and returns ctx.Err(). In both cases it
// returns only when no goroutine of the dispatcher remains (an OnDone hook
// that blocks delays it). Close may be called more than once.
func (d *Dispatcher) Close(ctx context.Context) error {
	d.mu.Lock()
	d.closed = true
	d.mu.Unlock()
	err := d.lanes.Close(ctx)
	d.abort()
	if err != nil {
		// Attempts and backoffs now end at once; queued deliveries finish
		// as "shutdown" without an attempt.
		_ = d.lanes.Close(context.Background())
	}
	if d.ownsClient {
		d.client.CloseIdleConnections()
	}
	return err
}

// deliverWithin runs deliver under ctx, also ended by the dispatcher's stop.
func (d *Dispatcher) deliverWithin(ctx context.Context, c *call) Delivery {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	unhook := context.AfterFunc(d.stop, cancel)
	defer unhook()
	return d.deliver(ctx, c)
}

// deliver makes the attempts of c until one succeeds, they run out, the
// egress policy refuses the address, or ctx ends, then makes the delivery
// terminal.
func (d *Dispatcher) deliver(ctx context.Context, c *call) Delivery {
	var last Attempt
	for n := 1; n <= c.maxAttempts; n++ {
		if n > 1 {
			d.wait(ctx, d.cfg.backoff(n-1))
		}
		if ctx.Err() != nil {
			return d.finish(c, StateFailed, d.stopReason(ctx))
		}
		a, body := d.attempt(ctx, c, n)
		c.answer = body
		d.journal.addAttempt(c.id, a, bytes.Clone(body[:min(int64(len(body)), d.cfg.KeepBytes)]))
		d.logAttempt(c, a)
		if !a.Failed() {
			return d.finish(c, StateDelivered, "")
		}
		last = a
		if a.ErrorKind == FailEgress { // the address will be refused again
			break
		}
	}
	return d.finish(c, StateFailed, last.Error)
}

// wait blocks for dur or until ctx ends.
func (d *Dispatcher) wait(ctx context.Context, dur time.Duration) {
	if dur <= 0 {
		return
	}
	t := time.NewTimer(dur)
	defer t.Stop()
	select {
	case <-t.C:
	case <-ctx.Done():
	}
}

// stopReason is the Delivery.Error of a delivery whose ctx ended.
func (d *Dispatcher) stopReason(ctx context.Context) string {
	if d.stop.Err() != nil {
		return shutdown
	}
	return ctx.Err().Error()
}

// finish makes c terminal, logs a failure and calls OnDone. It returns the
// terminal record when somebody reads it (Do, OnDone, the failure's log
// line), else the zero Delivery.
func (d *Dispatcher) finish(c *call, state State, errText string) Delivery {
	out := d.journal.finish(c.id, state, errText, c.sync || c.req.OnDone != nil || state == StateFailed)
	if state == StateFailed {
		d.cfg.Logger.LogAttrs(context.Background(), slog.LevelWarn, "delivery failed",
			slog.String("id", c.id), slog.String("kind", string(c.req.Kind)),
			slog.String("bot", c.req.Bot), slog.String("conversation", c.req.Conversation),
			slog.String("url", out.URL), slog.Int("attempts", len(out.Attempts)),
			slog.String("error", errText))
	}
	if c.req.OnDone != nil {
		c.req.OnDone(out)
	}
	return out
}

// logAttempt writes the debug line of one attempt; a's texts are masked.
func (d *Dispatcher) logAttempt(c *call, a Attempt) {
	ctx := context.Background()
	if !d.cfg.Logger.Enabled(ctx, slog.LevelDebug) {
		return
	}
	d.cfg.Logger.LogAttrs(ctx, slog.LevelDebug, "delivery attempt",
		slog.String("id", c.id), slog.String("kind", string(c.req.Kind)),
		slog.String("bot", c.req.Bot), slog.String("conversation", c.req.Conversation),
		slog.String("url", c.mask.String(c.req.URL)), slog.Int("attempt", a.N),
		slog.Int("status", a.Status), slog.String("error_kind", string(a.ErrorKind)),
		slog.Float64("latency_ms", a.LatencyMS), slog.String("error", a.Error))
}
