package emulator_test

import (
	"bufio"
	"bytes"
	"net/http"
	"os"
	"testing"
	"time"

	"github.com/chatlayer-emulator/chatlayer-emulator/emulator"
)

// TestSeed003RateLimitHeaders: on the last minute of 2020, the first v1
// request of a token gets exactly the headers of Chatlayer's example
// (testdata/seed003): limit 1200, 1199 remaining, and a reset at
// 1609459200000, in milliseconds as the example writes it; with
// --rate-limit-reset-unit s, the same instant in seconds, as the page's
// text says.
func TestSeed003RateLimitHeaders(t *testing.T) {
	raw, err := os.ReadFile("testdata/seed003/rate-limit-response.http")
	if err != nil {
		t.Fatal(err)
	}
	want, err := http.ReadResponse(bufio.NewReader(bytes.NewReader(raw)), nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		unit  emulator.ResetUnit
		reset string
	}{
		{emulator.ResetMilliseconds, want.Header.Get("x-ratelimit-reset")},
		{emulator.ResetSeconds, "1609459200"},
	} {
		clock := emulator.NewManualClock(time.Date(2020, 12, 31, 23, 59, 30, 0, time.UTC))
		s := emulator.RunT(t, emulator.Config{Clock: clock, RateLimit: emulator.RateLimit{ResetUnit: tt.unit}})
		resp, _ := exchange(t, http.MethodGet, s.URL()+"/v1/bots", "demo-token", "", "")
		for _, name := range []string{"x-ratelimit-limit", "x-ratelimit-remaining", "x-ratelimit-reset"} {
			wantValue := want.Header.Get(name)
			if name == "x-ratelimit-reset" {
				wantValue = tt.reset
			}
			if got := resp.Header.Get(name); got != wantValue {
				t.Errorf("unit %q: %s = %q, want %q", tt.unit, name, got, wantValue)
			}
		}
	}
}
