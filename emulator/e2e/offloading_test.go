//go:build e2e

package e2e

import (
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/ory/dockertest/v3"
)

// TestHumanHandoverAcrossContainers walks the human handover with the
// reference offloading bridge in its own container: the emulator reaches
// the bridge and the user's webhook by name, the bridge reaches the
// emulator's actions API by name.
func TestHumanHandoverAcrossContainers(t *testing.T) {
	needDocker(t)
	net := network(t)
	rc, webhook := startReceiver(t, net)
	emuName, bridgeName := uniqueName("cle-emulator"), uniqueName("cle-bridge")
	bridge := run(t, &dockertest.RunOptions{
		Repository: bridgeImage, Name: bridgeName, Networks: []*dockertest.Network{net},
		Cmd: []string{"--addr", "0.0.0.0:9100", "--verify-token", "bridge-secret",
			"--chatlayer-url", "http://" + emuName + ":8080", "--chatlayer-token", "demo-token"},
	}, "9100/tcp")
	waitReady(t, bridge.url+"/sessions")
	emu := run(t, &dockertest.RunOptions{
		Repository: emulatorImage, Name: emuName, Networks: []*dockertest.Network{net},
		Env: []string{"CHATLAYER_EMULATOR_WEBHOOK_URL=" + webhook,
			"CHATLAYER_EMULATOR_OFFLOADING_URL=http://" + bridgeName + ":9100/offloading",
			"CHATLAYER_EMULATOR_OFFLOADING_VERIFY_TOKEN=bridge-secret"},
	}, "8080/tcp")
	waitReady(t, emu.url+"/_emulator/ready")
	flush(t, emu)
	var provider struct {
		Health struct{ Status string } `json:"health"`
	}
	getJSON(t, emu.url+"/_emulator/bots/demo/offloading", &provider)
	if provider.Health.Status != "ok" {
		t.Fatalf("bridge health = %q, want ok; logs:\n%s", provider.Health.Status, logs(emu))
	}

	const conv = "e2e-handover"
	step := func(f func()) { f(); flush(t, emu) }
	step(func() {
		say(t, emu, conv, map[string]any{"textMessage": map[string]any{"text": "I want to talk to a human"}})
	})
	step(func() { say(t, emu, conv, map[string]any{"textMessage": map[string]any{"text": "hello?"}}) })
	step(func() { agentCall(t, bridge, "/agent/"+conv+"/reply", map[string]any{"text": "Hi, an agent here."}) })
	step(func() { agentCall(t, bridge, "/agent/"+conv+"/handback", map[string]any{}) })
	step(func() {
		say(t, emu, conv, map[string]any{"textMessage": map[string]any{"text": "what are your opening hours"}})
	})

	var texts []string
	for _, d := range received(t, rc) {
		msg, _ := d["message"].(map[string]any)
		texts = append(texts, fmt.Sprint(msg["text"]))
	}
	want := []string{"Please wait, an agent will be with you shortly.", "Hi, an agent here.", "We're open Monday to Friday, 9:00 to 17:00."}
	if !slices.Equal(texts, want) {
		t.Errorf("the user got %q, want %q", texts, want)
	}
	var sess struct {
		Events []struct {
			Event    string `json:"event"`
			Messages []struct {
				Actor string `json:"actor"`
			} `json:"messages"`
		} `json:"events"`
	}
	getJSON(t, bridge.url+"/sessions/"+conv, &sess)
	var got []string
	for _, e := range sess.Events {
		var actors []string
		for _, m := range e.Messages {
			actors = append(actors, m.Actor)
		}
		got = append(got, e.Event+":"+strings.Join(actors, ","))
	}
	wantEvents := []string{"messages:user", "offload:", "messages:bot", "messages:user", "messages:user", "messages:bot"}
	if !slices.Equal(got, wantEvents) {
		t.Errorf("the bridge got %q, want %q", got, wantEvents)
	}
}

// flush waits until the emulator has processed and delivered everything.
func flush(t *testing.T, emu *container) {
	t.Helper()
	if status := postJSON(t, emu.url+"/_emulator/flush?timeout=20s", "", map[string]any{}); status != http.StatusNoContent {
		t.Fatalf("flush: status %d", status)
	}
}

// agentCall calls the bridge's agent API, which must answer 200.
func agentCall(t *testing.T, bridge *container, path string, body any) {
	t.Helper()
	if status := postJSON(t, bridge.url+path, "", body); status != http.StatusOK {
		t.Fatalf("POST %s: status %d; logs:\n%s", path, status, logs(bridge))
	}
}
