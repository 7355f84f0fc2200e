package emulator_test

import (
	"net/http"
	"testing"

	"github.com/chatlayer-emulator/chatlayer-emulator/emulator"
	"github.com/chatlayer-emulator/chatlayer-emulator/scenarios"
)

// sessionDoc is the part of a session the tests read.
type sessionDoc struct {
	Profile  map[string]any `json:"profile"`
	Internal struct {
		SessionID          string `json:"sessionId"`
		BotID              string `json:"botId"`
		Version            string `json:"version"`
		IsPaused           bool   `json:"isPaused"`
		MessageType        string `json:"messageType"`
		CurrentDialogstate *struct {
			ID string `json:"id"`
		} `json:"currentDialogstate"`
		User map[string]any `json:"user"`
	} `json:"internal"`
	Sys map[string]any `json:"sys"`
}

// getSession reads a conversation's session through the v1 API.
func getSession(t *testing.T, s *emulator.Server, conv string) sessionDoc {
	t.Helper()
	var doc sessionDoc
	status, body := v1Call(t, http.MethodGet, s.URL()+"/v1/bots/shop/conversations/"+conv+"/session-data?version=DRAFT", "shop-token", nil)
	wantJSON(t, status, body, http.StatusOK, &doc)
	return doc
}

func TestSessionData(t *testing.T) {
	rc := newReceiver(t, nil)
	s := emulator.RunT(t, emulator.Config{Bots: []*scenarios.Bot{loadBot(t, "shop.yaml")}, WebhookURL: rc.URL, Delivery: fastDelivery})
	status, body := post(t, s.URL()+"/v1/channels/webhook/shop-channel/messages", "shop-token", map[string]any{
		"conversationId": "conv-1", "user": map[string]any{"id": "u1", "firstName": "Ann"},
		"message":     map[string]any{"textMessage": map[string]any{"text": "write to ann@example.com"}},
		"sessionData": map[string]any{"profile.tier": "gold", "internal.botId": "hacked"},
	})
	if status != http.StatusAccepted {
		t.Fatalf("status %d: %s", status, body)
	}
	s.FlushT(t)

	doc := getSession(t, s, "conv-1")
	if doc.Profile["tier"] != "gold" || doc.Sys["email"] != "ann@example.com" {
		t.Errorf("session lacks what sessionData and the NLP set: %+v", doc)
	}
	in := doc.Internal
	if in.SessionID != "conv-1" || in.BotID != "shop" || in.Version != "DRAFT" || in.MessageType != "text" ||
		in.CurrentDialogstate == nil || in.CurrentDialogstate.ID != "introduction" || in.User["firstName"] != "Ann" {
		t.Errorf("internal = %+v", in)
	}

	base := s.URL() + "/v1/bots/shop/conversations/"
	status, body = v1Call(t, http.MethodGet, base+"nobody/session-data?version=DRAFT", "shop-token", nil)
	wantError(t, status, body, http.StatusNotFound, "conversationId")
	status, body = v1Call(t, http.MethodDelete, base+"nobody/session-data?version=DRAFT", "shop-token", nil)
	wantError(t, status, body, http.StatusNotFound, "conversationId")
	status, body = v1Call(t, http.MethodGet, base+"conv-1/session-data", "shop-token", nil)
	wantError(t, status, body, http.StatusBadRequest, "version")
	status, body = v1Call(t, http.MethodDelete, base+"conv-1/session-data?version=PROD", "shop-token", nil)
	wantError(t, status, body, http.StatusBadRequest, "version")
}

// TestDeleteSessionDataStartsFresh: after DELETE, a text that matches no
// intent gets the Introduction, as a first message does, and the session
// holds only the script's variables and internal.
func TestDeleteSessionDataStartsFresh(t *testing.T) {
	rc := newReceiver(t, nil)
	s := emulator.RunT(t, emulator.Config{Bots: []*scenarios.Bot{loadBot(t, "shop.yaml")}, WebhookURL: rc.URL, Delivery: fastDelivery})
	c := &conversationTest{t: t, s: s, rc: rc, conv: "conv-1"}
	c.send(intro, text("conv-1", "Welcome to the shop!", 1), "")
	c.send(hello, withNLP(text("conv-1", "Sorry, I did not get that.", 1), noIntent("hello there")))
	status, body := post(t, s.URL()+"/v1/channels/webhook/shop-channel/messages", "shop-token",
		map[string]any{"conversationId": "conv-1", "message": hello, "sessionData": map[string]any{"profile.tier": "gold"}})
	if status != http.StatusAccepted {
		t.Fatalf("status %d: %s", status, body)
	}
	// The DELETE is queued behind that turn: no flush in between.
	status, body = v1Call(t, http.MethodDelete, s.URL()+"/v1/bots/shop/conversations/conv-1/session-data?version=DRAFT", "shop-token", nil)
	if status != http.StatusNoContent || len(body) != 0 {
		t.Fatalf("DELETE: %d %q, want 204 and no body", status, body)
	}
	s.FlushT(t)
	c.seen = len(rc.received())
	if doc := getSession(t, s, "conv-1"); doc.Profile != nil || doc.Internal.MessageType != "" || doc.Internal.CurrentDialogstate != nil ||
		doc.Internal.SessionID != "conv-1" {
		t.Errorf("session after DELETE = %+v", doc)
	}
	c.send(hello, withNLP(text("conv-1", "Welcome to the shop!", 1), noIntent("hello there")), "")

	var p messagesPage
	status, body = v1Call(t, http.MethodGet, s.URL()+"/v1/bots/shop/conversations/conv-1/messages?version=DRAFT", "shop-token", nil)
	wantJSON(t, status, body, http.StatusOK, &p)
	if len(p.Data) != 10 { // history survives: 3 + 2 + 2 + 3
		t.Errorf("history has %d messages, want 10: %s", len(p.Data), body)
	}
}
