package dialog

import (
	"regexp"
	"sort"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Names of the system entities the emulator detects.
const (
	SysNumber = "sys.number"
	SysEmail  = "sys.email"
)

// entityIndex is a custom entity with its values tokenised at New.
type entityIndex struct {
	name     string
	forms    []entityForm
	patterns []*regexp.Regexp
}

// entityForm is one spelling (the value itself or a synonym) of a value.
type entityForm struct {
	value string
	words []string
	order int // position of the value in the entity, for ties
}

func newEntityIndex(en Entity) entityIndex {
	ix := entityIndex{name: en.Name, patterns: en.Patterns}
	for i, v := range en.Values {
		for _, s := range append([]string{v.Value}, v.Synonyms...) {
			if words := tokenWords(tokenize(s)); len(words) > 0 {
				ix.forms = append(ix.forms, entityForm{value: v.Value, words: words, order: i})
			}
		}
	}
	return ix
}

// candidate is a possible match before overlaps are resolved.
type candidate struct {
	EntityMatch
	order int
}

// findEntities returns the custom and system entity matches of text,
// before the threshold is applied, sorted by Start, Name, End.
func (e *Engine) findEntities(text string, toks []token) []EntityMatch {
	var out []EntityMatch
	for i := range e.entities {
		ix := &e.entities[i]
		cands := ix.listCandidates(text, toks, e.script.EntityThreshold)
		cands = append(cands, ix.patternCandidates(text)...)
		out = append(out, resolveOverlaps(cands)...)
	}
	out = append(out, systemEntities(text)...)
	sortMatches(out)
	return out
}

// listCandidates matches every form as a whole-token sequence (score 1)
// and single-token forms fuzzily against single tokens (score 1 −
// levenshtein/max(len), kept when above threshold).
func (ix *entityIndex) listCandidates(text string, toks []token, threshold float64) []candidate {
	var out []candidate
	for _, f := range ix.forms {
		n := len(f.words)
		for i := 0; i+n <= len(toks); i++ {
			score := 0.0
			if wordsAt(toks[i:i+n], f.words) {
				score = 1
			} else if n == 1 {
				score = fuzzyScore(toks[i].norm, f.words[0])
			}
			if score == 1 || (n == 1 && score > threshold) {
				out = append(out, ix.candidate(text, toks[i], toks[i+n-1], f, score))
			}
		}
	}
	return out
}

func (ix *entityIndex) candidate(text string, first, last token, f entityForm, score float64) candidate {
	return candidate{EntityMatch: EntityMatch{
		Name: ix.name, Value: f.value, Raw: text[first.bs:last.be], Score: score,
		Start: first.start, End: last.end,
	}, order: f.order}
}

func wordsAt(toks []token, words []string) bool {
	for i, w := range words {
		if toks[i].norm != w {
			return false
		}
	}
	return true
}

// patternCandidates matches each regular expression on the raw text.
func (ix *entityIndex) patternCandidates(text string) []candidate {
	var out []candidate
	for pi, re := range ix.patterns {
		if re == nil {
			continue
		}
		for _, loc := range re.FindAllStringIndex(text, -1) {
			if loc[0] == loc[1] {
				continue
			}
			raw := text[loc[0]:loc[1]]
			start := utf8.RuneCountInString(text[:loc[0]])
			out = append(out, candidate{EntityMatch: EntityMatch{
				Name: ix.name, Value: raw, Raw: raw, Score: 1,
				Start: start, End: start + utf8.RuneCountInString(raw),
			}, order: len(ix.forms) + pi})
		}
	}
	return out
}

// resolveOverlaps keeps, among overlapping candidates of one entity, the
// highest score, then the longest, then the leftmost, then the first
// value in the entity's order.
func resolveOverlaps(cands []candidate) []EntityMatch {
	sort.SliceStable(cands, func(i, j int) bool {
		a, b := cands[i], cands[j]
		switch {
		case a.Score != b.Score:
			return a.Score > b.Score
		case a.End-a.Start != b.End-b.Start:
			return a.End-a.Start > b.End-b.Start
		case a.Start != b.Start:
			return a.Start < b.Start
		}
		return a.order < b.order
	})
	var kept []EntityMatch
	for _, c := range cands {
		if !overlapsAny(c.EntityMatch, kept) {
			kept = append(kept, c.EntityMatch)
		}
	}
	return kept
}

func overlapsAny(m EntityMatch, kept []EntityMatch) bool {
	for _, k := range kept {
		if m.Start < k.End && k.Start < m.End {
			return true
		}
	}
	return false
}

func sortMatches(ms []EntityMatch) {
	sort.SliceStable(ms, func(i, j int) bool {
		a, b := ms[i], ms[j]
		if a.Start != b.Start {
			return a.Start < b.Start
		}
		if a.Name != b.Name {
			return a.Name < b.Name
		}
		return a.End < b.End
	})
}

// fuzzyScore is 1 − EditDistance(a, b)/max(len(a), len(b)) in runes.
func fuzzyScore(a, b string) float64 {
	ra, rb := []rune(a), []rune(b)
	n := max(len(ra), len(rb))
	if n == 0 {
		return 0
	}
	return 1 - float64(EditDistance(ra, rb))/float64(n)
}

// EditDistance is the Levenshtein distance between two sequences: the
// fewest insertions, deletions and substitutions that turn a into b (in
// runes for the fuzzy entity match; the command uses it in bytes to
// suggest the name of a misspelt environment variable).
func EditDistance[T comparable](a, b []T) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

// emailPattern is what sys.email recognises.
var emailPattern = regexp.MustCompile(`[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}`)

// systemEntities detects sys.email and sys.number. Numbers inside an
// e-mail address are not reported.
func systemEntities(text string) []EntityMatch {
	var out []EntityMatch
	var spans [][2]int // byte spans of e-mails
	var emails [][]int
	if strings.IndexByte(text, '@') >= 0 { // every e-mail has one; most texts have none
		emails = emailPattern.FindAllStringIndex(text, -1)
	}
	for _, loc := range emails {
		raw := text[loc[0]:loc[1]]
		start := utf8.RuneCountInString(text[:loc[0]])
		out = append(out, EntityMatch{Name: SysEmail, Value: raw, Raw: raw, Score: 1,
			Start: start, End: start + utf8.RuneCountInString(raw), System: true})
		spans = append(spans, [2]int{loc[0], loc[1]})
	}
	for _, n := range scanNumbers(text) {
		if !insideAny(n.bs, spans) {
			out = append(out, n.EntityMatch)
		}
	}
	return out
}

func insideAny(b int, spans [][2]int) bool {
	for _, s := range spans {
		if b >= s[0] && b < s[1] {
			return true
		}
	}
	return false
}

// numberMatch is a sys.number match with its byte start.
type numberMatch struct {
	EntityMatch
	bs int
}

// scanNumbers finds sys.number values. A number is an optional '-', a run
// of digits, optional thousands groups of exactly three digits after a
// comma ("1,000" is 1000), and an optional decimal part after '.' or ','
// ("4.5" and "4,5" are 4.5). It must not touch a letter or another digit,
// so "mp3" and "2nd" contain no number. The value is a float64.
func scanNumbers(text string) []numberMatch {
	var out []numberMatch
	runeAt := 0
	for i := 0; i < len(text); {
		if n, ok := numberAt(text, i); ok {
			raw := text[i:n.end]
			out = append(out, numberMatch{EntityMatch: EntityMatch{
				Name: SysNumber, Value: n.value, Raw: raw, Score: 1,
				Start: runeAt, End: runeAt + utf8.RuneCountInString(raw), System: true,
			}, bs: i})
			runeAt += utf8.RuneCountInString(raw)
			i = n.end
			continue
		}
		_, size := utf8.DecodeRuneInString(text[i:])
		runeAt++
		i += size
	}
	return out
}

type numberSpan struct {
	end   int
	value string
}

// numberAt reads a number starting at byte i, if one starts there.
func numberAt(text string, i int) (numberSpan, bool) {
	if i > 0 {
		prev, _ := utf8.DecodeLastRuneInString(text[:i])
		if isWordRune(prev) || prev == '.' || prev == ',' || prev == '-' {
			return numberSpan{}, false
		}
	}
	j := i
	if j < len(text) && text[j] == '-' {
		j++
	}
	d := digitsEnd(text, j)
	if d == j {
		return numberSpan{}, false
	}
	digits, d := numberTail(text, text[j:d], d)
	if next, _ := utf8.DecodeRuneInString(text[d:]); d < len(text) && isWordRune(next) {
		return numberSpan{}, false
	}
	f, err := strconv.ParseFloat(digits, 64)
	if err != nil {
		return numberSpan{}, false
	}
	if j > i {
		f = -f
	}
	return numberSpan{end: d, value: strconv.FormatFloat(f, 'f', -1, 64)}, true
}

// numberTail extends the digits read up to byte d with thousands groups
// (",ddd") and a decimal part ("." or "," then digits). It returns the
// number in ParseFloat syntax and the new end.
func numberTail(text, digits string, d int) (string, int) {
	for d+4 <= len(text) && text[d] == ',' && digitsEnd(text, d+1) == d+4 {
		digits += text[d+1 : d+4]
		d += 4
	}
	if d+1 < len(text) && (text[d] == '.' || text[d] == ',') && digitsEnd(text, d+1) > d+1 {
		e := digitsEnd(text, d+1)
		digits += "." + text[d+1:e]
		d = e
	}
	return digits, d
}

func digitsEnd(text string, i int) int {
	for i < len(text) && text[i] >= '0' && text[i] <= '9' {
		i++
	}
	return i
}

func isWordRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsDigit(r)
}
