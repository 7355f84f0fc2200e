package conformance_test

import (
	"bytes"
	"crypto/sha256"
	"net/http"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/chatlayer-emulator/chatlayer-emulator/conformance"
)

// defect builds a hook for one test (hanging hooks need the test).
type defect struct {
	name   string
	hook   func(t testing.TB) hook
	failed []string // exactly the checks that must fail
	budget time.Duration
}

// when answers with status and body when cond holds.
func when(cond func(r *http.Request, body []byte) bool, status int, body string) func(testing.TB) hook {
	return func(testing.TB) hook {
		return func(w http.ResponseWriter, r *http.Request, b []byte) bool {
			if !cond(r, b) {
				return false
			}
			writeJSON(w, status, body)
			return true
		}
	}
}

func isEvent(name string) func(*http.Request, []byte) bool {
	return func(_ *http.Request, b []byte) bool { return eventOf(b) == name }
}

func isGet(r *http.Request, _ []byte) bool { return r.Method == http.MethodGet }

// hasUserItem reports whether a messages event carries a user item of typ.
func hasUserItem(typ string) func(*http.Request, []byte) bool {
	return func(_ *http.Request, b []byte) bool {
		return bytes.Contains(b, []byte(`"messageType":"`+typ+`"`)) && eventOf(b) == "messages"
	}
}

// notIdempotent answers 500 to a body it has seen before.
func notIdempotent(testing.TB) hook {
	var mu sync.Mutex
	seen := map[[32]byte]bool{}
	return func(w http.ResponseWriter, r *http.Request, b []byte) bool {
		if r.Method != http.MethodPost {
			return false
		}
		mu.Lock()
		defer mu.Unlock()
		h := sha256.Sum256(b)
		if seen[h] {
			writeJSON(w, 500, `{"error":"duplicate key value violates unique constraint"}`)
			return true
		}
		seen[h] = true
		return false
	}
}

var offloadingDefects = []defect{
	{name: "wrong health body, echoing the token", failed: []string{"offloading.health.ok"},
		hook: when(isGet, 200, `{"status":"OK","echo":"`+token+`"}`)},
	{name: "accepts a wrong token", failed: []string{"offloading.auth.wrong-token"},
		hook: when(func(r *http.Request, _ []byte) bool {
			q := r.URL.Query()
			return r.Method == http.MethodPost && q.Has(tokenParam) && q.Get(tokenParam) != token
		}, 200, "")},
	{name: "accepts a missing token", failed: []string{"offloading.auth.missing-token"},
		hook: when(func(r *http.Request, _ []byte) bool { return !r.URL.Query().Has(tokenParam) }, 200, "")},
	{name: "invalid offload answer", failed: []string{"offloading.offload.answer"},
		hook: when(isEvent("offload"), 200, `{"offloadSuccess":"yes"}`)},
	{name: "offload answer without offloadSuccess", failed: []string{"offloading.offload.answer"},
		hook: when(isEvent("offload"), 200, `{"pauseBot":true}`)},
	{name: "offload answer with a duplicate key", failed: []string{"offloading.offload.answer"},
		hook: when(isEvent("offload"), 200, `{"offloadSuccess":true,"offloadSuccess":false}`)},
	{name: "crashes on an unknown event", failed: []string{"offloading.tolerant.unknown-event"},
		hook: when(isEvent("typing"), 500, `{"error":"unknown event"}`)},
	{name: "not idempotent", failed: []string{"offloading.robust.duplicate"}, hook: notIdempotent},
	{name: "redirects location messages, echoing the token", failed: []string{"offloading.messages.user.location"},
		hook: func(testing.TB) hook {
			return func(w http.ResponseWriter, r *http.Request, b []byte) bool {
				if !hasUserItem("location")(r, b) {
					return false
				}
				w.Header().Set("Location", "http://elsewhere.invalid/hook?"+r.URL.RawQuery)
				w.WriteHeader(http.StatusTemporaryRedirect)
				return true
			}
		}},
	{name: "500 on large transcripts", failed: []string{"offloading.offload.large-transcript"},
		hook: when(func(_ *http.Request, b []byte) bool { return len(decodeEnvelope(b).Transcript) > 100 }, 500, "")},
	{name: "rejects unicode", failed: []string{"offloading.offload.unicode"},
		hook: when(func(_ *http.Request, b []byte) bool {
			return slices.ContainsFunc(b, func(c byte) bool { return c >= 0x80 })
		},
			400, `{"error":"invalid characters"}`)},
	{name: "201 instead of 200", failed: []string{"offloading.messages.status-200"},
		hook: when(func(r *http.Request, b []byte) bool {
			return r.URL.Query().Get(tokenParam) == token && eventOf(b) == "messages"
		}, 201, "")},
	{name: "strict reader", failed: []string{"offloading.tolerant.unknown-fields"},
		hook: when(func(_ *http.Request, b []byte) bool { return bytes.Contains(b, []byte("x_conformance_future")) }, 400, "")},
	{name: "5xx on bot event items", failed: []string{"offloading.messages.bot.event"},
		hook: when(func(_ *http.Request, b []byte) bool {
			e := decodeEnvelope(b)
			return e.Event == "messages" && bytes.Contains(b, []byte(`"type":"event"`))
		}, 503, "")},
	{name: "slow offload answers (beyond the timeout)", failed: []string{"offloading.latency"},
		hook: func(t testing.TB) hook {
			return func(w http.ResponseWriter, r *http.Request, b []byte) bool {
				if eventOf(b) == "offload" {
					sleep(t, 1500*time.Millisecond)
				}
				return false
			}
		}},
	{name: "hangs", failed: []string{"offloading.latency"}, budget: 2 * time.Second,
		hook: func(t testing.TB) hook {
			return func(http.ResponseWriter, *http.Request, []byte) bool { hang(t); return true }
		}},
	{name: "huge offload answer (50 MiB)", failed: []string{"offloading.offload.answer"},
		hook: func(testing.TB) hook {
			return func(w http.ResponseWriter, _ *http.Request, b []byte) bool {
				if eventOf(b) != "offload" {
					return false
				}
				streamHuge(w)
				return true
			}
		}},
}

