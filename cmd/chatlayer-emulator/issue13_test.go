package main

// Issue 13, "The first hour: a walk-through that works as written": the
// command line a new user meets by following README.md.

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
)

// recordingWebhook serves a webhook that keeps every body it receives.
func recordingWebhook(t *testing.T) (string, func() [][]byte) {
	t.Helper()
	var mu sync.Mutex
	var bodies [][]byte
	hook := httptest.NewServer(http.HandlerFunc(func(_ http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		mu.Lock()
		bodies = append(bodies, b)
		mu.Unlock()
	}))
	t.Cleanup(hook.Close)
	return hook.URL, func() [][]byte {
		mu.Lock()
		defer mu.Unlock()
		return append([][]byte(nil), bodies...)
	}
}

// waitDeliveries blocks until count deliveries of conversation c1 are
// final.
func waitDeliveries(t *testing.T, url string, count int) {
	t.Helper()
	resp, err := http.Get(url + "/_emulator/deliveries/wait?conversation=c1&count=" + strconv.Itoa(count) + "&timeout=10s")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("deliveries/wait: %d", resp.StatusCode)
	}
}

// TestIssue13ConformanceVariablesDoNotConfigureServe: the README exports
// the vendor's verify token for conformance; serve, run in the same shell,
// still delivers with the demo channel's own token, while conformance
// authenticates with the vendor's. serve's own twin still sets serve's.
func TestIssue13ConformanceVariablesDoNotConfigureServe(t *testing.T) {
	shell := env("CHATLAYER_CONFORMANCE_VERIFY_TOKEN", conformanceToken)
	for _, c := range []struct {
		name string
		env  environ
		want string
	}{
		{"conformance's token exported", shell, "demo-verify"},
		{"serve's token exported", env("CHATLAYER_EMULATOR_VERIFY_TOKEN", "mine"), "mine"},
	} {
		t.Run(c.name, func(t *testing.T) {
			hook, bodies := recordingWebhook(t)
			url, _ := startServe(t, []string{"--addr", "127.0.0.1:0", "--webhook-url", hook}, c.env)
			if status, _ := v1Status(t, url); status != http.StatusAccepted { // an intro message in c1
				t.Fatalf("message: %d", status)
			}
			waitDeliveries(t, url, 1)
			var got struct{ VerifyToken string }
			if b := bodies(); len(b) == 0 || json.Unmarshal(b[0], &got) != nil || got.VerifyToken != c.want {
				t.Fatalf("delivery %q: want verifyToken %q", b, c.want)
			}
		})
	}
	var out bytes.Buffer
	code := run(context.Background(), []string{"conformance", "--target", offloadingVendor(t, `{"status":"ok"}`), "--checks", "offloading.health.ok"},
		shell, &out, io.Discard)
	if code != exitOK {
		t.Fatalf("conformance in the same shell: exit %d, want 0 (the vendor's token)\n%s", code, out.String())
	}
}

// TestIssue13ServeVariablesDoNotConfigureConformance: serve's variables,
// and the container tests' image under its old name, leave conformance
// alone: no "--image and --target exclude each other", no egress policy
// or timeout taken from serve's.
func TestIssue13ServeVariablesDoNotConfigureConformance(t *testing.T) {
	var out, errs bytes.Buffer
	code := run(context.Background(), []string{"conformance", "--target", offloadingVendor(t, `{"status":"ok"}`), "--checks", "offloading.health.ok"},
		env("CHATLAYER_EMULATOR_IMAGE", "vendor:1", "CHATLAYER_E2E_IMAGE", "chatlayer-emulator:latest",
			"CHATLAYER_EMULATOR_EGRESS", "public", "CHATLAYER_EMULATOR_TIMEOUT", "soon",
			"CHATLAYER_EMULATOR_VERIFY_TOKEN", "serve-token", "CHATLAYER_CONFORMANCE_VERIFY_TOKEN", conformanceToken),
		&out, &errs)
	if code != exitOK {
		t.Fatalf("exit %d, want 0:\n%s%s", code, out.String(), errs.String())
	}
	want := "chatlayer-emulator conformance: warning: CHATLAYER_EMULATOR_IMAGE is set, but no command reads it: ignored; " +
		"did you mean CHATLAYER_CONFORMANCE_IMAGE (conformance --image)?\n"
	if errs.String() != want {
		t.Errorf("stderr %q\nwant only the warning that the old name of the e2e tests' image variable is read by none: "+
			"serve's and the e2e tests' variables are silent", errs.String())
	}
}

// TestIssue13HealthcheckReadsServeVariables: in the image, healthcheck
// finds serve's address in CHATLAYER_EMULATOR_ADDR, and conformance's
// --timeout twin is not its own.
func TestIssue13HealthcheckReadsServeVariables(t *testing.T) {
	url, _ := startServe(t, []string{"--addr", "127.0.0.1:0"}, env())
	addr := strings.TrimPrefix(url, "http://")
	var errs bytes.Buffer
	code := run(context.Background(), []string{"healthcheck"},
		env("CHATLAYER_EMULATOR_ADDR", addr, "CHATLAYER_CONFORMANCE_TIMEOUT", "soon"), io.Discard, &errs)
	if code != exitOK || errs.Len() != 0 {
		t.Fatalf("exit %d, stderr %q; want 0 and nothing", code, errs.String())
	}
}

