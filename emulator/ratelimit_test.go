package emulator_test

import (
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chatlayer-emulator/chatlayer-emulator/emulator"
)

// demoMessage is a v1 intro to the demo bot's channel.
const demoMessage = `{"conversationId":"c1","message":{"introMessage":{}}}`

// limited sends a v1 message with token and returns the answer.
func limited(t *testing.T, s *emulator.Server, token string) *http.Response {
	t.Helper()
	resp, _ := exchange(t, http.MethodPost, s.URL()+"/v1/channels/webhook/demo/messages", token, "application/json", demoMessage)
	return resp
}

// wantQuota checks the status and the x-ratelimit-* headers of an answer.
func wantQuota(t *testing.T, resp *http.Response, status int, remaining string, reset time.Time) {
	t.Helper()
	h := resp.Header
	if resp.StatusCode != status || h.Get("x-ratelimit-limit") != "3" || h.Get("x-ratelimit-remaining") != remaining ||
		h.Get("x-ratelimit-reset") != strconv.FormatInt(reset.UnixMilli(), 10) {
		t.Errorf("status %d, limit %q, remaining %q, reset %q; want %d, 3, %s, %d", resp.StatusCode,
			h.Get("x-ratelimit-limit"), h.Get("x-ratelimit-remaining"), h.Get("x-ratelimit-reset"),
			status, remaining, reset.UnixMilli())
	}
}

func TestRateLimitPerTokenWindow(t *testing.T) {
	clock := emulator.NewManualClock(clockT0) // 03:04:05: the window ends at 03:05:00
	s := emulator.RunT(t, emulator.Config{
		Clock: clock, AccessTokens: []string{"other-token"},
		RateLimit: emulator.RateLimit{Limit: 3, Window: time.Minute},
	})
	end := time.Date(2026, 1, 2, 3, 5, 0, 0, time.UTC)
	for _, remaining := range []string{"2", "1", "0"} {
		wantQuota(t, limited(t, s, "demo-token"), http.StatusAccepted, remaining, end)
	}
	resp, body := exchange(t, http.MethodPost, s.URL()+"/v1/channels/webhook/demo/messages", "demo-token", "application/json", demoMessage)
	wantQuota(t, resp, http.StatusTooManyRequests, "0", end)
	if got := resp.Header.Get("Retry-After"); got != "55" {
		t.Errorf("Retry-After = %q, want 55", got)
	}
	if e := decodeError(t, body); e.StatusCode != 429 || e.Error != "Too Many Requests" {
		t.Errorf("429 body = %+v", e)
	}

	wantQuota(t, limited(t, s, "other-token"), http.StatusAccepted, "2", end) // another token, another window
	wantQuota(t, limited(t, s, "wrong-token"), http.StatusUnauthorized, "2", end)

	clock.Advance(time.Minute)
	wantQuota(t, limited(t, s, "demo-token"), http.StatusAccepted, "2", end.Add(time.Minute))
}

func TestRateLimitSkipsUncountedRequests(t *testing.T) {
	s := emulator.RunT(t, emulator.Config{RateLimit: emulator.RateLimit{Limit: 1, Window: time.Hour}})
	for i := 0; i < 3; i++ {
		for _, tt := range []struct{ name, method, path, token string }{
			{"no bearer token", http.MethodPost, "/v1/channels/webhook/demo/messages", ""},
			{"control API", http.MethodGet, "/_emulator/health", "demo-token"},
			{"legacy API", http.MethodGet, "/api/bots/demo/history/x?access_token=demo-token", "demo-token"},
		} {
			resp, body := exchange(t, tt.method, s.URL()+tt.path, tt.token, "application/json", demoMessage)
			if resp.StatusCode == http.StatusTooManyRequests || resp.Header.Get("x-ratelimit-limit") != "" {
				t.Fatalf("%s, request %d: status %d with x-ratelimit-limit %q: %s", tt.name, i+1,
					resp.StatusCode, resp.Header.Get("x-ratelimit-limit"), body)
			}
		}
	}
}

