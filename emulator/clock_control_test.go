package emulator_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/chatlayer-emulator/chatlayer-emulator/emulator"
	"github.com/chatlayer-emulator/chatlayer-emulator/scenarios"
)

// clockAnswer is the answer of the clock endpoints.
type clockAnswer struct {
	Now    time.Time `json:"now"`
	Frozen bool      `json:"frozen"`
	Offset string    `json:"offset"`
}

// setClock posts a clock command and returns the clock's state.
func setClock(t *testing.T, s *emulator.Server, body string) clockAnswer {
	t.Helper()
	resp, out := exchange(t, http.MethodPost, s.URL()+"/_emulator/clock", "", "application/json", body)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("POST clock %s: %d %s", body, resp.StatusCode, out)
	}
	var c clockAnswer
	if err := json.Unmarshal(out, &c); err != nil {
		t.Fatal(err)
	}
	return c
}

func TestClockControl(t *testing.T) {
	base := emulator.NewManualClock(clockT0)
	s := emulator.RunT(t, emulator.Config{Clock: base})
	var c clockAnswer
	getOK(t, s.URL()+"/_emulator/clock", &c)
	if want := (clockAnswer{Now: clockT0, Offset: "0s"}); c != want {
		t.Fatalf("initial clock = %+v, want %+v", c, want)
	}
	set := time.Date(2027, 6, 1, 12, 0, 0, 0, time.UTC)
	steps := []struct {
		body string
		want clockAnswer
	}{
		{`{"set":"2027-06-01T14:00:00+02:00"}`, clockAnswer{Now: set, Frozen: true, Offset: set.Sub(clockT0).String()}},
		{`{"advance":"30m"}`, clockAnswer{Now: set.Add(30 * time.Minute), Frozen: true, Offset: set.Add(30 * time.Minute).Sub(clockT0).String()}},
		{`{"resume":true}`, clockAnswer{Now: set.Add(30 * time.Minute), Offset: set.Add(30 * time.Minute).Sub(clockT0).String()}},
		{`{"advance":"1h"}`, clockAnswer{Now: set.Add(90 * time.Minute), Offset: set.Add(90 * time.Minute).Sub(clockT0).String()}},
	}
	for _, st := range steps {
		if got := setClock(t, s, st.body); !got.Now.Equal(st.want.Now) || got.Frozen != st.want.Frozen || got.Offset != st.want.Offset {
			t.Errorf("after %s: clock = %+v, want %+v", st.body, got, st.want)
		}
	}
	base.Advance(time.Minute) // a running clock follows its base
	if got := s.Clock().Now(); !got.Equal(set.Add(91 * time.Minute)) {
		t.Errorf("after the base moved: %s, want %s", got, set.Add(91*time.Minute))
	}
}

func TestClockGoAPI(t *testing.T) {
	base := emulator.NewManualClock(clockT0)
	s := emulator.RunT(t, emulator.Config{Clock: base})
	c := s.Clock()
	c.Set(clockT0.Add(time.Hour))
	base.Advance(time.Minute) // frozen: the base does not matter
	c.Advance(time.Second)
	if got, want := c.Now(), clockT0.Add(time.Hour+time.Second); !got.Equal(want) {
		t.Errorf("frozen clock = %s, want %s", got, want)
	}
	c.Resume()
	base.Advance(time.Minute)
	if got, want := c.Now(), clockT0.Add(time.Hour+time.Second+time.Minute); !got.Equal(want) {
		t.Errorf("resumed clock = %s, want %s", got, want)
	}
}

