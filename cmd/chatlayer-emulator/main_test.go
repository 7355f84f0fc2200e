package main

import (
	"bufio"
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chatlayer-emulator/chatlayer-emulator/emulator"
)

// env builds an environment from name, value pairs.
func env(pairs ...string) environ {
	var e environ
	for i := 0; i+1 < len(pairs); i += 2 {
		e = append(e, pairs[i]+"="+pairs[i+1])
	}
	return e
}

var listening = regexp.MustCompile(`listening on (https?://\S+)`)

// startServe runs serve in the background and returns its URL once the
// banner (printed after the listener is open) has been read, and a stop
// function that cancels it and returns its exit code.
func startServe(t *testing.T, args []string, getenv environ) (string, func() int) {
	t.Helper()
	url, _, stop := startServeBanner(t, args, getenv)
	return url, stop
}

// startServeBanner is startServe that also returns the whole banner, up
// to its last line (the control API's).
func startServeBanner(t *testing.T, args []string, getenv environ) (string, string, func() int) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	done := make(chan int, 1)
	go func() {
		done <- run(ctx, args, getenv, pw, io.Discard)
		pw.Close()
	}()
	var banner strings.Builder
	for r := bufio.NewReader(pr); !strings.Contains(banner.String(), "control API:"); {
		line, err := r.ReadString('\n')
		if err != nil {
			cancel()
			t.Fatalf("no banner: %v (exit %d): %q", err, <-done, banner.String())
		}
		banner.WriteString(line)
	}
	go io.Copy(io.Discard, pr)
	m := listening.FindStringSubmatch(banner.String())
	if m == nil {
		cancel()
		t.Fatalf("banner %q has no URL", banner.String())
	}
	var once sync.Once
	code := 0
	stop := func() int {
		once.Do(func() { cancel(); code = <-done })
		return code
	}
	t.Cleanup(func() { stop() })
	return m[1], banner.String(), stop
}

