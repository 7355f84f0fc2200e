package reference

import (
	"encoding/json"
	"io"
	"net/http"
	"sync/atomic"
	"time"
)

// Sink is a loopback webhook that answers every delivery with 200. When a
// route is set, it also signals each delivery's arrival time on the channel
// of its senderId, so that a waiting sender can measure message-to-delivery
// latency. Deliveries for other senders are only counted.
type Sink struct {
	route    atomic.Pointer[map[string]chan time.Time]
	received atomic.Int64
}

// ServeHTTP reads a delivery, answers 200 and signals its arrival.
func (k *Sink) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	at := time.Now()
	d, ok := readDelivery(w, r)
	if !ok {
		return
	}
	k.received.Add(1)
	k.signal(d.SenderID, at)
}

// readDelivery decodes a delivery body and answers 200, or 400 when the
// body is not a delivery (then ok is false).
func readDelivery(w http.ResponseWriter, r *http.Request) (d delivery, ok bool) {
	body, err := io.ReadAll(io.LimitReader(r.Body, maxBody))
	if err == nil {
		err = json.Unmarshal(body, &d)
	}
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return d, false
	}
	w.WriteHeader(http.StatusOK)
	return d, true
}

// signal hands at to the sender's channel without ever blocking.
func (k *Sink) signal(senderID string, at time.Time) {
	m := k.route.Load()
	if m == nil {
		return
	}
	if ch, ok := (*m)[senderID]; ok {
		select {
		case ch <- at:
		default:
		}
	}
}

// Route replaces the routing table: from now on, deliveries for ids[i]
// are signalled on the i-th returned channel. Route(nil) stops signalling.
func (k *Sink) Route(ids []string) []<-chan time.Time {
	if ids == nil {
		k.route.Store(nil)
		return nil
	}
	m := make(map[string]chan time.Time, len(ids))
	out := make([]<-chan time.Time, len(ids))
	for i, id := range ids {
		ch := make(chan time.Time, 4)
		m[id], out[i] = ch, ch
	}
	k.route.Store(&m)
	return out
}

// Received returns how many deliveries the sink has answered.
func (k *Sink) Received() int64 { return k.received.Load() }

// drain reads and closes a response body so its connection is reused.
func drain(resp *http.Response) {
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
}
