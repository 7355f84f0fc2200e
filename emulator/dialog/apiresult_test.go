package dialog

import "testing"

// apiScript has an API action "call" followed by "after".
func apiScript(api *APICall) *Script {
	return testScript(
		&Block{ID: "call", Name: "Call API", Kind: KindAction, API: api, Next: goTo("after")},
		msgBlock("after", "", "After the call."),
		msgBlock("limit", "", "Your limit is {account.limit} of {account.currency}."),
		msgBlock("api-failed", "", "The API failed."),
	)
}

func TestAPICallEffect(t *testing.T) {
	f := newFixture(apiScript(&APICall{
		Method:  "post",
		URL:     "{config.base}/accounts/{user.id}",
		Query:   map[string]string{"z": "last", "lang": "{internal.locale}", "q": "a b&c"},
		Headers: map[string]string{"Authorization": "Bearer {config.token}"},
		Body:    map[string]any{"id": "{user.id}", "age": "{user.age}", "note": "age {user.age}", "missing": "{nope}"},
	}))
	f.c.Session["config"] = map[string]any{"base": "http://api.test", "token": "t0k"}
	f.c.Session["user"] = map[string]any{"id": "u1", "age": 42.0}
	f.c.Locale = "en"
	f.e.RefreshInternal(f.c)
	effs := f.step(Jump{Block: "call"})
	if len(effs) != 1 {
		t.Fatalf("got %d effects, want 1", len(effs))
	}
	call := effs[0].(CallAPI)
	assertEqual(t, call.Method, "POST")
	assertEqual(t, call.URL, "http://api.test/accounts/u1?lang=en&q=a+b%26c&z=last")
	assertEqual(t, call.Headers, map[string]string{"Authorization": "Bearer t0k", "Content-Type": "application/json"})
	assertEqual(t, string(call.Body), `{"age":42,"id":"u1","missing":"{nope}","note":"age 42"}`)
	assertEqual(t, f.c.Pending, &Pending{Block: "call", Kind: PendingAPI})
}

func TestAPICallDefaults(t *testing.T) {
	f := newFixture(apiScript(&APICall{URL: "http://api.test/x?a=1", Query: map[string]string{"b": "2"},
		Headers: map[string]string{"content-type": "text/plain"}}))
	call := f.step(Jump{Block: "call"})[0].(CallAPI)
	assertEqual(t, call.Method, "GET")
	assertEqual(t, call.URL, "http://api.test/x?a=1&b=2")
	assertEqual(t, call.Body, []byte(nil))
	assertEqual(t, call.Headers, map[string]string{"content-type": "text/plain"})
}

func TestAPIResult(t *testing.T) {
	tests := []struct {
		name   string
		onErr  *GoTo
		result APIResult
		want   []string
	}{
		{"session, then messages, then action",
			nil, APIResult{Status: 200, Body: []byte(`{
				"action": {"nextDialogstate": "limit"},
				"messages": [{"type": "text", "config": {"textMessages": [{"text": "Limit {account.limit}"}]}}],
				"session": {"namespace": "account", "data": {"limit": 1000, "currency": "EUR"}}}`)},
			[]string{"Limit 1000", "Your limit is 1000 of EUR."}},
		{"session as an array, action by block name",
			nil, APIResult{Body: []byte(`{"session": [{"namespace": "account", "data": {"limit": 5}},
				{"namespace": "account", "data": {"currency": "USD"}}], "action": {"nextDialogstate": "limit name"}}`)},
			[]string{"Your limit is 5 of USD."}},
		{"no action follows Next", nil, APIResult{Body: []byte(`{}`)}, []string{"After the call."}},
		{"transport error", nil, APIResult{Err: "timeout"}, []string{"warn plugin-failed", "Something went wrong."}},
		{"error with OnError", goTo("api-failed"), APIResult{Err: "status 500"}, []string{"warn plugin-failed", "The API failed."}},
		{"not an object", nil, APIResult{Body: []byte(`[1]`)}, []string{"warn plugin-failed", "Something went wrong."}},
		{"empty body", nil, APIResult{Body: nil}, []string{"warn plugin-failed", "Something went wrong."}},
		{"malformed messages apply nothing", nil, APIResult{Body: []byte(`{"session": {"namespace": "account", "data": {"limit": 1}},
			"messages": [{"type": "text", "config": {}}]}`)}, []string{"warn plugin-failed", "Something went wrong."}},
		{"malformed session", nil, APIResult{Body: []byte(`{"session": {"namespace": "account", "data": {"limit": 1}}, "extra": 1,
			"session2": 0, "action": 3}`)}, []string{"warn plugin-failed", "Something went wrong."}},
		{"session data not an object is stored", nil, APIResult{Body: []byte(`{"session": {"namespace": "account", "data": 3}}`)},
			[]string{"warn plugin-session-data", "After the call."}},
		{"unknown next block", nil, APIResult{Body: []byte(`{"action": {"nextDialogstate": "nowhere"}}`)},
			[]string{"warn unknown-block", "Something went wrong."}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(apiScript(&APICall{URL: "http://api.test", OnError: tt.onErr}))
			f.c.Started = true
			f.step(Text{Text: "hello"})
			f.c.Counter = 0
			f.step(Jump{Block: "call"})
			effs := f.step(tt.result)
			assertEqual(t, describe(effs), tt.want)
			assertEqual(t, firstSend(t, effs).Counter, 1)
			assertEqual(t, f.c.Pending, (*Pending)(nil))
		})
	}
}

