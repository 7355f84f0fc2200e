package emulator_test

import (
	"encoding/json"
	"net/http"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/chatlayer-emulator/chatlayer-emulator/emulator"
	"github.com/chatlayer-emulator/chatlayer-emulator/scenarios"
)

// locationMsg and uploadMsg are the emulator's inbound extensions for a
// shared location and a file upload (FIDELITY Q12).
func locationMsg(lat, long float64) map[string]any {
	return map[string]any{"locationMessage": map[string]any{"coordinates": map[string]any{"lat": lat, "long": long}}}
}

func uploadMsg(urls ...string) map[string]any {
	return map[string]any{"fileUploadMessage": map[string]any{"urls": urls}}
}

// TestLocationAndUploadBadInput: a malformed location or upload is a 400
// naming the field at fault, and nothing reaches the bot.
func TestLocationAndUploadBadInput(t *testing.T) {
	rc := newReceiver(t, nil)
	s := emulator.RunT(t, emulator.Config{WebhookURL: rc.URL, Delivery: fastDelivery})
	const coords = "/message/locationMessage/coordinates"
	cases := []struct {
		name, message, field, says string
	}{
		{"lat as a string", `{"locationMessage":{"coordinates":{"lat":"51.05","long":3.72}}}`, coords + "/lat", "number"},
		{"lat above 90", `{"locationMessage":{"coordinates":{"lat":90.5,"long":3.72}}}`, coords + "/lat", "90"},
		{"long below -180", `{"locationMessage":{"coordinates":{"lat":51,"long":-180.01}}}`, coords + "/long", "-180"},
		{"no long", `{"locationMessage":{"coordinates":{"lat":51}}}`, coords + "/long", "long"},
		{"no coordinates", `{"locationMessage":{}}`, coords, "coordinates"},
		{"coordinates null", `{"locationMessage":{"coordinates":null}}`, coords, ""},
		{"no urls", `{"fileUploadMessage":{}}`, "/message/fileUploadMessage/urls", "urls"},
		{"empty urls", `{"fileUploadMessage":{"urls":[]}}`, "/message/fileUploadMessage/urls", ""},
		{"relative url", `{"fileUploadMessage":{"urls":["https://files.example/a.png","/b.png"]}}`, "/message/fileUploadMessage/urls/1", "absolute http or https URL"},
		{"ftp url", `{"fileUploadMessage":{"urls":["ftp://files.example/a.png"]}}`, "/message/fileUploadMessage/urls/0", "absolute http or https URL"},
		{"url as a number", `{"fileUploadMessage":{"urls":[42]}}`, "/message/fileUploadMessage/urls/0", "string"},
		{"location and text", `{"locationMessage":{"coordinates":{"lat":1,"long":2}},"textMessage":{"text":"hi"}}`, "/message",
			"exactly one of textMessage, postbackMessage, introMessage, locationMessage and fileUploadMessage"},
		{"upload and location", `{"locationMessage":{"coordinates":{"lat":1,"long":2}},"fileUploadMessage":{"urls":["https://f.example/a"]}}`, "/message",
			"exactly one of"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			status, body := post(t, s.URL()+"/v1/channels/webhook/demo/messages", "demo-token",
				[]byte(`{"conversationId":"c1","message":`+tc.message+`}`))
			if status != http.StatusBadRequest {
				t.Fatalf("status %d, want 400: %s", status, body)
			}
			e := decodeError(t, body)
			if e.Field != tc.field || !strings.Contains(e.Message, tc.says) {
				t.Errorf("error %+v, want field %q and a message saying %q", e, tc.field, tc.says)
			}
			t.Logf("%s: %s", e.Field, e.Message)
		})
	}
	s.FlushT(t)
	if n := len(rc.received()); n != 0 {
		t.Errorf("%d deliveries after bad requests, want none", n)
	}
}

const (
	receiptURL = "https://files.example.com/receipt.pdf"
	backURL    = "https://files.example.com/back.png"
)

// TestUploadAnswersCollectFile: a collect-input block of type file takes
// an upload (the first URL) after counting a location as an invalid
// attempt; the session gets uploadedFileUrl and internal.messageType.
func TestUploadAnswersCollectFile(t *testing.T) {
	rc := newReceiver(t, nil)
	s := emulator.RunT(t, emulator.Config{Bots: []*scenarios.Bot{loadBot(t, "shop.yaml")}, WebhookURL: rc.URL,
		Delivery: fastDelivery, StrictResponses: true})
	startShop(t, s, "conv-1")
	chatShop(t, s, "conv-1", map[string]any{"postbackMessage": map[string]any{"title": "Receipt", "nextDialogstateId": "ask-receipt"}}, nil)
	chatShop(t, s, "conv-1", locationMsg(51.05, 3.72), nil)
	chatShop(t, s, "conv-1", uploadMsg(receiptURL, backURL), nil)
	want := []string{"Please upload your receipt.", "That is not a file.", "Please upload your receipt.", "Got your receipt: " + receiptURL}
	if got := lastTexts(t, rc, 2); !slices.Equal(got, want) {
		t.Errorf("bot said %q, want %q", got, want)
	}
	var doc struct {
		UploadedFileURL string         `json:"uploadedFileUrl"`
		Order           map[string]any `json:"order"`
		Internal        map[string]any `json:"internal"`
	}
	status, body := v1Call(t, http.MethodGet, s.URL()+"/v1/bots/shop/conversations/conv-1/session-data?version=DRAFT", "shop-token", nil)
	wantJSON(t, status, body, http.StatusOK, &doc)
	if doc.UploadedFileURL != receiptURL || doc.Order["receipt"] != receiptURL ||
		doc.Internal["messageType"] != "upload" || doc.Internal["messageContent"] != receiptURL {
		t.Errorf("session = %s", body)
	}
	w := wantWarning(t, warningsOf(t, s, "conv-1"), "unexpected-input", "", "turn")
	if !strings.Contains(w.Message, "ask-receipt") {
		t.Errorf("warning %q does not name the block", w.Message)
	}
}

