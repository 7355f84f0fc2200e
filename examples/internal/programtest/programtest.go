// Package programtest helps the example programs' tests read what a
// program prints, line by line, as a script waiting for it would.
package programtest

import (
	"context"
	"io"
	"regexp"
	"strings"
	"testing"
	"time"
)

// Lines passes every line written to it to a channel; the examples write
// one whole line per call. Make it with a buffer: make(Lines, 8).
type Lines chan string

// Write implements io.Writer.
func (l Lines) Write(p []byte) (int, error) {
	l <- strings.TrimSuffix(string(p), "\n")
	return len(p), nil
}

// Next returns the next line, failing the test after 10 seconds.
func (l Lines) Next(t testing.TB) string {
	t.Helper()
	select {
	case line := <-l:
		return line
	case <-time.After(10 * time.Second):
		t.Fatal("no line printed within 10s")
		return ""
	}
}

// Start runs a program's run function on a goroutine, its output going to
// the returned Lines, and returns the URL its first line names (the
// regular expression's first group). At the end of the test it cancels the
// run and fails the test if run then returns an error.
func Start(t testing.TB, listening *regexp.Regexp, run func(ctx context.Context, stdout io.Writer) error) (string, Lines) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	out := make(Lines, 8)
	done := make(chan error, 1)
	go func() { done <- run(ctx, out) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("run after cancel: %v", err)
		}
	})
	line := out.Next(t)
	m := listening.FindStringSubmatch(line)
	if m == nil {
		t.Fatalf("first line does not name the bound address: %q", line)
	}
	return m[1], out
}
