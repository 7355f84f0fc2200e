package scenarios

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// Limits that keep hostile files (alias bombs, deep nesting) cheap.
const (
	maxNodes = 200_000 // values produced, aliases expanded
	maxDepth = 100     // nesting of mappings and sequences
)

// position is where a value (or, for a mapping entry, its key) starts.
type position struct{ Line, Column int }

// entry is what the index knows about one JSON pointer.
type entry struct {
	pos  position   // of the key for mapping entries, else of the value
	node *yaml.Node // the value node, aliases resolved
}

// converter turns a YAML node tree into a JSON-compatible value
// (map[string]any, []any, string, float64, bool, nil) and records, for every
// JSON pointer, where it came from.
type converter struct {
	index map[string]entry
	errs  []pathError
	nodes int
	// active holds the collections being converted, to catch aliases and
	// merge keys that refer to an enclosing collection.
	active map[*yaml.Node]bool
}

// pathError is a problem found while converting, at a pointer.
type pathError struct {
	ptr string
	pos position
	msg string
}

func newConverter() *converter {
	return &converter{index: map[string]entry{}, active: map[*yaml.Node]bool{}}
}

func posOf(n *yaml.Node) position { return position{n.Line, n.Column} }

func (c *converter) fail(ptr string, n *yaml.Node, format string, args ...any) {
	c.errs = append(c.errs, pathError{ptr, posOf(n), fmt.Sprintf(format, args...)})
}

// record notes a pointer's position; the first record wins.
func (c *converter) record(ptr string, pos position, n *yaml.Node) {
	if _, ok := c.index[ptr]; !ok {
		c.index[ptr] = entry{pos: pos, node: n}
	}
}

// value converts n, found at ptr. keyPos is the position to record for ptr.
func (c *converter) value(n *yaml.Node, ptr string, keyPos position, depth int) any {
	if !c.spend(ptr, n) {
		return nil
	}
	if n.Kind == yaml.AliasNode {
		if c.active[n.Alias] {
			c.fail(ptr, n, "alias *%s refers to a value that contains it", n.Value)
			return nil
		}
		return c.value(n.Alias, ptr, keyPos, depth)
	}
	c.record(ptr, keyPos, n)
	if depth > maxDepth {
		c.fail(ptr, n, "nested deeper than %d levels", maxDepth)
		return nil
	}
	switch {
	case n.Kind == yaml.MappingNode && n.ShortTag() == "!!map":
		return c.mapping(n, ptr, depth)
	case n.Kind == yaml.SequenceNode && n.ShortTag() == "!!seq":
		return c.sequence(n, ptr, depth)
	case n.Kind == yaml.ScalarNode:
		return c.scalar(n, ptr)
	}
	c.fail(ptr, n, "unsupported YAML tag %s", n.Tag)
	return nil
}

// spend counts one value or merge against maxNodes; false once the budget
// is exhausted (reported once).
func (c *converter) spend(ptr string, n *yaml.Node) bool {
	c.nodes++
	if c.nodes == maxNodes+1 {
		c.fail(ptr, n, "file too large: more than %d values (alias expansion?)", maxNodes)
	}
	return c.nodes <= maxNodes
}

func (c *converter) sequence(n *yaml.Node, ptr string, depth int) any {
	c.active[n] = true
	defer delete(c.active, n)
	out := make([]any, 0, len(n.Content))
	for i, item := range n.Content {
		p := ptr + "/" + strconv.Itoa(i)
		out = append(out, c.value(item, p, posOf(item), depth+1))
	}
	return out
}

func (c *converter) mapping(n *yaml.Node, ptr string, depth int) any {
	c.active[n] = true
	defer delete(c.active, n)
	out := make(map[string]any, len(n.Content)/2)
	c.entries(n, ptr, depth, out, true)
	return out
}

// entries adds the entries of mapping n to out. Explicit keys are
// duplicates when seen twice; merged keys (<<) never override.
func (c *converter) entries(n *yaml.Node, ptr string, depth int, out map[string]any, explicit bool) {
	var merges []*yaml.Node
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if k.Kind == yaml.ScalarNode && k.ShortTag() == "!!merge" {
			merges = append(merges, v)
			continue
		}
		if k.Kind != yaml.ScalarNode {
			c.fail(ptr, k, "mapping keys must be plain strings")
			continue
		}
		p := ptr + "/" + escape(k.Value)
		if _, dup := out[k.Value]; dup {
			if explicit {
				c.fail(p, k, "duplicate key %q", k.Value)
			}
			continue
		}
		out[k.Value] = c.value(v, p, posOf(k), depth+1)
	}
	for _, m := range merges {
		c.merge(m, ptr, depth, out)
	}
}

// merge applies a YAML merge key: a mapping or a sequence of mappings.
func (c *converter) merge(m *yaml.Node, ptr string, depth int, out map[string]any) {
	if !c.spend(ptr, m) {
		return
	}
	for m.Kind == yaml.AliasNode {
		m = m.Alias
	}
	if c.active[m] {
		c.fail(ptr, m, "a merge key (<<) refers to a mapping that contains it")
		return
	}
	c.active[m] = true
	defer delete(c.active, m)
	switch m.Kind {
	case yaml.MappingNode:
		c.entries(m, ptr, depth, out, false)
	case yaml.SequenceNode:
		for _, item := range m.Content {
			c.merge(item, ptr, depth, out)
		}
	default:
		c.fail(ptr, m, "a merge key (<<) needs a mapping")
	}
}

// scalar converts a plain, quoted or block scalar by its resolved tag.
func (c *converter) scalar(n *yaml.Node, ptr string) any {
	switch n.ShortTag() {
	case "!!str", "!!timestamp", "!!binary":
		return n.Value
	case "!!null":
		return nil
	case "!!bool":
		var b bool
		if err := n.Decode(&b); err != nil {
			c.fail(ptr, n, "invalid boolean %q", n.Value)
		}
		return b
	case "!!int", "!!float":
		return c.number(n, ptr)
	}
	c.fail(ptr, n, "unsupported YAML tag %s", n.Tag)
	return nil
}

func (c *converter) number(n *yaml.Node, ptr string) any {
	var f float64
	if err := n.Decode(&f); err != nil {
		c.fail(ptr, n, "invalid number %q", n.Value)
		return nil
	}
	if math.IsInf(f, 0) || math.IsNaN(f) {
		c.fail(ptr, n, "%s is not a JSON number", n.Value)
		return nil
	}
	return f
}

// escape escapes one JSON pointer token (RFC 6901).
func escape(token string) string {
	if !strings.ContainsAny(token, "~/") {
		return token
	}
	return strings.ReplaceAll(strings.ReplaceAll(token, "~", "~0"), "/", "~1")
}
