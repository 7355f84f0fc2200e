package walkthrough

import (
	"os"
	"reflect"
	"strings"
	"testing"

	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// TestParse reads sections, skips, outputs and commands as the markers say.
func TestParse(t *testing.T) {
	readme := "intro\n```sh\nnot in a section\n```\n" +
		"<!-- walkthrough: section demo -->\n" +
		"```sh\ngo run ./examples/webhook-logger --addr 127.0.0.1:9000 &\n# a comment\n\ncurl -s -X POST http://x \\\n  -d '{}'\n```\n" +
		"<!-- walkthrough: skip -->\n```sh\ngo test ./...\n```\n" +
		"<!-- walkthrough: stdout -->\n```json\n{\"status\":\"accepted\",…}\n```\n" +
		"<!-- walkthrough: output webhook-logger -->\n```\n200 {…}\n\n```\n" +
		"```sh\nfor m in a b; do\n  echo $m\ndone\n```\n" +
		"<!-- walkthrough: end -->\n```sh\nafter\n```\n"
	got, err := Parse(strings.NewReader(readme))
	if err != nil {
		t.Fatal(err)
	}
	want := []Section{{Name: "demo", Steps: []Step{
		{Kind: StepCommand, Command: "go run ./examples/webhook-logger --addr 127.0.0.1:9000 &", Line: 6},
		{Kind: StepCommand, Command: "curl -s -X POST http://x \\\n  -d '{}'", Line: 6},
		{Kind: StepStdout, Lines: []string{`{"status":"accepted",…}`}, Line: 18},
		{Kind: StepOutput, Program: "webhook-logger", Lines: []string{"200 {…}"}, Line: 22},
		{Kind: StepCommand, Command: "for m in a b; do\n  echo $m\ndone", Line: 26},
	}}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Parse =\n%#v\nwant\n%#v", got, want)
	}
}

// TestParseErrors: markers out of place are errors, not silently ignored.
func TestParseErrors(t *testing.T) {
	for _, readme := range []string{
		"<!-- walkthrough: section a -->\n",
		"<!-- walkthrough: end -->\n",
		"<!-- walkthrough: skip -->\n",
		"<!-- walkthrough: section a -->\n<!-- walkthrough: section b -->\n",
		"<!-- walkthrough: section a -->\n```sh\nno end\n",
	} {
		if _, err := Parse(strings.NewReader(readme)); err == nil {
			t.Errorf("Parse(%q): no error", readme)
		}
	}
}

// TestBackground tells servers from commands that end.
func TestBackground(t *testing.T) {
	for _, tt := range []struct {
		cmd, program string
		bg           bool
	}{
		{"go run ./examples/webhook-logger --addr 127.0.0.1:9000 &", "webhook-logger", true},
		{"go run ./cmd/chatlayer-emulator", "emulator", true},
		{"go run ./cmd/chatlayer-emulator --webhook-url http://127.0.0.1:9000/webhook", "emulator", true},
		{"go run ./cmd/chatlayer-emulator serve", "emulator", true},
		{"go run ./cmd/chatlayer-emulator --version", "emulator", false},
		{"go run ./cmd/chatlayer-emulator conformance --profile offloading", "emulator", false},
		{"curl -s http://x && echo ok", "curl", false},
	} {
		_, bg := Background(tt.cmd)
		if bg != tt.bg || ProgramName(tt.cmd) != tt.program {
			t.Errorf("%q: background %v, program %q; want %v, %q", tt.cmd, bg, ProgramName(tt.cmd), tt.bg, tt.program)
		}
	}
}

// TestMatches: "…" stands for any text, the rest must be equal.
func TestMatches(t *testing.T) {
	for _, tt := range []struct {
		want, got string
		ok        bool
	}{
		{`200 {"a":1,…}`, `200 {"a":1,"b":2}`, true},
		{`200 {"a":1,…}`, `401 {"a":1,"b":2}`, false},
		{`x.y`, `xzy`, false},
		{`…`, `anything`, true},
	} {
		if Matches(tt.want, tt.got) != tt.ok {
			t.Errorf("Matches(%q, %q) = %v", tt.want, tt.got, !tt.ok)
		}
	}
}

// TestREADMEHasSections: the README marks a walk-through, and every
// marked section parses.
func TestREADMEHasSections(t *testing.T) {
	f, err := os.Open("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sections, err := Parse(f)
	if err != nil {
		t.Fatal(err)
	}
	if len(sections) == 0 {
		t.Fatal("README.md marks no walk-through section")
	}
	for _, s := range sections {
		if len(s.Steps) == 0 {
			t.Errorf("section %q has no step", s.Name)
		}
	}
}