// get fetches a URL and returns its status.
func get(t *testing.T, url string) int {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

func TestServeIsDefaultAndStopsCleanly(t *testing.T) {
	url, stop := startServe(t, []string{"--addr", "127.0.0.1:0", "--delivery-backoff", "5ms"}, env())
	if status := get(t, url+"/_emulator/ready"); status != 200 {
		t.Fatalf("ready: %d", status)
	}
	if code := stop(); code != exitOK {
		t.Fatalf("exit code %d after shutdown, want 0", code)
	}
}

func TestEnvironmentTwinsAndFlagPrecedence(t *testing.T) {
	url, _ := startServe(t, []string{"serve"}, env(
		"CHATLAYER_EMULATOR_ADDR", "127.0.0.1:0",
		"CHATLAYER_EMULATOR_ADMIN_TOKEN", "from-env",
	))
	if status := get(t, url+"/_emulator/deliveries"); status != 401 {
		t.Fatalf("admin token from env not applied: %d", status)
	}
	url, _ = startServe(t, []string{"--admin-token", ""}, env("CHATLAYER_EMULATOR_ADDR", "127.0.0.1:0", "CHATLAYER_EMULATOR_ADMIN_TOKEN", "from-env"))
	if status := get(t, url+"/_emulator/deliveries"); status != 200 {
		t.Fatalf("flag must beat env: %d", status)
	}
}

func TestEnvName(t *testing.T) {
	if got := serveEnv.name("delivery-retries"); got != "CHATLAYER_EMULATOR_DELIVERY_RETRIES" {
		t.Fatalf("serveEnv.name = %q", got)
	}
	if got := conformanceEnv.name("verify-token"); got != "CHATLAYER_CONFORMANCE_VERIFY_TOKEN" {
		t.Fatalf("conformanceEnv.name = %q", got)
	}
}

func TestBadFlagsExit2(t *testing.T) {
	var stderr bytes.Buffer
	if code := run(context.Background(), []string{"--log-format", "xml"}, env(), io.Discard, &stderr); code != exitUsage {
		t.Fatalf("exit %d, want 2", code)
	}
	if code := run(context.Background(), []string{"frobnicate"}, env(), io.Discard, &stderr); code != exitUsage {
		t.Fatalf("unknown command: exit %d, want 2", code)
	}
	if code := run(context.Background(), nil, env("CHATLAYER_EMULATOR_DELIVERY_TIMEOUT", "soon"), io.Discard, &stderr); code != exitUsage {
		t.Fatalf("bad env value: exit %d, want 2", code)
	}
}

func TestServeRefusesInvalidScenario(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.yaml")
	os.WriteFile(bad, []byte("bot:\n  id: x\n  nmae: typo\n"), 0o644)
	var stderr bytes.Buffer
	code := run(context.Background(), []string{"--addr", "127.0.0.1:0", "--scenarios", bad}, env(), io.Discard, &stderr)
	if code != exitFailure || !strings.Contains(stderr.String(), "bad.yaml:") {
		t.Fatalf("exit %d, stderr %q: want 1 and the file named", code, stderr.String())
	}
}

func TestValidate(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.yaml")
	os.WriteFile(bad, []byte("bot:\n  id: x\n  nmae: typo\n"), 0o644)
	var stdout, stderr bytes.Buffer
	if code := run(context.Background(), []string{"validate", "../../scenarios/demo.yaml"}, env(), &stdout, &stderr); code != exitOK {
		t.Fatalf("demo: exit %d: %s", code, stderr.String())
	}
	stderr.Reset()
	if code := run(context.Background(), []string{"validate", bad}, env(), &stdout, &stderr); code != exitFailure {
		t.Fatalf("bad file: exit %d", code)
	}
	if !strings.Contains(stderr.String(), "bad.yaml:3:") {
		t.Errorf("error must name file and line 3: %q", stderr.String())
	}
	if code := run(context.Background(), []string{"validate"}, env(), &stdout, &stderr); code != exitUsage {
		t.Fatalf("no file: exit %d, want 2", code)
	}
	spaced := filepath.Join(dir, "spaced.yaml") // intent names as in Chatlayer's examples
	os.WriteFile(spaced, []byte("bot: {id: trains}\nintents:\n  - name: book train ticket\n    block: introduction\n"+
		"    expressions: {en: [book a train ticket]}\nblocks: []\n"), 0o644)
	stderr.Reset()
	if code := run(context.Background(), []string{"validate", spaced}, env(), &stdout, &stderr); code != exitOK {
		t.Fatalf("intent name with spaces: exit %d: %s", code, stderr.String())
	}
}

func TestHealthcheck(t *testing.T) {
	url, _ := startServe(t, []string{"--addr", "127.0.0.1:0"}, env())
	addr := strings.TrimPrefix(url, "http://")
	if code := run(context.Background(), []string{"healthcheck", "--addr", addr}, env(), io.Discard, io.Discard); code != exitOK {
		t.Fatalf("healthy emulator: exit %d", code)
	}
	_, port, _ := strings.Cut(addr, ":")
	if code := run(context.Background(), []string{"healthcheck", "--addr", "0.0.0.0:" + port}, env(), io.Discard, io.Discard); code != exitOK {
		t.Fatalf("wildcard address must mean loopback: exit %d", code)
	}
	if code := run(context.Background(), []string{"healthcheck", "--addr", "127.0.0.1:1", "--timeout", time.Second.String()}, env(), io.Discard, io.Discard); code != exitFailure {
		t.Fatalf("nothing listening: exit %d, want 1", code)
	}
}

func TestVersion(t *testing.T) {
	var out bytes.Buffer
	if code := run(context.Background(), []string{"version"}, env(), &out, io.Discard); code != exitOK || !strings.HasPrefix(out.String(), "chatlayer-emulator ") {
		t.Fatalf("exit %d, output %q", code, out.String())
	}
}

func TestRateLimitFlag(t *testing.T) {
	tests := []struct {
		in   string
		want emulator.RateLimit
		err  bool
	}{
		{in: "1200/1m", want: emulator.RateLimit{Limit: 1200, Window: time.Minute}},
		{in: "10/1s", want: emulator.RateLimit{Limit: 10, Window: time.Second}},
		{in: "off", want: emulator.RateLimit{Off: true}},
		{in: "10", err: true},
		{in: "0/1m", err: true},
		{in: "x/1m", err: true},
		{in: "10/soon", err: true},
		{in: "10/-1s", err: true},
		{in: "", err: true},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			var f rateLimitFlag
			err := f.Set(tt.in)
			if (err != nil) != tt.err {
				t.Fatalf("Set(%q) error = %v, want error %v", tt.in, err, tt.err)
			}
			if !tt.err && emulator.RateLimit(f) != tt.want {
				t.Errorf("Set(%q) = %+v, want %+v", tt.in, f, tt.want)
			}
		})
	}
}

