package conformance_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chatlayer-emulator/chatlayer-emulator/conformance"
)

// fakeEmulator plays the emulator's HTTP API the hand-back check uses: the
// v1 channel endpoint, the actions API and the delivery journal.
type fakeEmulator struct {
	mu         sync.Mutex // guards deliveries
	deliveries map[string][]string
}

func (e *fakeEmulator) add(conv, body string) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.deliveries[conv] = append(e.deliveries[conv], body)
}

func (e *fakeEmulator) list(conv string) []map[string]string {
	e.mu.Lock()
	defer e.mu.Unlock()
	out := []map[string]string{}
	for _, b := range e.deliveries[conv] {
		out = append(out, map[string]string{"kind": "channel", "requestBody": b})
	}
	return out
}

func (e *fakeEmulator) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	q := r.URL.Query()
	switch {
	case strings.HasPrefix(r.URL.Path, "/v1/") && r.Header.Get("Authorization") != "Bearer api-"+token:
		writeJSON(w, 401, `{"error":"bad token"}`)
	case strings.HasPrefix(r.URL.Path, "/v1/channels/webhook/"):
		var m struct{ ConversationID string }
		json.Unmarshal(body, &m)
		e.add(m.ConversationID, `{"message":{"text":"Welcome!"}}`)
		writeJSON(w, 202, `{}`)
	case strings.HasSuffix(r.URL.Path, "/actions"):
		e.add(strings.Split(r.URL.Path, "/")[5], string(body))
		writeJSON(w, 200, `{}`)
	case r.URL.Path == "/_emulator/flush":
		writeJSON(w, 200, `{}`)
	case r.URL.Path == "/_emulator/deliveries":
		e.writeList(w, q.Get("conversation"))
	case r.URL.Path == "/_emulator/deliveries/wait":
		e.wait(w, q.Get("conversation"), q.Get("count"), q.Get("timeout"))
	default:
		http.NotFound(w, r)
	}
}

func (e *fakeEmulator) writeList(w http.ResponseWriter, conv string) {
	b, _ := json.Marshal(map[string]any{"deliveries": e.list(conv)})
	writeJSON(w, 200, string(b))
}

func (e *fakeEmulator) wait(w http.ResponseWriter, conv, count, timeout string) {
	n, _ := strconv.Atoi(count)
	d, _ := time.ParseDuration(timeout)
	for end := time.Now().Add(d); time.Now().Before(end); time.Sleep(10 * time.Millisecond) {
		if len(e.list(conv)) >= n {
			e.writeList(w, conv)
			return
		}
	}
	writeJSON(w, 408, `{"error":"timeout"}`)
}

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
			emu := httptest.NewServer(&fakeEmulator{deliveries: map[string][]string{}})
			t.Cleanup(emu.Close)
			v := &vendor{}
			v.defect = agentVendor(emu.URL, tt.callsBack)
			o := options(v.start(t).URL, conformance.ProfileOffloading)
			o.Checks = []string{"offloading.handback"}
			o.Callback = &conformance.CallbackOptions{EmulatorURL: emu.URL, Token: "api-" + token, BotID: "bot-1",
				ChannelID: "ch-1", Wait: 300 * time.Millisecond}
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
