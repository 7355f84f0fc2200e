package conformance_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/chatlayer-emulator/chatlayer-emulator/conformance"
	"github.com/chatlayer-emulator/chatlayer-emulator/emulator"
	"github.com/chatlayer-emulator/chatlayer-emulator/examples/offloading-bridge/bridge"
)

const handbackID = "offloading.handback.round-trip"

// apiToken is the emulator's v1 token in these tests.
const apiToken = "api-" + token

// platform starts an emulator whose demo bot delivers to a channel
// receiver that answers 200, and returns its URL and the callback options
// that point the suite at it.
func platform(t *testing.T) (string, *conformance.CallbackOptions) {
	t.Helper()
	channel := httptest.NewServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {}))
	t.Cleanup(channel.Close)
	emu := emulator.RunT(t, emulator.Config{WebhookURL: channel.URL, AccessTokens: []string{apiToken},
		Delivery: emulator.DeliveryConfig{Backoff: new(time.Millisecond)}})
	return emu.URL(), &conformance.CallbackOptions{EmulatorURL: emu.URL(), Token: apiToken, BotID: "demo",
		ChannelID: "demo", Version: "DRAFT", Wait: 2 * time.Second}
}

// bridgeVendor serves the reference bridge, talking to the emulator at
// emulatorURL, behind wrap (nil: as it is), and returns the options of a
// run with its agent driver.
func bridgeVendor(t *testing.T, emulatorURL string, wrap func(http.Handler) http.Handler) conformance.Options {
	t.Helper()
	var h http.Handler = bridge.New(bridge.Config{VerifyToken: token, ChatlayerURL: emulatorURL, Token: apiToken})
	if wrap != nil {
		h = wrap(h)
	}
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	o := steadyOptions(srv.URL + "/offloading")
	o.Handback = srv.URL + "/agent/{sessionId}"
	return o
}

// TestHandbackOffIsSkipped: without an agent driver the check does not
// wait for a person; it is skipped and says why, with or without an
// emulator.
func TestHandbackOffIsSkipped(t *testing.T) {
	_, cb := platform(t)
	for _, callback := range []*conformance.CallbackOptions{nil, cb} {
		o := options((&vendor{}).start(t).URL, conformance.ProfileOffloading)
		o.Checks, o.Callback = []string{handbackID}, callback
		c := result(t, runT(t, o), handbackID)
		if c.Status != conformance.StatusSkipped || !strings.Contains(c.Message, "a person") || !strings.Contains(c.Message, "--handback") {
			t.Errorf("callback %v: %s %q, want skipped, naming the person and --handback", callback != nil, c.Status, c.Message)
		}
	}
}

// TestHandbackWithTheReferenceBridge: the suite plays the agent through
// the bridge's agent driver; the reply reaches the user and the hand-back
// resumes the bot. The whole profile passes: no check fails for lack of a
// person.
func TestHandbackWithTheReferenceBridge(t *testing.T) {
	emu, cb := platform(t)
	o := bridgeVendor(t, emu, nil)
	o.Callback = cb
	rep := runT(t, o)
	if c := result(t, rep, handbackID); c.Status != conformance.StatusPassed {
		t.Fatalf("hand-back = %s (%s), want passed", c.Status, c.Message)
	}
	if failed := failedIDs(rep); len(failed) > 0 || rep.ExitCode != conformance.ExitPassed {
		t.Fatalf("exit %d, failed %v", rep.ExitCode, failed)
	}
	checkReports(t, rep)
}

// swallow answers 200 to POSTs on paths ending in suffix without passing
// them to the bridge: an agent driver that does not do its job.
func swallow(suffix string, status int) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.Method == http.MethodPost && strings.HasSuffix(r.URL.Path, suffix) {
				w.WriteHeader(status)
				return
			}
			next.ServeHTTP(w, r)
		})
	}
}

func TestHandbackDefects(t *testing.T) {
	tests := []struct {
		name, suffix string
		status       int
		want         string
	}{
		{"the reply never reaches the user", "/reply", http.StatusOK, "did not reach conversation"},
		{"the hand-back leaves the bot paused", "/handback", http.StatusOK, "did not answer a user text"},
		{"the agent driver fails", "/reply", http.StatusInternalServerError, "reply call answered 500"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			emu, cb := platform(t)
			cb.Wait = 300 * time.Millisecond // the suite's wait for a delivery that never comes
			o := bridgeVendor(t, emu, swallow(tt.suffix, tt.status))
			o.Callback, o.Checks = cb, []string{handbackID}
			rep := runT(t, o)
			c := result(t, rep, handbackID)
			if c.Status != conformance.StatusFailed || !strings.Contains(c.Message, tt.want) {
				t.Fatalf("hand-back = %s (%s), want failed with %q", c.Status, c.Message, tt.want)
			}
			if rep.ExitCode != conformance.ExitPassed {
				t.Errorf("ExitCode = %d, want 0: the hand-back is a SHOULD", rep.ExitCode)
			}
			checkReports(t, rep)
		})
	}
}

// BenchmarkFullRun runs the whole offloading profile against a local
// reference vendor.
func BenchmarkFullRun(b *testing.B) {
	v := &vendor{}
	o := options(v.start(b).URL, conformance.ProfileOffloading)
	o.Timeout = 10 * time.Second
	b.ReportAllocs()
	for b.Loop() {
		rep, err := conformance.Run(context.Background(), o)
		if err != nil || rep.ExitCode != 0 {
			b.Fatalf("Run: %v (exit %d)", err, rep.ExitCode)
		}
		v.mu.Lock()
		v.got = nil
		v.mu.Unlock()
	}
}
