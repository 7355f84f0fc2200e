package emulator_test

import (
	"bytes"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"testing"

	"github.com/chatlayer-emulator/chatlayer-emulator/emulator"
)

// Canary secrets: distinctive values that must never come back out.
const (
	canaryAccess  = "canary-access-Q7x"
	canaryAdmin   = "canary-admin-K3x"
	canaryVerify  = "canary-verify-Z9x"
	canaryOffload = "canary-offload-V5x"
)

// TestSecretsNeverLeak pushes canary tokens through a conversation, the
// legacy endpoint, failing webhook and offloading deliveries and every
// control route, then looks for them in the debug log and every answer.
func TestSecretsNeverLeak(t *testing.T) {
	var logs bytes.Buffer
	failing := newReceiver(t, func(_ int, _ []byte, w http.ResponseWriter) { w.WriteHeader(http.StatusInternalServerError) })
	s := emulator.RunT(t, emulator.Config{
		WebhookURL: failing.URL, VerifyToken: canaryVerify, AccessTokens: []string{canaryAccess}, AdminToken: canaryAdmin,
		OffloadingURL: failing.URL + "/offloading", OffloadingVerifyToken: canaryOffload, Delivery: fastDelivery,
		Logger: slog.New(slog.NewJSONHandler(&syncWriter{w: &logs}, &slog.HandlerOptions{Level: slog.LevelDebug})),
	})
	status, body := post(t, s.URL()+"/v1/channels/webhook/demo/messages", canaryAccess,
		map[string]any{"conversationId": "leak-1", "message": map[string]any{"textMessage": map[string]any{"text": "I want to talk to a human"}}})
	if status != http.StatusAccepted {
		t.Fatalf("status %d: %s", status, body)
	}
	post(t, s.URL()+"/api/webhookMessage/demo", "", map[string]any{"text": "hello", "sender": map[string]any{"id": "leak-2"}, "verifyToken": canaryVerify})
	post(t, s.URL()+"/api/webhookMessage/demo", "", map[string]any{"text": "hello", "sender": map[string]any{"id": "leak-2"}, "verifyToken": canaryVerify + "-wrong"})
	s.FlushT(t)
	var seen strings.Builder
	seen.Write(logs.Bytes())
	for _, path := range []string{"/_emulator/deliveries", "/_emulator/requests", "/_emulator/offloads", "/_emulator/ready",
		"/_emulator/conversations/demo/leak-1", "/_emulator/bots/demo/offloading", "/_emulator/scenarios"} {
		resp, out := exchange(t, http.MethodGet, s.URL()+path, canaryAdmin, "", "")
		if resp.StatusCode != http.StatusOK {
			t.Errorf("GET %s: %d", path, resp.StatusCode)
		}
		seen.Write(out)
	}
	if !strings.Contains(seen.String(), "delivery failed") || !strings.Contains(seen.String(), "***") {
		t.Fatal("no failed delivery logged or nothing masked: the test did not exercise the paths it guards")
	}
	for _, canary := range []string{canaryAccess, canaryAdmin, canaryVerify, canaryOffload} {
		if strings.Contains(seen.String(), canary) {
			t.Errorf("secret %q leaked into the log or a control-API answer", canary)
		}
	}
}

// TestNoURLIsLoggedOncePerChannel: without a webhook URL, replies are kept
// for the history API; the log says so once at Info, then at Debug.
func TestNoURLIsLoggedOncePerChannel(t *testing.T) {
	var logs bytes.Buffer
	s := emulator.RunT(t, emulator.Config{
		Logger: slog.New(slog.NewJSONHandler(&syncWriter{w: &logs}, &slog.HandlerOptions{Level: slog.LevelInfo})),
	})
	for i := range 3 {
		status, body := post(t, s.URL()+"/v1/channels/webhook/demo/messages", "demo-token",
			map[string]any{"conversationId": fmt.Sprintf("no-url-%d", i), "message": map[string]any{"textMessage": map[string]any{"text": "opening hours"}}})
		if status != http.StatusAccepted {
			t.Fatalf("status %d: %s", status, body)
		}
	}
	s.FlushT(t)
	if n := strings.Count(logs.String(), "has no URL"); n != 1 {
		t.Errorf("the no-URL notice appears %d times at Info for 3 replies, want once:\n%s", n, logs.String())
	}
}