// v1Status sends a v1 request with the demo token and returns the status
// and the x-ratelimit-remaining header.
func v1Status(t *testing.T, url string) (int, string) {
	t.Helper()
	resp := v1Post(t, url, "/v1/channels/webhook/demo/messages", `{"conversationId":"c1","message":{"introMessage":{}}}`)
	return resp.StatusCode, resp.Header.Get("x-ratelimit-remaining")
}

// v1Post POSTs a JSON body to path with the demo token and returns the
// answer, its body closed.
func v1Post(t *testing.T, url, path, body string) *http.Response {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, url+path, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer demo-token")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp
}

// wantUsage runs the command with args and the environment, and checks
// that it is a usage error (exit 2) whose message says text.
func wantUsage(t *testing.T, args []string, getenv environ, text string) {
	t.Helper()
	var stderr bytes.Buffer
	if code := run(context.Background(), args, getenv, io.Discard, &stderr); code != exitUsage {
		t.Fatalf("%v: exit %d, want %d", args, code, exitUsage)
	}
	if !strings.Contains(stderr.String(), text) {
		t.Errorf("%v: stderr %q does not say %q", args, stderr.String(), text)
	}
}

// v1Over sends the demo bot an intro message with client and returns the
// answer (body closed).
func v1Over(t *testing.T, client *http.Client, url, auth string) (*http.Response, error) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, url+"/v1/channels/webhook/demo/messages",
		strings.NewReader(`{"conversationId":"c1","message":{"introMessage":{}}}`))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", auth)
	resp, err := client.Do(req)
	if err == nil {
		resp.Body.Close()
	}
	return resp, err
}

func TestRateLimitFlagAndEnvTwin(t *testing.T) {
	url, _ := startServe(t, []string{"--addr", "127.0.0.1:0", "--rate-limit", "2/1h"}, env())
	for i, want := range []int{http.StatusAccepted, http.StatusAccepted, http.StatusTooManyRequests} {
		if status, _ := v1Status(t, url); status != want {
			t.Fatalf("request %d: status %d, want %d", i+1, status, want)
		}
	}
	url, _ = startServe(t, []string{"--addr", "127.0.0.1:0"}, env("CHATLAYER_EMULATOR_RATE_LIMIT", "off"))
	if status, remaining := v1Status(t, url); status != http.StatusAccepted || remaining != "" {
		t.Fatalf("rate limit off: status %d, x-ratelimit-remaining %q", status, remaining)
	}
	var stderr bytes.Buffer
	if code := run(context.Background(), []string{"--rate-limit", "fast"}, env(), io.Discard, &stderr); code != exitUsage {
		t.Fatalf("bad --rate-limit: exit %d, want 2", code)
	}
}

// TestRateLimitResetUnitFlag: --rate-limit-reset-unit s (or its twin)
// sends x-ratelimit-reset in epoch seconds; ms is the default; other
// values are usage errors.
func TestRateLimitResetUnitFlag(t *testing.T) {
	for _, c := range []struct {
		args   []string
		env    environ
		digits int // epoch seconds have 10 digits until 2286, milliseconds 13
	}{
		{[]string{"--addr", "127.0.0.1:0"}, env(), 13},
		{[]string{"--addr", "127.0.0.1:0", "--rate-limit-reset-unit", "s"}, env(), 10},
		{[]string{"--addr", "127.0.0.1:0"}, env("CHATLAYER_EMULATOR_RATE_LIMIT_RESET_UNIT", "s"), 10},
	} {
		url, _ := startServe(t, c.args, c.env)
		resp, err := v1Over(t, http.DefaultClient, url, "Bearer demo-token")
		if err != nil {
			t.Fatal(err)
		}
		if reset := resp.Header.Get("x-ratelimit-reset"); len(reset) != c.digits {
			t.Errorf("%v: x-ratelimit-reset %q, want %d digits", c.args, reset, c.digits)
		}
	}
	var stderr bytes.Buffer
	if code := run(context.Background(), []string{"--rate-limit-reset-unit", "minutes"}, env(), io.Discard, &stderr); code != exitUsage ||
		!strings.Contains(stderr.String(), "must be ms or s") {
		t.Fatalf("bad unit: exit %d, stderr %q; want 2 and the units", code, stderr.String())
	}
}

