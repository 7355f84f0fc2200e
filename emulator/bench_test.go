package emulator_test

// Benchmarks of the emulator beside the bare net/http references of
// bench/reference, in the same run. They report figures only and assert no
// timing. go run ./bench measures the same over loopback; see
// docs/PERFORMANCE.md.

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chatlayer-emulator/chatlayer-emulator/bench/reference"
	"github.com/chatlayer-emulator/chatlayer-emulator/emulator"
)

// benchConversations is how many conversations the benchmarks spread
// their messages over, as go run ./bench does.
const benchConversations = 64

// benchPath is the demo bot's v1 message route.
const benchPath = "/v1/channels/webhook/demo/messages"

// benchDelivery retries fast, as the harness does.
var benchDelivery = emulator.DeliveryConfig{Backoff: new(time.Millisecond)}

// BenchmarkWebhookMessage runs the v1 message handler through s.Handler()
// with an httptest recorder. The emulator delivers each bot message to a
// loopback sink, and the timed region ends with Flush, so one op is the
// whole cost of a message: the request, its turn and its delivery (the
// allocations of the loopback sink included).
func BenchmarkWebhookMessage(b *testing.B) {
	hook := httptest.NewServer(&reference.Sink{})
	b.Cleanup(hook.Close)
	s, err := emulator.New(emulator.Config{WebhookURL: hook.URL, Delivery: benchDelivery, RateLimit: emulator.RateLimit{Off: true}})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { s.Close() })
	benchHandler(b, s.Handler())
	s.FlushT(b)
}

// BenchmarkBareHandler runs the bare reference handler of go run ./bench
// the same way: decode the body, answer 202 with the emulator's JSON.
func BenchmarkBareHandler(b *testing.B) {
	benchHandler(b, reference.Routes(reference.MessageHandler()))
}

// benchHandler sends FAQ messages to h in parallel, each goroutine cycling
// through the conversations.
func benchHandler(b *testing.B, h http.Handler) {
	bodies := benchBodies("bench", benchConversations)
	var started atomic.Int64
	b.ReportAllocs()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for i := int(started.Add(1)); pb.Next(); i++ {
			r := httptest.NewRequest(http.MethodPost, benchPath, bytes.NewReader(bodies[i%len(bodies)]))
			r.Header.Set("Authorization", "Bearer demo-token")
			r.Header.Set("Content-Type", "application/json")
			w := httptest.NewRecorder()
			h.ServeHTTP(w, r)
			if w.Code != http.StatusAccepted {
				b.Errorf("status %d, want 202: %s", w.Code, w.Body)
				return
			}
		}
	})
}

// BenchmarkMessageToDelivery runs whole turns over loopback on 64
// conversations at once: one op sends a user message and waits until its
// bot message reaches the webhook. It reports the latency quantiles.
func BenchmarkMessageToDelivery(b *testing.B) {
	sink := &reference.Sink{}
	hook := httptest.NewServer(sink)
	b.Cleanup(hook.Close)
	s := emulator.RunT(b, emulator.Config{WebhookURL: hook.URL, Delivery: benchDelivery, RateLimit: emulator.RateLimit{Off: true}})
	benchTurns(b, sink, s.URL()+benchPath)
}

// TestBareDeliveryIsTheEmulators: the bare platform's delivery is the
// emulator's answer to FAQText byte for byte (nlp included), so that the
// message-to-delivery comparisons weigh the same bodies.
func TestBareDeliveryIsTheEmulators(t *testing.T) {
	rc := newReceiver(t, nil)
	s := emulator.RunT(t, emulator.Config{WebhookURL: rc.URL, Delivery: fastDelivery})
	status, body := post(t, s.URL()+benchPath, "demo-token",
		map[string]any{"conversationId": "bench-1", "message": textMsg(reference.FAQText)})
	if status != http.StatusAccepted {
		t.Fatalf("status %d: %s", status, body)
	}
	s.FlushT(t)
	want, err := reference.DeliveryBody("bench-1", 1)
	if err != nil {
		t.Fatal(err)
	}
	if got := rc.received(); len(got) != 1 || string(got[0]) != string(want) {
		t.Errorf("emulator delivered:\n%s\nbare platform delivers:\n%s", joinBodies(got), want)
	}
}

// BenchmarkBareMessageToDelivery is BenchmarkMessageToDelivery against the
// bare reference platform, which answers 202 and POSTs a delivery of the
// same size to the same kind of sink: the physical limit.
func BenchmarkBareMessageToDelivery(b *testing.B) {
	sink := &reference.Sink{}
	hook := httptest.NewServer(sink)
	b.Cleanup(hook.Close)
	client := benchClient()
	p := reference.NewPlatform(client, hook.URL)
	srv := httptest.NewServer(reference.Routes(p))
	b.Cleanup(func() {
		srv.Close()
		p.Wait()
		client.CloseIdleConnections()
	})
	benchTurns(b, sink, srv.URL+benchPath)
}

