package delivery_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/chatlayer-emulator/chatlayer-emulator/emulator/delivery"
)

// flakyReceiver fails 30% of requests, chosen by a seeded generator, and
// records every attempt's body and the bodies it accepted.
type flakyReceiver struct {
	*receiver
	mu       sync.Mutex // guards rng and accepted
	rng      *rand.Rand
	accepted map[string][]string // conversation -> bodies answered 200
}

func newFlakyReceiver(t *testing.T, seed uint64) *flakyReceiver {
	f := &flakyReceiver{rng: rand.New(rand.NewPCG(seed, seed)), accepted: map[string][]string{}}
	f.receiver = newReceiver(t, func(w http.ResponseWriter, r *http.Request, _ int, body []byte) {
		f.mu.Lock()
		defer f.mu.Unlock()
		if f.rng.Float64() < 0.3 {
			w.WriteHeader(http.StatusServiceUnavailable)
			return
		}
		conv := r.URL.Query().Get("conv")
		f.accepted[conv] = append(f.accepted[conv], string(body))
	})
	return f
}

func TestStrictOrderPerKey(t *testing.T) {
	const convs, perConv = 10, 20
	rc := newFlakyReceiver(t, 42)
	// Enough retries that no message can fail: order is then checked on
	// the complete sequence.
	d := newDispatcher(t, delivery.Config{Retries: 20})
	for i := range perConv {
		for c := range convs {
			mustEnqueue(t, d, delivery.Request{
				Bot: "b", Conversation: fmt.Sprint(c),
				URL: rc.URL + "?conv=" + fmt.Sprint(c), Body: fmt.Appendf(nil, "%d", i),
			})
		}
	}
	flush(t, d)
	for c := range convs {
		conv := fmt.Sprint(c)
		var want []string
		for i := range perConv {
			want = append(want, fmt.Sprint(i))
		}
		if got := rc.accepted[conv]; !slices.Equal(got, want) {
			t.Errorf("conversation %s: accepted %q, want %q", conv, got, want)
		}
		ds := d.Journal().List(delivery.Filter{Conversation: conv, State: delivery.StateDelivered})
		if len(ds) != perConv {
			t.Errorf("conversation %s: %d delivered, want %d", conv, len(ds), perConv)
		}
	}
	// Every attempt, failed ones included, came after the previous message
	// was delivered: per conversation, attempt bodies never go backwards.
	last := map[string]int{}
	for _, r := range rc.requests() {
		var n int
		fmt.Sscan(r.Body, &n)
		key := conversationOf(t, d, r.Header.Get(delivery.HeaderDeliveryID))
		if n < last[key] {
			t.Fatalf("conversation %s: attempt for message %d after message %d", key, n, last[key])
		}
		last[key] = n
	}
}

// conversationOf returns the conversation of delivery id.
func conversationOf(t *testing.T, d *delivery.Dispatcher, id string) string {
	t.Helper()
	return get(t, d, id).Conversation
}

func TestHugeAnswer(t *testing.T) {
	chunk := bytes.Repeat([]byte("x"), 64<<10)
	tests := []struct {
		status    int
		wantState delivery.State
		wantKind  delivery.ErrorKind
	}{
		{200, delivery.StateDelivered, delivery.ResponseTruncated},
		{500, delivery.StateFailed, delivery.Fail5xx},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprint(tt.status), func(t *testing.T) {
			rc := newReceiver(t, func(w http.ResponseWriter, _ *http.Request, _ int, _ []byte) {
				w.WriteHeader(tt.status)
				for range (10 << 20) / len(chunk) { // 10 MiB, or until the client hangs up
					if _, err := w.Write(chunk); err != nil {
						return
					}
				}
			})
			d := newDispatcher(t, delivery.Config{})
			id := mustEnqueue(t, d, delivery.Request{URL: rc.URL, Body: []byte(`{}`)})
			flush(t, d)
			got := get(t, d, id)
			if got.State != tt.wantState || got.Attempts[0].ErrorKind != tt.wantKind {
				t.Fatalf("State %q, first kind %q; want %q, %q", got.State, got.Attempts[0].ErrorKind, tt.wantState, tt.wantKind)
			}
			for _, a := range got.Attempts {
				if len(a.Response) != delivery.DefaultKeepBytes {
					t.Errorf("attempt %d kept %d bytes, want %d", a.N, len(a.Response), delivery.DefaultKeepBytes)
				}
			}
			if len(got.ResponseBody) != delivery.DefaultKeepBytes {
				t.Errorf("ResponseBody has %d bytes, want %d", len(got.ResponseBody), delivery.DefaultKeepBytes)
			}
		})
	}
}

