package emulator_test

import (
	"bytes"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/chatlayer-emulator/chatlayer-emulator/emulator"
	offbridge "github.com/chatlayer-emulator/chatlayer-emulator/examples/offloading-bridge/bridge"
)

// TestOffloadingDialect2020 checks the 2020 dialect: "type" at the top
// and in the items, valid against the 2020 schema; the bridge reads it.
func TestOffloadingDialect2020(t *testing.T) {
	var br *offbridge.Bridge
	h := startHandover(t, withBridge(&br), emulator.Config{})
	putProvider(t, h, map[string]any{"dialect": "2020"})
	h.say(t, "conv-2020", introMsg)
	h.say(t, "conv-2020", textMsg(askForHuman))
	posts := h.prov.posts()
	validateEvents(t, posts, "offloading-event-2020")
	want := []string{"messages:user", "messages:bot,bot", "messages:user", "offload:user,bot,bot,user", "messages:bot"}
	if got := sequence(t, posts, "type", "type"); !slices.Equal(got, want) {
		t.Errorf("2020 sequence:\n got %q\nwant %q", got, want)
	}
	for i, c := range posts {
		if ev := c.event(t); ev["event"] != nil {
			t.Errorf("event %d has an \"event\" field in the 2020 dialect: %s", i, c.Body)
		}
		if bytes.Contains(c.Body, []byte(`"actor"`)) {
			t.Errorf("event %d has an \"actor\" field in the 2020 dialect: %s", i, c.Body)
		}
	}
	if sess, _ := br.Session("conv-2020"); !sess.Offloaded || sess.Transcript[0].Actor != "user" {
		t.Errorf("the bridge did not read the 2020 offload: %+v", sess)
	}
}

// TestOffloadingTokenInQueryMaskedInJournal checks that every call to the
// provider carries the token URL-encoded in the query, and that the
// journal never shows it.
func TestOffloadingTokenInQueryMaskedInJournal(t *testing.T) {
	h := startHandover(t, fakeProvider(okAnswer), emulator.Config{})
	h.say(t, "conv-token", textMsg(askForHuman))
	calls := h.prov.calls()
	methods := map[string]int{}
	for i, c := range calls {
		methods[c.Method]++
		if c.Token != providerToken {
			t.Errorf("call %d (%s) carried token %q", i, c.Method, c.Token)
		}
	}
	if methods["GET"] != 1 || countOffloads(t, h.prov.posts()) != 1 || methods["POST"] < 3 {
		t.Fatalf("calls by method %v: want the health GET, messages events and one offload", methods)
	}
	_, body := v1Call(t, http.MethodGet, h.s.URL()+"/_emulator/deliveries?kind=offloading", "", nil)
	for _, form := range []string{providerToken, url.QueryEscape(providerToken), "tok en"} {
		if strings.Contains(string(body), form) {
			t.Errorf("the journal shows the token as %q:\n%s", form, body)
		}
	}
	if !strings.Contains(string(body), "challenge.verifyToken=***") {
		t.Errorf("the journal should show the masked parameter:\n%s", body)
	}
}

// TestOffloadingControlAPI checks GET and PUT of a provider, behind the
// admin token.
func TestOffloadingControlAPI(t *testing.T) {
	p := newProvider(t, fakeProvider(okAnswer)(""))
	s := emulator.RunT(t, emulator.Config{AdminToken: "admin", Delivery: fastDelivery, StrictResponses: true})
	u := s.URL() + "/_emulator/bots/demo/offloading"
	if status, _ := v1Call(t, http.MethodGet, u, "", nil); status != http.StatusUnauthorized {
		t.Fatalf("GET without the admin token: %d, want 401", status)
	}
	var v offloadingView
	status, body := v1Call(t, http.MethodGet, u, "admin", nil)
	wantJSON(t, status, body, http.StatusOK, &v)
	if v.URL != "" || v.Status != "open" || v.Dialect != "current" || v.VerifyToken != "" || v.Health.Status != "unknown" {
		t.Errorf("GET without a provider: %s", body)
	}
	put := map[string]any{"url": p.URL + "/offloading", "verifyToken": providerToken, "status": "open", "dialect": "current"}
	status, body = v1Call(t, http.MethodPut, u, "admin", put)
	wantJSON(t, status, body, http.StatusOK, &v)
	if v.URL != p.URL+"/offloading" || v.VerifyToken != "***" || v.Health.Status != "ok" || v.Health.CheckedAt == "" {
		t.Errorf("PUT answer: %s", body)
	}
	if strings.Contains(string(body), providerToken) {
		t.Errorf("the answer shows the token: %s", body)
	}
	var ready struct {
		Bots []struct {
			Offloading *struct{ Status string } `json:"offloading"`
		} `json:"bots"`
	}
	status, body = v1Call(t, http.MethodGet, s.URL()+"/_emulator/ready", "", nil)
	wantJSON(t, status, body, http.StatusOK, &ready)
	if o := ready.Bots[0].Offloading; o == nil || o.Status != "ok" {
		t.Errorf("ready: %s, want the provider's health", body)
	}
	checkPutErrors(t, u)
}

// offloadingView is the GET and PUT answer.
type offloadingView struct {
	URL         string `json:"url"`
	Status      string `json:"status"`
	Dialect     string `json:"dialect"`
	VerifyToken string `json:"verifyToken"`
	Health      struct {
		Status      string `json:"status"`
		CheckedAt   string `json:"checkedAt"`
		Error       string `json:"error"`
		Failures    int    `json:"failures"`
		NextCheckAt string `json:"nextCheckAt"`
	} `json:"health"`
}

