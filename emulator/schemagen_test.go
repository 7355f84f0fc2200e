package emulator_test

// Values generated from the OpenAPI document's schemas, and the mutations
// that break them, for generative_test.go.

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/getkin/kin-openapi/openapi3"
)

// genBlocks are block ids of the demo bot, and one that does not exist.
var genBlocks = []string{"introduction", "faq", "faq-pricing", "signup-email", "human-handover", "no-such-block"}

// genWords make texts that sometimes match the demo bot's intents.
var genWords = []string{"hi", "pricing", "opening hours", "where are you", "talk to a human", "42", "a@b.co", "ok"}

// genDurations are short Go durations: waits stay fast.
var genDurations = []string{"1ms", "5ms", "20ms"}

// schemaGen generates JSON values valid against schemas, deterministically
// from its seeded generator.
type schemaGen struct {
	rng  *rand.Rand
	conv string // the fixture conversation id
	sink string // base URL of generated URLs: a local receiver
}

// value returns a value valid against s; name is the property or
// parameter name, used to pick realistic strings.
func (g *schemaGen) value(s *openapi3.Schema, name string, depth int) any {
	if len(s.Enum) > 0 {
		return s.Enum[g.rng.IntN(len(s.Enum))]
	}
	switch genType(s) {
	case "object":
		return g.object(s, depth)
	case "array":
		return g.array(s, name, depth)
	case "string":
		return g.str(s, name)
	case "integer":
		return float64(g.integer(s))
	case "number":
		return float64(g.rng.IntN(100)) / 100
	case "boolean":
		return g.rng.IntN(2) == 0
	}
	return []any{"x", 1.0, true, map[string]any{"k": "v"}}[g.rng.IntN(4)]
}

// genType is the schema's first type, or "".
func genType(s *openapi3.Schema) string {
	if s.Type == nil || len(s.Type.Slice()) == 0 {
		return ""
	}
	return s.Type.Slice()[0]
}

// object fills the required properties and some optional ones, within
// min/maxProperties.
func (g *schemaGen) object(s *openapi3.Schema, depth int) map[string]any {
	m := map[string]any{}
	keys := sortedProps(s)
	if s.MaxProps != nil && *s.MaxProps == 1 && len(keys) > 0 {
		k := keys[g.rng.IntN(len(keys))]
		m[k] = g.value(s.Properties[k].Value, k, depth+1)
		return m
	}
	for _, k := range keys {
		if slices.Contains(s.Required, k) || (depth < 4 && g.rng.IntN(2) == 0) {
			m[k] = g.value(s.Properties[k].Value, k, depth+1)
		}
	}
	if len(m) < int(s.MinProps) && len(keys) > 0 {
		k := keys[g.rng.IntN(len(keys))]
		m[k] = g.value(s.Properties[k].Value, k, depth+1)
	}
	return m
}