func TestLongAnswerUnderCapIsNotTruncated(t *testing.T) {
	rc := newReceiver(t, func(w http.ResponseWriter, _ *http.Request, _ int, _ []byte) {
		w.Write(bytes.Repeat([]byte("y"), 100<<10))
	})
	d := newDispatcher(t, delivery.Config{KeepBytes: 10})
	got := d.Do(guardCtx(t), delivery.Request{URL: rc.URL})
	if got.State != delivery.StateDelivered || got.Attempts[0].ErrorKind != "" || got.Attempts[0].Response != "yyyyyyyyyy" {
		t.Fatalf("State %q, kind %q, response %q; want delivered, no kind, 10 bytes",
			got.State, got.Attempts[0].ErrorKind, got.Attempts[0].Response)
	}
}

func TestAcceptHook(t *testing.T) {
	rc := newReceiver(t, func(w http.ResponseWriter, _ *http.Request, n int, _ []byte) {
		fmt.Fprintf(w, `{"offloadSuccess":%t}`, n >= 2)
	})
	accept := func(status int, body []byte) error {
		var v struct{ OffloadSuccess bool }
		if err := json.Unmarshal(body, &v); err != nil {
			return err
		}
		if !v.OffloadSuccess {
			return errors.New("offloadSuccess is not true")
		}
		return nil
	}
	d := newDispatcher(t, delivery.Config{})
	got := d.Do(guardCtx(t), delivery.Request{Kind: delivery.KindOffloading, URL: rc.URL, Body: []byte(`{}`), Accept: accept})
	want := []delivery.ErrorKind{delivery.FailBadResponse, delivery.FailBadResponse, ""}
	if got.State != delivery.StateDelivered || !slices.Equal(kinds(got), want) {
		t.Fatalf("State %q, kinds %q; want delivered, %q", got.State, kinds(got), want)
	}
	if !strings.Contains(got.Attempts[0].Error, "offloadSuccess is not true") {
		t.Errorf("attempt 1 error %q does not carry the hook's error", got.Attempts[0].Error)
	}

	never := func(int, []byte) error { return errors.New("never") }
	got = d.Do(guardCtx(t), delivery.Request{URL: rc.URL, Accept: never})
	if got.State != delivery.StateFailed || len(got.Attempts) != 4 {
		t.Errorf("always refused: State %q after %d attempts, want failed after 4", got.State, len(got.Attempts))
	}
}

func TestSecretsMasked(t *testing.T) {
	const secret = `s3cr3t/+&"<x>`
	forms := []string{secret, url.QueryEscape(secret), url.PathEscape(secret), jsonString(secret)}
	var location string
	rc := newReceiver(t, func(w http.ResponseWriter, r *http.Request, n int, body []byte) {
		switch n {
		case 0:
			w.Header().Set("Location", location)
			w.WriteHeader(http.StatusFound)
		case 1:
			w.WriteHeader(500)
			w.Write(body) // echo: the answer carries the secret
		default:
			fmt.Fprintf(w, "token=%s", r.URL.Query().Get("challenge.verifyToken"))
		}
	})
	location = rc.URL + "/next?token=" + url.QueryEscape(secret)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	refused := "http://" + ln.Addr().String() + "/" + url.PathEscape(secret)
	ln.Close()

	var logs syncBuffer
	logger := slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	d := newDispatcher(t, delivery.Config{Logger: logger})
	body, _ := json.Marshal(map[string]string{"verifyToken": secret})
	hdr := http.Header{"Authorization": {"Bearer " + secret}}
	mustEnqueue(t, d, delivery.Request{
		URL:  rc.URL + "/hook?challenge.verifyToken=" + url.QueryEscape(secret),
		Body: body, Header: hdr, Secrets: []string{secret},
	})
	mustEnqueue(t, d, delivery.Request{URL: refused, Body: body, Secrets: []string{secret}})
	flush(t, d)

	if got := rc.requests()[0].Header.Get("Authorization"); got != "Bearer "+secret {
		t.Fatalf("the wire must carry the secret; Authorization = %q", got)
	}
	dump, err := json.Marshal(d.Journal().List(delivery.Filter{}))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range forms {
		if bytes.Contains(dump, []byte(f)) {
			t.Errorf("journal JSON contains secret form %q:\n%s", f, dump)
		}
		if strings.Contains(logs.String(), f) {
			t.Errorf("logs contain secret form %q:\n%s", f, logs.String())
		}
	}
	if !bytes.Contains(dump, []byte("***")) {
		t.Errorf("journal JSON shows no mask:\n%s", dump)
	}
	if logs.String() == "" {
		t.Error("no log lines written")
	}
}

// jsonString returns s as it appears inside a JSON string.
func jsonString(s string) string {
	b, _ := json.Marshal(s)
	return string(b[1 : len(b)-1])
}
