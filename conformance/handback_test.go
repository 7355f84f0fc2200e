package conformance_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/chatlayer-emulator/chatlayer-emulator/conformance"
	"github.com/chatlayer-emulator/chatlayer-emulator/emulator"
)

// agentVendor is the reference vendor that, on offload, answers the user
// as an agent through the emulator's actions API before answering.
func agentVendor(emulatorURL string, callsBack bool) hook {
	return func(w http.ResponseWriter, r *http.Request, b []byte) bool {
		var ev struct{ Event, BotID, SessionID string }
		json.Unmarshal(b, &ev)
		if ev.Event != "offload" || !callsBack || r.URL.Query().Get(tokenParam) != token {
			return false
		}
		url := fmt.Sprintf("%s/v1/bots/%s/conversations/%s/actions?version=DRAFT", emulatorURL, ev.BotID, ev.SessionID)
		req, _ := http.NewRequestWithContext(r.Context(), http.MethodPost, url,
			bytes.NewReader([]byte(`{"sendMessages":[{"textMessageTemplate":{"textMessages":[{"text":"Hi, agent Bo here"}]}}]}`)))
		req.Header.Set("Authorization", "Bearer api-"+token)
		req.Header.Set("Content-Type", "application/json")
		if resp, err := http.DefaultClient.Do(req); err == nil {
			resp.Body.Close()
		}
		return false
	}
}

func TestHandbackRoundTrip(t *testing.T) {
	for _, tt := range []struct {
		name      string
		callsBack bool
		want      conformance.Status
	}{{"agent answers", true, conformance.StatusPassed}, {"agent never answers", false, conformance.StatusFailed}} {
		t.Run(tt.name, func(t *testing.T) {
			hook := httptest.NewServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {})) // the user's webhook: 200
			t.Cleanup(hook.Close)
			emu := emulator.RunT(t, emulator.Config{WebhookURL: hook.URL, AccessTokens: []string{"api-" + token},
				Delivery: emulator.DeliveryConfig{Backoff: new(time.Millisecond)}})
			v := &vendor{}
			v.defect = agentVendor(emu.URL(), tt.callsBack)
			o := options(v.start(t).URL, conformance.ProfileOffloading)
			o.Checks = []string{"offloading.handback"}
			o.Callback = &conformance.CallbackOptions{EmulatorURL: emu.URL(), Token: "api-" + token, BotID: "demo",
				ChannelID: "demo", Version: "DRAFT", Wait: 2 * time.Second}
			rep, err := conformance.Run(context.Background(), o)
			if err != nil {
				t.Fatal(err)
			}
			if c := result(t, rep, "offloading.handback.round-trip"); c.Status != tt.want {
				t.Fatalf("hand-back = %s (%s), want %s", c.Status, c.Message, tt.want)
			}
			checkReports(t, rep)
		})
	}
}

// BenchmarkFullRun runs the whole offloading profile against a local
// reference vendor.
func BenchmarkFullRun(b *testing.B) {
	v := &vendor{}
	o := options(v.start(b).URL, conformance.ProfileOffloading)
	o.Timeout = 10 * time.Second
	b.ReportAllocs()
	for b.Loop() {
		rep, err := conformance.Run(context.Background(), o)
		if err != nil || rep.ExitCode != 0 {
			b.Fatalf("Run: %v (exit %d)", err, rep.ExitCode)
		}
		v.mu.Lock()
		v.got = nil
		v.mu.Unlock()
	}
}