// TestIssue13StrayVariables: a CHATLAYER_ variable that no command reads
// gets one warning line, with the nearest known name when one is near;
// a command's own twins, other commands' and the e2e tests' are silent.
// The value is never shown.
func TestIssue13StrayVariables(t *testing.T) {
	e := env(
		"CHATLAYER_EMULATOR_VERIFY_TOKN", "secret-1", // a typo of serve's
		"CHATLAYER_EMULATOR_TARGET", "secret-2", // conformance's, under serve's prefix
		"CHATLAYER_VERIFY_TOKEN", "secret-3", // no prefix of a command
		"CHATLAYER_SOMETHING_ELSE", "secret-4", // nothing near
		"CHATLAYER_EMULATOR_ADDR", "127.0.0.1:0", "CHATLAYER_CONFORMANCE_TARGET", "http://x/",
		"CHATLAYER_E2E_REQUIRE_DOCKER", "1", "HOME", "/home/u")
	var errs bytes.Buffer
	if code := run(context.Background(), []string{"validate", "../../scenarios/demo.yaml"}, e, io.Discard, &errs); code != exitOK {
		t.Fatalf("validate: exit %d: %s", code, errs.String())
	}
	want := []string{
		"CHATLAYER_EMULATOR_VERIFY_TOKN is set, but no command reads it: ignored; did you mean CHATLAYER_EMULATOR_VERIFY_TOKEN (serve --verify-token)?",
		"CHATLAYER_EMULATOR_TARGET is set, but no command reads it: ignored; did you mean CHATLAYER_CONFORMANCE_TARGET (conformance --target)?",
		"CHATLAYER_VERIFY_TOKEN is set, but no command reads it: ignored; did you mean CHATLAYER_EMULATOR_VERIFY_TOKEN (serve --verify-token)?",
		"CHATLAYER_SOMETHING_ELSE is set, but no command reads it: ignored",
	}
	lines := strings.Split(strings.TrimSpace(errs.String()), "\n")
	if len(lines) != len(want) {
		t.Fatalf("stderr:\n%s\nwant %d lines", errs.String(), len(want))
	}
	for i, w := range want {
		if lines[i] != "chatlayer-emulator validate: warning: "+w {
			t.Errorf("line %d: %q\nwant the warning %q", i+1, lines[i], w)
		}
	}
	if strings.Contains(errs.String(), "secret-") {
		t.Error("a warning shows a variable's value")
	}
}

// TestIssue13StrayVariablesPerCommand: the suggestion prefers the
// command's own variable, and serve logs its warnings at start.
func TestIssue13StrayVariablesPerCommand(t *testing.T) {
	var errs bytes.Buffer
	run(context.Background(), []string{"conformance"}, env("CHATLAYER_VERIFY_TOKEN", "x"), io.Discard, &errs)
	if !strings.Contains(errs.String(), "did you mean CHATLAYER_CONFORMANCE_VERIFY_TOKEN (conformance --verify-token)?") {
		t.Errorf("conformance: stderr %q: want its own variable suggested", errs.String())
	}
	bad := filepath.Join(t.TempDir(), "missing.yaml")
	errs.Reset()
	code := run(context.Background(), []string{"--addr", "127.0.0.1:0", "--scenarios", bad},
		env("CHATLAYER_EMULATOR_WEBHOOK_URI", "http://x/"), io.Discard, &errs)
	if code != exitFailure || !strings.Contains(errs.String(), "level=WARN") ||
		!strings.Contains(errs.String(), "did you mean CHATLAYER_EMULATOR_WEBHOOK_URL (serve --webhook-url)?") {
		t.Errorf("serve: exit %d, stderr %q; want 1 and a WARN log line", code, errs.String())
	}
}

// TestIssue13Help: --help, -h and help list the subcommands; each
// subcommand's usage shows its arguments and its flags with their twins,
// with no empty or repeated default; --version prints the version.
func TestIssue13Help(t *testing.T) {
	for _, args := range [][]string{{"--help"}, {"-h"}, {"help"}} {
		out := wantOK(t, args)
		for _, c := range commands() {
			if !strings.Contains(out, "\n  "+c.synopsis()+" ") {
				t.Errorf("%v: no line for %q:\n%s", args, c.synopsis(), out)
			}
		}
	}
	if out := wantOK(t, []string{"validate", "--help"}); !strings.HasPrefix(out, "usage: chatlayer-emulator validate FILE_OR_FOLDER...\n") {
		t.Errorf("validate --help:\n%s", out)
	}
	for _, cmd := range []string{"serve", "healthcheck", "conformance"} {
		out := wantOK(t, []string{"help", cmd})
		if !strings.HasPrefix(out, "usage: chatlayer-emulator "+cmd+" [flags]\n") {
			t.Errorf("help %s:\n%s", cmd, out)
		}
		for _, line := range strings.Split(out, "\n") {
			if strings.Contains(line, `(default "")`) || strings.Contains(line, "(default )") || strings.Count(line, "(default") > 1 {
				t.Errorf("help %s: %q: an empty or repeated default", cmd, line)
			}
		}
	}
	out := wantOK(t, []string{"conformance", "-h"})
	if !strings.Contains(out, "--verify-token (CHATLAYER_CONFORMANCE_VERIFY_TOKEN)") || !strings.Contains(out, "(default 10s)") {
		t.Errorf("conformance -h: want the twins and the defaults:\n%s", out)
	}
	if out := wantOK(t, []string{"--version"}); !strings.HasPrefix(out, "chatlayer-emulator ") || out != wantOK(t, []string{"version"}) {
		t.Errorf("--version: %q", out)
	}
}

