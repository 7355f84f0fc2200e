package delivery_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/cookiejar"
	"slices"
	"testing"
	"time"

	"github.com/chatlayer-emulator/chatlayer-emulator/emulator/delivery"
)

func TestRetryOutcomes(t *testing.T) {
	const (
		ok  = delivery.ErrorKind("")
		c4  = delivery.Fail4xx
		c5  = delivery.Fail5xx
		red = delivery.FailRedirect
	)
	tests := []struct {
		name      string
		codes     []int
		wantState delivery.State
		wantKinds []delivery.ErrorKind
	}{
		{"200 first", []int{200}, delivery.StateDelivered, []delivery.ErrorKind{ok}},
		{"any 2xx", []int{204}, delivery.StateDelivered, []delivery.ErrorKind{ok}},
		{"500 500 200", []int{500, 500, 200}, delivery.StateDelivered, []delivery.ErrorKind{c5, c5, ok}},
		{"always 500", []int{500}, delivery.StateFailed, []delivery.ErrorKind{c5, c5, c5, c5}},
		{"4xx retried", []int{400, 401, 404, 201}, delivery.StateDelivered, []delivery.ErrorKind{c4, c4, c4, ok}},
		{"always 404", []int{404}, delivery.StateFailed, []delivery.ErrorKind{c4, c4, c4, c4}},
		{"304 is a failure", []int{304, 200}, delivery.StateDelivered, []delivery.ErrorKind{red, ok}},
		{"503 then 429", []int{503, 429, 502, 200}, delivery.StateDelivered, []delivery.ErrorKind{c5, c4, c5, ok}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rc := newReceiver(t, statuses(tt.codes...))
			d := newDispatcher(t, delivery.Config{})
			id := mustEnqueue(t, d, delivery.Request{Kind: delivery.KindChannel, Bot: "b", Conversation: "c", URL: rc.URL, Body: []byte(`{"n":1}`)})
			flush(t, d)
			got := get(t, d, id)
			if got.State != tt.wantState {
				t.Errorf("State = %q, want %q", got.State, tt.wantState)
			}
			if !slices.Equal(kinds(got), tt.wantKinds) {
				t.Errorf("attempt kinds = %q, want %q", kinds(got), tt.wantKinds)
			}
			if n := len(rc.requests()); n != len(tt.wantKinds) {
				t.Errorf("receiver got %d requests, want %d", n, len(tt.wantKinds))
			}
			last := tt.codes[min(len(tt.wantKinds), len(tt.codes))-1]
			if got.Status != last {
				t.Errorf("Status = %d, want %d", got.Status, last)
			}
		})
	}
}

func TestHeadersSameOnEveryAttempt(t *testing.T) {
	rc := newReceiver(t, statuses(500, 500, 200))
	d := newDispatcher(t, delivery.Config{})
	id := mustEnqueue(t, d, delivery.Request{
		URL: rc.URL, Body: []byte(`{}`), Header: http.Header{"X-Custom": {"v"}, "User-Agent": {"other"}},
	})
	flush(t, d)
	reqs := rc.requests()
	if len(reqs) != 3 {
		t.Fatalf("receiver got %d requests, want 3", len(reqs))
	}
	for i, r := range reqs {
		for name, want := range map[string]string{
			delivery.HeaderDeliveryID: id,
			"User-Agent":              "chatlayer-emulator",
			"Content-Type":            "application/json",
			"X-Custom":                "v",
		} {
			if got := r.Header.Get(name); got != want {
				t.Errorf("request %d: %s = %q, want %q", i, name, got, want)
			}
		}
		if r.Body != `{}` {
			t.Errorf("request %d: body %q, want {}", i, r.Body)
		}
	}
	if got := get(t, d, id).Header.Get(delivery.HeaderDeliveryID); got != id {
		t.Errorf("journal header %s = %q, want %q", delivery.HeaderDeliveryID, got, id)
	}
}

func TestRedirectNeverFollowed(t *testing.T) {
	clients := map[string]*http.Client{
		"own client":   nil,
		"given client": {}, // would follow redirects on its own
	}
	for _, name := range []string{"own client", "given client"} {
		for _, code := range []int{301, 302, 307, 308} {
			t.Run(fmt.Sprint(name, "/", code), func(t *testing.T) {
				testRedirect(t, clients[name], code)
			})
		}
	}
}

