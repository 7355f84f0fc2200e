package emulator_test

import (
	"bytes"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/chatlayer-emulator/chatlayer-emulator/emulator"
	"github.com/chatlayer-emulator/chatlayer-emulator/emulator/dialog"
	"github.com/chatlayer-emulator/chatlayer-emulator/scenarios"
)

// longConv is a conversation id of the 32 characters or more Chatlayer's
// docs ask for, which --strict requires.
const longConv = "conv-0123456789abcdef0123456789abcdef"

// lenientShop runs the shop bot (strict or not) with a receiver and a
// captured log, and opens longConv with an intro.
func lenientShop(t *testing.T, strict bool, plugin string) (*emulator.Server, *receiver, *syncWriter) {
	t.Helper()
	rc := newReceiver(t, nil)
	logs := &syncWriter{w: &bytes.Buffer{}}
	bot := loadBot(t, "shop.yaml")
	if plugin != "" {
		bot.Script.Variables["config"] = map[string]any{"pluginUrl": plugin}
	}
	s := emulator.RunT(t, emulator.Config{Bots: []*scenarios.Bot{bot}, WebhookURL: rc.URL, Delivery: fastDelivery,
		Strict: strict, Logger: slog.New(slog.NewTextHandler(logs, nil))})
	startShop(t, s, longConv)
	return s, rc, logs
}

// warningsOf reads the warnings journal over HTTP, as a tool would, less
// the short-sender-id warnings that the tests' short conversation ids
// raise (TestShortSenderID covers those).
func warningsOf(t *testing.T, s *emulator.Server, conv string) []emulator.Warning {
	t.Helper()
	var got struct {
		Warnings []emulator.Warning `json:"warnings"`
	}
	getOK(t, s.URL()+"/_emulator/warnings?bot=shop&conversation="+url.QueryEscape(conv), &got)
	var out []emulator.Warning
	for _, w := range got.Warnings {
		if w.Code != dialog.WarnShortSenderID {
			out = append(out, w)
		}
	}
	return out
}

// wantWarning checks that the journal holds exactly one warning of code,
// naming field, from source (a prefix).
func wantWarning(t *testing.T, list []emulator.Warning, code emulator.WarningCode, field, source string) emulator.Warning {
	t.Helper()
	var found []emulator.Warning
	for _, w := range list {
		if w.Code == code {
			found = append(found, w)
		}
	}
	if len(found) != 1 {
		t.Fatalf("warnings of code %s: %d, want 1 in %+v", code, len(found), list)
	}
	w := found[0]
	if w.Field != field || !strings.HasPrefix(w.Source, source) || w.Message == "" || w.Seq == 0 || w.At.IsZero() {
		t.Errorf("warning %+v: want field %q, source %q…, a message, a seq and a time", w, field, source)
	}
	return w
}

// lastTexts returns the text of each message delivered after the first
// skip deliveries.
func lastTexts(t *testing.T, rc *receiver, skip int) []string {
	t.Helper()
	var out []string
	for _, body := range rc.received()[skip:] {
		var d struct {
			Message struct {
				Text string `json:"text"`
			} `json:"message"`
		}
		if err := json.Unmarshal(body, &d); err != nil {
			t.Fatal(err)
		}
		out = append(out, d.Message.Text)
	}
	return out
}

// TestAgentButtonToUnknownBlock: Chatlayer's own agent-message sender
// hard-codes a block id. An agent button naming a block the bot does not
// have is accepted with a warning (a click on it goes to Not understood,
// with another warning); under Strict it is a 400 naming the field and
// nothing is sent.
func TestAgentButtonToUnknownBlock(t *testing.T) {
	body := `{"sendMessages":[{"buttonTemplate":{"textMessages":[{"text":"Pick"}],` +
		`"buttons":[{"postBackButton":{"title":"Go","payload":{"nextDialogstateId":"19f87132-e23c-4335-877d-6a36f511c2cc"}}}]}}]}`
	field := "/sendMessages/0/buttonTemplate/buttons/0/postBackButton/payload/nextDialogstateId"
	actions := func(s *emulator.Server) (int, []byte) {
		return post(t, s.URL()+"/v1/bots/shop/conversations/"+longConv+"/actions?version=DRAFT", "shop-token", []byte(body))
	}
	t.Run("lenient", func(t *testing.T) {
		s, rc, logs := lenientShop(t, false, "")
		status, answer := actions(s)
		if status != http.StatusOK {
			t.Fatalf("actions: %d %s, want 200", status, answer)
		}
		s.FlushT(t)
		w := wantWarning(t, warningsOf(t, s, longConv), dialog.WarnUnknownBlock, field, "POST /v1/bots/shop/conversations/"+longConv+"/actions")
		if !strings.Contains(logs.String(), "19f87132") {
			t.Errorf("the warning is not logged: %s", logs)
		}
		var sent struct {
			Message dialog.Message `json:"message"`
		}
		_ = json.Unmarshal(rc.received()[2], &sent)
		payload := sent.Message.Attachment.Payload.Buttons[0].Payload
		seen := len(rc.received())
		chatShop(t, s, longConv, map[string]any{"postbackMessage": map[string]any{"payload": payload}}, nil)
		if got := lastTexts(t, rc, seen); len(got) != 1 || got[0] != "Sorry, I did not get that." {
			t.Errorf("a click on the button answered %q, want Not understood", got)
		}
		list := warningsOf(t, s, longConv)
		if len(list) != 2 || list[1].Code != dialog.WarnUnknownBlock || list[1].Source != "turn" || list[1].Seq <= w.Seq {
			t.Errorf("after the click, warnings %+v: want a second unknown-block warning from the turn", list)
		}
		checkRequestJournalWarns(t, s, "/v1/bots/shop/conversations/"+longConv+"/actions", dialog.WarnUnknownBlock)
	})
	t.Run("strict", func(t *testing.T) {
		s, rc, _ := lenientShop(t, true, "")
		seen := len(rc.received())
		status, answer := actions(s)
		wantError(t, status, answer, http.StatusBadRequest, field)
		if e := decodeError(t, answer); !strings.Contains(e.Message, "--strict") {
			t.Errorf("message %q does not say that --strict refused it", e.Message)
		}
		s.FlushT(t)
		if n := len(rc.received()) - seen; n != 0 || len(warningsOf(t, s, longConv)) != 0 {
			t.Errorf("a refused request sent %d messages or left warnings", n)
		}
	})
}

