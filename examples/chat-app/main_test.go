package main

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"sync"
	"testing"
	"time"

	"github.com/chatlayer-emulator/chatlayer-emulator/emulator"
	"github.com/chatlayer-emulator/chatlayer-emulator/examples/internal/programtest"
)

// gate is a webhook that holds every delivery until it knows where the
// app listens, then passes it on.
type gate struct {
	once   sync.Once
	target chan struct{}
	url    string
}

func (g *gate) open(url string) { g.once.Do(func() { g.url = url; close(g.target) }) }

func (g *gate) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	<-g.target
	body, _ := io.ReadAll(r.Body)
	resp, err := http.Post(g.url, "application/json", bytes.NewReader(body))
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadGateway)
		return
	}
	resp.Body.Close()
	w.WriteHeader(resp.StatusCode)
}

var listening = regexp.MustCompile(`^chat-app listening on (http://127\.0\.0\.1:[1-9][0-9]*/webhook)$`)

// TestRunOnAFreePort runs the app as a script would, on a free port
// against the emulator: its first line names the webhook it listens on,
// and the bot's replies reach it there.
func TestRunOnAFreePort(t *testing.T) {
	g := &gate{target: make(chan struct{})}
	hook := httptest.NewServer(g)
	defer hook.Close()
	defer g.open("http://127.0.0.1:1/never-listened") // releases held deliveries if the test fails early
	s := emulator.RunT(t, emulator.Config{WebhookURL: hook.URL, Delivery: emulator.DeliveryConfig{Backoff: new(time.Millisecond)}})

	out := make(programtest.Lines, 8)
	ctx, cancel := context.WithCancel(context.Background())
	var runErr error
	finished := make(chan struct{})
	go func() {
		defer close(finished)
		runErr = run(ctx, []string{"--addr", "127.0.0.1:0", "--chatlayer-url", s.URL()}, func(string) string { return "" }, out)
	}()
	defer func() { cancel(); <-finished }()
	line := out.Next(t)
	m := listening.FindStringSubmatch(line)
	if m == nil {
		t.Fatalf("first line does not name the bound address: %q", line)
	}
	g.open(m[1])
	want := []string{"bot: Hi! I'm the Chatlayer emulator demo bot.", "bot: What would you like to try?",
		"bot: We're open Monday to Friday, 9:00 to 17:00."}
	for _, w := range want {
		if got := out.Next(t); got != w {
			t.Errorf("line %q, want %q", got, w)
		}
	}
	if <-finished; runErr != nil {
		t.Errorf("run: %v", runErr)
	}
	s.FlushT(t)
}
