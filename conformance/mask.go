package conformance

import (
	"encoding/json"
	"net/http"
	"net/url"
	"sort"
	"strings"
)

// masked replaces every secret in reports.
const masked = "***"

// sentinel marks a secret inside a curl command before shell quoting; it
// holds no character that quoting changes.
const sentinel = "\x00SECRET%d\x00"

// secret is one value that must never be reported, in every encoding it
// can take on the wire, and the shell variable curl commands use for it.
type secret struct {
	forms   []string // longest first
	curlVar string   // e.g. VERIFY_TOKEN
}

// masker hides secrets in everything the suite reports.
type masker struct {
	secrets []secret
}

// newMasker builds a masker from pairs of (value, shell variable name).
// Empty values are ignored.
func newMasker(pairs ...string) *masker {
	m := &masker{}
	for i := 0; i+1 < len(pairs); i += 2 {
		if pairs[i] == "" {
			continue
		}
		m.secrets = append(m.secrets, secret{forms: encodings(pairs[i]), curlVar: pairs[i+1]})
	}
	return m
}

// encodings lists the raw, URL-encoded and JSON-escaped forms of v.
func encodings(v string) []string {
	js, _ := json.Marshal(v) // a string always marshals
	set := map[string]bool{v: true, url.QueryEscape(v): true, url.PathEscape(v): true,
		strings.Trim(string(js), `"`): true}
	forms := make([]string, 0, len(set))
	for f := range set {
		forms = append(forms, f)
	}
	sort.Slice(forms, func(i, j int) bool {
		if len(forms[i]) != len(forms[j]) {
			return len(forms[i]) > len(forms[j])
		}
		return forms[i] < forms[j]
	})
	return forms
}

// String returns s with every secret replaced by "***".
func (m *masker) String(s string) string {
	for _, sec := range m.secrets {
		for _, f := range sec.forms {
			s = strings.ReplaceAll(s, f, masked)
		}
	}
	return s
}

// Bytes is String for byte slices.
func (m *masker) Bytes(b []byte) string { return m.String(string(b)) }

// sensitiveHeaders are masked whatever their value.
var sensitiveHeaders = map[string]bool{
	"Authorization": true, "Proxy-Authorization": true, "Cookie": true,
	"Set-Cookie": true, "X-Api-Key": true,
}

// Header flattens and masks a header set.
func (m *masker) Header(h http.Header) map[string]string {
	if len(h) == 0 {
		return nil
	}
	out := make(map[string]string, len(h))
	for k, vs := range h {
		v := strings.Join(vs, ", ")
		if sensitiveHeaders[http.CanonicalHeaderKey(k)] {
			v = maskAuth(v)
		}
		out[http.CanonicalHeaderKey(k)] = m.String(v)
	}
	return out
}

// maskAuth keeps the scheme of an Authorization value and hides the rest.
func maskAuth(v string) string {
	if scheme, _, ok := strings.Cut(v, " "); ok {
		return scheme + " " + masked
	}
	return masked
}

// tokenParam carries the verify token of offloading calls. The masker
// hides the real token in it; a deliberately wrong token stays visible.
const tokenParam = "challenge.verifyToken"

// maskURLString hides a URL's password and the values of query parameters
// whose names suggest a secret. Unparsable input is hidden entirely.
func maskURLString(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return masked
	}
	if _, has := u.User.Password(); has {
		u.User = url.UserPassword(u.User.Username(), masked)
	}
	q := u.Query()
	changed := false
	for k := range q {
		if looksSecret(k) && k != tokenParam {
			q.Set(k, masked)
			changed = true
		}
	}
	if changed {
		u.RawQuery = strings.ReplaceAll(q.Encode(), url.QueryEscape(masked), masked)
	}
	return u.String()
}

// looksSecret reports whether a parameter name suggests a secret value.
func looksSecret(name string) bool {
	n := strings.ToLower(name)
	for _, w := range []string{"token", "secret", "password", "key", "auth"} {
		if strings.Contains(n, w) {
			return true
		}
	}
	return false
}
