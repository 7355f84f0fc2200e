package emulator_test

import (
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/chatlayer-emulator/chatlayer-emulator/emulator"
)

// fakeProvider answers the health check ok and messages events 200, and
// offloads with answer.
func fakeProvider(answer func(w http.ResponseWriter)) func(string) http.Handler {
	return func(string) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.Method == http.MethodGet {
				io.WriteString(w, `{"status":"ok"}`)
				return
			}
			body, _ := io.ReadAll(r.Body)
			if strings.Contains(string(body), `"event":"offload"`) {
				answer(w)
			}
		})
	}
}

// answerWith answers an offload with a status and a body.
func answerWith(status int, body string) func(w http.ResponseWriter) {
	return func(w http.ResponseWriter) {
		w.WriteHeader(status)
		io.WriteString(w, body)
	}
}

var okAnswer = answerWith(http.StatusOK, `{"offloadSuccess":true,"pauseBot":true}`)

// putProvider replaces the demo bot's provider through the control API,
// pointing it at the test's provider.
func putProvider(t *testing.T, h *handover, settings map[string]any) {
	t.Helper()
	settings["url"], settings["verifyToken"] = h.prov.URL+"/offloading", providerToken
	status, body := v1Call(t, http.MethodPut, h.s.URL()+"/_emulator/bots/demo/offloading", "", settings)
	if status != http.StatusOK {
		t.Fatalf("PUT offloading: %d %s", status, body)
	}
}

// TestOffloadFailures runs every way an offload can fail: each lands in
// its block, leaves the bot running, and is logged with its reason.
func TestOffloadFailures(t *testing.T) {
	sunday := time.Date(2026, 3, 8, 12, 0, 0, 0, time.UTC)
	weekdays := map[string]any{"status": "hours", "hours": map[string]any{"timezone": "Europe/Brussels",
		"schedule": []any{map[string]any{"days": []string{"mon", "tue", "wed", "thu", "fri"}, "from": "09:00", "to": "17:00"}}}}
	cases := []struct {
		name     string
		answer   func(w http.ResponseWriter)
		settings map[string]any // PUT before the conversation, when set
		text     string         // the block's text the user gets
		outcome  string
		reason   string
		calls    int // offload POSTs made
	}{
		{"status closed", okAnswer, map[string]any{"status": "closed"}, textClosed, "closed", "the offloading provider is closed", 0},
		{"status disabled", okAnswer, map[string]any{"status": "disabled"}, textOff, "disabled", "the offloading provider is disabled", 0},
		{"outside opening hours", okAnswer, weekdays, textClosed, "closed", "outside the provider's opening hours (2026-03-08T12:00:00.000Z)", 0},
		{"answer 500", answerWith(500, `{"offloadSuccess":true}`), nil, textClosed, "closed", "offload call failed: status 500 Internal Server Error", 1},
		{"answer 201", answerWith(201, `{"offloadSuccess":true}`), nil, textClosed, "closed", "the offloading webhook must answer 200", 1},
		{"invalid JSON", answerWith(200, `{"offloadSuccess":tru`), nil, textClosed, "closed", "offload call failed: answer refused", 1},
		{"schema-invalid", answerWith(200, `{"offloadSuccess":"yes"}`), nil, textClosed, "closed", "offload call failed: answer refused", 1},
		{"offloadSuccess false", answerWith(200, `{"offloadSuccess":false,"pauseBot":true}`), nil, textClosed, "closed", "the provider answered offloadSuccess:false", 1},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			h := startHandover(t, fakeProvider(tc.answer), emulator.Config{Clock: emulator.NewManualClock(sunday)})
			if tc.settings != nil {
				putProvider(t, h, tc.settings)
			}
			checkFailedOffload(t, h, "conv-fail", tc.text, tc.outcome, tc.reason)
			if n := countOffloads(t, h.prov.posts()); n != tc.calls {
				t.Errorf("%d offload calls, want %d (offloads are never retried)", n, tc.calls)
			}
		})
	}
}

