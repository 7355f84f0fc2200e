package main

import (
	"net/http/httptest"
	"testing"
	"time"

	"github.com/chatlayer-emulator/chatlayer-emulator/emulator"
)

// TestAppAgainstTheEmulator is the kind of test the emulator is for: the
// application runs against an in-process emulator, with no sleeps.
func TestAppAgainstTheEmulator(t *testing.T) {
	app := New(Config{Channel: "demo", Token: "demo-token", VerifyToken: "demo-verify"})
	hook := httptest.NewServer(app)
	defer hook.Close()
	s := emulator.RunT(t, emulator.Config{WebhookURL: hook.URL, Delivery: emulator.DeliveryConfig{Backoff: new(time.Millisecond)}})
	app.cfg.ChatlayerURL = s.URL()
	if err := app.Say("c1", "what are your opening hours"); err != nil {
		t.Fatal(err)
	}
	s.FlushT(t)
	select {
	case got := <-app.Replies:
		if got == "" {
			t.Fatal("empty reply")
		}
	default:
		t.Fatal("the app received no reply")
	}
	if d := s.Deliveries(emulator.DeliveryFilter{Conversation: "c1"}); len(d) != 1 || d[0].State != "delivered" {
		t.Fatalf("journal: %+v", d)
	}
}