func TestDefectiveOffloadingVendors(t *testing.T) {
	for _, d := range offloadingDefects {
		t.Run(d.name, func(t *testing.T) {
			runDefect(t, d, conformance.ProfileOffloading)
		})
	}
}

var webhookDefects = []defect{
	{name: "accepts a wrong token", failed: []string{"webhook.auth.wrong-token"},
		hook: when(func(_ *http.Request, b []byte) bool { return bytes.Contains(b, []byte(`"verifyToken":"wrong-token-`)) }, 200, "")},
	{name: "not idempotent", failed: []string{"webhook.robust.duplicate"}, hook: notIdempotent},
	{name: "rejects out-of-order counters", failed: []string{"webhook.robust.out-of-order"},
		hook: func(testing.TB) hook {
			var mu sync.Mutex
			last := map[string]int{}
			return func(w http.ResponseWriter, _ *http.Request, b []byte) bool {
				d := decodeDelivery(b)
				mu.Lock()
				defer mu.Unlock()
				if d.MessageCounter < last[d.SenderID] {
					writeJSON(w, 409, `{"error":"out of order"}`)
					return true
				}
				last[d.SenderID] = d.MessageCounter
				return false
			}
		}},
	{name: "rejects an nlp object", failed: []string{"webhook.tolerant.unknown-fields"},
		hook: when(func(_ *http.Request, b []byte) bool { return bytes.Contains(b, []byte(`"nlp":`)) }, 400, "")},
	{name: "crashes on event messages", failed: []string{"webhook.message.event"},
		hook: when(func(_ *http.Request, b []byte) bool { return bytes.Contains(b, []byte(`"type":"event"`)) }, 500, "")},
	{name: "redirects images", failed: []string{"webhook.message.image"},
		hook: when(func(_ *http.Request, b []byte) bool { return bytes.Contains(b, []byte(`"type":"image"`)) }, 301, "")},
	{name: "hangs", failed: []string{"webhook.latency"}, budget: 2 * time.Second,
		hook: func(t testing.TB) hook {
			return func(http.ResponseWriter, *http.Request, []byte) bool { hang(t); return true }
		}},
}

func TestDefectiveWebhookReceivers(t *testing.T) {
	for _, d := range webhookDefects {
		t.Run(d.name, func(t *testing.T) {
			runDefect(t, d, conformance.ProfileWebhookChannel)
		})
	}
}

// runDefect runs the suite against one defective vendor: exactly the
// expected checks fail, the exit code follows their level, and every
// report is well formed and free of the token.
func runDefect(t *testing.T, d defect, p conformance.Profile) {
	v := &vendor{channel: p == conformance.ProfileWebhookChannel}
	v.defect = d.hook(t)
	o := options(v.start(t).URL, p)
	if d.budget > 0 {
		o.Budget = d.budget
	}
	rep := runT(t, o)
	if got := failedIDs(rep); !slices.Equal(got, d.failed) {
		for _, c := range rep.Checks {
			t.Logf("%s %s: %s", c.Status, c.ID, c.Message)
		}
		t.Fatalf("failed checks = %v, want %v", got, d.failed)
	}
	wantExit := conformance.ExitPassed
	if result(t, rep, d.failed[0]).Level == conformance.LevelMust {
		wantExit = conformance.ExitFailed
	}
	if rep.ExitCode != wantExit {
		t.Errorf("ExitCode = %d, want %d", rep.ExitCode, wantExit)
	}
	checkReports(t, rep)
}
