package scenarios

import (
	"errors"
	"fmt"
	"io/fs"
	"regexp"
	"strings"
	"testing"
)

// demoLines is the demo bot's file, line by line.
func demoLines(t *testing.T) []string {
	t.Helper()
	data, err := fs.ReadFile(Embedded(), demoFile)
	if err != nil {
		t.Fatal(err)
	}
	return strings.Split(string(data), "\n")
}

// syntaxErrorAt parses lines and returns the one syntax error it must give.
func syntaxErrorAt(t *testing.T, lines []string) *Error {
	t.Helper()
	_, err := Parse("demo.yaml", []byte(strings.Join(lines, "\n")))
	var errs Errors
	if !errors.As(err, &errs) || len(errs) != 1 || !strings.HasPrefix(errs[0].Message, "invalid YAML: ") {
		t.Fatalf("Parse = %v, want one invalid YAML error", err)
	}
	return errs[0]
}

// blockKey matches a line of the demo that starts a mapping entry or a
// sequence item in block style.
var blockKey = regexp.MustCompile(`^( +)(- )?[A-Za-z]+:( |$)`)

// TestTabInDemo puts a tab in the indentation of every indented entry of
// the demo bot, in turn: validate must point at that tab, whatever line
// yaml.v3 names.
func TestTabInDemo(t *testing.T) {
	lines := demoLines(t)
	for i, line := range lines {
		m := blockKey.FindStringSubmatch(line)
		if m == nil {
			continue
		}
		t.Run(fmt.Sprint("line ", i+1), func(t *testing.T) {
			bad := append([]string(nil), lines...)
			bad[i] = m[1][:len(m[1])-1] + "\t" + line[len(m[1]):]
			e := syntaxErrorAt(t, bad)
			if e.Line != i+1 || e.Column != len(m[1]) {
				t.Errorf("at %d:%d, want %d:%d: %s", e.Line, e.Column, i+1, len(m[1]), e.Message)
			}
		})
	}
}

// closedQuote matches a line of the demo that ends with a double-quoted
// string: the opening quote is group 1's end.
var closedQuote = regexp.MustCompile(`^([^"#]*: ")[^"]*"$`)

// TestUnclosedQuoteInDemo drops the closing quote of every double-quoted
// value of the demo bot that ends its line, in turn: validate must point
// at the opening quote, though yaml.v3 notices only where the string
// ends, at the next quote.
func TestUnclosedQuoteInDemo(t *testing.T) {
	lines := demoLines(t)
	for i, line := range lines {
		m := closedQuote.FindStringSubmatch(line)
		if m == nil {
			continue
		}
		t.Run(fmt.Sprint("line ", i+1), func(t *testing.T) {
			bad := append([]string(nil), lines...)
			bad[i] = strings.TrimSuffix(line, `"`)
			e := syntaxErrorAt(t, bad)
			if e.Line != i+1 || e.Column != len(m[1]) {
				t.Errorf("at %d:%d, want %d:%d: %s", e.Line, e.Column, i+1, len(m[1]), e.Message)
			}
		})
	}
}

// TestMisIndentedKeyInDemo moves every key of a block mapping of the demo
// bot one space left, in turn, where that breaks the file: validate must
// point at that key.
func TestMisIndentedKeyInDemo(t *testing.T) {
	lines := demoLines(t)
	broken := 0
	for i, line := range lines {
		m := blockKey.FindStringSubmatch(line)
		if m == nil || m[2] != "" || i == 0 || !sameMapping(lines[i-1], m[1]) {
			continue // a sequence item, or the first key of its mapping
		}
		t.Run(fmt.Sprint("line ", i+1), func(t *testing.T) {
			bad := append([]string(nil), lines...)
			bad[i] = line[1:]
			e := syntaxErrorAt(t, bad)
			if e.Line != i+1 || e.Column != len(m[1]) {
				t.Errorf("at %d:%d, want %d:%d: %s", e.Line, e.Column, i+1, len(m[1]), e.Message)
			}
		})
		broken++
	}
	if broken < 20 {
		t.Errorf("only %d keys moved: the demo changed shape?", broken)
	}
}

// sameMapping reports whether prev is a plain entry of the block mapping
// whose keys are indented by indent: a key moved left of prev's key
// breaks that mapping.
func sameMapping(prev, indent string) bool {
	return strings.HasPrefix(prev, indent) && len(prev) > len(indent) && prev[len(indent)] != ' ' &&
		prev[len(indent)] != '-' && prev[len(indent)] != '#'
}

// TestValidateSyntaxError is what `chatlayer-emulator validate` prints for
// a key indented one space less than its siblings on line 11; yaml.v3 names
// line 3, where the list of blocks starts (once shown as 4:1).
func TestValidateSyntaxError(t *testing.T) {
	const file = "testdata/invalid/mis-indented-key.yaml"
	err := Validate(file)
	want := file + ":11:4: invalid YAML: did not find expected '-' indicator (check the indentation of this line and the one before)"
	if err == nil || err.Error() != want {
		t.Errorf("Validate = %v\nwant       %s", err, want)
	}
}