// testRedirect checks one redirect status with one client.
func testRedirect(t *testing.T, client *http.Client, code int) {
	target := newReceiver(t, statuses(200))
	location := target.URL + "/elsewhere"
	src := newReceiver(t, func(w http.ResponseWriter, r *http.Request, _ int, _ []byte) {
		http.Redirect(w, r, location, code)
	})
	d := newDispatcher(t, delivery.Config{Client: client})
	id := mustEnqueue(t, d, delivery.Request{URL: src.URL, Body: []byte(`{}`)})
	flush(t, d)
	got := get(t, d, id)
	if n := len(target.requests()); n != 0 {
		t.Errorf("redirect target got %d requests, want 0", n)
	}
	if got.State != delivery.StateFailed || len(got.Attempts) != 4 {
		t.Fatalf("State %q after %d attempts, want failed after 4", got.State, len(got.Attempts))
	}
	for _, a := range got.Attempts {
		if a.ErrorKind != delivery.FailRedirect || a.Location != location || a.Status != code {
			t.Errorf("attempt %d: kind %q, status %d, location %q; want redirect, %d, %q",
				a.N, a.ErrorKind, a.Status, a.Location, code, location)
		}
	}
}

func TestTransportErrors(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	refused := "http://" + ln.Addr().String()
	ln.Close()
	reset := newReceiver(t, func(w http.ResponseWriter, _ *http.Request, _ int, _ []byte) {
		conn, _, err := http.NewResponseController(w).Hijack()
		if err == nil {
			conn.Close()
		}
	})
	tests := []struct {
		name string
		url  string
		want delivery.ErrorKind
	}{
		{"connection refused", refused, delivery.FailConnect},
		{"closed without answer", reset.URL, delivery.FailIO},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := newDispatcher(t, delivery.Config{})
			id := mustEnqueue(t, d, delivery.Request{URL: tt.url, Body: []byte(`{}`)})
			flush(t, d)
			got := get(t, d, id)
			want := []delivery.ErrorKind{tt.want, tt.want, tt.want, tt.want}
			if got.State != delivery.StateFailed || !slices.Equal(kinds(got), want) {
				t.Fatalf("State %q, kinds %q; want failed, %q", got.State, kinds(got), want)
			}
			if got.Error == "" || got.Error != got.Attempts[3].Error {
				t.Errorf("Error = %q, want the last attempt's %q", got.Error, got.Attempts[3].Error)
			}
		})
	}
}

// hangingReceiver never answers until the test ends or the client gives up.
// arrived receives one value per request.
func hangingReceiver(t *testing.T) (*receiver, <-chan struct{}) {
	release := make(chan struct{})
	arrived := make(chan struct{}, 100)
	rc := newReceiver(t, func(_ http.ResponseWriter, r *http.Request, _ int, _ []byte) {
		arrived <- struct{}{}
		select {
		case <-release:
		case <-r.Context().Done():
		}
	})
	t.Cleanup(func() { close(release) }) // runs before rc.Close
	return rc, arrived
}

func TestHangingEndpointTimesOut(t *testing.T) {
	hang, _ := hangingReceiver(t)
	d := newDispatcher(t, delivery.Config{Timeout: 50 * time.Millisecond})
	id := mustEnqueue(t, d, delivery.Request{URL: hang.URL, Body: []byte(`{}`)})
	flush(t, d)
	want := []delivery.ErrorKind{delivery.FailTimeout, delivery.FailTimeout, delivery.FailTimeout, delivery.FailTimeout}
	if got := get(t, d, id); got.State != delivery.StateFailed || !slices.Equal(kinds(got), want) {
		t.Fatalf("State %q, kinds %q; want failed, %q", got.State, kinds(got), want)
	}
	if n := len(hang.requests()); n != 4 {
		t.Errorf("hanging receiver got %d requests, want 4", n)
	}
}

func TestHangingKeyDoesNotDelayOthers(t *testing.T) {
	hang, arrived := hangingReceiver(t)
	healthy := newReceiver(t, statuses(200))
	// The per-attempt timeout is far longer than the test: the hanging
	// delivery stays pending, whatever the machine's speed.
	d := newDispatcher(t, delivery.Config{Timeout: time.Minute})
	slow := mustEnqueue(t, d, delivery.Request{Conversation: "slow", URL: hang.URL, Body: []byte(`{}`)})
	recv(t, arrived, "the hanging attempt")
	mustEnqueue(t, d, delivery.Request{Conversation: "fast", URL: healthy.URL, Body: []byte(`{}`)})

	got := waitTerminal(t, d, delivery.Filter{Conversation: "fast"}, 1)
	if got[0].State != delivery.StateDelivered {
		t.Fatalf("healthy conversation: State %q, want delivered", got[0].State)
	}
	if s := get(t, d, slow).State; s != delivery.StatePending {
		t.Fatalf("hanging conversation: State %q, want pending", s)
	}
	if err := closeNow(d); !errors.Is(err, context.Canceled) {
		t.Fatalf("Close(expired) = %v, want context.Canceled", err)
	}
	if got := get(t, d, slow); got.State != delivery.StateFailed || got.Error != "shutdown" ||
		!slices.Equal(kinds(got), []delivery.ErrorKind{delivery.FailShutdown}) {
		t.Fatalf("after Close: State %q, Error %q, kinds %q; want failed, shutdown, [shutdown]", got.State, got.Error, kinds(got))
	}
}

