package scenarios

import (
	"bytes"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"gopkg.in/yaml.v3"
)

// yaml.v3 puts in its syntax errors the line where it noticed the problem,
// often the start of the enclosing collection or scalar (and, from its
// parser, counted from 0), never a column. locateSyntax finds the fault
// itself: the shortest prefix of whole lines that fails with the same
// message ends on the line of the fault, since yaml.v3 stops at the first
// problem and every longer prefix then fails alike. The column comes from
// the text of that line (a tab in the indentation, an unclosed quote or
// bracket, a second ": ").

// Messages of yaml.v3 that locateSyntax reads.
const (
	msgEndOfStream = "found unexpected end of stream" // a quoted scalar still open at the end
	msgMapValues   = "mapping values are not allowed in this context"
	msgNoToken     = "found character that cannot start any token"
)

// yamlLine matches the position yaml.v3 puts in its syntax errors.
var yamlLine = regexp.MustCompile(`^(?:yaml: )?line (\d+): (.*)$`)

// yamlFailure is a yaml.v3 error split into its line (0 when it has none)
// and its message.
type yamlFailure struct {
	line int
	msg  string
}

func splitYAMLError(err error) yamlFailure {
	if m := yamlLine.FindStringSubmatch(err.Error()); m != nil {
		line, _ := strconv.Atoi(m[1])
		return yamlFailure{line, m[2]}
	}
	return yamlFailure{0, strings.TrimPrefix(err.Error(), "yaml: ")}
}

// decodeYAML decodes data as parser.decode does (one document, then
// nothing) and returns the first syntax error, or nil.
func decodeYAML(data []byte) error {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var doc yaml.Node
	if err := dec.Decode(&doc); err != nil {
		if err == io.EOF {
			return nil
		}
		return err
	}
	if err := dec.Decode(&doc); err != nil && err != io.EOF {
		return err
	}
	return nil
}

// syntaxFault is where a syntax error is, and what to say about it.
type syntaxFault struct {
	pos position
	msg string
}

// locateSyntax places the yaml.v3 error err of data at its fault. ok is
// false when the fault cannot be found (the caller keeps yaml.v3's line).
func locateSyntax(data []byte, err error) (f syntaxFault, ok bool) {
	want := splitYAMLError(err)
	lines := splitLines(data)
	failsAlike := func(n int) bool { // the first n lines fail as the whole file does
		e := decodeYAML(data[:lines[n-1].end])
		return e != nil && splitYAMLError(e).msg == want.msg
	}
	if len(lines) == 0 || !failsAlike(len(lines)) {
		return syntaxFault{}, false
	}
	// yaml.v3's line is never past the fault: it is where the enclosing
	// collection or scalar starts (or one less, counted from 0); but for a
	// string still open at the end that starts on line 1, it is the end.
	lo, hi := max(1, min(want.line, len(lines))), len(lines)
	if _, ok := openQuote(lines[lo-1].text(data)); want.msg == msgEndOfStream && !ok {
		lo = 1
	}
	for lo < hi { // the first n with failsAlike(n)
		mid := (lo + hi) / 2
		if failsAlike(mid) {
			hi = mid
		} else {
			lo = mid + 1
		}
	}
	n := lo
	if f, ok := openQuoteBefore(data, lines, n, want.msg); ok {
		return f, true
	}
	col, hint := faultColumn(lines[n-1].text(data), want.msg)
	return syntaxFault{position{n, col}, want.msg + hint}, true
}

// maxQuoteWalk bounds the lines openQuoteBefore walks back over.
const maxQuoteWalk = 20