func TestAPIResultWithoutPendingIsIgnored(t *testing.T) {
	f := newFixture(apiScript(&APICall{URL: "http://api.test"}))
	assertEqual(t, describe(f.step(APIResult{Body: []byte(`{"action":{"nextDialogstate":"limit"}}`)})), []string{})
	f.c.Pending = &Pending{Block: "call", Kind: PendingOffload}
	assertEqual(t, describe(f.step(APIResult{Body: []byte(`{}`)})), []string{})
}

func TestAPIResultCounterContinues(t *testing.T) {
	s := apiScript(&APICall{URL: "http://api.test"})
	s.Blocks["start"] = msgBlock("start", "call", "Checking…")
	f := newFixture(s)
	first := f.step(Click{Target: "start"})
	assertEqual(t, describe(first), []string{"Checking…", "api GET http://api.test"})
	second := f.step(APIResult{Body: []byte(`{}`)})
	assertEqual(t, second[0].(Send).Counter, 2)
}

func TestAPIResultSessionCannotWriteInternal(t *testing.T) {
	f := newFixture(apiScript(&APICall{URL: "http://api.test"}))
	f.step(Jump{Block: "call"})
	f.step(APIResult{Body: []byte(`{"session": [{"namespace": "internal", "data": {"botId": "x"}},
		{"data": {"internal": {"botId": "y"}, "top": 1}}]}`)})
	assertEqual(t, f.get(t, "internal.botId"), "bot1")
	assertEqual(t, f.get(t, "top"), 1.0)
}

func TestRuntimeButtonsFromAPI(t *testing.T) {
	s := apiScript(&APICall{URL: "http://api.test"})
	s.Blocks["chosen"] = msgBlock("chosen", "", "You chose {choice.size}.")
	f := newFixture(s)
	f.step(Jump{Block: "call"})
	effs := f.step(APIResult{Body: []byte(`{"messages": [{"type": "quickReplies", "config": {
		"textMessages": [{"text": "Size?"}],
		"quickReplies": [{"type": "postback", "title": "Large", "payload": {"nextDialogstateId": "chosen", "params": [{"key": "choice.size", "value": "L"}]}}]}}],
		"action": {"nextDialogstate": "chosen"}}`)})
	msg := effs[0].(Send).Message
	id := msg.QuickReplies[0].Payload
	wantID := PostbackID("bot1", "session-1", "chosen", `[{"key":"choice.size","value":"L"}]`, "Large")
	assertEqual(t, id, wantID)
	assertEqual(t, f.e.ParseLegacyText(f.c, id), Event(Click{Payload: id}))
	assertEqual(t, describe(f.step(Click{Payload: id})), []string{"You chose L."})
	assertEqual(t, f.get(t, "internal.messageContent"), "Large")
}

func TestOffload(t *testing.T) {
	offloadScript := func() *Script {
		return testScript(&Block{ID: "handover", Kind: KindAction,
			Offload: &Offload{Payload: map[string]any{"reason": "agent for {user.name}", "priority": "{user.vip}"}}})
	}
	tests := []struct {
		name       string
		result     OffloadResult
		want       []string
		wantPaused bool
		wantOff    bool
	}{
		{"opened with pauseBot", OffloadResult{Outcome: OffloadOpened, PauseBot: true}, []string{"Please wait for an agent."}, true, true},
		{"opened without pauseBot", OffloadResult{Outcome: OffloadOpened}, []string{"Please wait for an agent."}, false, true},
		{"closed", OffloadResult{Outcome: OffloadClosed, PauseBot: true}, []string{"Live chat is closed."}, false, false},
		{"disabled", OffloadResult{Outcome: OffloadDisabled}, []string{"Live chat is disabled."}, false, false},
		{"unknown outcome counts as closed", OffloadResult{Outcome: "weird"}, []string{"Live chat is closed."}, false, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(offloadScript())
			f.c.Started = true
			f.c.Session["user"] = map[string]any{"name": "Ann", "vip": true}
			effs := f.step(Text{Text: "talk to an agent"})
			if len(effs) != 1 {
				t.Fatalf("got %v, want one offload request", describe(effs))
			}
			assertEqual(t, effs[0], Effect(RequestOffload{Payload: map[string]any{"reason": "agent for Ann", "priority": true}}))
			assertEqual(t, describe(f.step(tt.result)), tt.want)
			assertEqual(t, f.c.Paused, tt.wantPaused)
			assertEqual(t, f.c.Offloaded, tt.wantOff)
			assertEqual(t, f.get(t, "internal.isPaused"), tt.wantPaused)
			_, hasOffload := GetPath(f.e.SessionView(f.c), "internal.offload")
			assertEqual(t, hasOffload, tt.wantOff)
			if tt.wantOff {
				assertEqual(t, f.get(t, "internal.offload.reason"), "agent for Ann")
			}
		})
	}
}

