package scenarios

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// wantErr is one expected problem: position, field and part of the message.
type wantErr struct {
	line, col int
	field     string
	msg       string
}

// invalidFiles lists, for every file of testdata/invalid, every problem
// Parse must report, in order.
var invalidFiles = map[string][]wantErr{
	"typo.yaml": {
		{4, 5, "/blocks/0", "missing properties: 'messages'"},
		{6, 5, "/blocks/0/mesages", `unknown property "mesages"`},
	},
	"wrong-type.yaml": {{12, 5, "/blocks/1/maxAttempts", "expected integer, but got string"}},
	"missing-goto.yaml": {
		{9, 25, "/blocks/0/messages/0/quickReplies/0/goto", `unknown block "nowhere"`},
		{10, 12, "/blocks/0/next/block", `unknown block "elsewhere"`},
	},
	"duplicate-block.yaml": {{7, 5, "/blocks/1/id", `duplicate block id "introduction" (first defined at /blocks/0, line 4)`}},
	"bad-regex.yaml": {
		{5, 35, "/entities/0/patterns/1", "invalid regular expression: missing closing ]"},
		{11, 5, "/blocks/0/validate", "invalid regular expression: missing closing )"},
	},
	"bad-threshold.yaml": {
		{4, 5, "/bot/nlp/intentThreshold", "must be < 1 but found 1.5"},
		{5, 5, "/bot/nlp/entityThreshold", "must be > 0 but found 0"},
	},
	"too-many-buttons.yaml": {{9, 11, "/blocks/0/messages/0/buttons/buttons", "maximum 3 items required, but found 4"}},
	"list-one-element.yaml": {{8, 11, "/blocks/0/messages/0/list/elements", "minimum 2 items required, but found 1"}},
	"missing-bot-id.yaml":   {{1, 1, "/bot", "missing properties: 'id'"}},
	"syntax-error.yaml":     {{6, 15, "", "invalid YAML: did not find expected ',' or ']' (the [ here is not closed on its line)"}},
	"unknown-entity.yaml":   {{8, 5, "/blocks/0/validate", `unknown entity "colour"`}},
	"bad-validate.yaml": {
		{8, 5, "/blocks/0/validate", "does not match pattern"},
		{14, 5, "/blocks/1/validate", "does not match pattern"},
	},
	"undeclared-language.yaml": {
		{9, 7, "/intents/0/expressions/nl", `language "nl" is not in bot.languages [en]`},
	},
	"two-kinds.yaml": {
		{7, 9, "/blocks/0/messages/0", "a message has exactly one of text, buttons, carousel, list, image, video, event; found text and image"},
		{12, 15, "/blocks/0/messages/1/buttons/buttons/0", "a button has exactly one of goto, url, phone, share; found 2"},
	},
	"read-only.yaml": {
		{4, 3, "/variables/internal", `the "internal" namespace is read-only`},
		{8, 11, "/blocks/0/set/internal.user.firstName", `"internal.user.firstName" is read-only`},
	},
	"many-errors.yaml": {
		{6, 5, "/intents/0/block", `unknown block "opening-hours"`},
		{12, 5, "/blocks/0/next", `unknown block "menu"`},
		{16, 49, "/blocks/1/rules/0/value", "invalid regular expression"},
		{17, 48, "/blocks/1/rules/1/goto", `unknown block "nowhere"`},
		{18, 5, "/blocks/1/fallback", `unknown block "also-nowhere"`},
	},
	"field-of-other-type.yaml": {
		{7, 5, "/blocks/0/rules", `unknown property "rules"`},
		{9, 5, "/blocks/1/type", `value must be one of "message", "collect", "condition", "action"`},
	},
	"two-documents.yaml": {{4, 1, "", "a second YAML document: a file holds exactly one bot"}},
	"list-item-url.yaml": {{9, 28, "/blocks/0/messages/0/list/elements/0/itemUrl", "itemUrl is for carousel cards only"}},
	"bad-intent-name.yaml": { // a control character; only spaces
		{3, 5, "/intents/0/name", "does not match pattern"},
		{6, 5, "/intents/1/name", "does not match pattern"},
	},
	"empty.yaml": {{0, 0, "", "empty file"}},
	// Syntax errors, at the line and column of the fault, where yaml.v3
	// names the line where the enclosing collection or scalar starts.
	"mis-indented-key.yaml":      {{11, 4, "", "invalid YAML: did not find expected '-' indicator (check the indentation of this line"}},
	"indented-too-far.yaml":      {{6, 7, "", "invalid YAML: mapping values are not allowed in this context (check the indentation"}},
	"tab-indent.yaml":            {{8, 1, "", "invalid YAML: found a tab character that violates indentation (indent with spaces"}},
	"tab-after-spaces.yaml":      {{8, 5, "", "invalid YAML: found a tab character that violates indentation"}},
	"unclosed-quote.yaml":        {{8, 15, "", "invalid YAML: the string quoted here is not closed on its line; read on, line 14 fails: did not find expected key (is a closing quote missing?)"}},
	"unclosed-quote-at-end.yaml": {{8, 15, "", "invalid YAML: found unexpected end of stream (this quoted string is never closed)"}},
	"quote-in-first-line.yaml":   {{1, 11, "", "invalid YAML: the string quoted here is not closed on its line; read on, line 5 fails"}},
	"quote-open-to-the-end.yaml": {{1, 11, "", "invalid YAML: found unexpected end of stream (this quoted string is never closed)"}},
	"unclosed-flow-mapping.yaml": {{10, 13, "", "invalid YAML: did not find expected ',' or '}' (the { here is not closed on its line)"}},
	"flow-missing-comma.yaml":    {{3, 30, "", "invalid YAML: did not find expected ',' or '}' (is a comma missing before this?)"}},
	"colon-in-value.yaml":        {{7, 28, "", `invalid YAML: mapping values are not allowed in this context (quote a value that contains ": ")`}},
	"unknown-alias.yaml":         {{6, 15, "", "invalid YAML: unknown anchor 'greeting' referenced"}},
	"duplicate-key.yaml":         {{11, 5, "/blocks/1/type", `duplicate key "type"`}},
}

