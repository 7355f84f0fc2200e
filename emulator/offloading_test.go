package emulator_test

import (
	"encoding/json"
	"net/http"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/chatlayer-emulator/chatlayer-emulator/emulator"
	offbridge "github.com/chatlayer-emulator/chatlayer-emulator/examples/offloading-bridge/bridge"
)

// Texts of the demo bot the handover tests expect.
const (
	textOpened  = "Please wait, an agent will be with you shortly."
	textClosed  = "Our agents are not available right now."
	textOff     = "Live chat is not available at the moment."
	textHours   = "We're open Monday to Friday, 9:00 to 17:00."
	askForHuman = "I want to talk to a human"
)

// TestHumanHandoverWithReferenceBridge is the acceptance test of the
// offloading webhook: the reference bridge is the provider, from the
// health check to the hand-back.
func TestHumanHandoverWithReferenceBridge(t *testing.T) {
	var br *offbridge.Bridge
	h := startHandover(t, withBridge(&br), emulator.Config{})
	const conv = "conv-handover"

	var view struct {
		Health struct{ Status string } `json:"health"`
	}
	status, body := v1Call(t, http.MethodGet, h.s.URL()+"/_emulator/bots/demo/offloading", "", nil)
	wantJSON(t, status, body, http.StatusOK, &view)
	if view.Health.Status != "ok" {
		t.Fatalf("health after start-up = %q, want ok: %s", view.Health.Status, body)
	}

	h.say(t, conv, introMsg)
	h.say(t, conv, textMsg(askForHuman))
	if got := h.userTexts(t); got[len(got)-1] != textOpened {
		t.Fatalf("user got %q, want the Offloading opened message last", got)
	}
	sess, _ := br.Session(conv)
	if !sess.Offloaded || len(sess.Transcript) != 4 || string(sess.Payload) != `{"language":"en","skill":"support"}` {
		t.Fatalf("bridge session after the offload: offloaded %v, %d transcript items, payload %s", sess.Offloaded, len(sess.Transcript), sess.Payload)
	}
	if s := h.session(t, conv); !s.Internal.IsPaused || !reflect.DeepEqual(s.Internal.Offload, map[string]any{"skill": "support", "language": "en"}) {
		t.Fatalf("internal while offloaded = %+v, want isPaused and the offload payload", s.Internal)
	}

	before := len(h.user.received())
	h.say(t, conv, textMsg("hello? anyone there?"))
	if n := len(h.user.received()); n != before {
		t.Fatalf("the paused bot answered: %s", h.user.received()[before:])
	}

	agent(t, h, "/agent/"+conv+"/reply", `{"text":"Hi, I'm Ann from support."}`)
	agent(t, h, "/agent/"+conv+"/reply", `{"text":"How can I help?"}`)
	if got := h.userTexts(t)[before:]; !slices.Equal(got, []string{"Hi, I'm Ann from support.", "How can I help?"}) {
		t.Fatalf("agent replies reached the user as %q", got)
	}

	agent(t, h, "/agent/"+conv+"/handback", `{}`)
	h.say(t, conv, textMsg("what are your opening hours"))
	if got := h.userTexts(t); got[len(got)-1] != textHours {
		t.Fatalf("after hand-back the user got %q, want a bot answer", got)
	}
	if s := h.session(t, conv); s.Internal.IsPaused || s.Internal.Offload != nil {
		t.Errorf("internal after hand-back = %+v, want not paused and no offload", s.Internal)
	}

	calls := h.prov.calls()
	if calls[0].Method != http.MethodGet {
		t.Errorf("first provider call = %s, want the health GET", calls[0].Method)
	}
	for i, c := range calls {
		if c.Token != providerToken {
			t.Errorf("provider call %d carried token %q, want %q", i, c.Token, providerToken)
		}
	}
	posts := h.prov.posts()
	validateEvents(t, posts, "offloading-event")
	want := []string{
		"messages:user", "messages:bot,bot", // intro
		"messages:user", "offload:user,bot,bot,user", "messages:bot", // ask for a human; Offloading opened
		"messages:user",                 // while paused: no bot message; agent messages are not echoed
		"messages:user", "messages:bot", // after the hand-back
	}
	if got := sequence(t, posts, "event", "actor"); !slices.Equal(got, want) {
		t.Errorf("event sequence:\n got %q\nwant %q", got, want)
	}
	checkEventFields(t, posts[0], conv)
}

// agent calls the bridge's agent API and waits for what it caused.
func agent(t *testing.T, h *handover, path, body string) {
	t.Helper()
	status, out := post(t, h.prov.URL+path, "", []byte(body))
	if status != http.StatusOK {
		t.Fatalf("POST %s: %d %s", path, status, out)
	}
	h.s.FlushT(t)
}

// checkEventFields checks the header of an event and its item timestamps.
func checkEventFields(t *testing.T, c providerCall, conv string) {
	t.Helper()
	ev := c.event(t)
	for k, want := range map[string]string{"botId": "demo", "version": "DRAFT", "sessionId": conv, "channel": "webhook"} {
		if ev[k] != want {
			t.Errorf("%s = %v, want %q", k, ev[k], want)
		}
	}
	ts, _ := ev["timestamp"].(string)
	item := ev["messages"].([]any)[0].(map[string]any)
	its, _ := item["timestamp"].(string)
	for _, s := range []string{ts, its} {
		if len(s) != len("2006-01-02T15:04:05.000Z") || !strings.HasSuffix(s, "Z") || s[19] != '.' {
			t.Errorf("timestamp %q is not ISO-8601 with milliseconds and Z", s)
		}
	}
	var msg struct {
		MessageType string `json:"messageType"`
	}
	raw, _ := json.Marshal(item["message"])
	json.Unmarshal(raw, &msg)
	if msg.MessageType != "intro" {
		t.Errorf("first user item = %s, want the intro message record", raw)
	}
}
