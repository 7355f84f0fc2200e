package conformance_test

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chatlayer-emulator/chatlayer-emulator/conformance"
)

// closeMode says how a closing server ends each connection.
type closeMode int

const (
	// closeWithHeader answers with "Connection: close" and closes.
	closeWithHeader closeMode = iota
	// closeAfterAnswer closes right after writing the answer, without
	// saying so: the client may pick the connection again before it sees
	// the close.
	closeAfterAnswer
	// dropNextRequest keeps the connection open after the answer, reads
	// the next request on it and closes it unanswered: the worst case of
	// a server that closes idle connections, and a deterministic one.
	dropNextRequest
)

func (m closeMode) String() string {
	return [...]string{"Connection: close", "close after answering", "drop the next request"}[m]
}

// closingServer serves h for one request per connection and ends every
// connection as mode says. It stops when the test ends.
func closingServer(t testing.TB, h http.Handler, mode closeMode) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	var mu sync.Mutex // guards conns
	conns := map[net.Conn]bool{}
	wg.Go(func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			conns[c] = true
			mu.Unlock()
			wg.Go(func() { serveOnce(c, h, mode) })
		}
	})
	t.Cleanup(func() {
		ln.Close()
		mu.Lock()
		for c := range conns {
			c.Close()
		}
		mu.Unlock()
		wg.Wait()
	})
	return "http://" + ln.Addr().String()
}

// serveOnce answers the connection's first request with h, then ends the
// connection as mode says.
func serveOnce(c net.Conn, h http.Handler, mode closeMode) {
	defer c.Close()
	br := bufio.NewReader(c)
	req, err := http.ReadRequest(br)
	if err != nil {
		return
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	io.Copy(io.Discard, req.Body)
	resp := rec.Result()
	body := rec.Body.Bytes()
	resp.ContentLength, resp.Body = int64(len(body)), io.NopCloser(bytes.NewReader(body))
	resp.Close = mode == closeWithHeader
	if resp.Write(c) != nil {
		return
	}
	if mode == dropNextRequest {
		http.ReadRequest(br) // the next request, or EOF; either way it gets no answer
	}
}

// steadyOptions are options whose verdicts do not depend on the speed of
// a busy machine: generous timeouts and warn latency.
func steadyOptions(target string) conformance.Options {
	o := options(target, conformance.ProfileOffloading)
	o.Timeout, o.WarnLatency, o.Budget = 10*time.Second, 10*time.Second, time.Minute
	return o
}

// verdicts lists "id level status" of every check, and the exit code.
func verdicts(rep *conformance.Report) []string {
	out := []string{fmt.Sprint("exit ", rep.ExitCode)}
	for _, c := range rep.Checks {
		out = append(out, c.ID+" "+string(c.Level)+" "+string(c.Status))
	}
	return out
}

// assertTenIdenticalRuns runs the suite ten times: every run passes every
// check it runs and gives the same verdicts as the first.
func assertTenIdenticalRuns(t *testing.T, o conformance.Options) {
	t.Helper()
	var first []string
	for i := range 10 {
		rep := runT(t, o)
		if failed := failedIDs(rep); len(failed) > 0 || rep.ExitCode != conformance.ExitPassed {
			for _, c := range rep.Checks {
				if c.Status == conformance.StatusFailed {
					t.Logf("%s: %s", c.ID, c.Message)
				}
			}
			t.Fatalf("run %d: exit %d, failed %v", i+1, rep.ExitCode, failed)
		}
		got := verdicts(rep)
		if i == 0 {
			first = got
		} else if !slices.Equal(got, first) {
			t.Fatalf("run %d gave other verdicts than run 1:\n%v\n%v", i+1, got, first)
		}
	}
}

// TestVerdictsDoNotDependOnConnectionReuse is issue 13's first acceptance
// test: against a receiver that closes every connection after one answer,
// ten runs give ten identical, all-passing verdicts. A request that fails
// on a reused connection before any byte of the answer is retried once on
// a new connection.
func TestVerdictsDoNotDependOnConnectionReuse(t *testing.T) {
	for _, mode := range []closeMode{closeAfterAnswer, dropNextRequest} {
		t.Run(mode.String(), func(t *testing.T) {
			assertTenIdenticalRuns(t, steadyOptions(closingServer(t, &vendor{}, mode)))
		})
	}
}

// TestConnectionCloseHeader: a receiver that says "Connection: close"
// passes too (Go's client never reuses such a connection, so one run says
// all there is to say).
func TestConnectionCloseHeader(t *testing.T) {
	rep := runT(t, steadyOptions(closingServer(t, &vendor{}, closeWithHeader)))
	if failed := failedIDs(rep); len(failed) > 0 || rep.ExitCode != conformance.ExitPassed {
		t.Fatalf("exit %d, failed %v", rep.ExitCode, failed)
	}
}

// TestRetryIsInTheEvidence: the request that met a dropped connection was
// retried, passed, and its evidence says so.
func TestRetryIsInTheEvidence(t *testing.T) {
	o := steadyOptions(closingServer(t, &vendor{}, dropNextRequest))
	o.Checks = []string{"offloading.health.ok", "offloading.messages.user.text"}
	rep := runT(t, o)
	c := result(t, rep, "offloading.messages.user.text")
	if c.Status != conformance.StatusPassed || len(c.Evidence) != 1 {
		t.Fatalf("user.text = %s (%s), %d evidence", c.Status, c.Message, len(c.Evidence))
	}
	if note := c.Evidence[0].Note; !strings.Contains(note, "retried once on a new connection") {
		t.Errorf("note = %q, want it to say the request was retried", note)
	}
	checkReports(t, rep)
}
