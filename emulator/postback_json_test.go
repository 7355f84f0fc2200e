package emulator_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/chatlayer-emulator/chatlayer-emulator/emulator"
	"github.com/chatlayer-emulator/chatlayer-emulator/emulator/dialog"
)

// jsonPayload is the pre-2022 stringified-JSON payload of seed 001's
// field table.
type jsonPayload struct {
	Params []struct {
		Key   string `json:"key"`
		Value any    `json:"value"`
	} `json:"params"`
	NextDialogstateID string `json:"nextDialogstateId"`
	Type              string `json:"type"`
	Caption           string `json:"caption"`
}

// parsePayload decodes a delivered payload, which must be a JSON payload.
func parsePayload(t *testing.T, payload string) jsonPayload {
	t.Helper()
	var p jsonPayload
	dec := json.NewDecoder(bytes.NewReader([]byte(payload)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&p); err != nil {
		t.Fatalf("payload %q is not the JSON form: %v", payload, err)
	}
	return p
}

// TestPostbackFormatJSON: with --postback-format json the quick replies
// and buttons of a scenario carry the stringified JSON of before 2022,
// with the block id (3050) and the params; the history and the
// offloading transcript show the payloads the channel got; and each
// payload, sent back as a v1 payload or as legacy text, runs the block
// with its params.
func TestPostbackFormatJSON(t *testing.T) {
	prov := newProvider(t, fakeProvider(okAnswer)(""))
	s, rc := langServer(t, emulator.Config{PostbackFormat: emulator.PostbackJSON, OffloadingURL: prov.URL + "/offloading"}, "")
	sayLang(t, s, `{"introMessage":{}}`)
	intro := messagesSince(t, rc, 0)
	dutch := intro[0].QuickReplies[0].Payload
	if want := `{"params":[{"key":"userLangSelected","value":"nl-nl"}],"nextDialogstateId":"3050","type":"quickreply","caption":"Dutch"}`; dutch != want {
		t.Errorf("Dutch payload\n got  %s\n want %s", dutch, want)
	}
	english := parsePayload(t, intro[0].QuickReplies[1].Payload)
	if english.NextDialogstateID != "3050" || english.Type != "quickreply" || english.Caption != "English" || len(english.Params) != 2 ||
		english.Params[0].Key != "userLangSelected" || english.Params[1].Key != "lang.source" {
		t.Errorf("English payload %+v", english)
	}
	buttons := intro[1].Attachment.Payload.Buttons
	if help := parsePayload(t, buttons[1].Payload); help.NextDialogstateID != "help" || help.Type != "button" || len(help.Params) != 0 {
		t.Errorf("Help payload %+v", help)
	}

	raw, _ := json.Marshal(intro[0].QuickReplies[1].Payload)
	sayLang(t, s, `{"postbackMessage":{"payload":`+string(raw)+`}}`)
	legacyLang(t, s, buttons[0].Payload)
	if got := lastTexts(t, rc, 2); len(got) != 2 || got[0] != "Language: en-en" || got[1] != "Language: fr-fr" {
		t.Errorf("the payloads sent back answered %q", got)
	}
	var session map[string]any
	status, body := v1Call(t, http.MethodGet, s.URL()+"/v1/bots/lang/conversations/c1/session-data?version=DRAFT", "lang-token", nil)
	wantJSON(t, status, body, http.StatusOK, &session)
	if lang, _ := session["lang"].(map[string]any); lang["source"] != "quickreply" {
		t.Errorf("session %v: the English params were not applied", session)
	}
	checkPayloadsRecorded(t, s, prov, rc)
}

// checkPayloadsRecorded checks that the history and the offloading
// transcript hold each delivered message byte for byte.
func checkPayloadsRecorded(t *testing.T, s *emulator.Server, prov *provider, rc *receiver) {
	t.Helper()
	var h historyAnswer
	getOK(t, s.URL()+"/api/bots/lang/history/c1?access_token=lang-token", &h)
	var history, transcript [][]byte
	for _, row := range h.Rows {
		if row.Actor == "bot" {
			history = append(history, row.Message)
		}
	}
	for _, c := range prov.posts() {
		var ev struct {
			Messages []struct {
				Actor   string          `json:"actor"`
				Message json.RawMessage `json:"message"`
			} `json:"messages"`
		}
		_ = json.Unmarshal(c.Body, &ev)
		for _, m := range ev.Messages {
			if m.Actor == "bot" {
				transcript = append(transcript, m.Message)
			}
		}
	}
	for i, body := range rc.received() {
		var d struct {
			Message json.RawMessage `json:"message"`
		}
		_ = json.Unmarshal(body, &d)
		if i >= len(history) || !bytes.Equal(history[i], d.Message) || i >= len(transcript) || !bytes.Equal(transcript[i], d.Message) {
			t.Fatalf("delivery %d %s: not the same in history and transcript:\n%q\n%q", i, d.Message, history, transcript)
		}
	}
}

// TestPostbackFormatJSONRuntimeButtons: buttons built at run time (an
// agent's, an API plugin's) get JSON payloads too, naming the target by
// its block id even when the sender named the block.
func TestPostbackFormatJSONRuntimeButtons(t *testing.T) {
	plugin := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"messages":[{"type":"quickReplies","config":{"textMessages":[{"text":"From the API"}],"quickReplies":[` +
			`{"title":"Spanish","payload":{"nextDialogstateId":"language chosen","params":[{"key":"userLangSelected","value":"es-es"}]}}]}}]}`))
	}))
	defer plugin.Close()
	s, rc := langServer(t, emulator.Config{PostbackFormat: emulator.PostbackJSON}, plugin.URL)
	sayLang(t, s, `{"introMessage":{}}`)
	body := `{"sendMessages":[{"buttonTemplate":{"textMessages":[{"text":"Agent"}],"buttons":[` +
		`{"postBackButton":{"title":"Greek","payload":{"nextDialogstateId":"language chosen","sessionDataToSet":[{"key":"userLangSelected","value":"el-gr"}]}}}]}}]}`
	if status, out := post(t, s.URL()+"/v1/bots/lang/conversations/c1/actions?version=DRAFT", "lang-token", []byte(body)); status != http.StatusOK {
		t.Fatalf("actions: %d %s", status, out)
	}
	s.FlushT(t)
	greek := messagesSince(t, rc, 2)[0].Attachment.Payload.Buttons[0].Payload
	if want := `{"params":[{"key":"userLangSelected","value":"el-gr"}],"nextDialogstateId":"3050","type":"button","caption":"Greek"}`; greek != want {
		t.Errorf("agent button payload\n got  %s\n want %s", greek, want)
	}
	sayLang(t, s, `{"postbackMessage":{"title":"Ask the API"}}`)
	spanish := messagesSince(t, rc, 3)[0].QuickReplies[0].Payload
	if p := parsePayload(t, spanish); p.NextDialogstateID != "3050" || p.Caption != "Spanish" || p.Params[0].Value != "es-es" {
		t.Errorf("API quick reply payload %s", spanish)
	}
	legacyLang(t, s, spanish)
	raw, _ := json.Marshal(greek)
	sayLang(t, s, `{"postbackMessage":{"payload":`+string(raw)+`}}`)
	if got := lastTexts(t, rc, 4); len(got) != 2 || got[0] != "Language: es-es" || got[1] != "Language: el-gr" {
		t.Errorf("the run-time payloads sent back answered %q", got)
	}
	for _, w := range s.Warnings("lang", "c1") {
		if w.Code != dialog.WarnPostbackTitle && w.Code != dialog.WarnShortSenderID {
			t.Errorf("warning %+v", w)
		}
	}
}

// TestPostbackFormatConfig: an unknown format is a configuration error.
func TestPostbackFormatConfig(t *testing.T) {
	if _, err := emulator.New(emulator.Config{PostbackFormat: "xml"}); err == nil {
		t.Fatal("emulator.New accepted postback format xml")
	}
}
