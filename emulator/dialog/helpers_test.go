package dialog

import (
	"encoding/json"
	"fmt"
	"reflect"
	"regexp"
	"testing"
	"time"
)

var t0 = time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)

// txt is a text template.
func txt(s string) Template { return Template{Kind: TmplText, Text: s} }

// msgBlock is a message block sending texts, then going to next ("" ends).
func msgBlock(id string, next string, texts ...string) *Block {
	b := &Block{ID: id, Name: id + " name", Kind: KindMessage}
	for _, s := range texts {
		b.Messages = append(b.Messages, txt(s))
	}
	if next != "" {
		b.Next = goTo(next)
	}
	return b
}

// testScript is a small pizza bot with the default blocks and extra ones.
func testScript(extra ...*Block) *Script {
	s := &Script{
		BotID: "bot1", Name: "Pizza", Languages: []string{"en", "nl"},
		IntentThreshold: DefaultIntentThreshold, EntityThreshold: DefaultEntityThreshold,
		Intents: []Intent{
			{Name: "order_pizza", Block: "order", Expressions: map[string][]string{
				"en": {"I want to order a pizza", "pizza please"},
				"nl": {"ik wil een pizza bestellen"},
			}},
			{Name: "greet", Block: "greet", Expressions: map[string][]string{"en": {"hello", "hi there"}}},
			{Name: "talk_agent", Block: "handover", Expressions: map[string][]string{"en": {"talk to an agent"}}},
		},
		Entities: []Entity{
			{Name: "topping", Values: []EntityValue{
				{Value: "pepperoni", Synonyms: []string{"salami"}},
				{Value: "mushrooms", Synonyms: []string{"champignons"}},
				{Value: "extra cheese"},
			}},
			{Name: "postcode", Patterns: []*regexp.Regexp{regexp.MustCompile(`\b\d{4}\b`)}},
		},
		Blocks: map[string]*Block{},
	}
	for _, b := range []*Block{
		msgBlock(BlockIntroduction, "", "Welcome!"),
		msgBlock(BlockNotUnderstood, "", "Sorry, I did not get that."),
		msgBlock(BlockErrorOccurred, "", "Something went wrong."),
		msgBlock(BlockOffloadOpened, "", "Please wait for an agent."),
		msgBlock(BlockOffloadClosed, "", "Live chat is closed."),
		msgBlock(BlockOffloadDisabled, "", "Live chat is disabled."),
		msgBlock("greet", "", "Hello!"),
		msgBlock("order", "", "Which pizza?"),
		msgBlock("handover", "", "Connecting you."),
	} {
		s.Blocks[b.ID] = b
	}
	for _, b := range extra {
		s.Blocks[b.ID] = b
	}
	return s
}

// fixture is an engine and a fresh conversation on a script.
type fixture struct {
	e *Engine
	c *Conversation
}

func newFixture(s *Script) *fixture {
	c := NewConversation(s, "DRAFT", "session-1", t0)
	c.Channel = "webhook"
	return &fixture{e: New(s, Options{}), c: c}
}

func (f *fixture) step(ev Event) []Effect {
	return f.e.Step(f.c, Input{Event: ev}, t0)
}

// say sends a text and returns what the bot answered, described.
func (f *fixture) say(s string) []string { return describe(f.step(Text{Text: s})) }

// describe turns effects into short strings: the text of a text message,
// "api METHOD URL", "offload", or the JSON of other messages.
func describe(effs []Effect) []string {
	out := []string{}
	for _, e := range effs {
		switch e := e.(type) {
		case Send:
			if e.Message.Text != "" && e.Message.QuickReplies == nil {
				out = append(out, e.Message.Text)
			} else {
				out = append(out, mustJSON(e.Message))
			}
		case CallAPI:
			out = append(out, fmt.Sprintf("api %s %s", e.Method, e.URL))
		case RequestOffload:
			out = append(out, "offload")
		case Warn:
			out = append(out, "warn "+string(e.Code))
		default:
			panic(fmt.Sprintf("describe: unknown effect %T", e))
		}
	}
	return out
}

func mustJSON(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return string(b)
}

func assertEqual(t *testing.T, got, want any) {
	t.Helper()
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got  %#v\nwant %#v", got, want)
	}
}

func assertJSON(t *testing.T, got any, want string) {
	t.Helper()
	var g, w any
	if err := json.Unmarshal([]byte(mustJSON(got)), &g); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal([]byte(want), &w); err != nil {
		t.Fatalf("bad expected JSON %s: %v", want, err)
	}
	if !reflect.DeepEqual(g, w) {
		t.Errorf("got  %s\nwant %s", mustJSON(got), want)
	}
}

// get reads a session path as a reader outside Step does (SessionView).
func (f *fixture) get(t *testing.T, path string) any {
	t.Helper()
	v, _ := GetPath(f.e.SessionView(f.c), path)
	return v
}

// getPath is GetPath without its found flag.
func getPath(session map[string]any, path string) any {
	v, _ := GetPath(session, path)
	return v
}