func TestOffloadResultWithoutPendingIsIgnored(t *testing.T) {
	f := newFixture(testScript())
	assertEqual(t, describe(f.step(OffloadResult{Outcome: OffloadOpened, PauseBot: true})), []string{})
	assertEqual(t, f.c.Paused, false)
}

func TestPausedBotIsSilent(t *testing.T) {
	f := newFixture(testScript())
	f.c.Started, f.c.Paused, f.c.Current = true, true, "greet"
	f.c.Counter = 4
	for _, ev := range []Event{Text{Text: "hello"}, Intro{}, Click{Target: "greet", Title: "Hi"}} {
		if effs := f.step(ev); len(effs) != 0 {
			t.Errorf("%T while paused: got %v", ev, describe(effs))
		}
	}
	assertEqual(t, f.c.Current, "greet")
	assertEqual(t, f.c.Counter, 0)
	assertEqual(t, f.get(t, "internal.messageType"), "postback")
	assertEqual(t, f.get(t, "internal.messageContent"), "Hi")
	assertEqual(t, f.get(t, "internal.isPaused"), true)

	assertEqual(t, describe(f.step(Jump{Block: "order", Messages: []Template{txt("Agent here")}})),
		[]string{"Agent here", "Which pizza?"})
	assertEqual(t, f.c.Paused, true)
}

// firstSend returns the first Send effect.
func firstSend(t *testing.T, effs []Effect) Send {
	t.Helper()
	for _, e := range effs {
		if s, ok := e.(Send); ok {
			return s
		}
	}
	t.Fatalf("no Send among %v", describe(effs))
	return Send{}
}

// TestAPIResultSessionData checks what a plugin's session.data of each
// JSON type does: objects merge, other values replace the namespace with
// a warning naming the field, and under Options.Strict they fail the call.
func TestAPIResultSessionData(t *testing.T) {
	tests := []struct {
		name   string
		strict bool
		body   string
		want   []string
		stored any
	}{
		{"array", false, `{"session": {"namespace": "account", "data": [1, "a"]}}`,
			[]string{"warn plugin-session-data", "After the call."}, []any{1.0, "a"}},
		{"string", false, `{"session": [{"namespace": "account", "data": "gold"}]}`,
			[]string{"warn plugin-session-data", "After the call."}, "gold"},
		{"null merges nothing", false, `{"session": {"namespace": "account", "data": null}}`,
			[]string{"After the call."}, map[string]any{"limit": 7.0}},
		{"no namespace: not stored", false, `{"session": {"data": [1]}}`,
			[]string{"warn plugin-session-data", "After the call."}, map[string]any{"limit": 7.0}},
		{"strict refuses an array", true, `{"session": {"namespace": "account", "data": [1]}}`,
			[]string{"warn plugin-failed", "Something went wrong."}, map[string]any{"limit": 7.0}},
		{"strict takes an object", true, `{"session": {"namespace": "account", "data": {"limit": 8}}}`,
			[]string{"After the call."}, map[string]any{"limit": 8.0}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(apiScript(&APICall{URL: "http://api.test"}))
			f.e = New(f.e.Script(), Options{Strict: tt.strict})
			f.c.Session["account"] = map[string]any{"limit": 7.0}
			f.step(Jump{Block: "call"})
			effs := f.step(APIResult{Status: 200, Body: []byte(tt.body)})
			assertEqual(t, describe(effs), tt.want)
			assertEqual(t, f.c.Session["account"], tt.stored)
			for _, e := range effs {
				if w, ok := e.(Warn); ok && w.Code == WarnPluginSessionData && w.Field != "/session/data" && w.Field != "/session/0/data" {
					t.Errorf("warning field %q, want the JSON pointer of data", w.Field)
				}
			}
		})
	}
}