func TestInvalidFiles(t *testing.T) {
	files, _ := filepath.Glob("testdata/invalid/*.yaml")
	if len(files) != len(invalidFiles) {
		t.Errorf("%d files in testdata/invalid, %d in the table", len(files), len(invalidFiles))
	}
	for _, f := range files {
		name := filepath.Base(f)
		t.Run(name, func(t *testing.T) {
			want, ok := invalidFiles[name]
			if !ok {
				t.Fatal("not in the table")
			}
			data, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			b, err := Parse(name, data)
			if b != nil {
				t.Error("Parse returned a bot with an error")
			}
			checkErrors(t, err, name, want)
		})
	}
}

// checkErrors compares every reported problem with the expected ones.
func checkErrors(t *testing.T, err error, file string, want []wantErr) {
	t.Helper()
	var errs Errors
	if !errors.As(err, &errs) {
		t.Fatalf("error = %v (%T), want Errors", err, err)
	}
	if len(errs) != len(want) {
		t.Errorf("got %d problems, want %d:\n%v", len(errs), len(want), err)
	}
	for i := 0; i < len(errs) && i < len(want); i++ {
		e, w := errs[i], want[i]
		if e.File != file || e.Line != w.line || e.Column != w.col || e.Field != w.field || !strings.Contains(e.Message, w.msg) {
			t.Errorf("problem %d = %s:%d:%d %q %q\nwant        %s:%d:%d %q containing %q",
				i, e.File, e.Line, e.Column, e.Field, e.Message, file, w.line, w.col, w.field, w.msg)
		}
	}
}

func TestErrorFormat(t *testing.T) {
	tests := []struct {
		err  error
		want string
	}{
		{&Error{File: "a.yaml", Line: 3, Column: 7, Field: "/blocks/0", Message: "bad"}, "a.yaml:3:7: /blocks/0: bad"},
		{&Error{File: "a.yaml", Message: "empty file"}, "a.yaml: empty file"},
		{&Error{File: "a.yaml", Line: 2, Column: 1, Message: "invalid YAML"}, "a.yaml:2:1: invalid YAML"},
		{Errors{{File: "a", Line: 1, Column: 1, Message: "x"}, {File: "b", Message: "y"}}, "a:1:1: x\nb: y"},
	}
	for _, tt := range tests {
		if got := tt.err.Error(); got != tt.want {
			t.Errorf("Error() = %q, want %q", got, tt.want)
		}
	}
	var e *Error
	if !errors.As(Errors{{File: "f", Message: "m"}}, &e) || e.File != "f" {
		t.Error("errors.As does not find the *Error inside Errors")
	}
}
