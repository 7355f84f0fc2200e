package main

import (
	"context"
	"io"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/chatlayer-emulator/chatlayer-emulator/examples/internal/programtest"
)

var listening = regexp.MustCompile(`^webhook-logger listening on (http://127\.0\.0\.1:[1-9][0-9]*/webhook)$`)

// TestListeningLine is what a script does: start the logger on a free
// port, wait for the line that says where it listens, and deliver there
// at once.
func TestListeningLine(t *testing.T) {
	url, out := programtest.Start(t, listening, func(ctx context.Context, stdout io.Writer) error {
		return run(ctx, []string{"--addr", "127.0.0.1:0", "--verify-token", "tok"}, stdout)
	})
	resp, err := http.Post(url, "application/json",
		strings.NewReader(`{"senderId":"c1","message":{"text":"hi"},"messageCounter":1,"verifyToken":"tok"}`))
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Errorf("POST %s: %v %v", url, resp, err)
	}
	if err == nil {
		resp.Body.Close()
	}
	if got, want := out.Next(t), `200 {"senderId":"c1","message":{"text":"hi"},"messageCounter":1,"verifyToken":"***"}`; got != want {
		t.Errorf("delivery line %q, want %q", got, want)
	}
}

func TestAddressInUse(t *testing.T) {
	url, _ := programtest.Start(t, listening, func(ctx context.Context, stdout io.Writer) error {
		return run(ctx, []string{"--addr", "127.0.0.1:0"}, stdout)
	})
	addr := strings.TrimSuffix(strings.TrimPrefix(url, "http://"), "/webhook")
	out := make(programtest.Lines, 4)
	err := run(context.Background(), []string{"--addr", addr}, out)
	if err == nil || !strings.Contains(err.Error(), "address already in use") || len(out) != 0 {
		t.Errorf("second logger on %s: %v, printed %d lines; want the error and no listening line", addr, err, len(out))
	}
}
