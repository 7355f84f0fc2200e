package scenarios

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/chatlayer-emulator/chatlayer-emulator/schemas"
)

// schemaName is the schema every scenario file must satisfy.
const schemaName = "scenario"

// parser holds what is known about one file while it is parsed: its name,
// where each JSON pointer came from, and the problems found so far.
type parser struct {
	file  string
	index map[string]entry
	errs  Errors
}

// Parse reads one scenario file (YAML, or JSON, which is YAML too) and
// compiles it. name is used in errors and as Bot.Source. The file is checked
// against scenario.schema.json first, then for what a schema cannot say
// (references between blocks, regular expressions, duplicate ids, declared
// languages). The error, if any, is an Errors listing every problem of the
// phase that failed, with positions.
func Parse(name string, data []byte) (*Bot, error) { return parse(name, data, true) }

// parse is Parse; withSchema false skips the JSON Schema pass (compiling
// the scenario schema costs about 15 ms), for embedded files that the
// package's tests validate against the schema. The semantic checks of the
// compile step always run.
func parse(name string, data []byte, withSchema bool) (*Bot, error) {
	p := &parser{file: name}
	v, ok := p.decode(data)
	if !ok {
		return nil, p.errs.err()
	}
	return p.finish(v, withSchema)
}

// finish is parse after the decoding: the schema pass (when withSchema),
// then the compile step.
func (p *parser) finish(v any, withSchema bool) (*Bot, error) {
	if withSchema {
		if err := schemas.Default().ValidateValue(schemaName, v); err != nil {
			p.schemaErrors(err)
			return nil, p.errs.err()
		}
	}
	doc, err := toDoc(v)
	if err != nil { // not reached: the schema guarantees the JSON types
		p.errorf("", "%v", err)
		return nil, p.errs.err()
	}
	bot := p.compile(doc)
	if err := p.errs.err(); err != nil {
		return nil, err
	}
	bot.Source = p.file
	bot.idPos = p.position("/bot/id")
	for i := range bot.Channels {
		bot.channelPos = append(bot.channelPos, p.position(fmt.Sprintf("/channels/webhook/%d/id", i)))
	}
	return bot, nil
}

// errorf records a problem at a JSON pointer, positioned at the nearest
// enclosing value the file has.
func (p *parser) errorf(ptr, format string, args ...any) {
	pos := p.position(ptr)
	p.errs = append(p.errs, &Error{File: p.file, Line: pos.Line, Column: pos.Column,
		Field: ptr, Message: fmt.Sprintf(format, args...)})
}

// position finds ptr, or its closest ancestor, in the index.
func (p *parser) position(ptr string) position {
	for {
		if e, ok := p.index[ptr]; ok {
			return e.pos
		}
		i := strings.LastIndexByte(ptr, '/')
		if i < 0 {
			return position{}
		}
		ptr = ptr[:i]
	}
}

// decode parses the YAML document and converts it to a JSON value.
func (p *parser) decode(data []byte) (any, bool) {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var doc yaml.Node
	if err := dec.Decode(&doc); err != nil {
		p.yamlError(data, err)
		return nil, false
	}
	var extra yaml.Node
	if err := dec.Decode(&extra); err != io.EOF {
		p.extraDocument(data, &extra, err)
		return nil, false
	}
	if len(doc.Content) == 0 {
		p.errs = append(p.errs, &Error{File: p.file, Message: "empty file"})
		return nil, false
	}
	c := newConverter()
	v := c.value(doc.Content[0], "", posOf(doc.Content[0]), 0)
	p.index = c.index
	for _, e := range c.errs {
		p.errs = append(p.errs, &Error{File: p.file, Line: e.pos.Line, Column: e.pos.Column, Field: e.ptr, Message: e.msg})
	}
	return v, len(c.errs) == 0
}

func (p *parser) extraDocument(data []byte, extra *yaml.Node, err error) {
	if err != nil {
		p.yamlError(data, err)
		return
	}
	p.errs = append(p.errs, &Error{File: p.file, Line: extra.Line, Column: extra.Column,
		Message: "a second YAML document: a file holds exactly one bot"})
}

// yamlError turns a yaml.v3 syntax error into an Error at the line and
// column of the fault (see locateSyntax).
func (p *parser) yamlError(data []byte, err error) {
	if errors.Is(err, io.EOF) {
		p.errs = append(p.errs, &Error{File: p.file, Message: "empty file"})
		return
	}
	if f, ok := locateSyntax(data, err); ok {
		p.errs = append(p.errs, &Error{File: p.file, Line: f.pos.Line, Column: f.pos.Column, Message: "invalid YAML: " + f.msg})
		return
	}
	y := splitYAMLError(err)
	e := &Error{File: p.file, Message: "invalid YAML: " + y.msg}
	if y.line > 0 { // not reached: locateSyntax finds every fault yaml.v3 reports
		e.Line, e.Column = y.line, 1
	}
	p.errs = append(p.errs, e)
}

// schemaErrors records every cause of a schema validation failure.
func (p *parser) schemaErrors(err error) {
	var ve *schemas.ValidationError
	if !errors.As(err, &ve) {
		p.errorf("", "%v", err)
		return
	}
	for _, c := range ve.Causes {
		p.errorf(c.Pointer, "%s", c.Reason)
	}
}

// toDoc decodes a schema-valid JSON value into the file model.
func toDoc(v any) (*fileDoc, error) {
	raw, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	var doc fileDoc
	if err := json.Unmarshal(raw, &doc); err != nil {
		return nil, err
	}
	return &doc, nil
}

// keysInOrder returns the keys of the object at ptr in the order the file
// lists them (keys the file does not show, e.g. merged ones, come last).
func (p *parser) keysInOrder(ptr string, m map[string]any) []string {
	keys := make([]string, 0, len(m))
	seen := make(map[string]bool, len(m))
	if e, ok := p.index[ptr]; ok && e.node.Kind == yaml.MappingNode {
		for i := 0; i+1 < len(e.node.Content); i += 2 {
			k := e.node.Content[i].Value
			if _, in := m[k]; in && !seen[k] {
				keys, seen[k] = append(keys, k), true
			}
		}
	}
	rest := make([]string, 0, len(m)-len(keys))
	for k := range m {
		if !seen[k] {
			rest = append(rest, k)
		}
	}
	sort.Strings(rest)
	return append(keys, rest...)
}
