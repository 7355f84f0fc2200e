package scenarios

import (
	"cmp"
	"encoding/json"
	"fmt"
	"regexp"
	"strings"

	"github.com/chatlayer-emulator/chatlayer-emulator/emulator/dialog"
)

// blockCompiler compiles the blocks of one file. Go-to targets are collected
// while compiling and checked once every block (and default block) exists.
type blockCompiler struct {
	*parser
	script   *dialog.Script
	entities map[string]bool
	first    map[string]int // block id -> index of its first definition
	targets  []target
}

// target is a reference to a block, at the pointer that names it.
type target struct{ ptr, block string }

// scope is the block whose messages are being compiled: postback ids are
// derived from the bot id, the block id and the pointer inside the block.
type scope struct {
	block string // block id
	base  string // pointer of the block in the file, e.g. /blocks/3
}

func (b *blockCompiler) blocks(docs []blockDoc) {
	b.first = make(map[string]int, len(docs))
	for i := range docs {
		b.block(i, &docs[i])
	}
}

func (b *blockCompiler) block(i int, d *blockDoc) {
	sc := scope{block: d.ID, base: fmt.Sprintf("/blocks/%d", i)}
	if j, dup := b.first[d.ID]; dup {
		b.errorf(sc.base+"/id", "duplicate block id %q (first defined at /blocks/%d, line %d)",
			d.ID, j, b.position(fmt.Sprintf("/blocks/%d", j)).Line)
		return
	}
	b.first[d.ID] = i
	blk := &dialog.Block{ID: d.ID, Name: cmp.Or(d.Name, d.ID), Kind: dialog.BlockKind(d.Type)}
	switch blk.Kind {
	case dialog.KindMessage:
		blk.Messages = b.messages(sc, "/messages", d.Messages)
	case dialog.KindCollect:
		blk.Collect = b.collect(sc, d)
	case dialog.KindCondition:
		blk.Rules = b.rules(sc, d.Rules)
		blk.Fallback = b.gotoOpt(sc.base+"/fallback", d.Fallback)
	case dialog.KindAction:
		b.action(sc, d, blk)
	}
	blk.Next = b.gotoOpt(sc.base+"/next", d.Next)
	b.script.Blocks[d.ID] = blk
}

// gotoOpt compiles an optional go-to.
func (b *blockCompiler) gotoOpt(ptr string, g *gotoDoc) *dialog.GoTo {
	if g == nil {
		return nil
	}
	gt := b.gotoRef(ptr, *g)
	return &gt
}

// gotoRef compiles a go-to and remembers its target for checkTargets.
func (b *blockCompiler) gotoRef(ptr string, g gotoDoc) dialog.GoTo {
	at := ptr
	if g.Object {
		at = ptr + "/block"
	}
	b.targets = append(b.targets, target{ptr: at, block: g.Block})
	return dialog.GoTo{Block: g.Block, Set: b.assignments(ptr+"/set", g.Set)}
}

// checkTargets reports every go-to whose block does not exist.
func (b *blockCompiler) checkTargets() {
	for _, t := range b.targets {
		if _, ok := b.script.Blocks[t.block]; !ok {
			b.errorf(t.ptr, "unknown block %q", t.block)
		}
	}
}

// assignments compiles a set: object in the file's order.
func (b *blockCompiler) assignments(ptr string, set map[string]any) []dialog.Assignment {
	if len(set) == 0 {
		return nil
	}
	out := make([]dialog.Assignment, 0, len(set))
	for _, path := range b.keysInOrder(ptr, set) {
		b.checkWritable(ptr+"/"+escape(path), path)
		out = append(out, dialog.Assignment{Path: path, Value: set[path]})
	}
	return out
}

// checkWritable rejects writes to the engine's read-only namespace.
func (b *blockCompiler) checkWritable(ptr, path string) {
	ns, _, _ := strings.Cut(path, ".")
	ns, _, _ = strings.Cut(ns, "[")
	if ns == reservedNamespace {
		b.errorf(ptr, "%q is read-only: the %q namespace belongs to the engine", path, reservedNamespace)
	}
}

