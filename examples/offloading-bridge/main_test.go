package main

import (
	"context"
	"io"
	"net/http"
	"regexp"
	"testing"

	"github.com/chatlayer-emulator/chatlayer-emulator/examples/internal/programtest"
)

var listening = regexp.MustCompile(`^offloading-bridge listening: webhook (http://127\.0\.0\.1:[1-9][0-9]*/offloading), ` +
	`agent API http://127\.0\.0\.1:[1-9][0-9]*/agent/\{sessionId\}/reply$`)

// TestListeningLine is what a script does: start the bridge on a free
// port (set by its environment, as in a container), wait for the line
// that says where it listens, and health-check it there at once.
func TestListeningLine(t *testing.T) {
	env := map[string]string{"BRIDGE_ADDR": "127.0.0.1:0", "BRIDGE_VERIFY_TOKEN": "s3cret"}
	url, _ := programtest.Start(t, listening, func(ctx context.Context, stdout io.Writer) error {
		return run(ctx, nil, func(k string) string { return env[k] }, stdout)
	})
	resp, err := http.Get(url + "?challenge.verifyToken=s3cret")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Errorf("health check at %s: %s", url, resp.Status)
	}
}