// TestLocationAndUploadReachTheProvider: the offloading provider, the v1
// messages list and the legacy history show a location and an upload in
// the shapes of Chatlayer's offloading-webhook examples.
func TestLocationAndUploadReachTheProvider(t *testing.T) {
	h := startHandover(t, fakeProvider(okAnswer), emulator.Config{})
	const conv = "conv-media"
	h.say(t, conv, introMsg)
	h.say(t, conv, map[string]any{"postbackMessage": map[string]any{"title": "Show me everything", "nextDialogstateId": "tour"}})
	h.say(t, conv, locationMsg(51.05, 3.72))
	if got := h.userTexts(t); got[len(got)-1] != "Thanks! You are at 51.05, 3.72. We live at 127.0.0.1." {
		t.Fatalf("after the location the user got %q", got)
	}
	h.say(t, conv, uploadMsg(receiptURL, backURL))
	h.say(t, conv, textMsg(askForHuman))

	posts := h.prov.posts()
	validateEvents(t, posts, "offloading-event")
	loc := userItemOf(t, posts, "location", "messages")
	wantMessage(t, loc, map[string]any{"coordinates": map[string]any{"lat": 51.05, "long": 3.72}})
	up := userItemOf(t, posts, "fileUploadInputResult", "messages")
	wantMessage(t, up, map[string]any{"urls": []any{receiptURL, backURL},
		"data": map[string]any{"uploadStatus": "SUCCEEDED", "fileUrl": receiptURL}})
	for _, m := range []json.RawMessage{loc, up} {
		if got := userItemOf(t, posts, messageType(t, m), "transcript"); string(got) != string(m) {
			t.Errorf("offload transcript has %s, want %s", got, m)
		}
	}

	var list messagesPage
	status, body := v1Call(t, http.MethodGet, h.s.URL()+"/v1/bots/demo/conversations/"+conv+"/messages?version=DRAFT&pageSize=100", "demo-token", nil)
	wantJSON(t, status, body, http.StatusOK, &list)
	var hist historyAnswer
	getOK(t, h.s.URL()+"/api/bots/demo/history/"+conv+"?access_token=demo-token", &hist)
	var v1Msgs, legacyMsgs []string
	for _, d := range list.Data {
		v1Msgs = append(v1Msgs, string(d.Message))
	}
	for _, r := range hist.Rows {
		legacyMsgs = append(legacyMsgs, string(r.Message))
	}
	for _, m := range []json.RawMessage{loc, up} {
		if !slices.Contains(v1Msgs, string(m)) || !slices.Contains(legacyMsgs, string(m)) {
			t.Errorf("%s is missing from the v1 messages (%d) or the legacy history (%d)", m, len(v1Msgs), len(legacyMsgs))
		}
	}
}

// userItemOf returns the message of the one user item of messageType in
// the events' lists named key (messages or transcript).
func userItemOf(t *testing.T, posts []providerCall, typ, key string) json.RawMessage {
	t.Helper()
	type item struct {
		Actor   string          `json:"actor"`
		Message json.RawMessage `json:"message"`
	}
	var found []json.RawMessage
	for _, c := range posts {
		var ev struct{ Messages, Transcript []item }
		if err := json.Unmarshal(c.Body, &ev); err != nil {
			t.Fatalf("event %s: %v", c.Body, err)
		}
		for _, it := range map[string][]item{"messages": ev.Messages, "transcript": ev.Transcript}[key] {
			if it.Actor == "user" && messageType(t, it.Message) == typ {
				found = append(found, it.Message)
			}
		}
	}
	if len(found) != 1 {
		t.Fatalf("%d user items of messageType %s in the %s of events, want 1", len(found), typ, key)
	}
	return found[0]
}

func messageType(t *testing.T, m json.RawMessage) string {
	t.Helper()
	var v struct{ MessageType string }
	if err := json.Unmarshal(m, &v); err != nil {
		t.Fatalf("user message %s: %v", m, err)
	}
	return v.MessageType
}

// wantMessage checks a user message's fields: the common ones of every
// user message, and exactly the given others.
func wantMessage(t *testing.T, raw json.RawMessage, own map[string]any) {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(raw, &m); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"channelType", "sender", "timestamp", "messageType", "id"} {
		if _, ok := m[k]; !ok {
			t.Errorf("user message %s lacks %q", raw, k)
		}
		delete(m, k)
	}
	if !reflect.DeepEqual(m, own) {
		t.Errorf("user message %s: own fields %v, want %v", raw, m, own)
	}
}
