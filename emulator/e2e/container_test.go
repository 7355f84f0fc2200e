//go:build e2e

package e2e

import (
	"bytes"
	"encoding/json"
	"math"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	dc "github.com/ory/dockertest/v3/docker"
)

// maxImageBytes is the size the image must stay under.
const maxImageBytes = 20 << 20

// TestImage checks the image itself: small, non-root, no shell.
func TestImage(t *testing.T) {
	needDocker(t)
	img, err := pool.Client.InspectImage(emulatorImage)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("image %s: %.2f MB", emulatorImage, float64(img.Size)/1e6)
	if img.Size >= maxImageBytes {
		t.Errorf("image is %d bytes, want under %d", img.Size, maxImageBytes)
	}
	if got, said := float64(img.Size)/1e6, readmeImageMB(t); math.Abs(got-said) > said/5 {
		t.Errorf("image is %.1f MB, README.md says about %.0f MB: update it", got, said)
	}
	if img.Config.User != "65532:65532" {
		t.Errorf("image runs as %q, want the non-root 65532:65532", img.Config.User)
	}
	emu := startEmulator(t, nil, nil)
	if shellWorks(emu.Container.ID) {
		t.Error("the image has a working /bin/sh")
	}
}

// shellWorks runs /bin/sh -c true in the container and reports whether it
// ran and succeeded. The exec is started attached, so it has run (or
// failed to start) when StartExec returns: an exec inspected before it
// started also shows exit code 0 and not running.
func shellWorks(container string) bool {
	exec, err := pool.Client.CreateExec(dc.CreateExecOptions{Container: container, Cmd: []string{"/bin/sh", "-c", "true"},
		AttachStdout: true, AttachStderr: true})
	if err != nil {
		return false
	}
	var out bytes.Buffer
	if err := pool.Client.StartExec(exec.ID, dc.StartExecOptions{OutputStream: &out, ErrorStream: &out}); err != nil {
		return false
	}
	ins, err := pool.Client.InspectExec(exec.ID)
	return err == nil && !ins.Running && ins.ExitCode == 0 && out.Len() == 0
}

// readmeImageMB is the image size README.md states, "(about N MB)", in MB
// as `docker images` shows them.
func readmeImageMB(t *testing.T) float64 {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join(repoRoot(), "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`\(about (\d+) MB\)`).FindSubmatch(raw)
	if m == nil {
		t.Fatal(`README.md no longer states the image's size as "(about N MB)"`)
	}
	mb, _ := strconv.ParseFloat(string(m[1]), 64)
	return mb
}

// TestHealthcheckReportsHealthy checks the image's HEALTHCHECK, which runs
// the binary's healthcheck subcommand.
func TestHealthcheckReportsHealthy(t *testing.T) {
	needDocker(t)
	emu := startEmulator(t, nil, nil)
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		c, err := pool.Client.InspectContainer(emu.Container.ID)
		if err != nil {
			t.Fatal(err)
		}
		switch c.State.Health.Status {
		case "healthy":
			return
		case "unhealthy":
			t.Fatalf("container unhealthy: %+v", c.State.Health.Log)
		}
		time.Sleep(250 * time.Millisecond) // Docker runs the check on its own schedule
	}
	t.Fatal("container never reported healthy")
}

// TestConversationWithReceiverContainer runs a conversation whose webhook
// is a second container, reached by its name on a private network, as in a
// compose file.
func TestConversationWithReceiverContainer(t *testing.T) {
	needDocker(t)
	net := network(t)
	rc, webhook := startReceiver(t, net)
	emu := startEmulator(t, []string{"CHATLAYER_EMULATOR_WEBHOOK_URL=" + webhook}, net)
	say(t, emu, "conv-e2e", map[string]any{"introMessage": map[string]any{}})
	say(t, emu, "conv-e2e", map[string]any{"textMessage": map[string]any{"text": "what are your opening hours"}})
	journal := waitDeliveries(t, emu, "conv-e2e", 3)
	got := received(t, rc)
	if len(got) != len(journal) {
		t.Fatalf("receiver got %d deliveries, journal lists %d", len(got), len(journal))
	}
	for i, j := range journal {
		if j.State != "delivered" {
			t.Errorf("delivery %d: %s", i, j.State)
		}
		var sent map[string]any
		json.Unmarshal([]byte(j.RequestBody), &sent)
		if got[i]["senderId"] != "conv-e2e" || got[i]["messageCounter"] != sent["messageCounter"] {
			t.Errorf("delivery %d: receiver got %v, journal sent %v", i, got[i], sent)
		}
	}
	if n := len(journal); n < 3 || journal[n-1].RequestBody == "" || !strings.Contains(journal[n-1].RequestBody, `"messageCounter":1`) {
		t.Errorf("the FAQ answer must be a one-message reply: %+v", journal[n-1])
	}
}

