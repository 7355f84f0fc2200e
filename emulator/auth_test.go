package emulator_test

import (
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/chatlayer-emulator/chatlayer-emulator/emulator"
)

// withAuth sends a request with the Authorization header exactly as given
// (none when empty) and returns the status, the x-ratelimit-remaining
// header and the body.
func withAuth(t *testing.T, method, url, auth, body string) (int, string, []byte) {
	t.Helper()
	req, err := http.NewRequest(method, url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	if auth != "" {
		req.Header.Set("Authorization", auth)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	out, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header.Get("x-ratelimit-remaining"), out
}

// TestBareTokenRefusedByDefault: without AllowBareToken, "Authorization:
// <token>" gets 401; when the value is a valid token the message says so
// and names the flag, without echoing the token.
func TestBareTokenRefusedByDefault(t *testing.T) {
	s := twoBots(t)
	url := s.URL() + "/v1/channels/webhook/demo/messages"
	for _, tc := range []struct {
		name, auth string
		status     int
		hint       bool
	}{
		{"bare valid token", "demo-token", 401, true},
		{"bare token of another bot", "shop-token", 401, true},
		{"bare unknown token", "nope", 401, false},
		{"lone scheme", "Bearer", 401, false},
		{"Basic scheme", "Basic demo-token", 401, false},
		{"Bearer", "Bearer demo-token", 202, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			status, _, body := withAuth(t, http.MethodPost, url, tc.auth, demoMessage)
			if status != tc.status {
				t.Fatalf("status %d, want %d: %s", status, tc.status, body)
			}
			if status != 202 {
				e := decodeError(t, body)
				if hint := strings.Contains(e.Message, "--allow-bare-token"); hint != tc.hint || e.Field != "Authorization" {
					t.Errorf("message %q, field %q: want the --allow-bare-token hint %v and field Authorization", e.Message, e.Field, tc.hint)
				}
				if strings.Contains(e.Message, tc.auth) && tc.hint {
					t.Errorf("message %q echoes the token", e.Message)
				}
			}
		})
	}
}

// TestBareTokenAllowed: with AllowBareToken, a bare token on the
// allow-list works on every v1 route and shares its rate-limit window with
// its Bearer form; unknown tokens, tokens of another bot and other schemes
// still get 401, and the admin token still needs "Bearer ".
func TestBareTokenAllowed(t *testing.T) {
	s := emulator.RunT(t, emulator.Config{
		AllowBareToken: true, AdminToken: "admin-secret", Delivery: fastDelivery,
		RateLimit: emulator.RateLimit{Limit: 10, Window: time.Hour},
	})
	v1 := s.URL() + "/v1/channels/webhook/demo/messages"
	for i, tc := range []struct {
		name, method, url, auth, body string
		status                        int
		remaining                     string
	}{
		{"bare token", "POST", v1, "demo-token", demoMessage, 202, "9"},
		{"Bearer, same window", "POST", v1, "Bearer demo-token", demoMessage, 202, "8"},
		{"bare token, bot list", "GET", s.URL() + "/v1/bots", "demo-token", "", 200, "7"},
		{"bare token, bad body", "POST", v1, "demo-token", `{"conversationId":42,"message":{"introMessage":{}}}`, 400, "6"},
		{"bare unknown token", "POST", v1, "nope", demoMessage, 401, "9"},
		{"Basic scheme", "POST", v1, "Basic demo-token", demoMessage, 401, ""},
		{"bare admin token", "GET", s.URL() + "/_emulator/deliveries", "admin-secret", "", 401, ""},
		{"Bearer admin token", "GET", s.URL() + "/_emulator/deliveries", "Bearer admin-secret", "", 200, ""},
	} {
		status, remaining, body := withAuth(t, tc.method, tc.url, tc.auth, tc.body)
		if status != tc.status || remaining != tc.remaining {
			t.Errorf("%d %s: status %d, x-ratelimit-remaining %q; want %d, %q: %s", i, tc.name, status, remaining, tc.status, tc.remaining, body)
		}
		if status == 200 && tc.method == "GET" && strings.HasSuffix(tc.url, "/v1/bots") && !strings.Contains(string(body), `"id":"demo"`) {
			t.Errorf("bot list with a bare token: %s", body)
		}
	}
}
