package delivery_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"testing"
	"time"

	"github.com/chatlayer-emulator/chatlayer-emulator/emulator/delivery"
)

func ids(ds []delivery.Delivery) []string {
	out := make([]string, len(ds))
	for i, d := range ds {
		out[i] = d.ID
	}
	return out
}

func TestJournalFiltersAndClock(t *testing.T) {
	ok := newReceiver(t, statuses(200))
	bad := newReceiver(t, statuses(500))
	now := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	d := newDispatcher(t, delivery.Config{Now: func() time.Time { return now }, Retries: -1})
	mustEnqueue(t, d, delivery.Request{Kind: delivery.KindChannel, Bot: "a", Conversation: "1", URL: ok.URL})
	mustEnqueue(t, d, delivery.Request{Kind: delivery.KindOffloading, Bot: "a", Conversation: "2", URL: bad.URL})
	mustEnqueue(t, d, delivery.Request{Kind: delivery.KindChannel, Bot: "b", Conversation: "1", URL: bad.URL})
	flush(t, d)

	tests := []struct {
		f    delivery.Filter
		want []string
	}{
		{delivery.Filter{}, []string{"d-000001", "d-000002", "d-000003"}},
		{delivery.Filter{Bot: "a"}, []string{"d-000001", "d-000002"}},
		{delivery.Filter{Conversation: "1"}, []string{"d-000001", "d-000003"}},
		{delivery.Filter{Kind: delivery.KindOffloading}, []string{"d-000002"}},
		{delivery.Filter{State: delivery.StateFailed}, []string{"d-000002", "d-000003"}},
		{delivery.Filter{Bot: "b", State: delivery.StateDelivered}, nil},
	}
	for _, tt := range tests {
		if got := ids(d.Journal().List(tt.f)); !slices.Equal(got, tt.want) {
			t.Errorf("List(%+v) = %q, want %q", tt.f, got, tt.want)
		}
	}
	for _, x := range d.Journal().List(delivery.Filter{}) {
		if !x.CreatedAt.Equal(now) || !x.CompletedAt.Equal(now) || !x.Attempts[0].At.Equal(now) {
			t.Errorf("%s: times %v/%v/%v, want all %v", x.ID, x.CreatedAt, x.CompletedAt, x.Attempts[0].At, now)
		}
		if len(x.Attempts) != 1 {
			t.Errorf("%s: %d attempts with Retries -1, want 1", x.ID, len(x.Attempts))
		}
	}
}

func TestJournalReturnsCopies(t *testing.T) {
	rc := newReceiver(t, func(w http.ResponseWriter, _ *http.Request, _ int, _ []byte) { w.Write([]byte("abc")) })
	d := newDispatcher(t, delivery.Config{})
	id := d.Do(guardCtx(t), delivery.Request{URL: rc.URL}).ID
	got := get(t, d, id)
	got.Attempts[0].Status = 999
	got.ResponseBody[0] = 'X'
	got.Header.Set("User-Agent", "changed")
	again := get(t, d, id)
	if again.Attempts[0].Status != 200 || string(again.ResponseBody) != "abc" || again.Header.Get("User-Agent") != "chatlayer-emulator" {
		t.Fatalf("journal changed through a returned copy: %+v", again)
	}
}

func TestJournalEvictsOldestTerminal(t *testing.T) {
	rc := newReceiver(t, statuses(200))
	hang, arrived := hangingReceiver(t)
	d := newDispatcher(t, delivery.Config{JournalSize: 3, Timeout: time.Minute})
	t.Cleanup(func() { closeNow(d) }) // runs first: ends the hanging delivery
	pending := mustEnqueue(t, d, delivery.Request{Conversation: "hang", URL: hang.URL})
	recv(t, arrived, "the pending delivery's attempt")
	for range 5 { // one key: they finish in Seq order
		mustEnqueue(t, d, delivery.Request{Conversation: "ok", URL: rc.URL})
	}
	waitFor(t, d, func() bool {
		last, ok := d.Journal().Get("d-000006")
		return ok && last.Terminal()
	})
	want := []string{pending, "d-000005", "d-000006"}
	if got := ids(d.Journal().List(delivery.Filter{})); !slices.Equal(got, want) {
		t.Fatalf("journal holds %q, want %q (pending kept, oldest terminal evicted)", got, want)
	}
	if _, ok := d.Journal().Get("d-000002"); ok {
		t.Error("evicted delivery d-000002 still found by Get")
	}
}

