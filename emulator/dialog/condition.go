package dialog

import (
	"regexp"
	"strconv"
	"strings"
)

// evalCondition returns the GoTo of the first rule that holds, else the
// block's Fallback, else the Not understood block.
func (e *Engine) evalCondition(session map[string]any, b *Block) *GoTo {
	for i := range b.Rules {
		r := &b.Rules[i]
		if ruleHolds(session, r) {
			g := r.GoTo
			return &g
		}
	}
	return orDefault(b.Fallback, BlockNotUnderstood)
}

// ruleHolds evaluates one rule on the session. The rule's Value, when a
// string, is interpolated first, so a rule can compare two variables.
//
//   - equals / notEquals compare both sides as formatted strings (see
//     FormatValue; a missing variable is ""), ignoring case unless
//     CaseSensitive;
//   - greaterThan / lessThan compare numerically; strings are parsed as
//     numbers and anything non-numeric (or missing) makes the rule false;
//   - exists / notExists: missing, null and "" do not exist;
//   - contains: substring of a string, or an element of an array (elements
//     compared as in equals); false for other values;
//   - matches: Pattern (or Value compiled as a regular expression) matches
//     the formatted variable; false when the variable is missing.
func ruleHolds(session map[string]any, r *Rule) bool {
	v, found := GetPath(session, r.Variable)
	want := ResolveValue(session, r.Value)
	switch r.Operator {
	case OpEquals:
		return sameText(FormatValue(v), FormatValue(want), r.CaseSensitive)
	case OpNotEquals:
		return !sameText(FormatValue(v), FormatValue(want), r.CaseSensitive)
	case OpExists:
		return nonEmpty(v, found)
	case OpNotExists:
		return !nonEmpty(v, found)
	case OpGreaterThan, OpLessThan:
		return compareNumbers(v, want, r.Operator)
	case OpContains:
		return contains(v, want, r.CaseSensitive)
	case OpMatches:
		return found && matches(r, FormatValue(v))
	}
	return false
}

func sameText(a, b string, caseSensitive bool) bool {
	if caseSensitive {
		return a == b
	}
	return strings.EqualFold(a, b)
}

func compareNumbers(v, want any, op Operator) bool {
	a, ok1 := toNumber(v)
	b, ok2 := toNumber(want)
	if !ok1 || !ok2 {
		return false
	}
	if op == OpGreaterThan {
		return a > b
	}
	return a < b
}

// toNumber reads a number, or a string holding one.
func toNumber(v any) (float64, bool) {
	switch t := v.(type) {
	case float64:
		return t, true
	case int:
		return float64(t), true
	case int64:
		return float64(t), true
	case string:
		f, err := strconv.ParseFloat(strings.TrimSpace(t), 64)
		return f, err == nil
	}
	return 0, false
}

func contains(v, want any, caseSensitive bool) bool {
	needle := FormatValue(want)
	switch t := v.(type) {
	case string:
		if caseSensitive {
			return strings.Contains(t, needle)
		}
		return strings.Contains(strings.ToLower(t), strings.ToLower(needle))
	case []any:
		for _, el := range t {
			if sameText(FormatValue(el), needle, caseSensitive) {
				return true
			}
		}
	}
	return false
}

// matches uses the rule's compiled Pattern, or compiles its Value. With
// CaseSensitive false a compiled Value ignores case.
func matches(r *Rule, s string) bool {
	re := r.Pattern
	if re == nil {
		src := FormatValue(r.Value)
		if !r.CaseSensitive {
			src = "(?i)" + src
		}
		var err error
		if re, err = regexp.Compile(src); err != nil {
			return false
		}
	}
	return re.MatchString(s)
}
