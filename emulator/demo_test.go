package emulator_test

import (
	"net/http"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/chatlayer-emulator/chatlayer-emulator/emulator"
	"github.com/chatlayer-emulator/chatlayer-emulator/emulator/dialog"
	"github.com/chatlayer-emulator/chatlayer-emulator/scenarios"
)

// TestDemoHandoverFromAnywhere checks that "I want to talk to a human"
// reaches the demo bot's offload action from the middle of a collect-input,
// with a payload naming the skill and the language.
func TestDemoHandoverFromAnywhere(t *testing.T) {
	script := scenarios.Demo().Script
	eng := dialog.New(script, dialog.Options{})
	now := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	c := dialog.NewConversation(script, "DRAFT", "conv-h", now)
	eng.Step(c, dialog.Input{Event: dialog.Intro{}}, now)
	eng.Step(c, dialog.Input{Event: dialog.Click{Target: "signup-email"}}, now)
	if c.Awaiting == nil {
		t.Fatal("the sign-up flow should be waiting for an email")
	}
	effects := eng.Step(c, dialog.Input{Event: dialog.Text{Text: "I want to talk to a human"}}, now)
	var offload *dialog.RequestOffload
	for _, e := range effects {
		if o, ok := e.(dialog.RequestOffload); ok {
			offload = &o
		}
	}
	if offload == nil {
		t.Fatalf("no offload requested; effects: %+v", effects)
	}
	want := map[string]any{"skill": "support", "language": "en"}
	if !reflect.DeepEqual(offload.Payload, want) {
		t.Errorf("offload payload = %v, want %v", offload.Payload, want)
	}
}

// TestDemoHandoverWithoutProvider checks the HTTP round trip: without an
// offloading provider the user lands in the Offloading disabled block.
func TestDemoHandoverWithoutProvider(t *testing.T) {
	rc := newReceiver(t, nil)
	s := emulator.RunT(t, emulator.Config{WebhookURL: rc.URL, Delivery: fastDelivery})
	status, body := post(t, s.URL()+"/v1/channels/webhook/demo/messages", "demo-token",
		map[string]any{"conversationId": "conv-d", "message": map[string]any{"textMessage": map[string]any{"text": "I want to talk to a human"}}})
	if status != http.StatusAccepted {
		t.Fatalf("status %d: %s", status, body)
	}
	s.FlushT(t)
	got := rc.received()
	if len(got) != 1 || !strings.Contains(string(got[0]), scenarios.Demo().Script.Blocks[dialog.BlockOffloadDisabled].Messages[0].Text) {
		t.Fatalf("want the Offloading disabled message, got:\n%s", joinBodies(got))
	}
}

// TestDemoHandoverOnFirstMessage: internal.* is filled before the first
// event runs, so an offload asked for in the very first message carries
// the interpolated language.
func TestDemoHandoverOnFirstMessage(t *testing.T) {
	script := scenarios.Demo().Script
	eng := dialog.New(script, dialog.Options{})
	now := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	c := dialog.NewConversation(script, "DRAFT", "conv-first", now)
	effects := eng.Step(c, dialog.Input{Event: dialog.Text{Text: "I want to talk to a human"}}, now)
	for _, e := range effects {
		if o, ok := e.(dialog.RequestOffload); ok {
			if o.Payload["language"] != "en" {
				t.Fatalf("offload payload %v: language must be interpolated on the first turn", o.Payload)
			}
			return
		}
	}
	t.Fatalf("no offload requested: %+v", effects)
}