// benchTurns runs about benchConversations goroutines, one conversation
// each, that send a message and wait for its delivery.
func benchTurns(b *testing.B, sink *reference.Sink, url string) {
	par := (benchConversations + runtime.GOMAXPROCS(0) - 1) / runtime.GOMAXPROCS(0)
	n := par * runtime.GOMAXPROCS(0)
	bodies := benchBodies("turn", n)
	arrived := sink.Route(benchIDs("turn", n))
	client := benchClient()
	defer client.CloseIdleConnections()
	var (
		started atomic.Int64
		mu      sync.Mutex // guards lats
		lats    []time.Duration
	)
	b.SetParallelism(par)
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		w := int(started.Add(1) - 1)
		mine := benchTurnLoop(b, pb, client, url, bodies[w], arrived[w])
		mu.Lock()
		lats = append(lats, mine...)
		mu.Unlock()
	})
	b.StopTimer()
	benchReportLatency(b, lats)
}

// benchTurnLoop runs one goroutine's turns and returns their latencies.
func benchTurnLoop(b *testing.B, pb *testing.PB, c *http.Client, url string, body []byte, arrived <-chan time.Time) []time.Duration {
	var lats []time.Duration
	for pb.Next() {
		d, err := benchTurn(c, url, body, arrived)
		if err != nil {
			b.Error(err)
			return lats
		}
		lats = append(lats, d)
	}
	return lats
}

// benchTurn sends body and waits for its delivery: the latency runs from
// the start of the request to the delivery's arrival at the sink.
func benchTurn(c *http.Client, url string, body []byte, arrived <-chan time.Time) (time.Duration, error) {
	t0 := time.Now()
	req, err := http.NewRequest(http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		return 0, err
	}
	req.Header.Set("Authorization", "Bearer demo-token")
	req.Header.Set("Content-Type", "application/json")
	resp, err := c.Do(req)
	if err != nil {
		return 0, err
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusAccepted {
		return 0, fmt.Errorf("status %d, want 202", resp.StatusCode)
	}
	select {
	case at := <-arrived:
		return at.Sub(t0), nil
	case <-time.After(10 * time.Second):
		return 0, errors.New("no delivery within 10s")
	}
}

// benchReportLatency reports the median and the 99th percentile.
func benchReportLatency(b *testing.B, lats []time.Duration) {
	if len(lats) == 0 {
		return
	}
	slices.Sort(lats)
	at := func(q float64) float64 {
		i := min(len(lats)-1, int(q*float64(len(lats))))
		return float64(lats[i].Microseconds())
	}
	b.ReportMetric(at(0.50), "p50-µs")
	b.ReportMetric(at(0.99), "p99-µs")
	b.ReportMetric(float64(len(lats))/b.Elapsed().Seconds(), "turns/s")
}

// benchClient keeps a connection per conversation.
func benchClient() *http.Client {
	return &http.Client{Transport: &http.Transport{
		MaxIdleConns:        2 * benchConversations,
		MaxIdleConnsPerHost: 2 * benchConversations,
	}}
}

// benchIDs names n conversations.
func benchIDs(prefix string, n int) []string {
	ids := make([]string, n)
	for i := range ids {
		ids[i] = fmt.Sprintf("%s-%02d", prefix, i)
	}
	return ids
}

// benchBodies returns a v1 FAQ message for each of n conversations.
func benchBodies(prefix string, n int) [][]byte {
	var out [][]byte
	for _, id := range benchIDs(prefix, n) {
		b, err := json.Marshal(map[string]any{
			"conversationId": id,
			"message":        map[string]any{"textMessage": map[string]string{"text": reference.FAQText}},
		})
		if err != nil {
			panic(err)
		}
		out = append(out, b)
	}
	return out
}

// BenchmarkConversationActions posts setSession actions (they send no
// message) to 64 existing conversations through s.Handler(): the validated
// conversation-actions POST of go run ./bench, in process.
func BenchmarkConversationActions(b *testing.B) {
	s, err := emulator.New(emulator.Config{RateLimit: emulator.RateLimit{Off: true}})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { s.Close() })
	h := s.Handler()
	for i := range 64 {
		r := httptest.NewRequest(http.MethodPost, benchPath, bytes.NewReader([]byte(fmt.Sprintf(`{"conversationId":"c%d","message":{"textMessage":{"text":"hi"}}}`, i))))
		r.Header.Set("Authorization", "Bearer demo-token")
		r.Header.Set("Content-Type", "application/json")
		h.ServeHTTP(httptest.NewRecorder(), r)
	}
	s.FlushT(b)
	body := []byte(`{"setSession":{"ticket.status":"open"}}`)
	var started atomic.Int64
	b.ReportAllocs()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for i := int(started.Add(1)); pb.Next(); i++ {
			r := httptest.NewRequest(http.MethodPost, fmt.Sprintf("/v1/bots/demo/conversations/c%d/actions?version=DRAFT", i%64), bytes.NewReader(body))
			r.Header.Set("Authorization", "Bearer demo-token")
			r.Header.Set("Content-Type", "application/json")
			w := httptest.NewRecorder()
			h.ServeHTTP(w, r)
			if w.Code != 200 {
				b.Errorf("status %d, want 200: %s", w.Code, w.Body)
				return
			}
		}
	})
	s.FlushT(b)
}
