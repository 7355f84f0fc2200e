package dialog

import (
	"slices"
	"sort"
	"strings"
	"unicode"
)

// NLP is the result of matching one user text against a script's intents
// and entities: what Extract returns, what the engine stores under
// internal.nlp, and what the NLP-extract endpoints answer.
type NLP struct {
	Expression string `json:"expression"`
	// Intent is the best intent when its score is strictly above the
	// script's IntentThreshold; nil otherwise.
	Intent *ScoredIntent `json:"intent,omitempty"`
	// Intents are every intent that shares at least one token with the
	// text, by score (highest first), then name.
	Intents []ScoredIntent `json:"intents"`
	// Entities are the matches scored strictly above EntityThreshold, by
	// Start, then Name, then End.
	Entities []EntityMatch `json:"entities"`
}

// ScoredIntent is an intent and its score in [0, 1].
type ScoredIntent struct {
	Name  string  `json:"name"`
	Score float64 `json:"score"`
}

// EntityMatch is one entity found in a text. Start and End are rune
// offsets into the text (End exclusive); Raw is the text between them and
// Value the canonical value (the list value a synonym belongs to, the
// matched text for patterns and e-mails, the shortest decimal form for
// numbers).
type EntityMatch struct {
	Name   string  `json:"name"`
	Value  string  `json:"value"`
	Raw    string  `json:"raw"`
	Score  float64 `json:"score"`
	Start  int     `json:"start"`
	End    int     `json:"end"`
	System bool    `json:"system,omitempty"`
}

// Extract runs the emulator's NLP matcher on text: no model, only a
// deterministic token comparison.
//
// Normalisation: the text is lower-cased (Unicode), common Latin
// diacritics are removed (é→e, ç→c, ñ→n, ø→o, …; combining marks are
// dropped), and it is split into tokens, each a maximal run of letters and
// digits. Everything else (spaces, punctuation, symbols) separates tokens.
//
// Intent score: each expression is normalised the same way. If the token
// sequences are equal the score is 1.0; otherwise it is the Sørensen–Dice
// coefficient of the two token multisets, 2·|A∩B| / (|A|+|B|). Word order
// therefore does not matter. An intent's score is the maximum over its
// expressions in the requested language ("en-us" also tries "en"); an
// intent with none in that language uses the script's first language, and
// failing that all its expressions. Intent is the best intent only when
// its score is strictly above the intent threshold: a score equal to the
// threshold goes to Not understood, as in Chatlayer.
//
// Worked example, intent order_pizza with the expression "I want to order
// a pizza" (tokens: i want to order a pizza, 6 tokens) and threshold 0.8:
//
//	"I want to order a pizza!"  → equal sequences          → 1.0   → match
//	"I want to order pizza"     → 5 common, 2·5/(5+6)      ≈ 0.909 → match
//	"I want a pizza"            → 4 common, 2·4/(4+6)      = 0.8   → Not understood
//	"pizza"                     → 1 common, 2·1/(1+6)      ≈ 0.286 → Not understood
//
// Entities: a list value and each of its synonyms match as whole-token
// sequences (score 1.0). A single-token value or synonym also matches a
// single token fuzzily with score 1 − levenshtein/max(len) in runes
// ("pizzas" for "pizza": 1 − 1/6 ≈ 0.833). Regular-expression patterns
// match the raw text with score 1.0. Within one entity, overlapping
// matches are resolved by keeping the highest score, then the longest,
// then the leftmost. System entities sys.number and sys.email score 1.0
// (System is true). Only matches strictly above the entity threshold are
// returned.
func (e *Engine) Extract(lang, text string) NLP {
	toks := tokenize(text)
	words := tokenWords(toks)
	out := NLP{Expression: text, Intents: e.scoreIntents(lang, words), Entities: []EntityMatch{}}
	if len(out.Intents) > 0 && out.Intents[0].Score > e.script.IntentThreshold {
		best := out.Intents[0]
		out.Intent = &best
	}
	for _, m := range e.findEntities(text, toks) {
		if m.Score > e.script.EntityThreshold {
			out.Entities = append(out.Entities, m)
		}
	}
	return out
}

// scoreIntents scores every intent against the text's tokens and returns
// those with a positive score, highest first, then by name.
func (e *Engine) scoreIntents(lang string, words []string) []ScoredIntent {
	out := []ScoredIntent{}
	lang = strings.ToLower(lang)
	for i := range e.intents {
		ix := &e.intents[i]
		best := 0.0
		for _, expr := range ix.expressions(lang, e.defaultLang) {
			best = max(best, similarity(words, expr))
		}
		if best > 0 {
			out = append(out, ScoredIntent{Name: ix.name, Score: best})
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Score != out[j].Score {
			return out[i].Score > out[j].Score
		}
		return out[i].Name < out[j].Name
	})
	return out
}

