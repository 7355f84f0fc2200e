package emulator_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/chatlayer-emulator/chatlayer-emulator/emulator"
)

// echoScenario is a small bot loaded through the control API.
const echoScenario = `bot: {id: echo, name: Echo bot}
channels:
  webhook: [{id: echo-channel, url: "", verifyToken: echo-verify}]
accessTokens: [echo-token]
blocks:
  - {id: introduction, type: message, messages: ["Hello from echo."]}
`

// scenarioList is the answer of the scenario endpoints.
type scenarioList struct {
	Bots []struct{ ID, Name, Source string } `json:"bots"`
}

// postScenario posts a YAML scenario and returns the answer.
func postScenario(t *testing.T, s *emulator.Server, mode, body string) (*http.Response, []byte) {
	t.Helper()
	return exchange(t, http.MethodPost, s.URL()+"/_emulator/scenarios?mode="+mode, "", "application/yaml", body)
}

// botIDs lists the ids of a scenario list.
func (l scenarioList) botIDs() string {
	var ids []string
	for _, b := range l.Bots {
		ids = append(ids, b.ID)
	}
	return strings.Join(ids, ",")
}

func TestScenariosAddThenChat(t *testing.T) {
	rc := newReceiver(t, nil)
	s := emulator.RunT(t, emulator.Config{WebhookURL: rc.URL, Delivery: fastDelivery})
	if resp, body := postScenario(t, s, "add", echoScenario); resp.StatusCode != http.StatusOK {
		t.Fatalf("add: %d %s", resp.StatusCode, body)
	}
	var list scenarioList
	getOK(t, s.URL()+"/_emulator/scenarios", &list)
	if list.botIDs() != "demo,echo" || list.Bots[1].Name != "Echo bot" || list.Bots[1].Source != "control-api" {
		t.Fatalf("scenarios = %+v, want demo and echo (from control-api)", list)
	}
	status, body := post(t, s.URL()+"/v1/channels/webhook/echo-channel/messages", "echo-token",
		map[string]any{"conversationId": "e1", "message": map[string]any{"introMessage": map[string]any{}}})
	if status != http.StatusAccepted {
		t.Fatalf("chat with the new bot: %d %s", status, body)
	}
	s.FlushT(t)
	want := `{"senderId":"e1","message":{"text":"Hello from echo."},"messageCounter":1,"verifyToken":"echo-verify"}`
	if got := rc.received(); len(got) != 1 || string(got[0]) != want {
		t.Errorf("deliveries:\n%s\nwant %s", joinBodies(got), want)
	}
}

func TestScenariosReplaceDropsOtherBots(t *testing.T) {
	s := emulator.RunT(t, emulator.Config{})
	resp, body := postScenario(t, s, "replace", echoScenario)
	if resp.StatusCode != http.StatusOK || !strings.Contains(string(body), `"bots":[{"id":"echo"`) {
		t.Fatalf("replace: %d %s", resp.StatusCode, body)
	}
	var list scenarioList
	getOK(t, s.URL()+"/_emulator/scenarios", &list)
	if list.botIDs() != "echo" {
		t.Errorf("bots after replace = %s, want echo", list.botIDs())
	}
	status, _ := post(t, s.URL()+"/v1/channels/webhook/demo/messages", "echo-token",
		map[string]any{"conversationId": "d1", "message": map[string]any{"introMessage": map[string]any{}}})
	if status != http.StatusNotFound {
		t.Errorf("demo channel after replace: %d, want 404", status)
	}
}

func TestScenariosReplaceKeepsConversations(t *testing.T) {
	rc := newReceiver(t, nil)
	s := emulator.RunT(t, emulator.Config{WebhookURL: rc.URL, Delivery: fastDelivery})
	postScenario(t, s, "add", echoScenario)
	send := func() {
		status, body := post(t, s.URL()+"/v1/channels/webhook/echo-channel/messages", "echo-token",
			map[string]any{"conversationId": "e1", "message": map[string]any{"introMessage": map[string]any{}}})
		if status != http.StatusAccepted {
			t.Fatalf("chat: %d %s", status, body)
		}
		s.FlushT(t)
	}
	send()
	postScenario(t, s, "add", strings.Replace(echoScenario, "Hello from echo.", "Echo, version 2.", 1))
	send()
	got := rc.received()
	if len(got) != 2 || !strings.Contains(string(got[1]), "Echo, version 2.") {
		t.Errorf("the conversation must go on with the new script:\n%s", joinBodies(got))
	}
}

func TestScenariosErrors(t *testing.T) {
	s := emulator.RunT(t, emulator.Config{})
	url := s.URL() + "/_emulator/scenarios"
	wantErrorAt(t, http.MethodPost, url, "application/json", "{}", http.StatusUnsupportedMediaType, "Content-Type")
	wantErrorAt(t, http.MethodPost, url+"?mode=merge", "text/yaml", echoScenario, http.StatusBadRequest, "mode")
	clash := strings.Replace(echoScenario, "echo-channel", "demo", 1)
	wantErrorAt(t, http.MethodPost, url, "text/yaml", clash, http.StatusBadRequest, "")

	resp, body := exchange(t, http.MethodPost, url, "", "text/plain; charset=utf-8",
		"bot:\n  id: x\n  nmae: typo\nblocks: [{id: introduction, type: message, messages: [Hi]}]\n")
	if resp.StatusCode != http.StatusBadRequest {
		t.Fatalf("invalid scenario: %d %s", resp.StatusCode, body)
	}
	if e := decodeError(t, body); !strings.Contains(e.Message, "control-api:3:3: /bot/nmae: ") || e.Field != "/bot/nmae" {
		t.Errorf("invalid scenario: %+v, want the line in the message and a field", e)
	}
	_, body = exchange(t, http.MethodPost, url, "", "text/yaml", "bot:\n  id: x\n  nmae: typo\n")
	if e := decodeError(t, body); !strings.Contains(e.Message, "; control-api:3:3: /bot/nmae") {
		t.Errorf("two problems: message %q must list both, joined by \"; \"", e.Message)
	}
	var list scenarioList
	getOK(t, url, &list)
	if list.botIDs() != "demo" {
		t.Errorf("bots after failed loads = %s, want demo only", list.botIDs())
	}
}

func TestNewControlRoutesNeedAdminToken(t *testing.T) {
	s := emulator.RunT(t, emulator.Config{AdminToken: "admin"})
	for _, tt := range []struct{ method, path, contentType, body string }{
		{http.MethodGet, "/_emulator/scenarios", "", ""},
		{http.MethodPost, "/_emulator/scenarios", "application/yaml", echoScenario},
		{http.MethodGet, "/_emulator/clock", "", ""},
		{http.MethodPost, "/_emulator/clock", "application/json", `{"advance":"1h"}`},
		{http.MethodGet, "/_emulator/conversations/demo/c1", "", ""},
	} {
		if resp, body := exchange(t, tt.method, s.URL()+tt.path, "", tt.contentType, tt.body); resp.StatusCode != http.StatusUnauthorized {
			t.Errorf("%s %s without the admin token: %d %s", tt.method, tt.path, resp.StatusCode, body)
		}
		if resp, body := exchange(t, tt.method, s.URL()+tt.path, "admin", tt.contentType, tt.body); resp.StatusCode == http.StatusUnauthorized {
			t.Errorf("%s %s with the admin token: %d %s", tt.method, tt.path, resp.StatusCode, body)
		}
	}
}