func TestJournalResetAndWait(t *testing.T) {
	rc := newReceiver(t, statuses(200))
	d := newDispatcher(t, delivery.Config{})
	for _, bot := range []string{"a", "a", "b"} {
		mustEnqueue(t, d, delivery.Request{Bot: bot, URL: rc.URL})
	}
	flush(t, d)
	d.Journal().Reset(delivery.Filter{Bot: "a"})
	if got := ids(d.Journal().List(delivery.Filter{})); !slices.Equal(got, []string{"d-000003"}) {
		t.Fatalf("after Reset(bot a): %q, want [d-000003]", got)
	}
	d.Journal().Reset(delivery.Filter{})
	if got := d.Journal().List(delivery.Filter{}); len(got) != 0 {
		t.Fatalf("after Reset(all): %q, want none", ids(got))
	}
	if id := mustEnqueue(t, d, delivery.Request{Bot: "a", URL: rc.URL}); id != "d-000004" {
		t.Errorf("id after Reset = %q, want d-000004 (ids are never reused)", id)
	}
	waitTerminal(t, d, delivery.Filter{Bot: "a"}, 1)

	ctx, cancel := context.WithTimeout(context.Background(), time.Millisecond)
	defer cancel()
	got, err := d.Journal().Wait(ctx, delivery.Filter{Bot: "a"}, 2)
	if !errors.Is(err, context.DeadlineExceeded) || len(got) != 1 {
		t.Errorf("Wait for more than exist: %d deliveries, %v; want 1, deadline exceeded", len(got), err)
	}
}

func TestOnDoneCalledOnce(t *testing.T) {
	rc := newReceiver(t, statuses(500, 200))
	d := newDispatcher(t, delivery.Config{})
	done := make(chan delivery.Delivery, 10)
	id := mustEnqueue(t, d, delivery.Request{URL: rc.URL, OnDone: func(x delivery.Delivery) { done <- x }})
	flush(t, d)
	if len(done) != 1 {
		t.Fatalf("OnDone called %d times, want 1", len(done))
	}
	if got := <-done; got.ID != id || got.State != delivery.StateDelivered || len(got.Attempts) != 2 {
		t.Errorf("OnDone got %s, %q, %d attempts; want %s, delivered, 2", got.ID, got.State, len(got.Attempts), id)
	}
}

func BenchmarkDeliver(b *testing.B) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		w.WriteHeader(http.StatusNoContent)
	}))
	defer srv.Close()
	d := delivery.New(delivery.Config{Backoff: time.Millisecond})
	body := []byte(`{"senderId":"u","message":{"text":"hi"},"messageCounter":1,"verifyToken":"t"}`)
	convs := make([]string, 64)
	for i := range convs {
		convs[i] = fmt.Sprint("conv-", i)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := range b.N { // not b.Loop: the timed part must include Flush
		_, err := d.Enqueue(delivery.Request{Bot: "b", Conversation: convs[i%len(convs)], URL: srv.URL, Body: body, Secrets: []string{"t"}})
		if err != nil {
			b.Fatal(err)
		}
	}
	if err := d.Flush(context.Background()); err != nil {
		b.Fatal(err)
	}
	b.StopTimer()
	if err := d.Close(context.Background()); err != nil {
		b.Fatal(err)
	}
	if n := len(d.Journal().List(delivery.Filter{State: delivery.StateFailed})); n != 0 {
		b.Fatalf("%d deliveries failed", n)
	}
}

// TestJournalSince: a Filter's Since keeps the deliveries made after a
// Mark, in List and in Wait, so that a wait for the second message's reply
// does not count the first one's.
func TestJournalSince(t *testing.T) {
	rc := newReceiver(t, statuses(200))
	d := newDispatcher(t, delivery.Config{})
	if m := d.Journal().Mark(); m != 0 {
		t.Fatalf("Mark of an empty journal = %d, want 0", m)
	}
	mustEnqueue(t, d, delivery.Request{Conversation: "c", URL: rc.URL})
	flush(t, d)
	mark := d.Journal().Mark()
	mustEnqueue(t, d, delivery.Request{Conversation: "c", URL: rc.URL})
	got, err := d.Journal().Wait(guardCtx(t), delivery.Filter{Conversation: "c", Since: mark}, 1)
	if err != nil || !slices.Equal(ids(got), []string{"d-000002"}) {
		t.Fatalf("Wait since %d = %q, %v; want [d-000002]", mark, ids(got), err)
	}
	if all := ids(d.Journal().List(delivery.Filter{Conversation: "c"})); len(all) != 2 {
		t.Errorf("List without Since = %q, want both", all)
	}
	d.Journal().Reset(delivery.Filter{})
	if m := d.Journal().Mark(); m != 2 {
		t.Errorf("Mark after Reset = %d, want 2: seqs are never reused", m)
	}
}
