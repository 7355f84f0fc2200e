package scenarios

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/chatlayer-emulator/chatlayer-emulator/emulator/dialog"
)

func mustParse(t *testing.T, src string) *dialog.Script {
	t.Helper()
	b, err := Parse("test.yaml", []byte(src))
	if err != nil {
		t.Fatalf("Parse:\n%v", err)
	}
	return b.Script
}

func TestGotoSetKeepsFileOrder(t *testing.T) {
	s := mustParse(t, `
bot: {id: order}
blocks:
  - id: introduction
    type: message
    messages: [hi]
    next: {block: x, set: {z.last: 1, a.first: "two", m.mid: {nested: [true, null]}}}
  - {id: x, type: action, set: {b.b: 1, a.a: 2}}
`)
	var paths []string
	for _, a := range s.Blocks["introduction"].Next.Set {
		paths = append(paths, a.Path)
	}
	if want := []string{"z.last", "a.first", "m.mid"}; !slices.Equal(paths, want) {
		t.Errorf("set order = %v, want %v", paths, want)
	}
	if v := s.Blocks["introduction"].Next.Set[0].Value; v != 1.0 {
		t.Errorf("number value = %#v, want float64 1", v)
	}
	if set := s.Blocks["x"].Set; set[0].Path != "b.b" || set[1].Path != "a.a" {
		t.Errorf("action set = %+v", set)
	}
}

func TestBlockKinds(t *testing.T) {
	s := mustParse(t, `
bot: {id: kinds}
entities: [{name: colour, values: [{value: red}]}]
blocks:
  - id: introduction
    type: collect
    variable: user.colour
    prompt: "Colour?"
    validate: entity:colour
    maxAttempts: 2
    disableNLP: true
    next: check
  - id: check
    type: condition
    rules:
      - {variable: user.colour, operator: matches, value: "^RED$", goto: introduction}
      - {variable: user.colour, operator: matches, value: "^RED$", caseSensitive: true, goto: introduction}
      - {variable: user.colour, operator: exists, goto: introduction}
  - id: code
    type: collect
    variable: user.code
    prompt: ["Code?"]
    validate: "regex:^[0-9]{4}$"
  - id: call
    type: action
    api: {url: "http://x/{user.code}", query: {q: "{user.colour}"}}
    next: introduction
  - id: where
    type: collect
    variable: user.location
    prompt: [{text: "Where are you?", quickReplies: [{type: location}]}]
    validate: location
  - id: scan
    type: collect
    variable: user.scan
    prompt: "Upload a scan"
    validate: file
`)
	c := s.Blocks["introduction"].Collect
	if c.Validation != dialog.ValidateEntity || c.Entity != "colour" || c.MaxAttempts != 2 || !c.DisableNLP ||
		len(c.Prompt) != 1 || c.Prompt[0].Kind != dialog.TmplText {
		t.Errorf("collect = %+v", c)
	}
	rules := s.Blocks["check"].Rules
	if !rules[0].Pattern.MatchString("red") || rules[1].Pattern.MatchString("red") {
		t.Error("matches rules: caseSensitive false must ignore case, true must not")
	}
	if rules[2].Value != nil {
		t.Errorf("exists rule value = %v", rules[2].Value)
	}
	if re := s.Blocks["code"].Collect.Pattern; re == nil || !re.MatchString("1234") {
		t.Errorf("regex validation = %v", re)
	}
	if v := s.Blocks["where"].Collect.Validation; v != dialog.ValidateLocation {
		t.Errorf("validate: location = %q", v)
	}
	if v := s.Blocks["scan"].Collect.Validation; v != dialog.ValidateFile {
		t.Errorf("validate: file = %q", v)
	}
	if api := s.Blocks["call"].API; api.Method != "GET" || api.Body != nil || api.Query["q"] != "{user.colour}" {
		t.Errorf("api = %+v", api)
	}
}

func TestAnchorsAndMergeKeys(t *testing.T) {
	s := mustParse(t, `
bot: {id: anchors}
blocks:
  - &base {id: introduction, type: message, messages: [hi]}
  - <<: *base
    id: second
`)
	if b := s.Blocks["second"]; b == nil || b.Messages[0].Text != "hi" {
		t.Errorf("merged block = %+v", b)
	}
}

func TestJSONIsYAML(t *testing.T) {
	s := mustParse(t, `{"bot": {"id": "json"}, "blocks": [{"id": "introduction", "type": "message", "messages": ["hi"]}]}`)
	if s.BotID != "json" {
		t.Errorf("BotID = %q", s.BotID)
	}
}

func TestHostileYAML(t *testing.T) {
	bomb := "a: &a [x, x, x, x, x, x, x, x, x, x]\n"
	for i := 'b'; i <= 'j'; i++ {
		bomb += string(i) + ": &" + string(i) + " [" + strings.Repeat("*"+string(i-1)+", ", 9) + "*" + string(i-1) + "]\n"
	}
	tests := map[string]struct{ src, want string }{
		"alias bomb":    {bomb, "file too large"},
		"deep nesting":  {strings.Repeat("[", 500) + strings.Repeat("]", 500), "nested deeper"},
		"infinity":      {"bot: {id: x}\nblocks: []\nvariables: {a: {b: .inf}}\n", "not a JSON number"},
		"duplicate key": {"bot: {id: x}\nbot: {id: y}\nblocks: []\n", `duplicate key "bot"`},
		"complex key":   {"? [a, b]\n: 1\n", "mapping keys must be plain strings"},
		"custom tag":    {"bot: !thing {id: x}\nblocks: []\n", "unsupported YAML tag"},
		"self merge":    {"a: &a {<<: *a}\n", "refers to a mapping that contains it"},
		"self alias":    {"a: &a [*a]\n", "refers to a value that contains it"},
		"merge bomb":    {mergeBomb(), "file too large"},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			_, err := Parse("hostile.yaml", []byte(tt.src))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Parse = %v, want an error containing %q", err, tt.want)
			}
		})
	}
}

// mergeBomb builds merge keys that expand exponentially without values.
func mergeBomb() string {
	src := "l0: &l0 {x: 1}\n"
	for i := 1; i <= 12; i++ {
		prev := fmt.Sprintf("*l%d", i-1)
		src += fmt.Sprintf("l%d: &l%d {<<: [%s]}\n", i, i, strings.TrimSuffix(strings.Repeat(prev+", ", 8), ", "))
	}
	return src
}
