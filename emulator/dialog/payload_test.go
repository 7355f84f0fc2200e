package dialog

import (
	"encoding/json"
	"testing"
)

// TestParseLegacyPayloadBlockIDs: nextDialogstateId may be a JSON string
// or a number, whose text as written is the block id (seed 001 writes
// "nextDialogstateId": 3050 inside the payload string).
func TestParseLegacyPayloadBlockIDs(t *testing.T) {
	tests := []struct {
		payload string
		block   string
		ok      bool
	}{
		{`{"params":[{"key":"userLangSelected","value":"en-en"}],"nextDialogstateId":"3050","type":"button","caption":"Dutch"}`, "3050", true},
		{`{"params":[{"key":"userLangSelected","value":"en-en"}],"nextDialogstateId":3050,"type":"button","caption":"Dutch"}`, "3050", true},
		{`{"nextDialogstateId": 12.5}`, "12.5", true},
		{`{"nextDialogstateId": -7}`, "-7", true},
		{`{"nextDialogstateId": ""}`, "", false},
		{`{"nextDialogstateId": null}`, "", false},
		{`{"nextDialogstateId": true}`, "", false},
		{`{"nextDialogstateId": {"id": 1}}`, "", false},
		{`{"title": "no target"}`, "", false},
	}
	for _, tt := range tests {
		pb, ok := ParseLegacyPayload(tt.payload)
		if ok != tt.ok || pb.GoTo.Block != tt.block {
			t.Errorf("%s: block %q, ok %v; want %q, %v", tt.payload, pb.GoTo.Block, ok, tt.block, tt.ok)
		}
	}
	pb, _ := ParseLegacyPayload(tests[1].payload)
	assertEqual(t, pb, Postback{Title: "Dutch", GoTo: GoTo{Block: "3050", Set: []Assignment{{Path: "userLangSelected", Value: "en-en"}}}})
}

// TestNumericBlockIDsInTypeConfig: API answers and webview messages may
// name blocks by number, in payload objects, in JSON-string payloads and
// in action.nextDialogstate.
func TestNumericBlockIDsInTypeConfig(t *testing.T) {
	got, err := DecodeTypeConfig([]byte(`[{"type":"quickReplies","config":{"textMessages":[{"text":"?"}],"quickReplies":[
		{"title":"Object","payload":{"nextDialogstateId":3050,"params":[{"key":"k","value":"v"}]}},
		{"title":"String","payload":"{\"nextDialogstateId\":3050,\"params\":[]}"}]}}]`))
	if err != nil {
		t.Fatal(err)
	}
	assertEqual(t, got[0].Replies[0].GoTo, &GoTo{Block: "3050", Set: []Assignment{{Path: "k", Value: "v"}}})
	assertEqual(t, got[0].Replies[1].GoTo, &GoTo{Block: "3050", Set: []Assignment{}})
	_, err = DecodeTypeConfig([]byte(`[{"type":"buttons","config":{"textMessages":[{"text":"a"}],"buttons":[{"type":"postback","title":"x","payload":{"nextDialogstateId":true}}]}}]`))
	if err == nil || err.Error() != "messages[0].config.buttons[0].payload.nextDialogstateId: must be a string or a number" {
		t.Errorf("a boolean block id: error %v", err)
	}

	s := apiScript(&APICall{URL: "http://api.test"})
	s.Blocks["3050"] = msgBlock("3050", "", "Block 3050.")
	f := newFixture(s)
	f.c.Started = true
	f.step(Jump{Block: "call"})
	assertEqual(t, describe(f.step(APIResult{Body: []byte(`{"action":{"nextDialogstate":3050}}`)})), []string{"Block 3050."})
}

// TestRenderJSONPayloads: under PostbackJSON every postback control,
// static or built at run time, carries the pre-2022 stringified JSON with
// the target's block id, its params in order and its rendered title, and
// a click sending it back runs the block with the params.
func TestRenderJSONPayloads(t *testing.T) {
	s := testScript(msgBlock("yes", "", "You said {answer.choice} ({answer.n})."))
	s.Postbacks = map[string]Postback{"static-yes": {Title: "Yes", GoTo: GoTo{Block: "yes",
		Set: []Assignment{{Path: "answer.choice", Value: "static"}, {Path: "answer.n", Value: 2.0}}}}}
	e := New(s, Options{PostbackFormat: PostbackJSON})
	c := NewConversation(s, "DRAFT", "session-1", t0)
	c.Session["user"] = map[string]any{"name": "Ann"}
	m := e.Render(c, Template{Kind: TmplQuickReplies, Text: "Pick", Replies: []Button{
		{Kind: ButtonPostback, Title: "Yes {user.name}", Payload: "static-yes"},
		{Kind: ButtonPostback, Title: "Greet", GoTo: &GoTo{Block: "greet name"}},
		{Kind: ButtonPostback, Title: "Unknown", Payload: "nobody-issued-this"},
	}})
	assertEqual(t, m.QuickReplies[0].Payload,
		`{"params":[{"key":"answer.choice","value":"static"},{"key":"answer.n","value":2}],"nextDialogstateId":"yes","type":"quickreply","caption":"Yes Ann"}`)
	assertEqual(t, m.QuickReplies[1].Payload, `{"params":[],"nextDialogstateId":"greet","type":"quickreply","caption":"Greet"}`)
	assertEqual(t, m.QuickReplies[2].Payload, "nobody-issued-this")
	b := e.Render(c, Template{Kind: TmplButtons, Text: "Or", Buttons: []Button{
		{Kind: ButtonPostback, Title: "<Go>", GoTo: &GoTo{Block: "greet", Set: []Assignment{{Path: "a", Value: map[string]any{"x": "{user.name}"}}}}}}})
	assertEqual(t, b.Attachment.Payload.Buttons[0].Payload,
		`{"params":[{"key":"a","value":{"x":"{user.name}"}}],"nextDialogstateId":"greet","type":"button","caption":"<Go>"}`)
	assertEqual(t, len(c.Postbacks), 0) // nothing to register: the payload says it all

	f := &fixture{e: e, c: c}
	assertEqual(t, describe(f.step(Click{Payload: m.QuickReplies[0].Payload})), []string{"You said static (2)."})
}

func TestParsePostbackFormat(t *testing.T) {
	for in, want := range map[string]PostbackFormat{"": PostbackOpaque, "opaque": PostbackOpaque, "json": PostbackJSON} {
		got, err := ParsePostbackFormat(in)
		if err != nil || got != want {
			t.Errorf("ParsePostbackFormat(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	var f PostbackFormat
	if err := f.Set("xml"); err == nil || f != "" {
		t.Errorf("Set(xml): %v, format %q; want an error and no change", err, f)
	}
	assertEqual(t, f.String(), "opaque")
	raw, _ := json.Marshal(PostbackJSON)
	assertEqual(t, string(raw), `"json"`)
}
