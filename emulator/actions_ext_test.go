package emulator_test

import (
	"net/http"
	"testing"
)

// TestActionsPauseBot: while paused the bot does not answer user texts,
// agent messages still arrive; unpausing makes the bot answer again.
func TestActionsPauseBot(t *testing.T) {
	b := newBridge(t)
	openQ := map[string]any{"textMessage": map[string]any{"text": "When are you open?"}}
	b.actOK(map[string]any{"pauseBot": true}, `["pauseBot"]`, 0)
	if doc := getSession(t, b.s, "conv-1"); !doc.Internal.IsPaused {
		t.Errorf("internal.isPaused = false after pauseBot true")
	}
	b.send(openQ) // no bot reply
	got := b.actOK([]byte(`{"sendMessages":[`+agentTemplates[0].template+`]}`), `["sendMessages"]`, 1)
	if want := delivery("conv-1", agentTemplates[0].message, 1, nil); len(got) != 1 || string(got[0]) != want {
		t.Errorf("agent message while paused:\n got %s\nwant %s", joinBodies(got), want)
	}
	var list conversationsPage
	status, body := v1Call(t, http.MethodGet, b.s.URL()+"/v1/bots/shop/conversations?version=DRAFT", "shop-token", nil)
	wantJSON(t, status, body, http.StatusOK, &list)
	if len(list.Data) != 1 || !list.Data[0].Paused {
		t.Errorf("conversation not listed as paused: %s", body)
	}
	b.actOK(map[string]any{"pauseBot": false}, `["pauseBot"]`, 0)
	b.send(openQ, withNLP(text("conv-1", "We are open 9 to 5.", 1), openingHours("When are you open?")))
	if doc := getSession(t, b.s, "conv-1"); doc.Internal.IsPaused {
		t.Errorf("internal.isPaused = true after pauseBot false")
	}
}

// TestActionsGoToBlockAndSetSession: goToBlock runs the block (with its
// assignments), setSession shows in session-data, and the four actions
// apply in the order setSession, pauseBot, sendMessages, goToBlock.
func TestActionsGoToBlockAndSetSession(t *testing.T) {
	b := newBridge(t)
	got := b.actOK(map[string]any{"goToBlock": map[string]any{"blockId": "hours"}}, `["goToBlock"]`, 0)
	if want := text("conv-1", "We are open 9 to 5.", 1); len(got) != 1 || string(got[0]) != want {
		t.Errorf("goToBlock hours:\n got %s\nwant %s", joinBodies(got), want)
	}
	got = b.actOK(map[string]any{"goToBlock": map[string]any{"blockId": "adult",
		"sessionDataToSet": []map[string]any{{"key": "signup.email", "value": "eve@example.com"}}}}, `["goToBlock"]`, 0)
	if want := text("conv-1", "Thanks eve@example.com, you are all set.", 1); len(got) != 1 || string(got[0]) != want {
		t.Errorf("goToBlock adult:\n got %s\nwant %s", joinBodies(got), want)
	}

	got = b.actOK(map[string]any{"goToBlock": map[string]any{"blockId": "adult",
		"sessionDataToSet": []map[string]any{{"key": "signup.email", "value": "{internal.sessionId}@example.com"}}}}, `["goToBlock"]`, 0)
	if want := text("conv-1", "Thanks conv-1@example.com, you are all set.", 1); len(got) != 1 || string(got[0]) != want {
		t.Errorf("goToBlock with a value reading internal.*:\n got %s\nwant %s", joinBodies(got), want)
	}

	b.actOK(map[string]any{"setSession": map[string]any{"profile.tier": "gold", "internal.botId": "hacked"}}, `["setSession"]`, 0)
	doc := getSession(t, b.s, "conv-1")
	if doc.Profile["tier"] != "gold" || doc.Internal.BotID != "shop" {
		t.Errorf("after setSession: profile %v, internal.botId %q", doc.Profile, doc.Internal.BotID)
	}

	got = b.actOK([]byte(`{"goToBlock":{"blockId":"adult"},"sendMessages":[{"textMessageTemplate":{"textMessages":[{"text":"Back to the bot, {profile.tier} member."}]}}],`+
		`"pauseBot":false,"setSession":{"signup.email":"zoe@example.com"}}`), `["setSession","pauseBot","sendMessages","goToBlock"]`, 1)
	want := []string{text("conv-1", "Back to the bot, gold member.", 1), text("conv-1", "Thanks zoe@example.com, you are all set.", 1)}
	if len(got) != 2 || string(got[0]) != want[0] || string(got[1]) != want[1] {
		t.Errorf("all four actions:\n got %s\nwant %s\n%s", joinBodies(got), want[0], want[1])
	}
}