// intentIndex is an intent with its expressions tokenised at New.
type intentIndex struct {
	name   string
	block  string
	byLang map[string][][]string // lower-cased language -> token lists
	all    [][]string            // every language, in sorted language order
}

// newIntentIndex tokenises an intent's expressions.
func newIntentIndex(in Intent) intentIndex {
	ix := intentIndex{name: in.Name, block: in.Block, byLang: map[string][][]string{}}
	langs := make([]string, 0, len(in.Expressions))
	for l := range in.Expressions {
		langs = append(langs, l)
	}
	sort.Strings(langs)
	for _, l := range langs {
		key := strings.ToLower(l)
		for _, x := range in.Expressions[l] {
			words := tokenWords(tokenize(x))
			if len(words) == 0 {
				continue
			}
			ix.byLang[key] = append(ix.byLang[key], words)
			ix.all = append(ix.all, words)
		}
	}
	return ix
}

// expressions picks the expressions used for lang: lang itself, its base
// language ("en" for "en-us"), the default language, then all of them.
func (ix *intentIndex) expressions(lang, def string) [][]string {
	for _, l := range []string{lang, baseLang(lang), def} {
		if x := ix.byLang[l]; len(x) > 0 {
			return x
		}
	}
	return ix.all
}

// baseLang returns the language part of a locale: "en" for "en-us".
func baseLang(locale string) string {
	if i := strings.IndexAny(locale, "-_"); i >= 0 {
		return strings.ToLower(locale[:i])
	}
	return strings.ToLower(locale)
}

// similarity is 1.0 for equal token sequences and the Sørensen–Dice
// coefficient of the token multisets otherwise; 0 when either is empty.
func similarity(a, b []string) float64 {
	if len(a) == 0 || len(b) == 0 {
		return 0
	}
	if slices.Equal(a, b) {
		return 1
	}
	counts := make(map[string]int, len(b))
	for _, w := range b {
		counts[w]++
	}
	common := 0
	for _, w := range a {
		if counts[w] > 0 {
			counts[w]--
			common++
		}
	}
	return float64(2*common) / float64(len(a)+len(b))
}

// token is one normalised word of a text with its rune and byte offsets
// in the original text (ends exclusive).
type token struct {
	norm       string
	start, end int // runes
	bs, be     int // bytes
}

// tokenize splits s into maximal runs of letters, digits and combining
// marks, normalising each run (see normRune).
func tokenize(s string) []token {
	var out []token
	var cur strings.Builder
	open, runeIdx := false, 0
	var t token
	for bi, r := range s {
		if isTokenRune(r) {
			if !open {
				open, t = true, token{start: runeIdx, bs: bi}
				cur.Reset()
			}
			normRune(&cur, r)
		} else if open {
			open = false
			t.end, t.be, t.norm = runeIdx, bi, cur.String()
			out = append(out, t)
		}
		runeIdx++
	}
	if open {
		t.end, t.be, t.norm = runeIdx, len(s), cur.String()
		out = append(out, t)
	}
	return out
}

func isTokenRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r)
}

// normRune writes the normalised form of r: lower case, without a
// combining mark, with common Latin diacritics folded.
func normRune(b *strings.Builder, r rune) {
	if unicode.Is(unicode.Mn, r) {
		return
	}
	r = unicode.ToLower(r)
	if f, ok := foldTable[r]; ok {
		r = f
	}
	b.WriteRune(r)
}

func tokenWords(toks []token) []string {
	out := make([]string, len(toks))
	for i, t := range toks {
		out[i] = t.norm
	}
	return out
}

// foldTable maps lower-case Latin letters with diacritics to their base
// letter. It is built once and never written afterwards.
var foldTable = buildFoldTable(map[rune]string{
	'a': "àáâãäåāăą",
	'c': "çćčĉċ",
	'd': "ďđ",
	'e': "èéêëēĕėęě",
	'g': "ĝğġģ",
	'i': "ìíîïĩīĭįı",
	'l': "ĺļľŀł",
	'n': "ñńņň",
	'o': "òóôõöøōŏő",
	'r': "ŕŗř",
	's': "śŝşšș",
	't': "ţťŧț",
	'u': "ùúûüũūŭůűų",
	'y': "ýÿŷ",
	'z': "źżž",
})

func buildFoldTable(groups map[rune]string) map[rune]rune {
	t := map[rune]rune{}
	for base, variants := range groups {
		for _, v := range variants {
			t[v] = base
		}
	}
	return t
}