func TestSessionTTLFlag(t *testing.T) {
	fs, o := serveFlags()
	if err := fs.parse([]string{"--session-ttl", "0"}, env("CHATLAYER_EMULATOR_SESSION_TTL", "24h")); err != nil {
		t.Fatal(err)
	}
	if cfg, _ := o.config(io.Discard); cfg.SessionTTL >= 0 {
		t.Errorf("--session-ttl 0: SessionTTL = %s, want negative (never)", cfg.SessionTTL)
	}
	fs, o = serveFlags()
	if err := fs.parse(nil, env("CHATLAYER_EMULATOR_SESSION_TTL", "24h")); err != nil {
		t.Fatal(err)
	}
	if cfg, _ := o.config(io.Discard); cfg.SessionTTL != 24*time.Hour {
		t.Errorf("env 24h: SessionTTL = %s", cfg.SessionTTL)
	}
}

// TestDeliveryNLPFlag: --delivery-nlp and CHATLAYER_EMULATOR_DELIVERY_NLP
// reach Config.OmitDeliveryNLP; nlp is on by default and a flag beats its
// environment twin.
func TestDeliveryNLPFlag(t *testing.T) {
	tests := []struct {
		name     string
		args     []string
		getenv   environ
		wantOmit bool
	}{
		{"default", nil, env(), false},
		{"flag false", []string{"--delivery-nlp=false"}, env(), true},
		{"env false", nil, env("CHATLAYER_EMULATOR_DELIVERY_NLP", "false"), true},
		{"flag beats env", []string{"--delivery-nlp=true"}, env("CHATLAYER_EMULATOR_DELIVERY_NLP", "false"), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fs, o := serveFlags()
			if err := fs.parse(tt.args, tt.getenv); err != nil {
				t.Fatal(err)
			}
			cfg, err := o.config(io.Discard)
			if err != nil {
				t.Fatal(err)
			}
			if cfg.OmitDeliveryNLP != tt.wantOmit {
				t.Errorf("OmitDeliveryNLP = %v, want %v", cfg.OmitDeliveryNLP, tt.wantOmit)
			}
		})
	}
	fs, _ := serveFlags()
	if err := fs.parse(nil, env("CHATLAYER_EMULATOR_DELIVERY_NLP", "maybe")); err == nil {
		t.Error("CHATLAYER_EMULATOR_DELIVERY_NLP=maybe: no error")
	}
}

// TestZeroMeansNone: --delivery-retries 0, --delivery-backoff 0 and
// --session-ttl 0 reach the Config as "none": 0 for the delivery fields,
// which mean in Go what the flags mean, and a negative SessionTTL, whose
// 0 means the default there.
func TestZeroMeansNone(t *testing.T) {
	fs, o := serveFlags()
	if err := fs.parse([]string{"--delivery-retries", "0", "--delivery-backoff", "0", "--session-ttl", "0"}, env()); err != nil {
		t.Fatal(err)
	}
	cfg, _ := o.config(io.Discard)
	if d := cfg.Delivery; d.Retries == nil || *d.Retries != 0 || d.Backoff == nil || *d.Backoff != 0 || cfg.SessionTTL >= 0 {
		t.Errorf("Delivery %+v, SessionTTL %s; want Retries and Backoff 0, SessionTTL negative", d, cfg.SessionTTL)
	}
	fs, o = serveFlags()
	if err := fs.parse(nil, env()); err != nil {
		t.Fatal(err)
	}
	cfg, _ = o.config(io.Discard)
	if d := cfg.Delivery; d.Retries == nil || *d.Retries != emulator.DefaultRetries || d.Backoff == nil || *d.Backoff != emulator.DefaultBackoff {
		t.Errorf("default Delivery %+v, want Retries %d, Backoff %s", d, emulator.DefaultRetries, emulator.DefaultBackoff)
	}
}

