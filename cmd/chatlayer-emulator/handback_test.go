package main

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/chatlayer-emulator/chatlayer-emulator/emulator"
	"github.com/chatlayer-emulator/chatlayer-emulator/examples/offloading-bridge/bridge"
)

// TestConformanceHandbackFlag: with --handback pointing at the reference
// bridge's agent driver and --callback-url at an emulator, the suite plays
// the agent, and the hand-back check passes.
func TestConformanceHandbackFlag(t *testing.T) {
	channel := httptest.NewServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {}))
	t.Cleanup(channel.Close)
	emu := emulator.RunT(t, emulator.Config{WebhookURL: channel.URL, AccessTokens: []string{"api-token"},
		Delivery: emulator.DeliveryConfig{Backoff: new(time.Millisecond)}})
	srv := httptest.NewServer(bridge.New(bridge.Config{VerifyToken: conformanceToken, ChatlayerURL: emu.URL(), Token: "api-token"}))
	t.Cleanup(srv.Close)
	code, out, errs := runCmd("--target", srv.URL+"/offloading", "--checks", "offloading.handback",
		"--handback", srv.URL+"/agent/{sessionId}", "--callback-url", emu.URL(), "--callback-token", "api-token",
		"--callback-bot", "demo", "--callback-channel", "demo", "--callback-wait", "2s")
	if code != exitOK || !strings.Contains(out, "PASS SHOULD offloading.handback.round-trip") {
		t.Fatalf("exit %d:\n%s%s", code, out, errs)
	}
}
