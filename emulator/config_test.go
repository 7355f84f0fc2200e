package emulator

import "testing"

// TestDeliveryDefaultsLeftToTheDispatcher: the emulator fills no default
// for Retries and Backoff, which only the dispatcher reads, so that their
// "negative: none" reaches it (a default filled here turned
// --delivery-retries 0 into 3 retries, and --delivery-backoff 0 into 1 s).
func TestDeliveryDefaultsLeftToTheDispatcher(t *testing.T) {
	for _, d := range []DeliveryConfig{{}, {Retries: -1, Backoff: -1}, {Retries: 5, Backoff: 7}} {
		got := Config{Delivery: d}.withDefaults().Delivery
		if got.Retries != d.Retries || got.Backoff != d.Backoff {
			t.Errorf("%+v: withDefaults gives Retries %d, Backoff %s", d, got.Retries, got.Backoff)
		}
		if got.Timeout != DefaultTimeout || got.DrainTimeout != DefaultDrainTimeout {
			t.Errorf("%+v: Timeout %s, DrainTimeout %s; want the defaults the emulator reads", d, got.Timeout, got.DrainTimeout)
		}
	}
}
