package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chatlayer-emulator/chatlayer-emulator/examples/offloading-bridge/bridge"
)

// conformanceToken is a canary that must not reach any output.
const conformanceToken = "cmd-canary-token-4711"

// offloadingVendor serves a minimal offloading webhook; healthBody is its
// health answer.
func offloadingVendor(t *testing.T, healthBody string) string {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		if r.URL.Query().Get("challenge.verifyToken") != conformanceToken {
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		var ev struct{ Event string }
		json.Unmarshal(body, &ev)
		switch {
		case r.Method == http.MethodGet:
			io.WriteString(w, healthBody)
		case ev.Event == "offload":
			io.WriteString(w, `{"offloadSuccess":true,"pauseBot":true}`)
		}
	}))
	t.Cleanup(srv.Close)
	return srv.URL
}

// runCmd runs the subcommand with the token from the environment.
func runCmd(args ...string) (int, string, string) {
	var out, errs bytes.Buffer
	code := run(context.Background(), append([]string{"conformance"}, args...),
		env("CHATLAYER_CONFORMANCE_VERIFY_TOKEN", conformanceToken), &out, &errs)
	return code, out.String(), errs.String()
}

func TestConformanceGoodVendor(t *testing.T) {
	dir := t.TempDir()
	files := []string{filepath.Join(dir, "r.xml"), filepath.Join(dir, "r.json"), filepath.Join(dir, "r.html")}
	code, out, errs := runCmd("--target", offloadingVendor(t, `{"status":"ok"}`), "--timeout", "2s", "--budget", "30s",
		"--junit", files[0], "--json", files[1], "--html", files[2])
	if code != 0 {
		t.Fatalf("exit %d, want 0\n%s%s", code, out, errs)
	}
	if !strings.Contains(out, "PASS MUST   offloading.health.ok  ") || !strings.Contains(out, "score: ") {
		t.Errorf("summary lacks the checks or the score:\n%s", out)
	}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil || len(b) == 0 {
			t.Fatalf("%s: %v (%d bytes)", f, err, len(b))
		}
		if bytes.Contains(b, []byte(conformanceToken)) {
			t.Errorf("%s leaks the verify token", f)
		}
	}
}

func TestConformanceDefectiveVendor(t *testing.T) {
	code, out, _ := runCmd("--target", offloadingVendor(t, `{"status":"fine"}`), "--checks", "offloading.health,offloading.auth")
	if code != 1 {
		t.Fatalf("exit %d, want 1\n%s", code, out)
	}
	if !strings.Contains(out, "FAIL MUST   offloading.health.ok") || strings.Contains(out, conformanceToken) {
		t.Errorf("summary:\n%s", out)
	}
}

func TestConformanceSeverityDowngrade(t *testing.T) {
	code, out, _ := runCmd("--target", offloadingVendor(t, `{"status":"fine"}`), "--checks", "offloading.health",
		"--severity", "offloading.health.ok=SHOULD")
	if code != 0 {
		t.Fatalf("exit %d, want 0 (a failed SHOULD is a warning)\n%s", code, out)
	}
}

func TestConformanceBadFlags(t *testing.T) {
	for _, args := range [][]string{
		{},                        // no target
		{"--target", "not a url"}, // invalid URL
		{"--target", "http://x/", "--profile", "plugin"},
		{"--target", "http://x/", "--budget", "0"},
		{"--target", "http://x/", "--severity", "offloading.health.ok=MAYBE"},
		{"--target", "http://x/", "--checks", "nope"},
		{"--target", "http://x/", "--handback", "http://x/agent/{sessionId}"}, // no emulator to play Chatlayer on
		{"--no-such-flag"},
	} {
		if code, _, errs := runCmd(args...); code != 2 {
			t.Errorf("%v: exit %d, want 2 (%s)", args, code, errs)
		}
	}
}

// TestConformanceReferenceBridge is issue 5's acceptance run: the reference
// bridge of examples/ passes every check through the command line, with
// the three report files, and exits 0.
func TestConformanceReferenceBridge(t *testing.T) {
	srv := httptest.NewServer(bridge.New(bridge.Config{VerifyToken: conformanceToken}))
	t.Cleanup(srv.Close)
	dir := t.TempDir()
	files := []string{filepath.Join(dir, "r.xml"), filepath.Join(dir, "r.json"), filepath.Join(dir, "r.html")}
	code, out, errs := runCmd("--profile", "offloading", "--target", srv.URL+"/offloading",
		"--junit", files[0], "--json", files[1], "--html", files[2])
	if code != exitOK {
		t.Fatalf("exit %d, want 0:\n%s\n%s", code, out, errs)
	}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil || len(b) == 0 || strings.Contains(string(b), conformanceToken) {
			t.Errorf("%s: %d bytes, %v, or the token in it", f, len(b), err)
		}
	}
	if strings.Contains(out, "FAIL") {
		t.Errorf("a check failed:\n%s", out)
	}
}
