package conformance_test

import (
	"bytes"
	"context"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chatlayer-emulator/chatlayer-emulator/conformance"
	"github.com/chatlayer-emulator/chatlayer-emulator/schemas"
)

// options are fast settings for a local vendor.
func options(target string, p conformance.Profile) conformance.Options {
	return conformance.Options{Target: target, VerifyToken: token, Profile: p, Seed: 7,
		Timeout: 500 * time.Millisecond, Budget: 20 * time.Second, WarnLatency: 400 * time.Millisecond}
}

// runT runs the suite and fails the test on an error.
func runT(t testing.TB, o conformance.Options) *conformance.Report {
	t.Helper()
	rep, err := conformance.Run(context.Background(), o)
	if err != nil {
		t.Fatalf("Run: %v", err)
	}
	return rep
}

// failedIDs lists the ids of failed checks.
func failedIDs(rep *conformance.Report) []string {
	var ids []string
	for _, c := range rep.Checks {
		if c.Status == conformance.StatusFailed {
			ids = append(ids, c.ID)
		}
	}
	return ids
}

// result finds a check's result.
func result(t testing.TB, rep *conformance.Report, id string) conformance.CheckResult {
	t.Helper()
	for _, c := range rep.Checks {
		if c.ID == id {
			return c
		}
	}
	t.Fatalf("no result for %s", id)
	return conformance.CheckResult{}
}

func TestReferenceVendorPasses(t *testing.T) {
	for _, p := range []conformance.Profile{conformance.ProfileOffloading, conformance.ProfileWebhookChannel} {
		t.Run(string(p), func(t *testing.T) {
			v := &vendor{channel: p == conformance.ProfileWebhookChannel}
			rep := runT(t, options(v.start(t).URL, p))
			for _, c := range rep.Checks {
				want := conformance.StatusPassed
				if c.ID == "offloading.handback.round-trip" {
					want = conformance.StatusSkipped // no emulator given
				}
				if c.Status != want && c.Status != conformance.StatusWarning {
					t.Errorf("%s = %s (%s), want %s", c.ID, c.Status, c.Message, want)
				}
			}
			if rep.ExitCode != conformance.ExitPassed {
				t.Errorf("ExitCode = %d, want 0", rep.ExitCode)
			}
			assertOnContract(t, v, p)
		})
	}
}

// assertOnContract checks that every body the suite sent validates against
// its schema, except the deliberate negative cases, which are marked.
func assertOnContract(t *testing.T, v *vendor, p conformance.Profile) {
	t.Helper()
	schema := map[conformance.Profile]string{conformance.ProfileOffloading: "offloading-event",
		conformance.ProfileWebhookChannel: "channel-message"}[p]
	v.mu.Lock()
	defer v.mu.Unlock()
	negatives := 0
	for _, g := range v.got {
		if g.method == http.MethodGet {
			continue
		}
		err := schemas.Default().Validate(schema, g.body)
		switch {
		case g.offContract:
			negatives++
		case err != nil:
			t.Errorf("check %s sent an off-contract body: %v", g.check, err)
		}
	}
	if negatives != 1 {
		t.Errorf("%d deliberate negative bodies, want 1", negatives)
	}
}

func TestOnContractForManySeeds(t *testing.T) {
	for seed := int64(1); seed <= 4; seed++ {
		v := &vendor{}
		o := options(v.start(t).URL, conformance.ProfileOffloading)
		o.Seed = seed
		runT(t, o)
		assertOnContract(t, v, conformance.ProfileOffloading)
	}
}

// TestDeterministic runs the suite twice with one seed: the same bodies
// are sent (concurrent probes may reorder them).
func TestDeterministic(t *testing.T) {
	bodies := func() []string {
		v := &vendor{}
		runT(t, options(v.start(t).URL, conformance.ProfileOffloading))
		var out []string
		for _, g := range v.got {
			out = append(out, g.check+" "+string(g.body))
		}
		slices.Sort(out)
		return out
	}
	a, b := bodies(), bodies()
	if !slices.Equal(a, b) {
		t.Fatalf("two runs with seed 7 sent different bodies (%d vs %d requests)", len(a), len(b))
	}
}

