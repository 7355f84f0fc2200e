package walkthrough

import (
	"bufio"
	"fmt"
	"io"
	"regexp"
	"strings"
)

// StepKind says what a step of a section does.
type StepKind int

// The kinds of steps.
const (
	// StepCommand runs a shell command.
	StepCommand StepKind = iota
	// StepStdout checks the output of the command before it.
	StepStdout
	// StepOutput checks that lines appear in a program's output.
	StepOutput
)

// Step is one thing a section does, in README order.
type Step struct {
	Kind StepKind
	// Command is the shell text of a StepCommand (continuation lines
	// joined, a for/while/until loop whole).
	Command string
	// Program names the program whose output a StepOutput reads.
	Program string
	// Lines are the expected lines of a StepStdout or StepOutput.
	Lines []string
	// Line is the README line the step comes from, for messages.
	Line int
}

// Section is a marked part of the README: its steps, in order.
type Section struct {
	Name  string
	Steps []Step
}

// marker matches a walk-through marker comment.
var marker = regexp.MustCompile(`^<!-- walkthrough: (section|end|skip|stdout|output)\s*(\S*)\s*-->$`)

// parser reads the README line by line.
type parser struct {
	sections []Section
	cur      *Section
	pending  string // the marker waiting for the next fenced block
	program  string // its argument
	line     int
}

// Parse reads the marked sections of a README.
func Parse(r io.Reader) ([]Section, error) {
	p := &parser{}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64<<10), 1<<20)
	for sc.Scan() {
		p.line++
		if err := p.take(sc.Text(), sc); err != nil {
			return nil, err
		}
	}
	if p.cur != nil {
		return nil, fmt.Errorf("section %q is not ended", p.cur.Name)
	}
	return p.sections, sc.Err()
}

// take handles one line, reading a whole fenced block when one starts.
func (p *parser) take(line string, sc *bufio.Scanner) error {
	if m := marker.FindStringSubmatch(strings.TrimSpace(line)); m != nil {
		return p.mark(m[1], m[2])
	}
	if !strings.HasPrefix(line, "```") {
		return nil
	}
	start, lang := p.line, strings.TrimPrefix(line, "```")
	var body []string
	for sc.Scan() {
		p.line++
		if strings.HasPrefix(sc.Text(), "```") {
			return p.block(lang, body, start)
		}
		body = append(body, sc.Text())
	}
	return fmt.Errorf("line %d: fenced block not closed", start)
}

// mark handles a marker comment.
func (p *parser) mark(kind, arg string) error {
	switch kind {
	case "section":
		if p.cur != nil {
			return fmt.Errorf("line %d: section %q starts inside section %q", p.line, arg, p.cur.Name)
		}
		p.sections = append(p.sections, Section{Name: arg})
		p.cur = &p.sections[len(p.sections)-1]
	case "end":
		if p.cur == nil {
			return fmt.Errorf("line %d: end without a section", p.line)
		}
		p.cur = nil
	default:
		if p.cur == nil {
			return fmt.Errorf("line %d: %s outside a section", p.line, kind)
		}
		p.pending, p.program = kind, arg
	}
	return nil
}

// block turns a fenced block into steps, as the marker before it says.
func (p *parser) block(lang string, body []string, line int) error {
	pending := p.pending
	p.pending = ""
	switch {
	case p.cur == nil || pending == "skip":
		return nil
	case pending == "stdout":
		p.cur.Steps = append(p.cur.Steps, Step{Kind: StepStdout, Lines: nonBlank(body), Line: line})
	case pending == "output":
		p.cur.Steps = append(p.cur.Steps, Step{Kind: StepOutput, Program: p.program, Lines: nonBlank(body), Line: line})
	case lang == "sh":
		for _, c := range Commands(body) {
			p.cur.Steps = append(p.cur.Steps, Step{Kind: StepCommand, Command: c, Line: line})
		}
	}
	return nil
}

// nonBlank drops blank lines.
func nonBlank(lines []string) []string {
	var out []string
	for _, l := range lines {
		if strings.TrimSpace(l) != "" {
			out = append(out, l)
		}
	}
	return out
}

// loopStart matches the first line of a shell loop.
var loopStart = regexp.MustCompile(`^(for|while|until)\b`)

// Commands splits a shell block into commands: lines ending in a
// backslash continue on the next, a for, while or until loop runs to its
// "done" line, blank lines and comment lines are dropped.
func Commands(lines []string) []string {
	var out []string
	var cur []string
	loop := false
	for _, l := range lines {
		t := strings.TrimSpace(l)
		if len(cur) == 0 && (t == "" || strings.HasPrefix(t, "#")) {
			continue
		}
		cur = append(cur, l)
		if len(cur) == 1 && loopStart.MatchString(t) {
			loop = true
		}
		switch {
		case strings.HasSuffix(t, `\`):
			continue
		case loop && !strings.HasPrefix(t, "done"):
			continue
		}
		out = append(out, strings.Join(cur, "\n"))
		cur, loop = nil, false
	}
	if len(cur) > 0 {
		out = append(out, strings.Join(cur, "\n"))
	}
	return out
}

// Matches reports whether got matches an expected line, where "…" stands
// for any text and the rest must be equal.
func Matches(want, got string) bool {
	parts := strings.Split(strings.TrimSpace(want), "…")
	for i := range parts {
		parts[i] = regexp.QuoteMeta(parts[i])
	}
	re, err := regexp.Compile("^" + strings.Join(parts, ".*") + "$")
	return err == nil && re.MatchString(strings.TrimSpace(got))
}

// service is how a command that starts a server is recognised: it runs in
// the background ("&"), or runs the emulator with no subcommand, or with
// serve.
var service = regexp.MustCompile(`^go run \./cmd/chatlayer-emulator(\s+--|\s+serve\b|\s*$)`)

// oneShot matches the emulator's flags that print and exit.
var oneShot = regexp.MustCompile(`\s--?(version|help|h)\b`)

// Background reports whether a command starts a server, and returns it
// without its trailing "&".
func Background(command string) (string, bool) {
	t := strings.TrimSpace(command)
	if strings.HasSuffix(t, "&") && !strings.HasSuffix(t, "&&") {
		return strings.TrimSpace(strings.TrimSuffix(t, "&")), true
	}
	return t, service.MatchString(t) && !oneShot.MatchString(t)
}

// ProgramName names the program a background command runs: "emulator"
// for ./cmd/chatlayer-emulator, else the last element of the go run path
// (webhook-logger for ./examples/webhook-logger).
func ProgramName(command string) string {
	fields := strings.Fields(command)
	for i, f := range fields {
		if i > 0 && fields[i-1] == "run" && strings.HasPrefix(f, "./") {
			if f == "./cmd/chatlayer-emulator" {
				return "emulator"
			}
			return f[strings.LastIndex(f, "/")+1:]
		}
	}
	return fields[0]
}
