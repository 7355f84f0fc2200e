package main

import (
	"bytes"
	"log"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/chatlayer-emulator/chatlayer-emulator/schemas"
)

// call POSTs body to the plugin and returns the answer and what it printed.
func call(t *testing.T, cfg Config, body string) (*httptest.ResponseRecorder, string) {
	t.Helper()
	var out bytes.Buffer
	rec := httptest.NewRecorder()
	NewHandler(cfg, log.New(&out, "", 0)).ServeHTTP(rec, httptest.NewRequest(http.MethodPost, "/plugin", strings.NewReader(body)))
	return rec, out.String()
}

// demoRequest is the body the demo bot's order-api block sends before a
// sign-up: {signup.email} is not set, so it stays as written.
const demoRequest = `{"sessionId":"conv-1","email":"{signup.email}"}`

// TestAnswer: the answer is Chatlayer's API-plugin answer, with all three
// fields, valid against the schema the emulator checks answers with.
func TestAnswer(t *testing.T) {
	rec, printed := call(t, Config{Status: "shipped", NextBlock: "order-status"}, demoRequest)
	want := `{"session":{"namespace":"order","data":{"id":"A-1001","status":"shipped"}},` +
		`"messages":[{"type":"text","config":{"textMessages":[{"text":"I found your order {order.id}."}]}}],` +
		`"action":{"nextDialogstate":"order-status"}}`
	if rec.Code != http.StatusOK || rec.Header().Get("Content-Type") != "application/json" || rec.Body.String() != want+"\n" {
		t.Errorf("answer %d %q %s\nwant 200 application/json %s", rec.Code, rec.Header().Get("Content-Type"), rec.Body, want)
	}
	if err := schemas.Default().Validate("plugin-response", rec.Body.Bytes()); err != nil {
		t.Errorf("answer breaks the contract: %v", err)
	}
	if printed != "200 to session conv-1: "+want+"\n" {
		t.Errorf("printed %q", printed)
	}
}

// TestAnswerWithoutAction: with no next block the answer has no action,
// and the bot goes on with the API action's next.
func TestAnswerWithoutAction(t *testing.T) {
	rec, _ := call(t, Config{Status: "delayed"}, demoRequest)
	if strings.Contains(rec.Body.String(), "action") || !strings.Contains(rec.Body.String(), `"status":"delayed"`) {
		t.Errorf("answer %s: want status delayed and no action", rec.Body)
	}
	if err := schemas.Default().Validate("plugin-response", rec.Body.Bytes()); err != nil {
		t.Errorf("answer breaks the contract: %v", err)
	}
}

// TestBadRequest: what is not the demo's request is a 400, which fails
// the bot's call (its onError block runs).
func TestBadRequest(t *testing.T) {
	for _, body := range []string{`{`, `{}`, `[1]`, `{"sessionId":""}`} {
		rec, printed := call(t, Config{Status: "shipped"}, body)
		if rec.Code != http.StatusBadRequest || !strings.HasPrefix(printed, "400 ") {
			t.Errorf("%s: %d, printed %q; want 400", body, rec.Code, printed)
		}
	}
}
