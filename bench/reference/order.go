package reference

import (
	"net/http"
	"sync"
	"time"
)

// OrderSink is a loopback webhook that answers every delivery with 200 and
// keeps, per sender, the texts of its deliveries in order of arrival, and
// signals each arrival on the sender's channel. Its senders are fixed when
// it is made; deliveries for others are answered and dropped.
type OrderSink struct {
	index   map[string]int
	arrived []chan time.Time
	mu      []sync.Mutex
	texts   [][]string
}

// NewOrderSink returns a sink for the senders ids.
func NewOrderSink(ids []string) *OrderSink {
	k := &OrderSink{index: make(map[string]int, len(ids)), arrived: make([]chan time.Time, len(ids)),
		mu: make([]sync.Mutex, len(ids)), texts: make([][]string, len(ids))}
	for i, id := range ids {
		k.index[id] = i
		k.arrived[i] = make(chan time.Time, 4)
	}
	return k
}

// ServeHTTP reads a delivery, answers 200, records its text and signals
// its arrival.
func (k *OrderSink) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	at := time.Now()
	d, ok := readDelivery(w, r)
	if !ok {
		return
	}
	i, ok := k.index[d.SenderID]
	if !ok {
		return
	}
	k.mu[i].Lock()
	k.texts[i] = append(k.texts[i], d.Message.Text)
	k.mu[i].Unlock()
	select {
	case k.arrived[i] <- at:
	default:
	}
}

// Arrived returns the arrival channel of the i-th sender.
func (k *OrderSink) Arrived(i int) <-chan time.Time { return k.arrived[i] }

// Texts returns the texts delivered to the i-th sender so far, in order
// of arrival.
func (k *OrderSink) Texts(i int) []string {
	k.mu[i].Lock()
	defer k.mu[i].Unlock()
	return append([]string(nil), k.texts[i]...)
}