func TestInitDir(t *testing.T) {
	empty := t.TempDir()
	url, _ := startServe(t, []string{"--addr", "127.0.0.1:0", "--init-dir", empty}, env())
	if !strings.Contains(readyBody(t, url), `"id":"demo"`) {
		t.Fatal("an empty init folder must leave the demo bot")
	}
	url, _ = startServe(t, []string{"--addr", "127.0.0.1:0"}, env("CHATLAYER_EMULATOR_INIT_DIR", "../../emulator/testdata"))
	body := readyBody(t, url)
	if !strings.Contains(body, `"id":"shop"`) || strings.Contains(body, `"id":"demo"`) {
		t.Fatalf("the init folder's bots must replace the demo bot: %s", body)
	}
	url, _ = startServe(t, []string{"--addr", "127.0.0.1:0", "--init-dir", filepath.Join(empty, "missing")}, env())
	if !strings.Contains(readyBody(t, url), `"id":"demo"`) {
		t.Fatal("a missing init folder must leave the demo bot")
	}
}

// readyBody returns the body of /_emulator/ready.
func readyBody(t *testing.T, url string) string {
	t.Helper()
	resp, err := http.Get(url + "/_emulator/ready")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return string(b)
}

// TestOffloadingFlags checks --offloading-url and --offloading-verify-token
// and their environment twins: the demo bot's provider is set and checked
// at start-up, the token in the query.
func TestOffloadingFlags(t *testing.T) {
	tokens := make(chan string, 4)
	provider := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		tokens <- r.URL.Query().Get("challenge.verifyToken")
		io.WriteString(w, `{"status":"ok"}`)
	}))
	defer provider.Close()
	url, _ := startServe(t, []string{"--addr", "127.0.0.1:0", "--offloading-url", provider.URL + "/offloading"},
		env("CHATLAYER_EMULATOR_OFFLOADING_VERIFY_TOKEN", "from-env", "CHATLAYER_EMULATOR_OFFLOADING_URL", "http://ignored.invalid/"))
	if got := <-tokens; got != "from-env" {
		t.Errorf("health check token = %q, want the env twin's", got)
	}
	resp, err := http.Post(url+"/_emulator/flush", "application/json", nil)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	body := readyBody(t, url)
	if !strings.Contains(body, `"offloading":{"status":"ok"}`) {
		t.Errorf("ready does not show the provider's health: %s", body)
	}
	resp, err = http.Get(url + "/_emulator/bots/demo/offloading")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	got, _ := io.ReadAll(resp.Body)
	if !strings.Contains(string(got), `"url":"`+provider.URL+`/offloading"`) || !strings.Contains(string(got), `"verifyToken":"***"`) {
		t.Errorf("GET offloading: %s", got)
	}
}

// TestStrictFlagAndEnvTwin: an agent button naming an unknown block is
// accepted by default and refused with a 400 under --strict or its
// environment twin.
func TestStrictFlagAndEnvTwin(t *testing.T) {
	conv := "conv-0123456789abcdef0123456789abcdef" // --strict wants 32 characters or more
	actions := func(url string) int {
		t.Helper()
		if resp := v1Post(t, url, "/v1/channels/webhook/demo/messages", `{"conversationId":"`+conv+`","message":{"introMessage":{}}}`); resp.StatusCode != http.StatusAccepted {
			t.Fatalf("intro: status %d", resp.StatusCode)
		}
		return v1Post(t, url, "/v1/bots/demo/conversations/"+conv+"/actions?version=DRAFT",
			`{"sendMessages":[{"quickReplyTemplate":{"textMessages":[{"text":"Pick"}],`+
				`"quickReplies":[{"title":"Go","payload":{"nextDialogstateId":"12345"}}]}}]}`).StatusCode
	}
	url, _ := startServe(t, []string{"--addr", "127.0.0.1:0"}, env())
	if got := actions(url); got != http.StatusOK {
		t.Errorf("default: status %d, want 200", got)
	}
	url, _ = startServe(t, []string{"--addr", "127.0.0.1:0", "--strict"}, env())
	if got := actions(url); got != http.StatusBadRequest {
		t.Errorf("--strict: status %d, want 400", got)
	}
	url, _ = startServe(t, []string{"--addr", "127.0.0.1:0"}, env("CHATLAYER_EMULATOR_STRICT", "true"))
	if got := actions(url); got != http.StatusBadRequest {
		t.Errorf("CHATLAYER_EMULATOR_STRICT=true: status %d, want 400", got)
	}
}