func TestRunRefusesBadOptions(t *testing.T) {
	good := options("http://127.0.0.1:1/", conformance.ProfileOffloading)
	tests := []struct {
		name string
		edit func(*conformance.Options)
	}{
		{"no target", func(o *conformance.Options) { o.Target = "" }},
		{"relative target", func(o *conformance.Options) { o.Target = "/hook" }},
		{"ftp target", func(o *conformance.Options) { o.Target = "ftp://x/" }},
		{"unknown profile", func(o *conformance.Options) { o.Profile = "plugin" }},
		{"negative budget", func(o *conformance.Options) { o.Budget = -1 }},
		{"unknown check", func(o *conformance.Options) { o.Checks = []string{"webhook.message"} }},
		{"unknown severity key", func(o *conformance.Options) {
			o.Severity = map[string]conformance.Level{"nope": conformance.LevelOff}
		}},
		{"callback without bot", func(o *conformance.Options) {
			o.Callback = &conformance.CallbackOptions{EmulatorURL: "http://127.0.0.1:1", ChannelID: "c"}
		}},
		{"agent driver without an emulator", func(o *conformance.Options) { o.Handback = "http://127.0.0.1:1/agent/{sessionId}" }},
		{"agent driver without {sessionId}", func(o *conformance.Options) {
			o.Handback = "http://127.0.0.1:1/agent"
			o.Callback = &conformance.CallbackOptions{EmulatorURL: "http://127.0.0.1:1", BotID: "b", ChannelID: "c"}
		}},
		{"agent driver on the webhook-channel profile", func(o *conformance.Options) {
			o.Profile, o.Handback = conformance.ProfileWebhookChannel, "http://127.0.0.1:1/agent/{sessionId}"
			o.Callback = &conformance.CallbackOptions{EmulatorURL: "http://127.0.0.1:1", BotID: "b", ChannelID: "c"}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o := good
			tt.edit(&o)
			if rep, err := conformance.Run(context.Background(), o); err == nil {
				t.Fatalf("Run succeeded (exit %d), want an error", rep.ExitCode)
			}
		})
	}
}

func TestUnreachableTargetIsAFailedCheck(t *testing.T) {
	srv := (&vendor{}).start(t)
	srv.Close()
	rep := runT(t, options(srv.URL, conformance.ProfileOffloading))
	if rep.ExitCode != conformance.ExitFailed {
		t.Fatalf("ExitCode = %d, want 1", rep.ExitCode)
	}
	if c := result(t, rep, "offloading.health.ok"); c.Status != conformance.StatusFailed || !strings.Contains(c.Message, "no answer") {
		t.Errorf("health = %s %q, want failed with no answer", c.Status, c.Message)
	}
}

func TestSelectionAndSeverity(t *testing.T) {
	v := &vendor{defect: func(w http.ResponseWriter, r *http.Request, _ []byte) bool {
		if r.Method == http.MethodGet {
			writeJSON(w, 200, `{"status":"down"}`)
			return true
		}
		return false
	}}
	o := options(v.start(t).URL, conformance.ProfileOffloading)
	o.Checks = []string{"offloading.health", "offloading.auth."}
	o.Severity = map[string]conformance.Level{"offloading.health.ok": conformance.LevelShould, "offloading.auth": conformance.LevelOff}
	rep := runT(t, o)
	var ids []string
	for _, c := range rep.Checks {
		ids = append(ids, c.ID+"="+string(c.Level)+"/"+string(c.Status))
	}
	want := []string{"offloading.health.ok=SHOULD/failed", "offloading.auth.wrong-token=OFF/skipped", "offloading.auth.missing-token=OFF/skipped"}
	if !slices.Equal(ids, want) {
		t.Fatalf("checks = %v, want %v", ids, want)
	}
	if rep.ExitCode != conformance.ExitPassed {
		t.Errorf("ExitCode = %d, want 0: a failed SHOULD is a warning", rep.ExitCode)
	}
}

func TestCatalogueIsWellFormed(t *testing.T) {
	seen := map[string]bool{}
	for _, c := range conformance.Catalogue() {
		if seen[c.ID] {
			t.Errorf("duplicate id %s", c.ID)
		}
		seen[c.ID] = true
		if c.Title == "" || c.Source == "" || c.Evidence == "" || (c.Level != conformance.LevelMust && c.Level != conformance.LevelShould) {
			t.Errorf("%s: incomplete entry %+v", c.ID, c)
		}
		if !strings.HasPrefix(c.ID, map[conformance.Profile]string{conformance.ProfileOffloading: "offloading.",
			conformance.ProfileWebhookChannel: "webhook."}[c.Profile]) {
			t.Errorf("%s: id does not start with its profile", c.ID)
		}
	}
}

func TestReportsOfTheReferenceRun(t *testing.T) {
	rep := runT(t, options((&vendor{}).start(t).URL, conformance.ProfileOffloading))
	var buf bytes.Buffer
	if err := rep.WriteText(&buf); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"PASS MUST   offloading.health.ok  ", "score: ", "coverage: 17/17", "fileUploadInputResult 1/1"} {
		if !strings.Contains(buf.String(), want) {
			t.Errorf("text report lacks %q:\n%s", want, buf.String())
		}
	}
	checkReports(t, rep)
}
