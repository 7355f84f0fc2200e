package main

import (
	"context"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"
)

// lineWriter passes every line written to it to a channel: log.Logger
// writes one whole line per call.
type lineWriter chan string

func (w lineWriter) Write(p []byte) (int, error) {
	w <- strings.TrimSuffix(string(p), "\n")
	return len(p), nil
}

// next returns the next line, failing the test after 10 seconds.
func (w lineWriter) next(t *testing.T) string {
	t.Helper()
	select {
	case line := <-w:
		return line
	case <-time.After(10 * time.Second):
		t.Fatal("no line printed within 10s")
		return ""
	}
}

var listening = regexp.MustCompile(`^webhook-logger listening on (http://127\.0\.0\.1:[1-9][0-9]*/webhook)$`)

// TestListeningLine is what a script does: start the logger on a free
// port, wait for the line that says where it listens, and deliver there
// at once.
func TestListeningLine(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	out := make(lineWriter, 4)
	done := make(chan error, 1)
	go func() { done <- run(ctx, []string{"--addr", "127.0.0.1:0", "--verify-token", "tok"}, out) }()
	line := out.next(t)
	m := listening.FindStringSubmatch(line)
	if m == nil {
		cancel()
		<-done
		t.Fatalf("first line does not name the bound address: %q", line)
	}
	resp, err := http.Post(m[1], "application/json",
		strings.NewReader(`{"senderId":"c1","message":{"text":"hi"},"messageCounter":1,"verifyToken":"tok"}`))
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Errorf("POST %s: %v %v", m[1], resp, err)
	}
	if err == nil {
		resp.Body.Close()
	}
	if got, want := out.next(t), `200 {"senderId":"c1","message":{"text":"hi"},"messageCounter":1,"verifyToken":"***"}`; got != want {
		t.Errorf("delivery line %q, want %q", got, want)
	}
	cancel()
	if err := <-done; err != nil {
		t.Errorf("run after cancel: %v", err)
	}
}

func TestAddressInUse(t *testing.T) {
	out := make(lineWriter, 4)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- run(ctx, []string{"--addr", "127.0.0.1:0"}, out) }()
	addr := strings.TrimSuffix(strings.TrimPrefix(out.next(t), "webhook-logger listening on http://"), "/webhook")
	err := run(context.Background(), []string{"--addr", addr}, out)
	if err == nil || !strings.Contains(err.Error(), "address already in use") || len(out) != 0 {
		t.Errorf("second logger on %s: %v, printed %d lines; want the error and no listening line", addr, err, len(out))
	}
	cancel()
	<-done
}