func TestTimeoutCoversBody(t *testing.T) {
	release := make(chan struct{})
	rc := newReceiver(t, func(w http.ResponseWriter, r *http.Request, _ int, _ []byte) {
		w.WriteHeader(200)
		w.Write([]byte("partial"))
		http.NewResponseController(w).Flush()
		select { // headers sent, body never finishes
		case <-release:
		case <-r.Context().Done():
		}
	})
	t.Cleanup(func() { close(release) })
	d := newDispatcher(t, delivery.Config{Timeout: 200 * time.Millisecond})
	got := d.Do(guardCtx(t), delivery.Request{URL: rc.URL, NoRetry: true})
	if got.State != delivery.StateFailed || !slices.Equal(kinds(got), []delivery.ErrorKind{delivery.FailTimeout}) {
		t.Fatalf("State %q, kinds %q; want failed, [timeout]", got.State, kinds(got))
	}
	// Had the deadline not covered the body, Do would never have returned.
	// On a very slow machine it may expire before the headers arrive.
	if got.Status != 200 {
		t.Logf("Status = %d: the deadline expired before the headers arrived", got.Status)
	}
}

func TestCloseDrains(t *testing.T) {
	rc := newReceiver(t, statuses(500, 200, 503, 200))
	d := delivery.New(delivery.Config{Backoff: time.Millisecond})
	var ids []string
	for i := range 10 {
		ids = append(ids, mustEnqueue(t, d, delivery.Request{Conversation: fmt.Sprint(i % 2), URL: rc.URL, Body: []byte(`{}`)}))
	}
	if err := d.Close(guardCtx(t)); err != nil {
		t.Fatalf("Close: %v", err)
	}
	for _, id := range ids {
		if got := get(t, d, id); got.State != delivery.StateDelivered {
			t.Errorf("%s: State %q, want delivered", id, got.State)
		}
	}
	if _, err := d.Enqueue(delivery.Request{URL: rc.URL}); !errors.Is(err, delivery.ErrClosed) {
		t.Errorf("Enqueue after Close: %v, want ErrClosed", err)
	}
	got := d.Do(guardCtx(t), delivery.Request{URL: rc.URL})
	if got.State != delivery.StateFailed || got.ID != "" || got.Error != delivery.ErrClosed.Error() {
		t.Errorf("Do after Close: %+v, want failed, no ID, Error %q", got, delivery.ErrClosed)
	}
	if err := d.Close(guardCtx(t)); err != nil {
		t.Errorf("second Close: %v", err)
	}
}

func TestCloseExpiredMarksShutdown(t *testing.T) {
	hang, arrived := hangingReceiver(t)
	d := delivery.New(delivery.Config{Backoff: time.Millisecond})
	done := make(chan delivery.Delivery, 3)
	for range 3 {
		mustEnqueue(t, d, delivery.Request{Conversation: "c", URL: hang.URL, OnDone: func(x delivery.Delivery) { done <- x }})
	}
	recv(t, arrived, "first attempt")
	if err := closeNow(d); !errors.Is(err, context.Canceled) {
		t.Fatalf("Close(expired) = %v, want context.Canceled", err)
	}
	all := d.Journal().List(delivery.Filter{})
	wantAttempts := []int{1, 0, 0}
	for i, got := range all {
		if got.State != delivery.StateFailed || got.Error != "shutdown" || len(got.Attempts) != wantAttempts[i] {
			t.Errorf("%s: State %q, Error %q, %d attempts; want failed, shutdown, %d",
				got.ID, got.State, got.Error, len(got.Attempts), wantAttempts[i])
		}
	}
	if k := kinds(all[0]); !slices.Equal(k, []delivery.ErrorKind{delivery.FailShutdown}) {
		t.Errorf("interrupted attempt kinds %q, want [shutdown]", k)
	}
	if len(done) != 3 {
		t.Errorf("OnDone called %d times, want 3", len(done))
	}
}

