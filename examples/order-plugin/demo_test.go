package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"io/fs"
	"net"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"

	"github.com/chatlayer-emulator/chatlayer-emulator/emulator"
	"github.com/chatlayer-emulator/chatlayer-emulator/examples/internal/programtest"
	"github.com/chatlayer-emulator/chatlayer-emulator/scenarios"
)

var listening = regexp.MustCompile(`^order-plugin listening on (http://127\.0\.0\.1:[1-9][0-9]*/plugin)$`)

// startPlugin runs the program as the README does, on a free port, and
// returns the URL its first line names, and its later lines.
func startPlugin(t *testing.T) (string, programtest.Lines) {
	t.Helper()
	return programtest.Start(t, listening, func(ctx context.Context, stdout io.Writer) error {
		return run(ctx, []string{"--addr", "127.0.0.1:0"}, stdout)
	})
}

// runDemo runs the emulator on the demo bot, with its plugin at pluginURL
// instead of 127.0.0.1:9001, and a webhook that accepts every delivery.
func runDemo(t *testing.T, pluginURL string) *emulator.Server {
	t.Helper()
	data, err := fs.ReadFile(scenarios.Embedded(), "demo.yaml")
	if err != nil {
		t.Fatal(err)
	}
	bot, err := scenarios.Parse("demo.yaml", data)
	if err != nil {
		t.Fatal(err)
	}
	bot.Script.Variables["config"] = map[string]any{"pluginUrl": pluginURL}
	hook := httptest.NewServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {}))
	t.Cleanup(hook.Close)
	return emulator.RunT(t, emulator.Config{Bots: []*scenarios.Bot{bot}, WebhookURL: hook.URL})
}

// checkMyOrder opens conversation conv, clicks "Check my order" and
// returns the texts of the bot's replies to the click.
func checkMyOrder(t *testing.T, s *emulator.Server, conv string) []string {
	t.Helper()
	say(t, s, conv, `{"introMessage":{}}`)
	s.WaitDeliveriesT(t, emulator.DeliveryFilter{Conversation: conv, Kind: "channel"}, 2)
	say(t, s, conv, `{"postbackMessage":{"title":"Check my order"}}`)
	s.FlushT(t)
	var texts []string
	for _, d := range s.Deliveries(emulator.DeliveryFilter{Conversation: conv, Kind: "channel"})[2:] {
		var body struct {
			Message struct {
				Text string `json:"text"`
			} `json:"message"`
		}
		if err := json.Unmarshal([]byte(d.RequestBody), &body); err != nil {
			t.Fatal(err)
		}
		texts = append(texts, body.Message.Text)
	}
	return texts
}

// say sends a user message to the demo's Webhook channel.
func say(t *testing.T, s *emulator.Server, conv, message string) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, s.URL()+"/v1/channels/webhook/demo/messages",
		bytes.NewBufferString(`{"conversationId":"`+conv+`","message":`+message+`}`))
	req.Header.Set("Authorization", "Bearer demo-token")
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusAccepted {
		t.Fatalf("POST %s: %s", message, resp.Status)
	}
}

// TestCheckMyOrder: with the plugin running, the demo's "Check my order"
// shows the plugin's message, then the order status the plugin wrote
// into the session.
func TestCheckMyOrder(t *testing.T) {
	url, printed := startPlugin(t)
	s := runDemo(t, url)
	got := checkMyOrder(t, s, "conv-1")
	if want := []string{"I found your order A-1001.", "Your order status: shipped"}; strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("replies %q, want %q", got, want)
	}
	if line := <-printed; !strings.HasPrefix(line, "200 to session conv-1: {") {
		t.Errorf("the plugin printed %q", line)
	}
}

// TestCheckMyOrderWithoutThePlugin: with nothing listening at the
// plugin's URL, the demo says which plugin did not answer, and the
// warnings journal says why.
func TestCheckMyOrderWithoutThePlugin(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	url := "http://" + ln.Addr().String() + "/plugin"
	ln.Close()
	s := runDemo(t, url)
	got := checkMyOrder(t, s, "conv-2")
	want := "The order plugin at " + url + " did not answer as expected. Is examples/order-plugin running? GET /_emulator/warnings says why the call failed."
	if len(got) != 1 || got[0] != want {
		t.Errorf("replies %q, want %q", got, want)
	}
	resp, err := http.Get(s.URL() + "/_emulator/warnings?conversation=conv-2")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var journal struct {
		Warnings []struct{ Code, Message string }
	}
	if err := json.NewDecoder(resp.Body).Decode(&journal); err != nil {
		t.Fatal(err)
	}
	var failed []string
	for _, w := range journal.Warnings {
		if w.Code == "plugin-failed" {
			failed = append(failed, w.Message)
		}
	}
	if len(failed) != 1 || !strings.Contains(failed[0], "connection refused") || !strings.HasSuffix(failed[0], "the flow goes to order-api-failed") {
		t.Errorf("plugin-failed warnings %q, want one saying the connection was refused and where the flow went", failed)
	}
}