// openQuoteBefore handles the fault that shows on line n because a quote
// on an earlier line is not closed: the lines after it are read as a
// quoted string up to the next quote, and the quotes after that pair up
// wrongly. Such a quote opens the run of lines before n at whose ends the
// file is broken (the line before the run is fine): the first line of the
// run, which the run starts with a string still open at its end.
func openQuoteBefore(data []byte, lines []lineSpan, n int, msg string) (syntaxFault, bool) {
	first, firstErr := n, error(nil)
	for m := n - 1; m >= 1; m-- {
		if n-m > maxQuoteWalk {
			return syntaxFault{}, false
		}
		e := decodeYAML(data[:lines[m-1].end])
		if e == nil {
			break
		}
		first, firstErr = m, e
	}
	if first == n || splitYAMLError(firstErr).msg != msgEndOfStream {
		return syntaxFault{}, false
	}
	col, ok := openQuote(lines[first-1].text(data))
	if !ok {
		return syntaxFault{}, false
	}
	return syntaxFault{position{first, col}, fmt.Sprintf(
		"the string quoted here is not closed on its line; read on, line %d fails: %s (is a closing quote missing?)", n, msg)}, true
}

// faultColumn finds the column of a fault on its line from yaml.v3's
// message, and a hint to add to the message.
func faultColumn(line, msg string) (int, string) {
	switch {
	case strings.Contains(msg, "tab character"), msg == msgNoToken:
		if i := tabInIndent(line); i >= 0 {
			return column(line, i), " (indent with spaces: YAML does not allow tabs there)"
		}
	case msg == msgEndOfStream:
		if c, ok := openQuote(line); ok {
			return c, " (this quoted string is never closed)"
		}
	case strings.HasPrefix(msg, "did not find expected ',' or "):
		if c, b, ok := openBracket(line); ok {
			return c, fmt.Sprintf(" (the %c here is not closed on its line)", b)
		}
		if i := flowMissingComma(line); i >= 0 {
			return column(line, i), " (is a comma missing before this?)"
		}
	case msg == msgMapValues:
		if i := secondColon(line); i >= 0 {
			return column(line, i), ` (quote a value that contains ": ")`
		}
	case strings.HasPrefix(msg, "unknown anchor '"):
		name := strings.TrimSuffix(strings.TrimPrefix(msg, "unknown anchor '"), "' referenced")
		if i := strings.Index(line, "*"+name); i >= 0 {
			return column(line, i), ""
		}
	}
	if blockStructure[msg] {
		return column(line, firstNonBlank(line)), " (check the indentation of this line and the one before)"
	}
	return column(line, firstNonBlank(line)), ""
}

// blockStructure holds yaml.v3's messages for lines that do not fit the
// indentation of the block collection around them.
var blockStructure = map[string]bool{
	"did not find expected key":                              true,
	"did not find expected '-' indicator":                    true,
	"did not find expected node content":                     true,
	"could not find expected ':'":                            true,
	msgMapValues:                                             true,
	"block sequence entries are not allowed in this context": true,
}

// lineSpan is one line of a file: its text is data[start:end], the line
// break included.
type lineSpan struct{ start, end int }

func (l lineSpan) text(data []byte) string {
	return strings.TrimRight(string(data[l.start:l.end]), "\r\n")
}

func splitLines(data []byte) []lineSpan {
	var lines []lineSpan
	for start := 0; start < len(data); {
		end := len(data)
		if i := bytes.IndexByte(data[start:], '\n'); i >= 0 {
			end = start + i + 1
		}
		lines = append(lines, lineSpan{start, end})
		start = end
	}
	return lines
}

// column is the 1-based column, in characters, of byte i of line.
func column(line string, i int) int { return utf8.RuneCountInString(line[:i]) + 1 }

func firstNonBlank(line string) int {
	i := len(line) - len(strings.TrimLeft(line, " \t"))
	if i == len(line) {
		return 0
	}
	return i
}

// tabInIndent is the byte index of the first tab in the leading blanks of
// line, or -1.
func tabInIndent(line string) int {
	i := strings.IndexByte(line[:len(line)-len(strings.TrimLeft(line, " \t"))], '\t')
	return i
}

// quoteScan walks a line of YAML outside comments and reports, for every
// character outside quoted strings, its byte index, and for every quoted
// string its opening index and whether it closes on the line.
type quoteScan struct {
	outside func(i int, c byte)
	quoted  func(open int, closed bool)
}

