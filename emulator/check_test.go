package emulator_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/chatlayer-emulator/chatlayer-emulator/emulator"
)

// The demo bot's first replies.
const (
	demoHi      = "Hi! I'm the Chatlayer emulator demo bot."
	demoWhat    = "What would you like to try?"
	demoOpen    = "We're open Monday to Friday, 9:00 to 17:00."
	demoFAQ     = "Ask me about our opening hours, prices or where we are."
	demoPricing = "The emulator is free. Chatlayer itself is priced per conversation."
)

// TestWaitSinceMark: a wait from a Mark counts only the deliveries made
// after it, so the reply to a second message is not the first message's.
func TestWaitSinceMark(t *testing.T) {
	s := emulator.RunT(t, emulator.Config{WebhookURL: newReceiver(t, nil).URL, Delivery: fastDelivery})
	s.IntroT(t, "demo", "conv-1")
	s.WaitDeliveriesT(t, emulator.DeliveryFilter{Conversation: "conv-1"}, 2)
	mark := s.Mark()
	s.SayT(t, "demo", "conv-1", "what are your opening hours")
	got := s.WaitDeliveriesT(t, emulator.DeliveryFilter{Conversation: "conv-1", Since: mark}, 1)
	if len(got) != 1 || !strings.Contains(got[0].RequestBody, demoOpen) || got[0].Seq != mark+1 {
		t.Fatalf("since %d: %d deliveries, first %+v; want the one reply %q", mark, len(got), got, demoOpen)
	}
}

// TestControlAPISince: the control API takes the same mark as ?since=,
// the seq of the last delivery seen, and refuses one that is no seq.
func TestControlAPISince(t *testing.T) {
	s := emulator.RunT(t, emulator.Config{WebhookURL: newReceiver(t, nil).URL, Delivery: fastDelivery})
	s.IntroT(t, "demo", "conv-1")
	s.FlushT(t)
	s.SayT(t, "demo", "conv-1", "pricing")
	var resp struct{ Deliveries []emulator.Delivery }
	status, body := v1Call(t, http.MethodGet, s.URL()+"/_emulator/deliveries/wait?conversation=conv-1&since=2&count=1&timeout=5s", "", nil)
	wantJSON(t, status, body, http.StatusOK, &resp)
	if len(resp.Deliveries) != 1 || !strings.Contains(resp.Deliveries[0].RequestBody, demoPricing) {
		t.Fatalf("wait since 2: %s", body)
	}
	status, body = v1Call(t, http.MethodGet, s.URL()+"/_emulator/deliveries?since=1", "", nil)
	wantJSON(t, status, body, http.StatusOK, &resp)
	if len(resp.Deliveries) != 2 || resp.Deliveries[0].Seq != 2 {
		t.Fatalf("list since 1: %s", body)
	}
	for _, q := range []string{"since=-1", "since=two"} {
		for _, path := range []string{"/_emulator/deliveries?", "/_emulator/deliveries/wait?"} {
			status, body := v1Call(t, http.MethodGet, s.URL()+path+q, "", nil)
			if e := decodeError(t, body); status != http.StatusBadRequest || e.Field != "since" {
				t.Errorf("%s%s: %d %s; want a 400 naming since", path, q, status, body)
			}
		}
	}
}

// TestCheckDelivered: the replies pass when they are the texts wanted; a
// wrong, missing, extra or failed one fails the test with a line per
// message.
func TestCheckDelivered(t *testing.T) {
	failing := newReceiver(t, func(n int, _ []byte, w http.ResponseWriter) {
		if n >= 2 { // the intro's two replies arrive; later ones fail
			w.WriteHeader(http.StatusInternalServerError)
		}
	})
	cfg := fastDelivery
	cfg.Retries = new(0)
	s := emulator.RunT(t, emulator.Config{WebhookURL: failing.URL, Delivery: cfg})
	s.IntroT(t, "demo", "conv-1")
	got := s.CheckDelivered(t, emulator.DeliveryFilter{Conversation: "conv-1"}, demoHi, demoWhat)
	if len(got) != 2 {
		t.Fatalf("CheckDelivered returned %d deliveries, want 2", len(got))
	}
	for _, c := range []struct {
		want  []string
		lines []string
	}{
		{[]string{demoHi, "What now?", "more"}, []string{`    1: "` + demoHi + `"`,
			`  - 2: "What now?" (want)`, `  + 2: "` + demoWhat + `" (got)`, `  - 3: "more" (want)`, `  + 3: (none) (got)`}},
		{[]string{demoHi}, []string{`    1: "` + demoHi + `"`, `  - 2: (none) (want)`, `  + 2: "` + demoWhat + `" (got)`}},
	} {
		ft := &fakeT{}
		s.CheckDelivered(ft, emulator.DeliveryFilter{Conversation: "conv-1"}, c.want...)
		for _, line := range append(c.lines, `deliveries matching conversation "conv-1":`) {
			if !strings.Contains(ft.failure, line) {
				t.Errorf("want %q: failure\n%s\ndoes not say %q", c.want, ft.failure, line)
			}
		}
	}
	mark := s.Mark()
	s.SayT(t, "demo", "conv-1", "opening hours")
	ft := &fakeT{}
	s.CheckDelivered(ft, emulator.DeliveryFilter{Conversation: "conv-1", Since: mark}, demoOpen)
	if !strings.Contains(ft.failure, `"`+demoOpen+` (failed: status 500`) {
		t.Errorf("a failed delivery passed as %q, or failed with\n%s", demoOpen, ft.failure)
	}
	ft = &fakeT{}
	s.CheckDelivered(ft, emulator.DeliveryFilter{Conversation: "other"})
	if ft.failure != "" {
		t.Errorf("no delivery wanted and none made: %s", ft.failure)
	}
}

// TestCheckDeliveredSummaries: a message that is no text compares as its
// summary ("[generic]", "[image URL]", …), and PayloadOf finds the payload
// that Click sends back.
func TestCheckDeliveredSummaries(t *testing.T) {
	s := emulator.RunT(t, emulator.Config{WebhookURL: newReceiver(t, nil).URL, Delivery: fastDelivery})
	s.IntroT(t, "demo", "conv-1")
	intro := s.CheckDelivered(t, emulator.DeliveryFilter{Conversation: "conv-1"}, demoHi, demoWhat)
	payload, ok := emulator.PayloadOf(intro[1], "Show me everything")
	if !ok {
		t.Fatalf("no payload for %q in %s", "Show me everything", intro[1].RequestBody)
	}
	if _, ok := emulator.PayloadOf(intro[1], "show me everything"); ok {
		t.Error("PayloadOf matched a title that differs in case")
	}
	mark := s.Mark()
	s.ClickT(t, "demo", "conv-1", payload)
	tour := s.CheckDelivered(t, emulator.DeliveryFilter{Conversation: "conv-1", Since: mark},
		"Here is every kind of message I can send.",
		"Buttons can go to a block, open a page or call a number.",
		"[generic]", "[list]",
		"[image https://example.com/images/demo.png]", "[video https://example.com/videos/demo.mp4]",
		"[event]", "That was the tour. Where to next?")
	for i, title := range map[int]string{1: "Start over", 2: "FAQ", 3: "Back to start"} {
		if _, ok := emulator.PayloadOf(tour[i], title); !ok {
			t.Errorf("no payload for %q in %s", title, tour[i].RequestBody)
		}
	}
	if p, ok := emulator.PayloadOf(tour[1], "Open the docs"); ok {
		t.Errorf("a URL button has payload %q", p)
	}
}
