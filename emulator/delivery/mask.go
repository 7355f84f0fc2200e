package delivery

import (
	"cmp"
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"unicode/utf8"
)

// masked replaces a secret in everything the journal keeps.
const masked = "***"

// masker replaces the secrets of one Request, in their raw, URL-encoded and
// JSON-escaped forms, by "***". The zero masker changes nothing.
type masker struct {
	forms  []string // distinct forms, longest first
	maxLen int      // len(forms[0])
}

// newMasker builds the masker for secrets; empty secrets are ignored.
func newMasker(secrets []string) masker {
	var forms []string
	for _, s := range secrets {
		if s != "" {
			forms = append(forms, s, url.QueryEscape(s), url.PathEscape(s), jsonEscape(s))
		}
	}
	if len(forms) == 0 {
		return masker{}
	}
	// Longest first, so that an encoded form is replaced before a secret
	// it contains.
	slices.SortFunc(forms, func(a, b string) int {
		return cmp.Or(cmp.Compare(len(b), len(a)), strings.Compare(a, b))
	})
	forms = slices.Compact(forms)
	return masker{forms: forms, maxLen: len(forms[0])}
}

// jsonEscape returns s as it appears inside a JSON string.
func jsonEscape(s string) string {
	if !strings.ContainsFunc(s, needsJSONEscape) {
		return s
	}
	b, err := json.Marshal(s)
	if err != nil {
		return s
	}
	return string(b[1 : len(b)-1])
}

// String masks s.
func (m masker) String(s string) string {
	for _, f := range m.forms {
		s = strings.ReplaceAll(s, f, masked)
	}
	return s
}

// Header returns a copy of h with every value masked. The values share one
// array, each slice capped at its length.
func (m masker) Header(h http.Header) http.Header {
	n := 0
	for _, vs := range h {
		n += len(vs)
	}
	out, all := make(http.Header, len(h)), make([]string, 0, n)
	for k, vs := range h {
		start := len(all)
		for _, v := range vs {
			all = append(all, m.String(v))
		}
		out[k] = all[start:len(all):len(all)]
	}
	return out
}

// Excerpt masks the first keep bytes of body. It masks a slightly longer
// window so that a secret crossing the cut is still replaced, then drops
// the window's tail, which may hold the start of a secret cut by the window.
func (m masker) Excerpt(body []byte, keep int) string {
	if m.forms == nil {
		return string(body[:min(len(body), keep)])
	}
	window := min(len(body), keep+m.maxLen)
	s := m.String(string(body[:window]))
	if window < len(body) {
		s = s[:max(0, len(s)-(m.maxLen-1))]
	}
	return s[:min(len(s), keep)]
}

// needsJSONEscape reports whether json.Marshal writes r other than as
// itself inside a string: control characters, quotes, backslashes, the
// HTML characters, U+2028, U+2029 and invalid UTF-8.
func needsJSONEscape(r rune) bool {
	return r < 0x20 || r == '"' || r == '\\' || r == '<' || r == '>' || r == '&' ||
		r == '\u2028' || r == '\u2029' || r == utf8.RuneError
}
