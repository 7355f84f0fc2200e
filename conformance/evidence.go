package conformance

import (
	"fmt"
	"net/http"
	"sort"
	"strings"
	"unicode/utf8"
)

// maxEvidence bounds the evidence kept per check.
const maxEvidence = 3

// evidenceOf turns up to maxEvidence exchanges into masked evidence.
func (r *runner) evidenceOf(xs []*exchange, note string) []Evidence {
	if len(xs) > maxEvidence {
		xs = xs[:maxEvidence]
	}
	out := make([]Evidence, 0, len(xs))
	for _, x := range xs {
		out = append(out, r.evidence(x, note))
	}
	return out
}

// evidence renders one exchange, masked.
func (r *runner) evidence(x *exchange, note string) Evidence {
	body, cut := excerpt(r.mask.Bytes(x.req.body))
	e := Evidence{
		Request: RequestEvidence{Method: x.req.method, URL: r.mask.String(maskURLString(x.req.url)),
			Headers: r.mask.Header(r.headers(x.req)), Body: body, BodyBytes: len(x.req.body),
			BodyExcerpted: cut, OffContract: x.req.offContract},
		Curl: r.curl(x.req),
		Note: note,
	}
	if x.retried != nil {
		e.Note = strings.TrimPrefix(note+"; ", "; ") + "retried once on a new connection: the reused one failed before any answer (" +
			r.errText(x.retried) + ")"
	}
	if x.err != nil {
		e.Error = r.errText(x.err)
	}
	if x.status != 0 {
		e.Response = r.responseEvidence(x)
	}
	return e
}

// responseEvidence renders an answer, masked.
func (r *runner) responseEvidence(x *exchange) *ResponseEvidence {
	body, cut := excerpt(r.mask.Bytes(x.body))
	h := x.header.Clone()
	if loc := h.Get("Location"); loc != "" {
		h.Set("Location", maskURLString(loc))
	}
	return &ResponseEvidence{Status: x.status, Headers: r.mask.Header(h), Body: body,
		BodyBytes: len(x.body), BodyExcerpted: cut, Truncated: x.truncated, LatencyMS: ms(x.latency)}
}

// excerpt keeps at most maxExcerpt bytes of s, cut on a rune boundary, and
// replaces invalid UTF-8 so that every report format can hold it.
func excerpt(s string) (string, bool) {
	cut := false
	if len(s) > maxExcerpt {
		n := maxExcerpt
		for n > 0 && !utf8.RuneStart(s[n]) {
			n--
		}
		s, cut = s[:n], true
	}
	return strings.ToValidUTF8(s, "\uFFFD"), cut
}

// curl renders a command that reproduces the request; secrets become
// shell variables ($VERIFY_TOKEN). Bodies over 4 KiB are referenced as a
// file, since the report keeps only their first 4 KiB.
func (r *runner) curl(q request) string {
	parts := []string{"curl", "-sS", "-i", "-X", q.method, r.shellWord(maskURLString(q.url))}
	h := r.headers(q)
	keys := make([]string, 0, len(h))
	for k := range h {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		parts = append(parts, "-H", r.shellWord(k+": "+strings.Join(h[k], ", ")))
	}
	switch {
	case len(q.body) > maxExcerpt:
		parts = append(parts, "--data-binary", "@request-body.json")
	case q.body != nil:
		parts = append(parts, "--data-binary", r.shellWord(string(q.body)))
	}
	return strings.Join(parts, " ")
}

// shellWord single-quotes s for a POSIX shell, with every secret replaced
// by a double-quoted reference to its variable.
func (r *runner) shellWord(s string) string {
	for i, sec := range r.mask.secrets {
		for _, f := range sec.forms {
			s = strings.ReplaceAll(s, f, fmt.Sprintf(sentinel, i))
		}
	}
	s = "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
	for i, sec := range r.mask.secrets {
		s = strings.ReplaceAll(s, fmt.Sprintf(sentinel, i), `'"$`+sec.curlVar+`"'`)
	}
	return strings.ToValidUTF8(s, "\uFFFD")
}

// headerOf is a one-entry header.
func headerOf(k, v string) http.Header { return http.Header{k: {v}} }