func TestClockBadRequests(t *testing.T) {
	s := emulator.RunT(t, emulator.Config{})
	url := s.URL() + "/_emulator/clock"
	tests := []struct{ name, contentType, body, field string }{
		{"nothing", "application/json", `{}`, ""},
		{"two commands", "application/json", `{"set":"2027-01-01T00:00:00Z","advance":"1h"}`, ""},
		{"unknown field", "application/json", `{"advance":"1h","when":"now"}`, "/when"},
		{"bad time", "application/json", `{"set":"yesterday"}`, "/set"},
		{"bad duration", "application/json", `{"advance":"soon"}`, "/advance"},
		{"negative advance", "application/json", `{"advance":"-1m"}`, "/advance"},
		{"resume false", "application/json", `{"resume":false}`, "/resume"},
		{"wrong type", "application/json", `{"advance":60}`, "/advance"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			wantErrorAt(t, http.MethodPost, url, tt.contentType, tt.body, http.StatusBadRequest, tt.field)
		})
	}
	wantErrorAt(t, http.MethodPost, url, "text/plain", `{"advance":"1h"}`, http.StatusUnsupportedMediaType, "Content-Type")
}

// sessionDump is the part of the conversation dump the expiry test reads.
type sessionDump struct {
	State struct {
		CurrentBlock string `json:"currentBlock"`
		Started      bool   `json:"started"`
	} `json:"state"`
	Session map[string]any    `json:"session"`
	History []json.RawMessage `json:"history"`
}

func TestSessionExpiresAfter30Days(t *testing.T) {
	s, rc := shopOnClock(t, emulator.NewManualClock(clockT0))
	chatShop(t, s, "conv-x", map[string]any{"introMessage": map[string]any{}},
		map[string]any{"sessionData": map[string]any{"order": map[string]any{"source": "web"}}})
	hello := map[string]any{"textMessage": map[string]any{"text": "hello there"}}

	setClock(t, s, `{"advance":"696h"}`) // 29 days: still the same session
	chatShop(t, s, "conv-x", hello, nil)
	if got := rc.received(); len(got) != 3 || string(got[2]) != withNLP(text("conv-x", "Sorry, I did not get that.", 1), noIntent("hello there")) {
		t.Fatalf("within 30 days, want Not understood:\n%s", joinBodies(got))
	}

	setClock(t, s, `{"advance":"744h"}`) // 31 days without activity
	chatShop(t, s, "conv-x", hello, nil)
	got := rc.received()[3:]
	if len(got) != 2 || string(got[0]) != withNLP(text("conv-x", "Welcome to the shop!", 1), noIntent("hello there")) ||
		!strings.Contains(string(got[1]), "What would you like?") {
		t.Fatalf("after 31 days, want the Introduction again:\n%s", joinBodies(got))
	}
	var dump sessionDump
	getOK(t, s.URL()+"/_emulator/conversations/shop/conv-x", &dump)
	if _, kept := dump.Session["order"]; kept || !dump.State.Started || dump.State.CurrentBlock != "introduction" {
		t.Errorf("session after expiry = %v, state %+v: want a fresh, started session", dump.Session, dump.State)
	}
	if len(dump.History) != 8 {
		t.Errorf("history has %d entries, want all 8 kept", len(dump.History))
	}
}

func TestSessionTTLNegativeNeverExpires(t *testing.T) {
	rc := newReceiver(t, nil)
	clock := emulator.NewManualClock(clockT0)
	s := emulator.RunT(t, emulator.Config{
		Bots: []*scenarios.Bot{loadBot(t, "shop.yaml")}, WebhookURL: rc.URL, Delivery: fastDelivery, Clock: clock, SessionTTL: -1,
	})
	chatShop(t, s, "conv-y", map[string]any{"introMessage": map[string]any{}}, nil)
	clock.Advance(365 * 24 * time.Hour)
	chatShop(t, s, "conv-y", map[string]any{"textMessage": map[string]any{"text": "hello there"}}, nil)
	if got := rc.received(); len(got) != 3 || string(got[2]) != withNLP(text("conv-y", "Sorry, I did not get that.", 1), noIntent("hello there")) {
		t.Errorf("with no TTL, want Not understood after a year:\n%s", joinBodies(got))
	}
}