// wantOK runs the command, checks that it exits 0 and returns its stdout.
func wantOK(t *testing.T, args []string) string {
	t.Helper()
	var out, errs bytes.Buffer
	if code := run(context.Background(), args, env(), &out, &errs); code != exitOK {
		t.Fatalf("%v: exit %d: %s", args, code, errs.String())
	}
	return out.String()
}

// TestIssue13ValueErrors: a value that does not parse names the flag (and
// the variable) and says the form it wants.
func TestIssue13ValueErrors(t *testing.T) {
	duration := "want a duration such as 10s, 1m30s or 500ms"
	wantUsage(t, []string{"--delivery-timeout", "soon"}, env(), `invalid value "soon" for --delivery-timeout: `+duration)
	wantUsage(t, nil, env("CHATLAYER_EMULATOR_DELIVERY_TIMEOUT", "soon"),
		`invalid value "soon" for CHATLAYER_EMULATOR_DELIVERY_TIMEOUT (--delivery-timeout): `+duration)
	wantUsage(t, []string{"conformance", "--budget", "1 minute"}, env(), `invalid value "1 minute" for --budget: `+duration)
	wantUsage(t, []string{"healthcheck", "--timeout", "2"}, env(), `invalid value "2" for --timeout: `+duration)
	wantUsage(t, []string{"--strict=maybe"}, env(), `invalid value "maybe" for --strict: want true or false`)
	wantUsage(t, []string{"--delivery-retries", "three"}, env(), `invalid value "three" for --delivery-retries: want a whole number`)
	wantUsage(t, []string{"--log-format", "xml"}, env(), `invalid value "xml" for --log-format: log format must be text or json`)
}

// TestIssue13URLFlags: a URL flag that is not an absolute http or https
// URL with a host stops the command at start (exit 2), naming the flag
// and the value, its secrets hidden.
func TestIssue13URLFlags(t *testing.T) {
	want := "want an absolute http or https URL with a host"
	for _, c := range []struct {
		args []string
		env  environ
		text string
	}{
		{[]string{"--webhook-url", "not-a-url"}, env(), `invalid value "not-a-url" for --webhook-url: ` + want},
		{[]string{"--offloading-url", "ftp://bridge/offloading"}, env(), `"ftp://bridge/offloading" for --offloading-url: ` + want},
		{nil, env("CHATLAYER_EMULATOR_WEBHOOK_URL", "/webhook"), `"/webhook" for CHATLAYER_EMULATOR_WEBHOOK_URL (--webhook-url): ` + want},
		{[]string{"conformance", "--target", "localhost:9100"}, env(), `"localhost:9100" for --target: ` + want},
		{[]string{"conformance", "--callback-url", "http://"}, env(), `"http://" for --callback-url: ` + want},
		{[]string{"--webhook-url", "htps://user:pw@app/hook?token=t0k"}, env(), `"htps://user:xxxxx@app/hook?…" for --webhook-url`},
	} {
		wantUsage(t, c.args, c.env, c.text)
	}
	var errs bytes.Buffer
	run(context.Background(), []string{"--webhook-url", "htps://user:pw@app/hook?token=t0k"}, env(), io.Discard, &errs)
	if strings.Contains(errs.String(), "pw@") || strings.Contains(errs.String(), "t0k") {
		t.Errorf("stderr %q shows the URL's secrets", errs.String())
	}
}

// TestIssue13EmptyURLFlagUnsets: an empty URL flag is no URL, as before:
// it clears the environment twin's.
func TestIssue13EmptyURLFlagUnsets(t *testing.T) {
	dir := t.TempDir()
	f := filepath.Join(dir, "hook.yaml")
	os.WriteFile(f, []byte("bot: {id: b}\nchannels:\n  webhook:\n    - {id: c, url: 'http://127.0.0.1:1/from-file', verifyToken: v}\naccessTokens: [t]\nblocks: []\n"), 0o644)
	_, banner, _ := startServeBanner(t, []string{"--addr", "127.0.0.1:0", "--scenarios", f, "--webhook-url", ""},
		env("CHATLAYER_EMULATOR_WEBHOOK_URL", "http://127.0.0.1:1/from-env"))
	if !strings.Contains(banner, "-> http://127.0.0.1:1/from-file") {
		t.Errorf("banner:\n%s\nwant the file's URL: --webhook-url \"\" beats the variable", banner)
	}
}