// TestScenariosMountedFromHost mounts a scenario folder at /scenarios, the
// image's init folder, and chats with the bot it defines.
func TestScenariosMountedFromHost(t *testing.T) {
	needDocker(t)
	dir := scenarioFolder(t, filepath.Join("..", "testdata", "shop.yaml"))
	emu := startEmulator(t, nil, nil, func(h *dc.HostConfig) {
		h.Binds = append(h.Binds, dir+":/scenarios:ro")
	})
	var ready struct {
		Bots []struct {
			ID string `json:"id"`
		} `json:"bots"`
	}
	getJSON(t, emu.url+"/_emulator/ready", &ready)
	if len(ready.Bots) != 1 || ready.Bots[0].ID != "shop" {
		t.Fatalf("ready lists %+v, want only the mounted bot shop", ready.Bots)
	}
	status := postJSON(t, emu.url+"/v1/channels/webhook/shop-channel/messages", "shop-token",
		map[string]any{"conversationId": "c1", "message": map[string]any{"introMessage": map[string]any{}}})
	if status != http.StatusAccepted {
		t.Fatalf("message to the mounted bot: %d", status)
	}
}

// scenarioFolder makes a folder holding a copy of the scenario file,
// readable by the image's unprivileged user.
func scenarioFolder(t *testing.T, file string) string {
	t.Helper()
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if err := os.Chmod(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, filepath.Base(file)), data, 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

// TestStopDrainsDeliveries stops the container while deliveries to a slow
// webhook are pending: it exits 0 within the grace period and delivers them all.
func TestStopDrainsDeliveries(t *testing.T) {
	needDocker(t)
	net := network(t)
	rc, webhook := startReceiver(t, net, "--delay", "300ms")
	emu := startEmulator(t, []string{"CHATLAYER_EMULATOR_WEBHOOK_URL=" + webhook}, net)
	convs := []string{"stop-1", "stop-2", "stop-3"}
	for _, c := range convs {
		say(t, emu, c, map[string]any{"textMessage": map[string]any{"text": "what are your opening hours"}})
		say(t, emu, c, map[string]any{"textMessage": map[string]any{"text": "how much does it cost"}})
	}
	c := dockerStop(t, emu, 10*time.Second)
	if c.State.ExitCode != 0 {
		t.Fatalf("exit code %d after docker stop, want 0; logs:\n%s", c.State.ExitCode, logs(emu))
	}
	if got := received(t, rc); len(got) != 2*len(convs) {
		t.Fatalf("receiver got %d deliveries, want %d: none may be lost on stop", len(got), 2*len(convs))
	}
}

// TestReadOnlyRootAndNoCapabilities runs the image locked down.
func TestReadOnlyRootAndNoCapabilities(t *testing.T) {
	needDocker(t)
	emu := startEmulator(t, nil, nil, func(h *dc.HostConfig) {
		h.ReadonlyRootfs = true
		h.CapDrop = []string{"ALL"}
		h.SecurityOpt = []string{"no-new-privileges"}
	})
	say(t, emu, "locked", map[string]any{"introMessage": map[string]any{}})
	var out struct {
		Bots []any `json:"bots"`
	}
	if status := getJSON(t, emu.url+"/_emulator/ready", &out); status != 200 || len(out.Bots) != 1 {
		t.Fatalf("ready: %d %+v", status, out)
	}
}
