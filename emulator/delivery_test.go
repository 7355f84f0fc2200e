package emulator_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chatlayer-emulator/chatlayer-emulator/emulator"
)

// say sends a text message to the demo bot for a conversation.
func say(t *testing.T, s *emulator.Server, conv, textValue string) {
	t.Helper()
	status, body := post(t, s.URL()+"/v1/channels/webhook/demo/messages", "demo-token",
		map[string]any{"conversationId": conv, "message": map[string]any{"textMessage": map[string]any{"text": textValue}}})
	if status != http.StatusAccepted {
		t.Fatalf("status %d: %s", status, body)
	}
}

// firstDelivery waits for the conversation's first final delivery.
func firstDelivery(t *testing.T, s *emulator.Server, conv string) emulator.Delivery {
	t.Helper()
	return s.WaitDeliveriesT(t, emulator.DeliveryFilter{Conversation: conv}, 1)[0]
}

// TestDeliveryRetries checks the retry policy: 1 attempt plus 3 retries.
func TestDeliveryRetries(t *testing.T) {
	t.Run("500 twice then 200: 3 attempts", func(t *testing.T) {
		rc := newReceiver(t, func(n int, _ []byte, w http.ResponseWriter) {
			if n < 2 {
				w.WriteHeader(http.StatusInternalServerError)
			}
		})
		s := emulator.RunT(t, emulator.Config{WebhookURL: rc.URL, Delivery: fastDelivery})
		say(t, s, "retry-1", "hello")
		d := firstDelivery(t, s, "retry-1")
		if d.State != "delivered" || len(d.Attempts) != 3 {
			t.Fatalf("state %s after %d attempts, want delivered after 3", d.State, len(d.Attempts))
		}
		if d.Attempts[0].Status != 500 || d.Attempts[2].Status != 200 {
			t.Errorf("attempt statuses %d, %d", d.Attempts[0].Status, d.Attempts[2].Status)
		}
	})
	t.Run("always failing: 4 attempts, failed", func(t *testing.T) {
		rc := newReceiver(t, func(_ int, _ []byte, w http.ResponseWriter) { w.WriteHeader(http.StatusServiceUnavailable) })
		s := emulator.RunT(t, emulator.Config{WebhookURL: rc.URL, Delivery: fastDelivery})
		say(t, s, "retry-2", "hello")
		d := firstDelivery(t, s, "retry-2")
		if d.State != "failed" || len(d.Attempts) != 4 {
			t.Fatalf("state %s after %d attempts, want failed after 4", d.State, len(d.Attempts))
		}
	})
	t.Run("no retries: 1 attempt, failed", func(t *testing.T) {
		rc := newReceiver(t, func(_ int, _ []byte, w http.ResponseWriter) { w.WriteHeader(http.StatusServiceUnavailable) })
		cfg := fastDelivery
		cfg.Retries = new(0) // as --delivery-retries 0
		s := emulator.RunT(t, emulator.Config{WebhookURL: rc.URL, Delivery: cfg})
		say(t, s, "retry-3", "hello")
		s.FlushT(t) // the reply may be several messages: one delivery each
		ds := s.Deliveries(emulator.DeliveryFilter{Conversation: "retry-3"})
		if len(ds) == 0 {
			t.Fatal("no delivery")
		}
		for i, d := range ds {
			if d.State != "failed" || len(d.Attempts) != 1 {
				t.Errorf("delivery %d: state %s after %d attempts, want failed after 1", i, d.State, len(d.Attempts))
			}
		}
		if n := len(rc.received()); n != len(ds) {
			t.Fatalf("webhook got %d requests for %d deliveries, want one each", n, len(ds))
		}
	})
	t.Run("307 is not followed", func(t *testing.T) {
		target := newReceiver(t, nil)
		rc := newReceiver(t, func(_ int, _ []byte, w http.ResponseWriter) {
			w.Header().Set("Location", target.URL)
			w.WriteHeader(http.StatusTemporaryRedirect)
		})
		s := emulator.RunT(t, emulator.Config{WebhookURL: rc.URL, Delivery: fastDelivery})
		say(t, s, "redirect", "hello")
		d := firstDelivery(t, s, "redirect")
		if d.State != "failed" || d.Attempts[0].Status != 307 || d.Attempts[0].Location != target.URL {
			t.Fatalf("delivery %+v: want failed 307 with Location recorded", d)
		}
		if n := len(target.received()); n != 0 {
			t.Fatalf("redirect target got %d requests", n)
		}
	})
}

// guard bounds a wait so that a bug fails the test instead of hanging it;
// it never decides an outcome.
const guard = 20 * time.Second

// TestHangingWebhookDelaysOnlyItsConversation checks that a webhook that
// hangs for one conversation does not hold up another.
func TestHangingWebhookDelaysOnlyItsConversation(t *testing.T) {
	release := make(chan struct{})
	arrived := make(chan struct{}, 1)
	rc := newReceiver(t, func(_ int, body []byte, w http.ResponseWriter) {
		if strings.Contains(string(body), `"senderId":"stuck"`) {
			select {
			case arrived <- struct{}{}:
			default:
			}
			<-release
		}
	})
	s := emulator.RunT(t, emulator.Config{WebhookURL: rc.URL, Delivery: fastDelivery})
	var once sync.Once
	unblock := func() { once.Do(func() { close(release) }) }
	t.Cleanup(unblock) // runs first: a failed test must not leave the receiver blocked
	say(t, s, "stuck", "hello")
	// The turns of the two conversations run concurrently: wait until the
	// stuck delivery is in flight before the free one is sent.
	select {
	case <-arrived:
	case <-time.After(guard):
		t.Fatal("the stuck conversation's delivery never reached the webhook")
	}
	say(t, s, "free", "hello")
	free := firstDelivery(t, s, "free")
	if free.State != "delivered" {
		t.Fatalf("free conversation: %s", free.State)
	}
	if stuck := s.Deliveries(emulator.DeliveryFilter{Conversation: "stuck"}); len(stuck) == 0 || stuck[0].State != "pending" {
		t.Fatalf("stuck conversation should still be pending: %+v", stuck)
	}
	unblock()
	s.FlushT(t)
}

// TestEgressPolicy: a webhook URL at the cloud metadata address is
// refused by the default policy, once, and the journal, read through the
// control API with responses validated against the OpenAPI document, says
// why.
func TestEgressPolicy(t *testing.T) {
	s := emulator.RunT(t, emulator.Config{WebhookURL: "http://169.254.169.254/latest/meta-data/", Delivery: fastDelivery, StrictResponses: true})
	say(t, s, "ssrf", "hello")
	s.FlushT(t)
	resp, body := exchange(t, http.MethodGet, s.URL()+"/_emulator/deliveries?conversation=ssrf", "", "", "")
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("deliveries: %d %s", resp.StatusCode, body)
	}
	var got struct{ Deliveries []emulator.Delivery }
	if err := json.Unmarshal(body, &got); err != nil || len(got.Deliveries) == 0 {
		t.Fatalf("deliveries %s: %v", body, err)
	}
	for _, d := range got.Deliveries {
		if d.State != "failed" || len(d.Attempts) != 1 || d.Attempts[0].ErrorKind != "egress_refused" {
			t.Fatalf("delivery %+v: want failed after one egress_refused attempt", d)
		}
		if want := "egress policy default refuses 169.254.169.254 (link-local address; --egress any allows it)"; !strings.Contains(d.Error, want) {
			t.Errorf("error %q, want it to contain %q", d.Error, want)
		}
	}
}
