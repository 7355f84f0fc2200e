//go:build e2e

package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ory/dockertest/v3"
	dc "github.com/ory/dockertest/v3/docker"
)

// readyWithin is how long a container may take to become ready.
const readyWithin = 5 * time.Second

var nameSeq atomic.Int64

// uniqueName returns a container or network name unique to this run.
func uniqueName(prefix string) string {
	return fmt.Sprintf("%s-%d-%d", prefix, time.Now().UnixNano()%1e6, nameSeq.Add(1))
}

// container is a running container and its published base URL.
type container struct {
	*dockertest.Resource
	url string
}

// run starts a container of image and removes it when the test ends.
func run(t *testing.T, opts *dockertest.RunOptions, port string, hc ...func(*dc.HostConfig)) *container {
	t.Helper()
	repo, tag, _ := strings.Cut(opts.Repository, ":")
	opts.Repository, opts.Tag = repo, tag
	if opts.Name == "" {
		opts.Name = uniqueName("cle")
	}
	opts.ExposedPorts = append(opts.ExposedPorts, port)
	r, err := pool.RunWithOptions(opts, append(hc, func(h *dc.HostConfig) { h.AutoRemove = false })...)
	if err != nil {
		t.Fatalf("starting %s: %v", opts.Repository, err)
	}
	t.Cleanup(func() { pool.Purge(r) })
	return &container{Resource: r, url: "http://" + r.GetHostPort(port)}
}

// startEmulator starts the emulator image with env and waits until it is
// ready, failing the test past readyWithin.
func startEmulator(t *testing.T, env []string, net *dockertest.Network, hc ...func(*dc.HostConfig)) *container {
	t.Helper()
	opts := &dockertest.RunOptions{Repository: emulatorImage, Env: env}
	if net != nil {
		opts.Networks = []*dockertest.Network{net}
	}
	c := run(t, opts, "8080/tcp", hc...)
	waitReady(t, c.url+"/_emulator/ready")
	return c
}

// waitReady polls url until it answers 200, for at most readyWithin.
func waitReady(t *testing.T, url string) time.Duration {
	t.Helper()
	start := time.Now()
	client := &http.Client{Timeout: time.Second}
	for time.Since(start) < readyWithin {
		if resp, err := client.Get(url); err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return time.Since(start)
			}
		}
		time.Sleep(20 * time.Millisecond) // polling an external process: there is nothing to wait on
	}
	t.Fatalf("%s not ready within %s", url, readyWithin)
	return 0
}

// startReceiver starts the reference webhook receiver on net under a name
// the emulator can reach, with extra flags.
func startReceiver(t *testing.T, net *dockertest.Network, flags ...string) (*container, string) {
	t.Helper()
	name := uniqueName("cle-receiver")
	opts := &dockertest.RunOptions{
		Repository: receiverImage, Name: name, Networks: []*dockertest.Network{net},
		Cmd: append([]string{"--addr", "0.0.0.0:9000", "--verify-token", "demo-verify"}, flags...),
	}
	c := run(t, opts, "9000/tcp")
	waitReady(t, c.url+"/webhook/received")
	return c, "http://" + name + ":9000/webhook"
}

// network creates a private network removed when the test ends.
func network(t *testing.T) *dockertest.Network {
	t.Helper()
	n, err := pool.CreateNetwork(uniqueName("cle-net"))
	if err != nil {
		t.Fatalf("creating a network: %v", err)
	}
	t.Cleanup(func() { n.Close() })
	return n
}

// postJSON sends a JSON body and returns the status.
func postJSON(t *testing.T, url, token string, body any) int {
	t.Helper()
	raw, _ := json.Marshal(body)
	req, _ := http.NewRequest(http.MethodPost, url, bytes.NewReader(raw))
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode
}

// getJSON fetches url and decodes its JSON answer into v.
func getJSON(t *testing.T, url string, v any) int {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if v != nil {
		if err := json.NewDecoder(resp.Body).Decode(v); err != nil {
			t.Fatalf("decoding %s: %v", url, err)
		}
	}
	return resp.StatusCode
}

// say sends a user message to the demo bot's channel.
func say(t *testing.T, emu *container, conv string, message map[string]any) {
	t.Helper()
	status := postJSON(t, emu.url+"/v1/channels/webhook/demo/messages", "demo-token",
		map[string]any{"conversationId": conv, "message": message})
	if status != http.StatusAccepted {
		t.Fatalf("message for %s: status %d", conv, status)
	}
}

// journalEntry is the part of a delivery journal entry the tests read.
type journalEntry struct {
	Conversation string `json:"conversation"`
	State        string `json:"state"`
	RequestBody  string `json:"requestBody"`
}

// waitDeliveries blocks on the emulator's wait API until n deliveries of a
// conversation are final.
func waitDeliveries(t *testing.T, emu *container, conv string, n int) []journalEntry {
	t.Helper()
	var out struct {
		Deliveries []journalEntry `json:"deliveries"`
	}
	url := fmt.Sprintf("%s/_emulator/deliveries/wait?conversation=%s&count=%d&timeout=20s", emu.url, conv, n)
	if status := getJSON(t, url, &out); status != http.StatusOK {
		t.Fatalf("waiting for %d deliveries of %s: status %d", n, conv, status)
	}
	return out.Deliveries
}

// received lists what the receiver got.
func received(t *testing.T, rc *container) []map[string]any {
	t.Helper()
	var out []map[string]any
	getJSON(t, rc.url+"/webhook/received", &out)
	return out
}

// logs returns what the container wrote, for failure messages.
func logs(c *container) string {
	var out bytes.Buffer
	pool.Client.Logs(dc.LogsOptions{Container: c.Container.ID, OutputStream: &out, ErrorStream: &out, Stdout: true, Stderr: true})
	return out.String()
}

// dockerStop does what `docker stop` does with the image's stop signal:
// SIGTERM, then SIGKILL once grace has passed. (dockertest creates
// containers with StopSignal SIGWINCH, so StopContainer cannot be used.)
func dockerStop(t *testing.T, c *container, grace time.Duration) *dc.Container {
	t.Helper()
	if err := pool.Client.KillContainer(dc.KillContainerOptions{ID: c.Container.ID, Signal: dc.SIGTERM}); err != nil {
		t.Fatalf("sending SIGTERM: %v", err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), grace)
	defer cancel()
	if _, err := pool.Client.WaitContainerWithContext(c.Container.ID, ctx); err != nil {
		pool.Client.KillContainer(dc.KillContainerOptions{ID: c.Container.ID, Signal: dc.SIGKILL})
		t.Fatalf("still running %s after SIGTERM (%v); logs:\n%s", grace, err, logs(c))
	}
	ins, err := pool.Client.InspectContainer(c.Container.ID)
	if err != nil {
		t.Fatal(err)
	}
	return ins
}

// dcListOptions lists every container, running or not, of an image.
func dcListOptions(image string) dc.ListContainersOptions {
	return dc.ListContainersOptions{All: true, Filters: map[string][]string{"ancestor": {image}}}
}