// sortedProps lists a schema's property names in order.
func sortedProps(s *openapi3.Schema) []string {
	keys := make([]string, 0, len(s.Properties))
	for k := range s.Properties {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// array makes between minItems and minItems+2 items, within maxItems.
func (g *schemaGen) array(s *openapi3.Schema, name string, depth int) []any {
	n := int(s.MinItems) + g.rng.IntN(3)
	if s.MaxItems != nil {
		n = min(n, int(*s.MaxItems))
	}
	if s.Items == nil {
		return []any{}
	}
	out := make([]any, n)
	for i := range out {
		out[i] = g.value(s.Items.Value, name, depth+1)
	}
	return out
}

// str makes a string for a named field, honouring formats and patterns.
func (g *schemaGen) str(s *openapi3.Schema, name string) string {
	switch {
	case s.Format == "date-time":
		return time.Date(2021, 11, 15, g.rng.IntN(24), 0, 0, 0, time.UTC).Format(time.RFC3339)
	case s.Format == "date":
		return fmt.Sprintf("2021-11-%02d", 1+g.rng.IntN(28))
	case strings.Contains(s.Pattern, "ns|us"):
		return genDurations[g.rng.IntN(len(genDurations))]
	case s.Pattern == "^[0-9]+$":
		return strconv.Itoa(g.rng.IntN(600))
	}
	if v, ok := g.named(name); ok {
		return v
	}
	return "gen-" + strconv.Itoa(g.rng.IntN(1000))
}

// named picks realistic strings for well-known fields.
func (g *schemaGen) named(name string) (string, bool) {
	switch name {
	case "nextDialogstateId", "blockId", "nextDialogstate":
		return genBlocks[g.rng.IntN(len(genBlocks))], true
	case "text", "expression":
		return genWords[g.rng.IntN(len(genWords))], true
	case "language", "locale", "preferredLanguage":
		return []string{"en", "en", "nl"}[g.rng.IntN(3)], true
	case "url", "imageUrl":
		return g.sink + "/" + strconv.Itoa(g.rng.IntN(9)) + ".png", true
	case "botId":
		return "demo", true
	case "senderId", "conversationId", "id":
		return g.conv, true
	case "key":
		return "gen.k" + strconv.Itoa(g.rng.IntN(3)), true
	case "verifyToken":
		return "demo-verify", true
	}
	return "", false
}

// integer picks an integer within the schema's bounds (near the minimum).
func (g *schemaGen) integer(s *openapi3.Schema) int {
	lo := 0
	if s.Min != nil {
		lo = int(*s.Min)
	}
	hi := lo + 10
	if s.Max != nil {
		hi = min(hi, int(*s.Max))
	}
	return lo + g.rng.IntN(hi-lo+1)
}

// spot is a property present in a generated value: a place to break.
type spot struct {
	parent   map[string]any
	key      string
	schema   *openapi3.Schema
	pointer  string // JSON pointer of the property
	required bool
}

// spots lists the properties present in v, depth first, in key order.
func spots(s *openapi3.Schema, v any, pointer string) []spot {
	var out []spot
	switch x := v.(type) {
	case map[string]any:
		for _, k := range sortedProps(s) {
			if val, ok := x[k]; ok {
				ps := s.Properties[k].Value
				out = append(out, spot{x, k, ps, pointer + "/" + k, slices.Contains(s.Required, k)})
				out = append(out, spots(ps, val, pointer+"/"+k)...)
			}
		}
	case []any:
		if s.Items != nil {
			for i, item := range x {
				out = append(out, spots(s.Items.Value, item, pointer+"/"+strconv.Itoa(i))...)
			}
		}
	}
	return out
}

// mutation is a way to break a valid value at a spot.
type mutation struct {
	name  string
	fits  func(spot) bool
	apply func(spot)
}

// mutations: a missing required property, a wrong type, an unknown enum value.
var mutations = []mutation{
	{"missing required field", func(p spot) bool { return p.required }, func(p spot) { delete(p.parent, p.key) }},
	{"wrong type", func(p spot) bool { return genType(p.schema) != "" }, func(p spot) { p.parent[p.key] = wrongValue(p.schema) }},
	{"unknown enum value", func(p spot) bool { return len(p.schema.Enum) > 0 }, func(p spot) { p.parent[p.key] = "NOT_AN_ENUM" }},
}

// wrongValue is a value of another type than the schema's.
func wrongValue(s *openapi3.Schema) any {
	if genType(s) == "string" {
		return 12345.0
	}
	return "not-a-" + genType(s)
}

// breakValue applies m at the spot pick chooses among the fitting ones; it
// returns the pointer broken, or false when no spot fits.
func breakValue(s *openapi3.Schema, v any, m mutation, pick func(n int) int) (string, bool) {
	var fit []spot
	for _, p := range spots(s, v, "") {
		if m.fits(p) {
			fit = append(fit, p)
		}
	}
	if len(fit) == 0 {
		return "", false
	}
	p := fit[pick(len(fit))]
	m.apply(p)
	return p.pointer, true
}
