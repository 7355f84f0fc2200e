package main

import (
	"context"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"
)

// lineWriter passes every line written to it to a channel: the bridge
// writes one whole line per call.
type lineWriter chan string

func (w lineWriter) Write(p []byte) (int, error) {
	w <- strings.TrimSuffix(string(p), "\n")
	return len(p), nil
}

var listening = regexp.MustCompile(`^offloading-bridge listening: webhook (http://127\.0\.0\.1:[1-9][0-9]*/offloading), ` +
	`agent API http://127\.0\.0\.1:[1-9][0-9]*/agent/\{sessionId\}/reply$`)

// TestListeningLine is what a script does: start the bridge on a free
// port (set by its environment, as in a container), wait for the line
// that says where it listens, and health-check it there at once.
func TestListeningLine(t *testing.T) {
	env := map[string]string{"BRIDGE_ADDR": "127.0.0.1:0", "BRIDGE_VERIFY_TOKEN": "s3cret"}
	ctx, cancel := context.WithCancel(context.Background())
	out := make(lineWriter, 4)
	done := make(chan error, 1)
	go func() { done <- run(ctx, nil, func(k string) string { return env[k] }, out) }()
	defer func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("run after cancel: %v", err)
		}
	}()
	var line string
	select {
	case line = <-out:
	case <-time.After(10 * time.Second):
		t.Fatal("no line printed within 10s")
	}
	m := listening.FindStringSubmatch(line)
	if m == nil {
		t.Fatalf("first line does not name the bound address: %q", line)
	}
	resp, err := http.Get(m[1] + "?challenge.verifyToken=s3cret")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Errorf("health check at %s: %s", m[1], resp.Status)
	}
}
