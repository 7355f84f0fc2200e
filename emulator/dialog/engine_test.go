package dialog

import (
	"testing"
	"time"
)

func TestIntro(t *testing.T) {
	f := newFixture(testScript())
	f.c.Awaiting = &Awaiting{Block: "x"}
	f.c.Pending = &Pending{Block: "y", Kind: PendingAPI}
	assertEqual(t, describe(f.step(Intro{})), []string{"Welcome!"})
	if !f.c.Started || f.c.Awaiting != nil || f.c.Pending != nil {
		t.Errorf("after intro: started=%v awaiting=%v pending=%v", f.c.Started, f.c.Awaiting, f.c.Pending)
	}
	assertEqual(t, f.c.Current, BlockIntroduction)
}

func TestTextRouting(t *testing.T) {
	tests := []struct {
		name    string
		started bool
		text    string
		want    []string
	}{
		{"intent above threshold", true, "hello", []string{"Hello!"}},
		{"intent, other word order", true, "pizza I want to order a", []string{"Which pizza?"}},
		{"score equal to threshold is not understood", true, "I want a pizza", []string{"Sorry, I did not get that."}},
		{"score below threshold", true, "pizza", []string{"Sorry, I did not get that."}},
		{"no token in common", true, "what is the weather", []string{"Sorry, I did not get that."}},
		{"first message with an intent skips the introduction", false, "hello", []string{"Hello!"}},
		{"first message without an intent runs the introduction", false, "hmm", []string{"Welcome!"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(testScript())
			f.c.Started = tt.started
			assertEqual(t, f.say(tt.text), tt.want)
			if !f.c.Started {
				t.Error("conversation not marked started")
			}
		})
	}
}

func TestTextUsesLocaleLanguage(t *testing.T) {
	f := newFixture(testScript())
	f.c.Started = true
	effs := f.e.Step(f.c, Input{Event: Text{Text: "ik wil een pizza bestellen"}, Locale: "nl-be"}, t0)
	assertEqual(t, describe(effs), []string{"Which pizza?"})
	assertEqual(t, f.c.Locale, "nl-be")
}

func TestSystemAndCustomEntitiesStored(t *testing.T) {
	f := newFixture(testScript())
	f.c.Started = true
	f.say("2 salami pizzas to ann@example.com in 2000")
	assertEqual(t, f.get(t, "sys.number"), 2.0)
	assertEqual(t, f.get(t, "sys.email"), "ann@example.com")
	assertEqual(t, f.get(t, "topping"), "pepperoni")
	assertEqual(t, f.get(t, "postcode"), "2000")

	f.say("no numbers here")
	assertEqual(t, f.get(t, "sys.number"), 2.0) // kept until the next detection
	f.say("make it 3.5")
	assertEqual(t, f.get(t, "sys.number"), 3.5)
}

func TestClick(t *testing.T) {
	s := testScript(msgBlock("yes", "", "You said yes, {answer.choice}."))
	s.Postbacks = map[string]Postback{
		PostbackID("bot1", "yes-button"): {Title: "Yes", GoTo: GoTo{Block: "yes", Set: []Assignment{{Path: "answer.choice", Value: "static"}}}},
	}
	runtimeID := PostbackID("runtime")
	tests := []struct {
		name      string
		click     Click
		want      []string
		wantTitle string
	}{
		{"opaque id of a static button", Click{Payload: PostbackID("bot1", "yes-button")},
			[]string{"You said yes, static."}, "Yes"},
		{"opaque id issued at run time", Click{Payload: runtimeID},
			[]string{"You said yes, runtime."}, "Run"},
		{"legacy params form", Click{Payload: `{"params":[{"key":"answer.choice","value":"p1"}],"nextDialogstateId":"yes","type":"quickreply","caption":"Yes!"}`},
			[]string{"You said yes, p1."}, "Yes!"},
		{"legacy parameters form, by order", Click{Payload: `{"title":"Yes","caption":"c","type":"button","originalTitle":"o","nextDialogstateId":"yes","parameters":[{"order":2,"key":"answer.choice","value":"second"},{"order":1,"key":"answer.choice","value":"first","__typename":"Parameter"}]}`},
			[]string{"You said yes, second."}, "Yes"},
		{"target and set", Click{Title: "Sure", Target: "yes", Set: []Assignment{{Path: "answer.choice", Value: "direct"}}},
			[]string{"You said yes, direct."}, "Sure"},
		{"target by block name", Click{Target: "yes name", Set: []Assignment{{Path: "answer.choice", Value: "named"}}},
			[]string{"You said yes, named."}, ""},
		{"unknown payload", Click{Payload: "deadbeef"}, []string{"warn unknown-postback", "Sorry, I did not get that."}, ""},
		{"unknown target", Click{Target: "nowhere"}, []string{"warn unknown-block", "Sorry, I did not get that."}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(s)
			f.c.Postbacks = map[string]Postback{runtimeID: {Title: "Run", GoTo: GoTo{Block: "yes",
				Set: []Assignment{{Path: "answer.choice", Value: "runtime"}}}}}
			f.c.Awaiting = &Awaiting{Block: "somewhere"}
			assertEqual(t, describe(f.step(tt.click)), tt.want)
			assertEqual(t, f.c.Awaiting, (*Awaiting)(nil))
			assertEqual(t, f.get(t, "internal.messageType"), "postback")
			assertEqual(t, f.get(t, "internal.messageContent"), tt.wantTitle)
		})
	}
}

