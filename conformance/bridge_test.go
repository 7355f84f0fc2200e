package conformance_test

import (
	"bytes"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	"github.com/chatlayer-emulator/chatlayer-emulator/conformance"
	"github.com/chatlayer-emulator/chatlayer-emulator/examples/offloading-bridge/bridge"
)

// TestReferenceBridgePasses: the offloading bridge of examples/, the
// project's "good vendor", passes every check of the offloading profile,
// and the four reports carry the verdict without the token.
func TestReferenceBridgePasses(t *testing.T) {
	srv := httptest.NewServer(bridge.New(bridge.Config{VerifyToken: token}))
	defer srv.Close()
	rep := runT(t, options(srv.URL+"/offloading", conformance.ProfileOffloading))
	if rep.ExitCode != conformance.ExitPassed {
		t.Fatalf("ExitCode = %d, failed: %v", rep.ExitCode, failedIDs(rep))
	}
	for _, c := range rep.Checks {
		if c.Status == conformance.StatusFailed {
			t.Errorf("%s failed: %s", c.ID, c.Message)
		}
	}
	var out bytes.Buffer
	for _, write := range []func(*bytes.Buffer) error{
		func(b *bytes.Buffer) error { return rep.WriteText(b) },
		func(b *bytes.Buffer) error { return rep.WriteJUnit(b) },
		func(b *bytes.Buffer) error { return rep.WriteJSON(b) },
		func(b *bytes.Buffer) error { return rep.WriteHTML(b) },
	} {
		if err := write(&out); err != nil {
			t.Fatal(err)
		}
	}
	if strings.Contains(out.String(), token) {
		t.Error("the verify token appears in a report")
	}
}

// TestTenRunsAgainstTheReferenceBridge: ten runs against the reference
// bridge give ten identical verdicts, none failed (issue 13).
func TestTenRunsAgainstTheReferenceBridge(t *testing.T) {
	srv := httptest.NewServer(bridge.New(bridge.Config{VerifyToken: token}))
	defer srv.Close()
	assertTenIdenticalRuns(t, steadyOptions(srv.URL+"/offloading"))
}

// chatlayerExample behaves as the offloading webhook of Chatlayer's own
// examples (github.com/chatlayerai/chatlayer-examples, offloading-webhook):
// it never looks at the verify token, answers the health check
// {"status":"ok"}, an offload {"offloadSuccess":true,"pauseBot":true} and
// everything else 200, and, like any Express app with the default JSON
// body parser, refuses bodies over 100 KiB with 413.
func chatlayerExample(w http.ResponseWriter, r *http.Request) {
	const expressLimit = 100 << 10
	if r.Method == http.MethodGet {
		writeJSON(w, http.StatusOK, `{"status":"ok"}`)
		return
	}
	body, _ := io.ReadAll(io.LimitReader(r.Body, expressLimit+1))
	switch {
	case len(body) > expressLimit:
		writeJSON(w, http.StatusRequestEntityTooLarge, `{"error":"request entity too large"}`)
	case eventOf(body) == "offload":
		writeJSON(w, http.StatusOK, `{"offloadSuccess":true,"pauseBot":true}`)
	default:
		io.WriteString(w, "OK")
	}
}

// TestChatlayerExamplePassesEveryMust: a MUST cannot fail Chatlayer's own
// example bridge. It fails only SHOULD checks: the two token checks (it
// ignores the token, which the docs only recommend checking) and the
// 1,000-item transcript (no size is documented).
func TestChatlayerExamplePassesEveryMust(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(chatlayerExample))
	defer srv.Close()
	rep := runT(t, steadyOptions(srv.URL+"/"))
	want := []string{"offloading.auth.wrong-token", "offloading.auth.missing-token", "offloading.offload.large-transcript"}
	if got := failedIDs(rep); !slices.Equal(got, want) {
		t.Errorf("failed = %v, want %v", got, want)
	}
	if rep.ExitCode != conformance.ExitPassed || rep.Score.MustFailed != 0 {
		t.Errorf("exit %d, %d MUST failed; want 0 and 0", rep.ExitCode, rep.Score.MustFailed)
	}
}