// checkRequestJournalWarns checks that the request journal's entry for
// path carries a warning of code.
func checkRequestJournalWarns(t *testing.T, s *emulator.Server, path string, code emulator.WarningCode) {
	t.Helper()
	var got struct {
		Requests []struct {
			Path     string             `json:"path"`
			Warnings []emulator.Warning `json:"warnings"`
		} `json:"requests"`
	}
	getOK(t, s.URL()+"/_emulator/requests", &got)
	for _, r := range got.Requests {
		if r.Path == path && len(r.Warnings) == 1 && r.Warnings[0].Code == code {
			return
		}
	}
	t.Errorf("no request journal entry for %s with a %s warning: %+v", path, code, got.Requests)
}

// TestWebviewUnknownBlock: the seed's webview example names block
// "12345". A block the bot does not have is accepted with a warning and
// the conversation goes to Error occurred; under Strict it is a 400.
func TestWebviewUnknownBlock(t *testing.T) {
	body := `{"botId":"shop","senderId":"` + longConv + `","action":{"nextDialogstate":"12345"}}`
	url := "/api/webview?access_token=shop-token"
	t.Run("lenient", func(t *testing.T) {
		s, rc, _ := lenientShop(t, false, "")
		seen := len(rc.received())
		resp, out := exchange(t, http.MethodPost, s.URL()+url, "", "application/json", body)
		if resp.StatusCode != http.StatusOK || len(out) != 0 {
			t.Fatalf("webview: %d %q, want 200 and no body", resp.StatusCode, out)
		}
		s.FlushT(t)
		wantWarning(t, warningsOf(t, s, longConv), dialog.WarnUnknownBlock, "/action/nextDialogstate", "POST /api/webview")
		if got := lastTexts(t, rc, seen); len(got) != 1 || got[0] != "Something went wrong." {
			t.Errorf("webview to an unknown block answered %q, want Error occurred", got)
		}
	})
	t.Run("strict", func(t *testing.T) {
		s, _, _ := lenientShop(t, true, "")
		wantErrorAt(t, http.MethodPost, s.URL()+url, "application/json", body, http.StatusBadRequest, "/action/nextDialogstate")
	})
}

// TestPluginAnswerLeniency: an API-plugin answer whose session.data is an
// array is stored as sent, with a warning naming the call; under Strict
// the answer counts as failed. An action.nextDialogstate naming an unknown
// block goes to Error occurred with a warning and a log line saying why.
func TestPluginAnswerLeniency(t *testing.T) {
	tests := []struct {
		name, answer string
		strict       bool
		want         string
		code         emulator.WarningCode
		field        string
	}{
		{"array data stored", `{"session":{"namespace":"order","data":["a","b"]}}`, false,
			`Status: {order.status}`, dialog.WarnPluginSessionData, "/session/data"},
		{"array data refused by strict", `{"session":{"namespace":"order","data":["a","b"]}}`, true,
			"Something went wrong.", dialog.WarnPluginFailed, ""},
		{"unknown next block", `{"action":{"nextDialogstate":"nowhere"}}`, false,
			"Something went wrong.", dialog.WarnUnknownBlock, "/action/nextDialogstate"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			plugin := newReceiver(t, func(_ int, _ []byte, w http.ResponseWriter) {
				w.Header().Set("Content-Type", "application/json")
				w.Write([]byte(tt.answer))
			})
			s, rc, logs := lenientShop(t, tt.strict, plugin.URL)
			seen := len(rc.received())
			chatShop(t, s, longConv, map[string]any{"postbackMessage": map[string]any{"nextDialogstateId": "order-api"}}, nil)
			if got := lastTexts(t, rc, seen); len(got) != 1 || got[0] != tt.want {
				t.Errorf("after the plugin call the bot said %q, want %q", got, tt.want)
			}
			w := wantWarning(t, warningsOf(t, s, longConv), tt.code, tt.field, "plugin call d-")
			if !strings.Contains(logs.String(), "code="+string(tt.code)+" bot=shop conversation="+longConv+" source=\""+w.Source) {
				t.Errorf("the log does not hold the warning %+v:\n%s", w, logs)
			}
		})
	}
}

