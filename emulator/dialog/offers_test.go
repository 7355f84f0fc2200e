package dialog

import "testing"

// titleScript has a menu whose reply offers static quick replies and a
// button; two of them share a title.
func titleScript() *Script {
	menu := &Block{ID: "menu", Name: "menu", Kind: KindMessage, Messages: []Template{
		{Kind: TmplQuickReplies, Text: "Pick", Replies: []Button{
			{Kind: ButtonPostback, Title: "Yes", Payload: "qr-yes"},
			{Kind: ButtonPostback, Title: "Order", Payload: "qr-order"},
			{Kind: ButtonPostback, Title: "Same", Payload: "qr-same-1"},
			{Kind: ButtonLocation},
		}},
		{Kind: TmplButtons, Text: "Or", Buttons: []Button{
			{Kind: ButtonPostback, Title: "Same", Payload: "btn-same-2"},
			{Kind: ButtonPostback, Title: "order", Payload: "btn-greet"},
			{Kind: ButtonURL, Title: "Site", URL: "https://x.test"},
		}},
	}}
	s := testScript(menu, msgBlock("yes", "", "You said yes, {answer.choice}."))
	s.Postbacks = map[string]Postback{
		"qr-yes":     {Title: "Yes", GoTo: GoTo{Block: "yes", Set: []Assignment{{Path: "answer.choice", Value: "qr"}}}},
		"qr-order":   {Title: "Order", GoTo: GoTo{Block: "order"}},
		"qr-same-1":  {Title: "Same", GoTo: GoTo{Block: "greet"}},
		"btn-same-2": {Title: "Same", GoTo: GoTo{Block: "greet"}},
		"btn-greet":  {Title: "order", GoTo: GoTo{Block: "greet"}},
	}
	return s
}

// TestClickByTitle: a click that names only its title runs the control
// of the last reply with that title, or is a text (with a warning) when
// none or several different ones have it.
func TestClickByTitle(t *testing.T) {
	tests := []struct {
		name        string
		title       string
		want        []string
		messageType string
	}{
		{"matched, trimmed and case-insensitive", "  yES ", []string{"warn postback-title", "You said yes, qr."}, MessageTypePostback},
		{"several with one target", "same", []string{"warn postback-title", "Hello!"}, MessageTypePostback},
		{"several with different targets", "ORDER", []string{"warn postback-title-ambiguous", "Sorry, I did not get that."}, MessageTypeText},
		{"unmatched: a text, with its NLP", "hello", []string{"warn postback-title-unmatched", "Hello!"}, MessageTypeText},
		{"a URL button is no offer", "Site", []string{"warn postback-title-unmatched", "Sorry, I did not get that."}, MessageTypeText},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(titleScript())
			f.c.Started = true
			f.step(Jump{Block: "menu"})
			assertEqual(t, describe(f.step(Click{Title: tt.title})), tt.want)
			assertEqual(t, f.get(t, "internal.messageType"), tt.messageType)
			assertEqual(t, f.get(t, "internal.messageContent"), tt.title)
		})
	}
}

// TestResolveTitle: the event a title stands for, as the emulator
// records it in history before the step.
func TestResolveTitle(t *testing.T) {
	f := newFixture(titleScript())
	f.step(Jump{Block: "menu"})
	ev, w := f.e.ResolveTitle(f.c, Click{Title: "Yes"})
	assertEqual(t, ev, Click{Title: "Yes", Target: "yes", Set: []Assignment{{Path: "answer.choice", Value: "qr"}}})
	assertEqual(t, w.Code, WarnPostbackTitle)
	extra := Assignment{Path: "answer.extra", Value: true}
	ev, _ = f.e.ResolveTitle(f.c, Click{Title: "yes", Set: []Assignment{extra}})
	assertEqual(t, ev, Click{Title: "yes", Target: "yes", Set: []Assignment{{Path: "answer.choice", Value: "qr"}, extra}})
	assertEqual(t, f.e.Script().Postbacks["qr-yes"].GoTo.Set, []Assignment{{Path: "answer.choice", Value: "qr"}}) // not appended to
	ev, w = f.e.ResolveTitle(f.c, Click{Title: "Nope"})
	assertEqual(t, ev, Text{Text: "Nope"})
	assertEqual(t, w.Code, WarnPostbackTitleUnmatched)
	payload := Click{Payload: "qr-yes", Title: "Yes"}
	ev, w = f.e.ResolveTitle(f.c, payload)
	assertEqual(t, ev, payload)
	assertEqual(t, w, Warn{})
	assertEqual(t, Click{Title: "  "}.TitleOnly(), false)
}

// TestOffersAreTheLastReply: the offers are those of every message sent
// since the last user event (a jump's, an API answer's, one rendered for
// an agent); the first message after a user event starts a new reply.
func TestOffersAreTheLastReply(t *testing.T) {
	f := newFixture(titleScript())
	f.c.Started = true
	f.step(Jump{Block: "menu"})
	agent := Template{Kind: TmplQuickReplies, Text: "Agent", Replies: []Button{
		{Kind: ButtonPostback, Title: "Hours", GoTo: &GoTo{Block: "greet name"}}}}
	f.e.Render(f.c, agent) // same reply: no user event since the menu
	assertEqual(t, describe(f.step(Click{Title: "hours"})), []string{"warn postback-title", "Hello!"})
	// The click was a user event and "Hello!" a new reply: the menu's
	// offers are gone.
	assertEqual(t, describe(f.step(Click{Title: "Yes"})), []string{"warn postback-title-unmatched", "Sorry, I did not get that."})
	assertEqual(t, len(f.c.Offers), 0)
	// A user event with no answer (the bot is paused) keeps the offers
	// until the next message is sent.
	f.step(Jump{Block: "menu"})
	f.c.Paused = true
	f.step(Text{Text: "anyone?"})
	assertEqual(t, len(f.c.Offers), 5)
	f.e.Render(f.c, txt("An agent says hi"))
	assertEqual(t, len(f.c.Offers), 0)
}

// TestTitleMatchesRuntimeOffers: a control built at run time (an API
// answer) is matched with its target block by id, even when named.
func TestTitleMatchesRuntimeOffers(t *testing.T) {
	s := testScript(&Block{ID: "call", Kind: KindAction, API: &APICall{Method: "GET", URL: "http://x.test"}})
	f := newFixture(s)
	f.c.Started = true
	f.step(Jump{Block: "call"})
	answer := `{"messages":[{"type":"buttons","config":{"textMessages":[{"text":"Pick"}],
		"buttons":[{"type":"postback","title":"Greet me","payload":{"nextDialogstateId":"greet name","params":[{"key":"k","value":1}]}}]}}]}`
	f.step(APIResult{Status: 200, Body: []byte(answer)})
	ev, _ := f.e.ResolveTitle(f.c, Click{Title: "greet me"})
	assertEqual(t, ev, Click{Title: "greet me", Target: "greet", Set: []Assignment{{Path: "k", Value: 1.0}}})
}