// checkPutErrors checks that bad settings get a 400 naming the field.
func checkPutErrors(t *testing.T, u string) {
	t.Helper()
	cases := []struct {
		body  map[string]any
		field string
	}{
		{map[string]any{"url": "ftp://x/"}, "/url"},
		{map[string]any{"url": "http://x/", "status": "sometimes"}, "/status"},
		{map[string]any{"url": "http://x/", "dialect": "2019"}, "/dialect"},
		{map[string]any{"url": "http://x/", "status": "hours"}, "/hours"},
		{map[string]any{"url": "http://x/", "hours": map[string]any{"timezone": "Nowhere/City", "schedule": []any{}}}, "/hours/timezone"},
		{map[string]any{"url": "http://x/", "hours": map[string]any{"schedule": []any{map[string]any{"days": []string{"mon"}, "from": "9", "to": "17:00"}}}}, "/hours/schedule/0/from"},
	}
	for _, tc := range cases {
		status, body := v1Call(t, http.MethodPut, u, "admin", tc.body)
		wantError(t, status, body, http.StatusBadRequest, tc.field)
	}
	if status, _ := v1Call(t, http.MethodPut, strings.Replace(u, "/demo/", "/nobot/", 1), "admin", map[string]any{}); status != http.StatusNotFound {
		t.Errorf("PUT for an unknown bot: %d, want 404", status)
	}
}

// TestFailingProviderAtStartUp checks that a provider that fails its
// health check is reported (WARN, token masked) without stopping the
// emulator, and visible in the control API.
func TestFailingProviderAtStartUp(t *testing.T) {
	p := newProvider(t, http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(http.StatusServiceUnavailable) }))
	var logs bytes.Buffer
	s := emulator.RunT(t, emulator.Config{OffloadingURL: p.URL + "/offloading", OffloadingVerifyToken: providerToken,
		Logger: slog.New(slog.NewJSONHandler(&syncWriter{w: &logs}, nil)), Delivery: fastDelivery, StrictResponses: true})
	s.FlushT(t)
	var v offloadingView
	status, body := v1Call(t, http.MethodGet, s.URL()+"/_emulator/bots/demo/offloading", "", nil)
	wantJSON(t, status, body, http.StatusOK, &v)
	if v.Health.Status != "failing" || !strings.Contains(v.Health.Error, "503") {
		t.Errorf("health: %s", body)
	}
	var found bool
	for _, line := range strings.Split(logs.String(), "\n") {
		if strings.Contains(line, "failed its health check") {
			found = true
			if !strings.Contains(line, `"level":"WARN"`) || !strings.Contains(line, "503") || strings.Contains(line, url.QueryEscape(providerToken)) {
				t.Errorf("start-up warning: %s", line)
			}
		}
	}
	if !found {
		t.Errorf("no health-check warning in the log:\n%s", logs.String())
	}
}

// TestScenarioLoadChecksProvider loads a bot with an offloading section
// at run time: its provider is checked, and other bots keep theirs.
func TestScenarioLoadChecksProvider(t *testing.T) {
	p := newProvider(t, fakeProvider(okAnswer)(""))
	s := emulator.RunT(t, emulator.Config{Delivery: fastDelivery, StrictResponses: true})
	putDemo := map[string]any{"url": p.URL + "/offloading", "verifyToken": "demo-side"}
	if status, body := v1Call(t, http.MethodPut, s.URL()+"/_emulator/bots/demo/offloading", "", putDemo); status != 200 {
		t.Fatalf("PUT: %d %s", status, body)
	}
	yaml := "bot: {id: helpdesk}\noffloading: {url: \"" + p.URL + "/offloading\", verifyToken: hd}\nblocks: []\n"
	req, _ := http.NewRequest(http.MethodPost, s.URL()+"/_emulator/scenarios", strings.NewReader(yaml))
	req.Header.Set("Content-Type", "application/yaml")
	resp, err := http.DefaultClient.Do(req)
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("loading the scenario: %v %v", err, resp)
	}
	resp.Body.Close()
	s.FlushT(t)
	for _, bot := range []string{"helpdesk", "demo"} {
		var v offloadingView
		status, body := v1Call(t, http.MethodGet, s.URL()+"/_emulator/bots/"+bot+"/offloading", "", nil)
		wantJSON(t, status, body, http.StatusOK, &v)
		if v.Health.Status != "ok" || v.URL != p.URL+"/offloading" {
			t.Errorf("%s after the load: %s", bot, body)
		}
	}
	if n := len(p.calls()); n != 2 {
		t.Errorf("provider got %d health checks, want 2 (the PUT and the load)", n)
	}
}

// TestOffloadsInDump checks that a conversation dump lists its offloads.
func TestOffloadsInDump(t *testing.T) {
	h := startHandover(t, fakeProvider(okAnswer), emulator.Config{})
	h.say(t, "conv-dump", textMsg(askForHuman))
	_, body := v1Call(t, http.MethodGet, h.s.URL()+"/_emulator/conversations/demo/conv-dump", "", nil)
	var dump struct {
		Offloads []emulator.OffloadRecord `json:"offloads"`
		State    struct{ Paused, Offloaded bool }
	}
	if err := json.Unmarshal(body, &dump); err != nil {
		t.Fatal(err)
	}
	if len(dump.Offloads) != 1 || dump.Offloads[0].Outcome != "opened" || !dump.State.Paused || !dump.State.Offloaded {
		t.Errorf("dump: %s", body)
	}
}

// syncWriter serializes writes to w, for logs written from several
// goroutines; read w only once they are done (after FlushT).
type syncWriter struct {
	mu sync.Mutex // guards w
	w  io.Writer
}

// Write implements io.Writer.
func (s *syncWriter) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.w.Write(p)
}

// String returns what was written, when w is a *bytes.Buffer.
func (s *syncWriter) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if b, ok := s.w.(*bytes.Buffer); ok {
		return b.String()
	}
	return ""
}