// TestOffloadTimeout lets the provider hang on the offload: the call
// times out after the delivery timeout and the user lands in Offloading
// closed.
func TestOffloadTimeout(t *testing.T) {
	release := make(chan struct{})
	hang := func(w http.ResponseWriter) { <-release }
	h := startHandover(t, fakeProvider(hang), emulator.Config{
		Delivery: emulator.DeliveryConfig{Backoff: new(time.Millisecond), Timeout: 100 * time.Millisecond}})
	t.Cleanup(func() { close(release) }) // runs before the provider closes
	checkFailedOffload(t, h, "conv-slow", textClosed, "closed", "offload call failed:")
	rec := h.s.Offloads("demo", "conv-slow")[0]
	found := false
	for _, d := range h.s.Deliveries(emulator.DeliveryFilter{Kind: "offloading", Conversation: "conv-slow"}) {
		if d.ID != rec.DeliveryID {
			continue
		}
		found = true
		if len(d.Attempts) != 1 || d.Attempts[0].ErrorKind != "timeout" {
			t.Errorf("offload delivery %s: %+v, want one attempt that timed out", d.ID, d.Attempts)
		}
	}
	if !found {
		t.Errorf("the offload record names delivery %q, which the journal does not list", rec.DeliveryID)
	}
}

// TestOffloadOpensInsideHours checks the other side of the schedule.
func TestOffloadOpensInsideHours(t *testing.T) {
	monday := time.Date(2026, 3, 9, 9, 30, 0, 0, time.UTC) // 10:30 in Brussels
	h := startHandover(t, fakeProvider(okAnswer), emulator.Config{Clock: emulator.NewManualClock(monday)})
	putProvider(t, h, map[string]any{"status": "hours", "hours": map[string]any{"timezone": "Europe/Brussels",
		"schedule": []any{map[string]any{"days": []string{"mon"}, "from": "09:00", "to": "17:00"}}}})
	h.say(t, "conv-open", textMsg(askForHuman))
	if got := h.userTexts(t); got[len(got)-1] != textOpened {
		t.Fatalf("user got %q, want the Offloading opened message", got)
	}
	if rec := h.s.Offloads("demo", "conv-open"); len(rec) != 1 || rec[0].Outcome != "opened" || !rec[0].PauseBot || rec[0].DeliveryID == "" {
		t.Errorf("offload log = %+v", rec)
	}
}

// checkFailedOffload asks for a human and checks the block, the log and
// that the bot was not paused.
func checkFailedOffload(t *testing.T, h *handover, conv, text, outcome, reason string) {
	t.Helper()
	h.say(t, conv, textMsg(askForHuman))
	if got := h.userTexts(t); len(got) == 0 || got[len(got)-1] != text {
		t.Errorf("user got %q, want %q last", got, text)
	}
	var log struct {
		Offloads []emulator.OffloadRecord `json:"offloads"`
	}
	status, body := v1Call(t, http.MethodGet, h.s.URL()+"/_emulator/offloads?bot=demo&conversation="+conv, "", nil)
	wantJSON(t, status, body, http.StatusOK, &log)
	if len(log.Offloads) != 1 || log.Offloads[0].Outcome != outcome || !strings.Contains(log.Offloads[0].Reason, reason) {
		t.Errorf("offload log = %s, want one %s record with reason %q", body, outcome, reason)
	}
	if s := h.session(t, conv); s.Internal.IsPaused || s.Internal.Offload != nil {
		t.Errorf("internal = %+v, want not paused and no offload", s.Internal)
	}
	h.say(t, conv, textMsg("what are your opening hours"))
	if got := h.userTexts(t); got[len(got)-1] != textHours {
		t.Errorf("after a failed offload the bot must still answer; user got %q", got)
	}
}

// countOffloads counts the offload events among the provider's calls.
func countOffloads(t *testing.T, calls []providerCall) int {
	n := 0
	for _, c := range calls {
		if c.event(t)["event"] == "offload" {
			n++
		}
	}
	return n
}