func (b *blockCompiler) collect(sc scope, d *blockDoc) *dialog.Collect {
	b.checkWritable(sc.base+"/variable", d.Variable)
	c := &dialog.Collect{
		Variable:      d.Variable,
		Prompt:        b.messages(sc, "/prompt", d.Prompt),
		Invalid:       b.messages(sc, "/invalid", d.Invalid),
		MaxAttempts:   d.MaxAttempts,
		OnMaxAttempts: b.gotoOpt(sc.base+"/onMaxAttempts", d.OnMaxAttempts),
		DisableNLP:    d.DisableNLP,
	}
	b.validation(sc.base+"/validate", d.Validate, c)
	return c
}

// validation parses any | number | email | location | file |
// entity:<name> | regex:<pattern>.
func (b *blockCompiler) validation(ptr, spec string, c *dialog.Collect) {
	kind, arg, _ := strings.Cut(spec, ":")
	c.Validation = dialog.ValidationType(cmp.Or(kind, string(dialog.ValidateAny)))
	switch c.Validation {
	case dialog.ValidateEntity:
		c.Entity = arg
		if !b.entities[arg] {
			b.errorf(ptr, "unknown entity %q", arg)
		}
	case dialog.ValidateRegex:
		c.Pattern = b.regexp(ptr, arg)
	}
}

func (b *blockCompiler) rules(sc scope, docs []ruleDoc) []dialog.Rule {
	out := make([]dialog.Rule, 0, len(docs))
	for i, d := range docs {
		ptr := fmt.Sprintf("%s/rules/%d", sc.base, i)
		r := dialog.Rule{Variable: d.Variable, Operator: dialog.Operator(d.Operator),
			CaseSensitive: d.CaseSensitive, GoTo: b.gotoRef(ptr+"/goto", d.GoTo)}
		r.Value = b.ruleValue(ptr, &r, d.Value)
		out = append(out, r)
	}
	return out
}

// ruleValue decodes a rule's value and checks it fits the operator.
func (b *blockCompiler) ruleValue(ptr string, r *dialog.Rule, raw json.RawMessage) any {
	unary := r.Operator == dialog.OpExists || r.Operator == dialog.OpNotExists
	switch {
	case unary && raw != nil:
		b.errorf(ptr+"/value", "operator %s takes no value", r.Operator)
		return nil
	case unary:
		return nil
	case raw == nil:
		b.errorf(ptr, "operator %s needs a value", r.Operator)
		return nil
	}
	var v any
	_ = json.Unmarshal(raw, &v) // raw came from json.Marshal
	if r.Operator == dialog.OpMatches {
		b.rulePattern(ptr+"/value", r, v)
	}
	return v
}

// rulePattern compiles the regular expression of a matches rule; without
// caseSensitive it ignores case.
func (b *blockCompiler) rulePattern(ptr string, r *dialog.Rule, v any) {
	src, ok := v.(string)
	if !ok {
		b.errorf(ptr, "operator matches needs a regular expression (a string)")
		return
	}
	if b.regexp(ptr, src) == nil {
		return
	}
	if !r.CaseSensitive {
		src = "(?i)" + src
	}
	r.Pattern = regexp.MustCompile(src) // valid: checked above
}

func (b *blockCompiler) action(sc scope, d *blockDoc, blk *dialog.Block) {
	if d.API != nil && d.Offload != nil {
		b.errorf(sc.base+"/offload", "an action block has api or offload, not both")
	}
	if len(d.Set) == 0 && d.API == nil && d.Offload == nil {
		b.errorf(sc.base, "an action block needs set, api or offload")
	}
	blk.Set = b.assignments(sc.base+"/set", d.Set)
	if d.API != nil {
		blk.API = b.api(sc.base+"/api", d.API)
	}
	if d.Offload != nil {
		payload := d.Offload.Payload
		if payload == nil {
			payload = map[string]any{}
		}
		blk.Offload = &dialog.Offload{Payload: payload}
	}
}

func (b *blockCompiler) api(ptr string, d *apiDoc) *dialog.APICall {
	call := &dialog.APICall{
		Method:  cmp.Or(d.Method, "GET"),
		URL:     d.URL,
		Headers: d.Headers,
		Query:   d.Query,
		OnError: b.gotoOpt(ptr+"/onError", d.OnError),
	}
	if d.Body != nil {
		_ = json.Unmarshal(d.Body, &call.Body) // raw came from json.Marshal
	}
	return call
}