func TestParseLegacyText(t *testing.T) {
	s := testScript()
	s.Postbacks = map[string]Postback{"static-id": {GoTo: GoTo{Block: "greet"}}}
	f := newFixture(s)
	f.c.Postbacks = map[string]Postback{"runtime-id": {GoTo: GoTo{Block: "greet"}}}
	tests := []struct {
		text string
		want Event
	}{
		{"static-id", Click{Payload: "static-id"}},
		{"runtime-id", Click{Payload: "runtime-id"}},
		{`{"nextDialogstateId":"greet","params":[]}`, Click{Payload: `{"nextDialogstateId":"greet","params":[]}`}},
		{`{"title":"x"}`, Text{Text: `{"title":"x"}`}},
		{"hello", Text{Text: "hello"}},
	}
	for _, tt := range tests {
		assertEqual(t, f.e.ParseLegacyText(f.c, tt.text), tt.want)
	}
}

func TestJump(t *testing.T) {
	f := newFixture(testScript())
	f.c.Counter = 7
	f.c.Awaiting = &Awaiting{Block: "order"}
	effs := f.step(Jump{Block: "greet", Messages: []Template{txt("From the agent")}})
	assertEqual(t, describe(effs), []string{"From the agent", "Hello!"})
	assertEqual(t, effs[0].(Send).Counter, 1)
	assertEqual(t, f.c.Awaiting, (*Awaiting)(nil))

	assertEqual(t, describe(f.step(Jump{Block: "no-such-block"})), []string{"Something went wrong."})
	assertEqual(t, describe(f.step(Jump{Block: "greet name"})), []string{"Hello!"})
}

func TestLoopProtection(t *testing.T) {
	t.Run("loop goes to Error occurred once", func(t *testing.T) {
		f := newFixture(testScript(&Block{ID: "loop", Kind: KindCondition, Fallback: goTo("loop")}))
		assertEqual(t, describe(f.step(Jump{Block: "loop"})), []string{"warn loop-detected", "Something went wrong."})
	})
	t.Run("a looping error block stops silently", func(t *testing.T) {
		s := testScript(&Block{ID: "loop", Kind: KindCondition, Fallback: goTo("loop")})
		s.Blocks[BlockErrorOccurred] = msgBlock(BlockErrorOccurred, "loop", "Oops.")
		f := newFixture(s)
		assertEqual(t, describe(f.step(Jump{Block: "loop"})), []string{"warn loop-detected", "Oops."})
	})
	t.Run("100 entries are allowed", func(t *testing.T) {
		s := testScript()
		for i := range 100 {
			next := ""
			if i < 99 {
				next = blockName(i + 1)
			}
			s.Blocks[blockName(i)] = &Block{ID: blockName(i), Kind: KindMessage, Next: optGoTo(next)}
		}
		s.Blocks[blockName(99)].Messages = []Template{txt("done")}
		f := newFixture(s)
		assertEqual(t, describe(f.step(Jump{Block: blockName(0)})), []string{"done"})
	})
}

func blockName(i int) string { return "b" + string(rune('A'+i/26)) + string(rune('a'+i%26)) }

func optGoTo(id string) *GoTo {
	if id == "" {
		return nil
	}
	return goTo(id)
}

func TestMissingDefaultBlocksSendNothing(t *testing.T) {
	e := New(&Script{BotID: "b", IntentThreshold: 0.8}, Options{})
	c := NewConversation(e.Script(), "LIVE", "s", t0)
	for _, ev := range []Event{Intro{}, Text{Text: "hi"}, Click{Payload: "x"}, Jump{Block: "x"}} {
		if effs := e.Step(c, Input{Event: ev}, t0); len(effs) != 0 && !onlyWarnings(effs) {
			t.Errorf("%T: got %v, want no effects but warnings", ev, describe(effs))
		}
	}
	if effs := New(nil, Options{}).Step(&Conversation{}, Input{Event: Intro{}}, t0); len(effs) != 0 {
		t.Errorf("nil script: got %v", describe(effs))
	}
}

func TestMessageCounter(t *testing.T) {
	s := testScript(msgBlock("two", "three", "one", "two"), msgBlock("three", "", "three"))
	f := newFixture(s)
	counters := func(effs []Effect) []int {
		var out []int
		for _, e := range effs {
			if s, ok := e.(Send); ok {
				out = append(out, s.Counter)
			}
		}
		return out
	}
	assertEqual(t, counters(f.step(Click{Target: "two"})), []int{1, 2, 3})
	assertEqual(t, counters(f.step(Intro{})), []int{1})
	assertEqual(t, counters(f.step(Text{Text: "hello"})), []int{1})
}