func (s quoteScan) run(line string) {
	for i := 0; i < len(line); i++ {
		c := line[i]
		switch {
		case c == '#' && (i == 0 || line[i-1] == ' ' || line[i-1] == '\t'):
			return
		case (c == '"' || c == '\'') && startsQuote(line, i):
			end := closingQuote(line, i)
			s.quoted(i, end >= 0)
			if end < 0 {
				return
			}
			i = end
		default:
			s.outside(i, c)
		}
	}
}

// startsQuote reports whether the quote at i opens a quoted scalar: it
// comes first on the line or after a blank or flow indicator (in "it's",
// the quote is part of a plain scalar).
func startsQuote(line string, i int) bool {
	if i == 0 {
		return true
	}
	return strings.IndexByte(" \t[{,:-?", line[i-1]) >= 0
}

// closingQuote is the index of the quote that closes the one at open, or -1.
func closingQuote(line string, open int) int {
	q := line[open]
	for i := open + 1; i < len(line); i++ {
		switch {
		case q == '"' && line[i] == '\\':
			i++
		case line[i] == q && q == '\'' && i+1 < len(line) && line[i+1] == '\'':
			i++ // '' is a quote inside a single-quoted string
		case line[i] == q:
			return i
		}
	}
	return -1
}

// openQuote is the column of the quote on line that opens a string the
// line does not close.
func openQuote(line string) (int, bool) {
	at := -1
	quoteScan{
		outside: func(int, byte) {},
		quoted: func(open int, closed bool) {
			if !closed {
				at = open
			}
		},
	}.run(line)
	if at < 0 {
		return 0, false
	}
	return column(line, at), true
}

// openBracket is the column of the first [ or { of line that the line does
// not close, and that bracket.
func openBracket(line string) (int, byte, bool) {
	var open []int
	quoteScan{
		outside: func(i int, c byte) {
			switch {
			case c == '[' || c == '{':
				open = append(open, i)
			case (c == ']' || c == '}') && len(open) > 0:
				open = open[:len(open)-1]
			}
		},
		quoted: func(int, bool) {},
	}.run(line)
	if len(open) == 0 {
		return 0, 0, false
	}
	return column(line, open[0]), line[open[0]], true
}

// secondColon is the byte index of the second ": " (or ":" at the end) of
// line outside quotes, or -1: "name: a: b" has a mapping value inside a
// plain scalar.
func secondColon(line string) int {
	var colons []int
	quoteScan{
		outside: func(i int, c byte) {
			if c == ':' && (i+1 == len(line) || line[i+1] == ' ' || line[i+1] == '\t') {
				colons = append(colons, i)
			}
		},
		quoted: func(int, bool) {},
	}.run(line)
	if len(colons) < 2 {
		return -1
	}
	return colons[1]
}

// flowMissingComma is the byte index of the entry of a flow collection on
// line that follows another without a comma ("{a: 1 b: 2}" has a second
// ": " in one entry), or -1.
func flowMissingComma(line string) int {
	colons := []int{0} // ": " seen in the current entry of each open collection
	tokenStart, at := -1, -1
	startsToken := func(i int) bool { return i == 0 || strings.IndexByte(" \t[{,", line[i-1]) >= 0 }
	quoteScan{
		outside: func(i int, c byte) {
			switch {
			case at >= 0: // found
			case c == '[' || c == '{':
				colons = append(colons, 0)
			case (c == ']' || c == '}') && len(colons) > 1:
				colons = colons[:len(colons)-1]
			case c == ',':
				colons[len(colons)-1] = 0
			case c == ':' && (i+1 == len(line) || line[i+1] == ' '):
				if colons[len(colons)-1]++; colons[len(colons)-1] == 2 && len(colons) > 1 {
					at = tokenStart
				}
			case c != ' ' && c != '\t' && startsToken(i):
				tokenStart = i
			}
		},
		quoted: func(open int, _ bool) {
			if startsToken(open) {
				tokenStart = open
			}
		},
	}.run(line)
	return at
}
