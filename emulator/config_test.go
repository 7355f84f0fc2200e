package emulator

import (
	"strings"
	"testing"
	"time"
)

// TestDeliveryZeroMeansNone: Retries and Backoff mean in Go what
// --delivery-retries and --delivery-backoff mean: nil is Chatlayer's
// schedule, a value is taken as it is, 0 included (0 once meant the
// default in Go and "none" on the command line). They reach the
// dispatcher in its terms: 0 its default, negative none.
func TestDeliveryZeroMeansNone(t *testing.T) {
	cases := []struct {
		name    string
		d       DeliveryConfig
		retries int
		backoff time.Duration
	}{
		{name: "nil: the defaults", d: DeliveryConfig{}, retries: 0, backoff: 0},
		{name: "0: none", d: DeliveryConfig{Retries: new(0), Backoff: new(time.Duration(0))}, retries: -1, backoff: -1},
		{name: "values", d: DeliveryConfig{Retries: new(5), Backoff: new(7 * time.Millisecond)}, retries: 5, backoff: 7 * time.Millisecond},
	}
	for _, c := range cases {
		got := Config{Delivery: c.d}.withDefaults().Delivery
		if r, b := got.retries(), got.backoff(); r != c.retries || b != c.backoff {
			t.Errorf("%s: dispatcher gets Retries %d, Backoff %s; want %d, %s", c.name, r, b, c.retries, c.backoff)
		}
		if got.Timeout != DefaultTimeout || got.DrainTimeout != DefaultDrainTimeout {
			t.Errorf("%s: Timeout %s, DrainTimeout %s; want the defaults the emulator reads", c.name, got.Timeout, got.DrainTimeout)
		}
	}
}

// TestDeliveryNegativeRefused: a negative retry count or backoff means
// nothing, and New says so, naming the field and the flag.
func TestDeliveryNegativeRefused(t *testing.T) {
	_, err := New(Config{Delivery: DeliveryConfig{Retries: new(-1), Backoff: new(-time.Second)}})
	if err == nil {
		t.Fatal("New accepted Retries -1 and Backoff -1s")
	}
	for _, want := range []string{"Delivery.Retries (--delivery-retries) is -1", "Delivery.Backoff (--delivery-backoff) is -1s"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not say %q", err, want)
		}
	}
}
