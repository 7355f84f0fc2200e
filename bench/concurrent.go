package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"sync/atomic"
	"time"

	"github.com/chatlayer-emulator/chatlayer-emulator/bench/reference"
)

// manyConversations is how many conversations run at once.
const manyConversations = 1000

// faqTurns are the demo bot's FAQ texts and their replies; conversations
// cycle through them so that each delivery says which turn it answers.
var faqTurns = []struct{ text, reply string }{
	{reference.FAQText, reference.ReplyText},
	{"what are your prices", "The emulator is free. Chatlayer itself is priced per conversation."},
	{"where are you located", "We live on your machine, at 127.0.0.1."},
}

// zeroTarget is met when nothing went wrong.
var zeroTarget = &target{"0", func(r row) bool { return r.emu.med == 0 }}

// measureConcurrent runs whole turns on manyConversations conversations at
// once for one round, each sending its texts in sequence, and checks at the
// sink that every conversation got its replies, once each and in order.
func measureConcurrent(o options, logf logFunc) ([]row, error) {
	t := newTurner(manyConversations)
	sinkSrv, err := listen(t.sink)
	if err != nil {
		return nil, err
	}
	defer sinkSrv.close()
	s, err := startEmulator(sinkSrv.url + "/hook")
	if err != nil {
		return nil, err
	}
	defer s.Close()
	t.client, t.url = newClient(manyConversations), s.URL()+messagePath
	defer t.client.CloseIdleConnections()
	res := generate(manyConversations, o.duration, t.turn)
	ctx, cancel := context.WithTimeout(context.Background(), settleTimeout)
	defer cancel()
	if err := s.Flush(ctx); err != nil {
		return nil, err
	}
	bad := t.check()
	logf("%d conversations: %d turns ok, %d errors, %.0f/s, p50 %v, p99 %v; %d lost or reordered",
		manyConversations, res.n, res.errs, res.rate(), res.quantile(0.5), res.quantile(0.99), bad)
	if res.n == 0 {
		return nil, fmt.Errorf("%d conversations: no turn succeeded: %v", manyConversations, res.firstErr)
	}
	name := fmt.Sprintf("message→delivery, %d conversations: ", manyConversations)
	return []row{
		soloRow(name+"turns/s", perSecond, []float64{res.rate()}, nil),
		soloRow(name+"p50", millis, []float64{ms(res.quantile(0.5))}, nil),
		soloRow(name+"p99", millis, []float64{ms(res.quantile(0.99))}, nil),
		soloRow(name+"lost or reordered deliveries", count, []float64{float64(bad)}, zeroTarget),
	}, nil
}

// turner sends each conversation's texts in sequence, one turn at a time.
type turner struct {
	client *http.Client
	url    string
	ids    []string
	sent   []atomic.Int64 // accepted texts per conversation
	sink   *reference.OrderSink
}

// newTurner names n conversations and makes their sink.
func newTurner(n int) *turner {
	t := &turner{sent: make([]atomic.Int64, n)}
	for w := range n {
		t.ids = append(t.ids, fmt.Sprintf("many-%04d", w))
	}
	t.sink = reference.NewOrderSink(t.ids)
	return t
}

// turn is an op: send worker w's next text and wait for its delivery.
func (t *turner) turn(w int) (time.Duration, error) {
	drainArrivals(t.sink.Arrived(w))
	k := t.sent[w].Load()
	body, _ := json.Marshal(map[string]any{ // a map of strings always marshals
		"conversationId": t.ids[w],
		"message":        map[string]any{"textMessage": map[string]string{"text": faqTurns[k%int64(len(faqTurns))].text}},
	})
	t0 := time.Now()
	if err := t.post(body); err != nil {
		return 0, err
	}
	t.sent[w].Add(1)
	select {
	case at := <-t.sink.Arrived(w):
		return at.Sub(t0), nil
	case <-time.After(turnTimeout):
		return 0, errNoDelivery
	}
}

// post sends one user message and checks for 202.
func (t *turner) post(body []byte) error {
	req, err := http.NewRequest(http.MethodPost, t.url, bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", "Bearer "+accessToken)
	req.Header.Set("Content-Type", "application/json")
	resp, err := t.client.Do(req)
	if err != nil {
		return err
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusAccepted {
		return fmt.Errorf("POST %s: status %d", t.url, resp.StatusCode)
	}
	return nil
}

// check counts the deliveries that are missing, extra or out of place:
// conversation w must have got exactly the replies to its accepted texts,
// in the order it sent them.
func (t *turner) check() int {
	bad := 0
	for w := range t.ids {
		got, sent := t.sink.Texts(w), int(t.sent[w].Load())
		bad += max(sent-len(got), len(got)-sent)
		for i := range min(sent, len(got)) {
			if got[i] != faqTurns[i%len(faqTurns)].reply {
				bad++
			}
		}
	}
	return bad
}