func TestStepPrepare(t *testing.T) {
	f := newFixture(testScript())
	later := t0.Add(time.Hour)
	in := Input{
		Event:  Text{Text: "hello"},
		User:   &User{ID: "u1", FirstName: "Ann", PreferredLanguage: "en"},
		Locale: "en-us",
		SessionData: map[string]any{
			"email": "ann@example.com", "address.zipCode": "2000",
			"internal.botId": "hacked", "order": map[string]any{"n": 1.0},
		},
	}
	f.e.Step(f.c, in, later)
	assertEqual(t, f.c.User.FirstName, "Ann")
	assertEqual(t, f.c.LastActivity, later)
	assertEqual(t, f.c.CreatedAt, t0)
	assertEqual(t, f.get(t, "email"), "ann@example.com")
	assertEqual(t, f.get(t, "address.zipCode"), "2000")
	assertEqual(t, f.get(t, "order.n"), 1.0)
	assertEqual(t, f.get(t, "internal.botId"), "bot1")
}

func TestInternalNamespace(t *testing.T) {
	s := testScript(&Block{ID: "ask", Name: "Ask size", Kind: KindCollect, Collect: &Collect{
		Variable: "order.size", Prompt: []Template{txt("Size?")}, Validation: ValidateAny}})
	f := newFixture(s)
	f.c.User = User{ID: "u1", FirstName: "Ann"}
	f.step(Intro{})
	f.step(Jump{Block: "ask"})
	f.c.Session["internal"] = map[string]any{"botId": "tampered"} // as if a user had written it
	if _, kept := f.c.Session["internal"]; !kept {
		t.Fatal("setup: the session lost the tampered namespace")
	}
	f.e.Step(f.c, Input{Event: Text{Text: "hello 2"}, SessionData: map[string]any{"internal.sessionId": "x"}}, t0)

	if _, stored := f.c.Session["internal"]; stored {
		t.Error("the session keeps the internal namespace after Step; it is built on demand")
	}
	assertJSON(t, f.e.SessionView(f.c)["internal"], `{
		"botId": "bot1", "sessionId": "session-1", "version": "DRAFT", "channel": "webhook",
		"preferredLanguage": "en", "locale": "en", "isPaused": false,
		"user": {"id": "u1", "firstName": "Ann"},
		"nlp": {"expression": "hello 2",
			"intents": [{"name": "greet", "score": 0.6666666666666666}],
			"entities": [{"name": "sys.number", "value": "2", "raw": "2", "score": 1, "start": 6, "end": 7, "system": true}]},
		"currentDialogstate": {"id": "ask", "name": "Ask size", "type": "COLLECT"},
		"previousDialogstate": {"id": "introduction", "name": "introduction name", "type": "MESSAGE"},
		"messageType": "text", "messageContent": "hello 2"
	}`)
}

// TestInternalIsCurrentWhenRead: a reply interpolating internal.* sees the
// message it answers, its NLP result and the block being entered, not the
// state of the previous step.
func TestInternalIsCurrentWhenRead(t *testing.T) {
	echo := msgBlock("greet", "", "{internal.messageType}: {internal.messageContent} → "+
		"{internal.nlp.intent.name} in {internal.currentDialogstate.name} after {internal.previousDialogstate.name}")
	f := newFixture(testScript(echo))
	f.step(Intro{})
	effs := f.step(Text{Text: "hello"})
	if len(effs) != 1 {
		t.Fatalf("got %v, want one message", describe(effs))
	}
	assertEqual(t, effs[0].(Send).Message.Text, "text: hello → greet in greet name after introduction name")
	if _, kept := f.c.Session[NamespaceInternal]; kept {
		t.Error("the session keeps the internal namespace after Step")
	}
}

// TestInternalIsNotBuiltWithoutAReader: a step whose templates have no
// placeholders and no conditions or assignments does not build internal.*;
// one that reads it does. The turn is run without Step, which would drop
// the namespace at its end, so that the session shows whether it was built.
func TestInternalIsNotBuiltWithoutAReader(t *testing.T) {
	for _, tt := range []struct {
		name  string
		greet *Block
		built bool
	}{
		{"no reader", msgBlock("greet", "", "Hello!"), false},
		{"a template reads internal.*", msgBlock("greet", "", "Hello {internal.user.firstName}!"), true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(testScript(tt.greet))
			f.step(Intro{})
			prepare(f.c, Input{}, t0)
			tr := &turn{e: f.e, c: f.c}
			tr.dispatch(Text{Text: "hello"})
			if len(tr.effects) != 1 {
				t.Fatalf("got %v, want the greeting", describe(tr.effects))
			}
			if _, built := f.c.Session[NamespaceInternal]; built != tt.built {
				t.Errorf("internal.* built: %v, want %v", built, tt.built)
			}
		})
	}
}

func onlyWarnings(effs []Effect) bool {
	for _, e := range effs {
		if _, ok := e.(Warn); !ok {
			return false
		}
	}
	return true
}
