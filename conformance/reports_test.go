package conformance_test

import (
	"bytes"
	"encoding/xml"
	"html"
	"regexp"
	"strings"
	"testing"

	"github.com/chatlayer-emulator/chatlayer-emulator/conformance"
	"github.com/chatlayer-emulator/chatlayer-emulator/schemas"
)

// junit mirrors the JUnit XML the suite writes.
type junit struct {
	XMLName  xml.Name `xml:"testsuites"`
	Tests    int      `xml:"tests,attr"`
	Failures int      `xml:"failures,attr"`
	Skipped  int      `xml:"skipped,attr"`
	Suites   []struct {
		Name       string `xml:"name,attr"`
		Tests      int    `xml:"tests,attr"`
		Failures   int    `xml:"failures,attr"`
		Properties []struct {
			Name  string `xml:"name,attr"`
			Value string `xml:"value,attr"`
		} `xml:"properties>property"`
		Cases []struct {
			Name    string    `xml:"name,attr"`
			Failure *struct{} `xml:"failure"`
			Skipped *struct{} `xml:"skipped"`
		} `xml:"testcase"`
	} `xml:"testsuite"`
}

// externalAsset matches anything that would make the page load something.
var externalAsset = regexp.MustCompile(`(?i)<link|<script|<img|<iframe|<object|<embed|\ssrc=|@import|url\(`)

// link matches a link and its target: links load nothing, and they go
// only to an anchor of the page or of the checks' documentation.
var link = regexp.MustCompile(`(?i)<(\w+)[^>]*\shref="([^"]*)"`)

// checkReports renders all four reports and checks them: JUnit counts,
// JSON against its schema, a self-contained HTML page carrying the curl of
// each failure, and no verify token anywhere.
func checkReports(t *testing.T, rep *conformance.Report) {
	t.Helper()
	var text, jx, js, page bytes.Buffer
	for _, w := range []func() error{
		func() error { return rep.WriteText(&text) }, func() error { return rep.WriteJUnit(&jx) },
		func() error { return rep.WriteJSON(&js) }, func() error { return rep.WriteHTML(&page) },
	} {
		if err := w(); err != nil {
			t.Fatal(err)
		}
	}
	for name, out := range map[string]string{"text": text.String(), "junit": jx.String(), "json": js.String(), "html": page.String()} {
		for _, form := range []string{token, "s3cr3t-Canary%2Btoken%2FXYZ%3D%3D", "s3cr3t-Canary"} {
			if strings.Contains(out, form) || strings.Contains(html.UnescapeString(out), form) {
				t.Errorf("%s report leaks the verify token (%q)", name, form)
			}
		}
	}
	checkJUnit(t, rep, jx.Bytes())
	if err := schemas.Default().Validate("conformance-report", js.Bytes()); err != nil {
		t.Errorf("JSON report: %v", err)
	}
	checkHTML(t, rep, page.String())
}

func checkJUnit(t *testing.T, rep *conformance.Report, raw []byte) {
	t.Helper()
	var j junit
	if err := xml.Unmarshal(raw, &j); err != nil {
		t.Fatalf("JUnit does not parse: %v", err)
	}
	failed, skipped := 0, 0
	for _, c := range rep.Checks {
		switch c.Status {
		case conformance.StatusFailed:
			failed++
		case conformance.StatusSkipped:
			skipped++
		}
	}
	if j.Tests != len(rep.Checks) || j.Failures != failed || j.Skipped != skipped || len(j.Suites) != 1 {
		t.Fatalf("JUnit counts tests=%d failures=%d skipped=%d suites=%d, want %d %d %d 1",
			j.Tests, j.Failures, j.Skipped, len(j.Suites), len(rep.Checks), failed, skipped)
	}
	s := j.Suites[0]
	gotFailures := 0
	for _, c := range s.Cases {
		if c.Failure != nil {
			gotFailures++
		}
	}
	if len(s.Cases) != len(rep.Checks) || gotFailures != failed || len(s.Properties) < 10 {
		t.Errorf("JUnit suite: %d cases, %d failures, %d properties", len(s.Cases), gotFailures, len(s.Properties))
	}
}

func checkHTML(t *testing.T, rep *conformance.Report, page string) {
	t.Helper()
	if m := externalAsset.FindString(page); m != "" {
		t.Errorf("HTML references an external asset or script: %q", m)
	}
	for _, m := range link.FindAllStringSubmatch(page, -1) {
		tag, href := m[1], html.UnescapeString(m[2])
		if tag != "a" || !(strings.HasPrefix(href, "#") || strings.HasPrefix(href, conformance.DocsURL+"#")) {
			t.Errorf("HTML links <%s href=%q>; want <a> to an anchor of the page or of %s", tag, href, conformance.DocsURL)
		}
	}
	if !strings.Contains(page, "<style>") || !strings.Contains(page, "Coverage") {
		t.Error("HTML lacks its inline style or coverage table")
	}
	plain := html.UnescapeString(page)
	for _, c := range rep.Checks {
		if c.Status != conformance.StatusFailed {
			continue
		}
		for _, e := range c.Evidence {
			if !strings.Contains(plain, e.Curl) {
				t.Errorf("HTML lacks the curl of failed check %s", c.ID)
			}
			if strings.Contains(e.Request.URL, "challenge.verifyToken=***") && !strings.Contains(e.Curl, "$VERIFY_TOKEN") {
				t.Errorf("curl of %s does not use $VERIFY_TOKEN: %s", c.ID, e.Curl)
			}
		}
	}
}