func TestRateLimitOff(t *testing.T) {
	s := emulator.RunT(t, emulator.Config{RateLimit: emulator.RateLimit{Limit: 1, Off: true}})
	for i := 0; i < 3; i++ {
		resp := limited(t, s, "demo-token")
		if resp.StatusCode != http.StatusAccepted || resp.Header.Get("x-ratelimit-limit") != "" {
			t.Fatalf("request %d: status %d, x-ratelimit-limit %q; want 202 and no header", i+1,
				resp.StatusCode, resp.Header.Get("x-ratelimit-limit"))
		}
	}
}

func TestRateLimitDefault(t *testing.T) {
	s := emulator.RunT(t, emulator.Config{})
	if got := limited(t, s, "demo-token").Header.Get("x-ratelimit-limit"); got != "1200" {
		t.Errorf("x-ratelimit-limit = %q, want 1200", got)
	}
}

// TestRateLimitResetUnit: x-ratelimit-reset is epoch milliseconds by
// default and epoch seconds with ResetSeconds, rounded up when the window
// ends inside a second; Retry-After stays in seconds.
func TestRateLimitResetUnit(t *testing.T) {
	for _, tc := range []struct {
		name       string
		unit       emulator.ResetUnit
		window     time.Duration
		want       func(end time.Time) int64
		retryAfter string
	}{
		{"milliseconds (default)", emulator.ResetMilliseconds, time.Minute, time.Time.UnixMilli, "55"},
		{"seconds", emulator.ResetSeconds, time.Minute, time.Time.Unix, "55"},
		{"seconds, rounded up", emulator.ResetSeconds, 250 * time.Millisecond,
			func(end time.Time) int64 { return end.Truncate(time.Second).Unix() + 1 }, "1"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			clock := emulator.NewManualClock(clockT0)
			s := emulator.RunT(t, emulator.Config{Clock: clock,
				RateLimit: emulator.RateLimit{Limit: 1, Window: tc.window, ResetUnit: tc.unit}})
			end := clockT0.Truncate(tc.window).Add(tc.window) // windows are aligned on their length
			if tc.window%time.Second != 0 && end.Nanosecond() == 0 {
				t.Fatalf("window end %s is on a whole second: the case tests nothing", end)
			}
			limited(t, s, "demo-token")
			resp := limited(t, s, "demo-token")
			if got, want := resp.Header.Get("x-ratelimit-reset"), strconv.FormatInt(tc.want(end), 10); got != want {
				t.Errorf("x-ratelimit-reset = %s, want %s", got, want)
			}
			if got := resp.Header.Get("Retry-After"); resp.StatusCode != http.StatusTooManyRequests || got != tc.retryAfter {
				t.Errorf("status %d, Retry-After %q: want 429 and %s (seconds)", resp.StatusCode, got, tc.retryAfter)
			}
		})
	}
}

// TestResetUnitText: every unit round-trips through its text form (the
// flag's values), other texts and values are refused.
func TestResetUnitText(t *testing.T) {
	for _, unit := range []emulator.ResetUnit{emulator.ResetMilliseconds, emulator.ResetSeconds} {
		text, err := unit.MarshalText()
		var back emulator.ResetUnit
		if err != nil || back.UnmarshalText(text) != nil || back != unit {
			t.Errorf("%v: MarshalText %q, %v; back %v", unit, text, err, back)
		}
	}
	var u emulator.ResetUnit
	if err := u.UnmarshalText([]byte("minutes")); err == nil || !strings.Contains(err.Error(), "ms or s") {
		t.Errorf("UnmarshalText(minutes) = %v, want an error naming ms and s", err)
	}
	if _, err := emulator.New(emulator.Config{RateLimit: emulator.RateLimit{ResetUnit: 7}}); err == nil {
		t.Error("New accepted ResetUnit 7")
	}
}