// TestPluginArrayDataIsReadable: the array a plugin stored is in the
// session as sent.
func TestPluginArrayDataIsReadable(t *testing.T) {
	plugin := newReceiver(t, func(_ int, _ []byte, w http.ResponseWriter) {
		w.Write([]byte(`{"session":{"namespace":"order","data":[{"sku":"A1"}]}}`))
	})
	s, _, _ := lenientShop(t, false, plugin.URL)
	chatShop(t, s, longConv, map[string]any{"postbackMessage": map[string]any{"nextDialogstateId": "order-api"}}, nil)
	var dump struct {
		Session struct {
			Order []map[string]string `json:"order"`
		} `json:"session"`
	}
	getOK(t, s.URL()+"/_emulator/conversations/shop/"+longConv, &dump)
	session := dump.Session
	if len(session.Order) != 1 || session.Order[0]["sku"] != "A1" {
		t.Errorf("session order = %v, want the array as sent", session.Order)
	}
}

// TestEmptyPathSegment: a base URL with a trailing slash makes paths such
// as //v1/...; they get the JSON 404, never a redirect, for every method.
func TestEmptyPathSegment(t *testing.T) {
	s := emulator.RunT(t, emulator.Config{})
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	for _, tt := range []struct{ method, path string }{
		{http.MethodPost, "//v1/channels/webhook/demo/messages"},
		{http.MethodGet, "/v1//bots"},
		{http.MethodGet, "/_emulator//health"},
		{http.MethodPost, "/api/webhookMessage//demo"},
	} {
		req, _ := http.NewRequest(tt.method, s.URL()+tt.path, strings.NewReader(`{"message":{"introMessage":{}}}`))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", "Bearer demo-token")
		resp, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		var e struct {
			StatusCode int    `json:"statusCode"`
			Message    string `json:"message"`
		}
		err = json.NewDecoder(resp.Body).Decode(&e)
		resp.Body.Close()
		if resp.StatusCode != http.StatusNotFound || err != nil || e.StatusCode != 404 || !strings.Contains(e.Message, "//") {
			t.Errorf("%s %s: %d (Location %q) %+v, want the JSON 404 naming the empty segment",
				tt.method, tt.path, resp.StatusCode, resp.Header.Get("Location"), e)
		}
	}
}

// TestShortSenderID: Chatlayer's docs say a sender id should have at
// least 32 characters. A shorter one is accepted, with one warning when
// it opens a conversation (v1 and legacy); under --strict it is a 400
// naming the field. 32 characters raise nothing.
func TestShortSenderID(t *testing.T) {
	raw := func(s *emulator.Server) []emulator.Warning {
		var got struct {
			Warnings []emulator.Warning `json:"warnings"`
		}
		getOK(t, s.URL()+"/_emulator/warnings", &got)
		return got.Warnings
	}
	s, _, _ := lenientShop(t, false, "")
	if list := raw(s); len(list) != 0 {
		t.Fatalf("a 37-character id raised %+v", list)
	}
	chatShop(t, s, "conv-1", map[string]any{"introMessage": map[string]any{}}, nil)
	chatShop(t, s, "conv-1", map[string]any{"textMessage": map[string]any{"text": "hi"}}, nil)
	resp, _ := exchange(t, http.MethodPost, s.URL()+"/api/webhookMessage/shop", "", "application/json",
		`{"text":"hi","sender":{"id":"legacy-1"},"verifyToken":"shop-verify"}`)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("legacy: status %d", resp.StatusCode)
	}
	list := raw(s)
	if len(list) != 2 || list[0].Conversation != "conv-1" || list[0].Field != "/conversationId" ||
		list[1].Conversation != "legacy-1" || list[1].Field != "/sender/id" {
		t.Errorf("warnings %+v: want one short-sender-id per new conversation", list)
	}
	for _, w := range list {
		if w.Code != dialog.WarnShortSenderID {
			t.Errorf("warning %+v: want code %s", w, dialog.WarnShortSenderID)
		}
	}

	strict, _, _ := lenientShop(t, true, "")
	status, body := post(t, strict.URL()+"/v1/channels/webhook/shop-channel/messages", "shop-token",
		map[string]any{"user": map[string]any{"id": "u1"}, "message": map[string]any{"introMessage": map[string]any{}}})
	wantError(t, status, body, http.StatusBadRequest, "/user/id")
}