// TestActionsBadRequests: a bad body is refused whole, naming the field,
// and changes nothing.
func TestActionsBadRequests(t *testing.T) {
	b := newBridge(t)
	text1 := map[string]any{"textMessageTemplate": map[string]any{"textMessages": []any{map[string]any{"text": "hi"}}}}
	postback := func(target string) map[string]any {
		return map[string]any{"postBackButton": map[string]any{"title": "Go", "payload": map[string]any{"nextDialogstateId": target}}}
	}
	cases := []struct {
		name  string
		body  any
		field string
	}{
		{"nothing", map[string]any{}, ""},
		{"only unknown fields", map[string]any{"pause": true}, ""},
		{"unknown block", map[string]any{"goToBlock": map[string]any{"blockId": "nope"}}, "/goToBlock/blockId"},
		{"no block", map[string]any{"goToBlock": map[string]any{}}, "/goToBlock/blockId"},
		{"bad assignment", map[string]any{"goToBlock": map[string]any{"blockId": "hours",
			"sessionDataToSet": []any{map[string]any{"key": "a..b", "value": 1}}}}, "/goToBlock/sessionDataToSet/0/key"},
		{"two template keys", map[string]any{"sendMessages": []any{map[string]any{
			"textMessageTemplate": text1["textMessageTemplate"],
			"attachmentTemplate":  map[string]any{"media": map[string]any{"url": "https://example.com/a.png", "type": "image"}}}}}, "/sendMessages/0"},
		{"no template key", map[string]any{"sendMessages": []any{text1, map[string]any{}}}, "/sendMessages/1"},
		{"empty sendMessages", map[string]any{"sendMessages": []any{}}, "/sendMessages"},
		{"empty text", map[string]any{"sendMessages": []any{map[string]any{"textMessageTemplate": map[string]any{
			"textMessages": []any{map[string]any{"text": ""}}}}}}, "/sendMessages/0/textMessageTemplate/textMessages/0/text"},
		{"four buttons", map[string]any{"sendMessages": []any{map[string]any{"buttonTemplate": map[string]any{
			"textMessages": []any{map[string]any{"text": "x"}},
			"buttons":      []any{postback("hours"), postback("hours"), postback("hours"), postback("hours")}}}}}, "/sendMessages/0/buttonTemplate/buttons"},
		{"bad setSession key", map[string]any{"setSession": map[string]any{"a b": 1}}, "/setSession/a b"},
		{"pauseBot not a bool", map[string]any{"pauseBot": "yes"}, "/pauseBot"},
		{"valid parts are not applied", map[string]any{"setSession": map[string]any{"profile.tier": "gold"}, "pauseBot": true,
			"sendMessages": []any{text1}, "goToBlock": map[string]any{"blockId": "nope"}}, "/goToBlock/blockId"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			status, body := b.act(c.body)
			wantError(t, status, body, http.StatusBadRequest, c.field)
		})
	}
	b.s.FlushT(t)
	if n := len(b.rc.received()); n != b.seen {
		t.Errorf("bad requests sent %d messages", n-b.seen)
	}
	if doc := getSession(t, b.s, "conv-1"); doc.Profile != nil || doc.Internal.IsPaused {
		t.Errorf("a bad request changed the session: %+v", doc)
	}

	url := b.s.URL() + "/v1/bots/shop/conversations/nobody/actions?version=DRAFT"
	status, body := v1Call(t, http.MethodPost, url, "shop-token", map[string]any{"pauseBot": true})
	wantError(t, status, body, http.StatusNotFound, "conversationId")
	status, body = v1Call(t, http.MethodPost, b.s.URL()+"/v1/bots/shop/conversations/conv-1/actions", "shop-token", map[string]any{"pauseBot": true})
	wantError(t, status, body, http.StatusBadRequest, "version")
}