func TestDoSynchronous(t *testing.T) {
	rc := newReceiver(t, func(w http.ResponseWriter, r *http.Request, _ int, body []byte) {
		if string(body) == "fail" {
			w.WriteHeader(500)
			w.Write([]byte("nope"))
			return
		}
		w.Write([]byte(`{"answer":42}`))
	})
	d := newDispatcher(t, delivery.Config{})
	tests := []struct {
		body, wantResp string
		wantState      delivery.State
		wantStatus     int
	}{
		{"fail", "nope", delivery.StateFailed, 500},
		{"ok", `{"answer":42}`, delivery.StateDelivered, 200},
	}
	for _, tt := range tests {
		got := d.Do(guardCtx(t), delivery.Request{Kind: delivery.KindPlugin, URL: rc.URL, Body: []byte(tt.body), NoRetry: true})
		if got.State != tt.wantState || got.Status != tt.wantStatus || string(got.ResponseBody) != tt.wantResp {
			t.Errorf("Do(%s): State %q, Status %d, body %q; want %q, %d, %q",
				tt.body, got.State, got.Status, got.ResponseBody, tt.wantState, tt.wantStatus, tt.wantResp)
		}
		if len(got.Attempts) != 1 {
			t.Errorf("Do(%s): %d attempts, want 1 (NoRetry)", tt.body, len(got.Attempts))
		}
		if j := get(t, d, got.ID); j.State != got.State || j.Kind != delivery.KindPlugin {
			t.Errorf("journal has %q/%q for %s, want %q/plugin", j.State, j.Kind, got.ID, got.State)
		}
	}
}

func TestDoCanceled(t *testing.T) {
	hang, _ := hangingReceiver(t)
	d := newDispatcher(t, delivery.Config{})
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	got := d.Do(ctx, delivery.Request{URL: hang.URL})
	if got.State != delivery.StateFailed || got.Error != context.Canceled.Error() {
		t.Errorf("State %q, Error %q; want failed, %q", got.State, got.Error, context.Canceled)
	}
}

func TestInvalidRequest(t *testing.T) {
	d := newDispatcher(t, delivery.Config{})
	for _, r := range []delivery.Request{
		{URL: "not a url"},
		{URL: "ftp://example.com/"},
		{URL: "/relative"},
		{URL: "http://example.com/", Method: "BAD METHOD"},
	} {
		if _, err := d.Enqueue(r); !errors.Is(err, delivery.ErrInvalidRequest) {
			t.Errorf("Enqueue(%q, %q) = %v, want ErrInvalidRequest", r.Method, r.URL, err)
		}
	}
	if n := len(d.Journal().List(delivery.Filter{})); n != 0 {
		t.Errorf("journal holds %d deliveries, want 0", n)
	}
}

// TestDoReturnsWholeAcceptedAnswer: an API-plugin answer longer than the
// journal's excerpt reaches the caller whole; the journal keeps the excerpt.
func TestDoReturnsWholeAcceptedAnswer(t *testing.T) {
	big := bytes.Repeat([]byte("x"), 100<<10)
	rc := newReceiver(t, func(w http.ResponseWriter, _ *http.Request, _ int, _ []byte) { w.Write(big) })
	d := newDispatcher(t, delivery.Config{KeepBytes: 1 << 10})
	accept := func(int, []byte) error { return nil }
	got := d.Do(guardCtx(t), delivery.Request{Kind: delivery.KindPlugin, URL: rc.URL, NoRetry: true, Accept: accept})
	if got.State != delivery.StateDelivered || !bytes.Equal(got.ResponseBody, big) {
		t.Fatalf("Do: state %q, %d bytes of answer; want delivered and %d bytes", got.State, len(got.ResponseBody), len(big))
	}
	if j := get(t, d, got.ID); len(j.ResponseBody) != 1<<10 {
		t.Fatalf("journal keeps %d bytes, want %d", len(j.ResponseBody), 1<<10)
	}
}

// TestCookieJarDoesNotGrowTheHeader: a client with a cookie jar adds its
// cookies to each attempt's header; each attempt must carry them once, and
// the journal's record none (attempts share the call's header only when
// the client has no jar).
func TestCookieJarDoesNotGrowTheHeader(t *testing.T) {
	rc := newReceiver(t, func(w http.ResponseWriter, _ *http.Request, n int, _ []byte) {
		http.SetCookie(w, &http.Cookie{Name: "session", Value: "s1"})
		w.WriteHeader([]int{500, 500, 200}[n])
	})
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	d := newDispatcher(t, delivery.Config{Client: &http.Client{Jar: jar}})
	id := mustEnqueue(t, d, delivery.Request{URL: rc.URL, Body: []byte(`{}`)})
	flush(t, d)
	reqs := rc.requests()
	if len(reqs) != 3 {
		t.Fatalf("receiver got %d requests, want 3", len(reqs))
	}
	for i, r := range reqs {
		want := []string{"session=s1"}
		if i == 0 {
			want = nil
		}
		if got := r.Header.Values("Cookie"); !slices.Equal(got, want) {
			t.Errorf("request %d: Cookie %q, want %q", i, got, want)
		}
	}
	if got := get(t, d, id).Header.Values("Cookie"); got != nil {
		t.Errorf("journal header has Cookie %q", got)
	}
}
