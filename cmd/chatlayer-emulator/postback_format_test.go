package main

import (
	"encoding/json"
	"net/http"
	"testing"
)

// TestPostbackFormatFlag: --postback-format takes opaque or json, from
// the flag or its environment twin; json puts the stringified JSON in the
// payloads the webhook receives.
func TestPostbackFormatFlag(t *testing.T) {
	wantUsage(t, []string{"--postback-format", "xml"}, env(), "want opaque or json")
	wantUsage(t, nil, env("CHATLAYER_EMULATOR_POSTBACK_FORMAT", "JSON"), "want opaque or json")
	hook, received := recordingWebhook(t)
	url, stop := startServe(t, []string{"--addr", "127.0.0.1:0", "--webhook-url", hook},
		env("CHATLAYER_EMULATOR_POSTBACK_FORMAT", "json"))
	defer stop()
	if status, _ := v1Status(t, url); status != http.StatusAccepted { // an intro message in c1
		t.Fatalf("message: %d", status)
	}
	resp, err := http.Get(url + "/_emulator/deliveries/wait?conversation=c1&count=2&timeout=10s")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	bodies := received()
	var d struct {
		Message struct {
			QuickReplies []struct {
				Payload string `json:"payload"`
			} `json:"quick_replies"`
		} `json:"message"`
	}
	if len(bodies) != 2 || json.Unmarshal(bodies[1], &d) != nil || len(d.Message.QuickReplies) == 0 {
		t.Fatalf("deliveries %q: want the intro's quick replies second", bodies)
	}
	var p struct {
		NextDialogstateID string `json:"nextDialogstateId"`
		Type              string `json:"type"`
	}
	if err := json.Unmarshal([]byte(d.Message.QuickReplies[0].Payload), &p); err != nil || p.NextDialogstateID != "tour" || p.Type != "quickreply" {
		t.Errorf("payload %q: want the JSON form leading to tour", d.Message.QuickReplies[0].Payload)
	}
}
