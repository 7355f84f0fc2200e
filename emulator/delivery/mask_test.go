package delivery

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestMaskerForms(t *testing.T) {
	m := newMasker([]string{"", `a b/"c`})
	tests := []struct{ in, want string }{
		{`raw a b/"c end`, "raw *** end"},
		{"query a+b%2F%22c end", "query *** end"},
		{"path a%20b%2F%22c end", "path *** end"},
		{`json "a b/\"c" end`, `json "***" end`},
		{"none here", "none here"},
	}
	for _, tt := range tests {
		if got := m.String(tt.in); got != tt.want {
			t.Errorf("String(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
	if got := (masker{}).String("x"); got != "x" {
		t.Errorf("zero masker changed %q to %q", "x", got)
	}
}

func TestMaskerExcerptAcrossTheCut(t *testing.T) {
	const secret = "SECRET"
	m := newMasker([]string{secret})
	for cut := 0; cut < 20; cut++ {
		body := []byte(strings.Repeat("x", cut) + secret + strings.Repeat("y", 50))
		for keep := 1; keep < 30; keep++ {
			got := m.Excerpt(body, keep)
			if len(got) > keep {
				t.Fatalf("cut %d keep %d: %d bytes kept", cut, keep, len(got))
			}
			// No prefix of the secret longer than one byte may survive.
			for n := 2; n <= len(secret); n++ {
				if strings.Contains(got, secret[:n]) {
					t.Fatalf("cut %d keep %d: excerpt %q holds %q", cut, keep, got, secret[:n])
				}
			}
		}
	}
}

func TestBackoffSchedule(t *testing.T) {
	cfg := Config{Backoff: 1}.withDefaults()
	for i, want := range []int64{1, 2, 4, 8} {
		if got := cfg.backoff(i + 1); int64(got) != want {
			t.Errorf("backoff(%d) = %d, want %d", i+1, got, want)
		}
	}
	if got := (Config{Backoff: -1}).withDefaults().backoff(3); got != 0 {
		t.Errorf("negative Backoff: backoff(3) = %v, want 0", got)
	}
}

// TestJSONEscapeAgreesWithMarshal: the fast path (strings returned as they
// are) must give what json.Marshal writes between the quotes.
func TestJSONEscapeAgreesWithMarshal(t *testing.T) {
	for _, s := range []string{
		"", "plain-token_123", "a b/c", `q"uote`, `back\slash`, "<html>&", "tab\tnl\n",
		"\x00\x1f", "caf\u00e9", "\u2028\u2029", "\xff\xfe", "\ufffd", "emoji \U0001F600", "\x7f",
	} {
		b, err := json.Marshal(s)
		if err != nil {
			t.Fatal(err)
		}
		if got, want := jsonEscape(s), string(b[1:len(b)-1]); got != want {
			t.Errorf("jsonEscape(%q) = %q, want %q", s, got, want)
		}
	}
}

// FuzzJSONEscape checks jsonEscape against json.Marshal on any string.
func FuzzJSONEscape(f *testing.F) {
	f.Add("token")
	f.Add("<\"\\\u2028>")
	f.Fuzz(func(t *testing.T, s string) {
		b, err := json.Marshal(s)
		if err != nil {
			t.Skip()
		}
		if got, want := jsonEscape(s), string(b[1:len(b)-1]); got != want {
			t.Errorf("jsonEscape(%q) = %q, want %q", s, got, want)
		}
	})
}
