package delivery_test

import (
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/chatlayer-emulator/chatlayer-emulator/emulator/delivery"
	"github.com/chatlayer-emulator/chatlayer-emulator/emulator/egress"
)

// TestEgressPolicyRefusesWithoutRetry: an address the policy refuses gets
// no request and no retry (it would be refused again), and the journal
// says why and how to allow it. No packet leaves the machine: the dialer
// refuses before it connects.
func TestEgressPolicyRefusesWithoutRetry(t *testing.T) {
	rc := newReceiver(t, statuses(http.StatusOK))
	for _, c := range []struct {
		name, url string
		policy    egress.Policy
		want      string
	}{
		{"metadata under default", "http://169.254.169.254/latest/meta-data/", egress.Default, "169.254.169.254 (link-local address"},
		{"unspecified under default", "http://0.0.0.0:9/hook", egress.Default, "0.0.0.0 (unspecified address"},
		{"loopback receiver under public", rc.URL, egress.Public, "127.0.0.1 (loopback address"},
	} {
		t.Run(c.name, func(t *testing.T) {
			d := newDispatcher(t, delivery.Config{Egress: c.policy, Retries: 3})
			id := mustEnqueue(t, d, delivery.Request{URL: c.url, Body: []byte(`{}`)})
			flush(t, d)
			got := get(t, d, id)
			if got.State != delivery.StateFailed || !slices.Equal(kinds(got), []delivery.ErrorKind{delivery.FailEgress}) {
				t.Fatalf("state %s, attempts %v; want failed after one egress_refused attempt", got.State, kinds(got))
			}
			if !strings.Contains(got.Error, c.want) || !strings.Contains(got.Error, "--egress") {
				t.Errorf("error %q, want it to name %q and the flag", got.Error, c.want)
			}
		})
	}
	if n := len(rc.requests()); n != 0 {
		t.Fatalf("the receiver got %d requests", n)
	}
}

// TestEgressPolicyAllowsLoopbackByDefault: the default policy lets a
// developer's local endpoint through, and Any lets everything through.
func TestEgressPolicyAllowsLoopbackByDefault(t *testing.T) {
	rc := newReceiver(t, statuses(http.StatusOK))
	for _, p := range []egress.Policy{"", egress.Default, egress.Any} {
		d := newDispatcher(t, delivery.Config{Egress: p})
		id := mustEnqueue(t, d, delivery.Request{URL: rc.URL, Body: []byte(`{}`)})
		flush(t, d)
		if got := get(t, d, id); got.State != delivery.StateDelivered {
			t.Fatalf("policy %q: state %s (%s), want delivered", p, got.State, got.Error)
		}
	}
	if n := len(rc.requests()); n != 3 {
		t.Fatalf("the receiver got %d requests, want 3", n)
	}
}
