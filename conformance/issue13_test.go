package conformance_test

// Issue 13: the HTML report leads with what failed, says how to fix each
// failure and links to its entry in docs/CONFORMANCE.md, calls itself a
// certificate only when the run is conformant, and colours a coverage kind
// by the checks that judge it.

import (
	"bytes"
	"html"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/chatlayer-emulator/chatlayer-emulator/conformance"
)

// defectHook returns the hook of the offloading defect of that name.
func defectHook(t testing.TB, name string) hook {
	t.Helper()
	for _, d := range offloadingDefects {
		if d.name == name {
			return d.hook(t)
		}
	}
	t.Fatalf("no offloading defect %q", name)
	return nil
}

// firstOf lets the first hook that answers answer.
func firstOf(hooks ...hook) hook {
	return func(w http.ResponseWriter, r *http.Request, b []byte) bool {
		for _, h := range hooks {
			if h(w, r, b) {
				return true
			}
		}
		return false
	}
}

// defectiveRun runs the offloading suite against a vendor with the named
// defects.
func defectiveRun(t testing.TB, defects ...string) *conformance.Report {
	t.Helper()
	var hooks []hook
	for _, name := range defects {
		hooks = append(hooks, defectHook(t, name))
	}
	v := &vendor{defect: firstOf(hooks...)}
	return runT(t, options(v.start(t).URL, conformance.ProfileOffloading))
}

// twoMustOneShould fails two MUST checks (offloading.offload.unicode and
// offloading.offload.answer) and one SHOULD (offloading.tolerant.unknown-fields);
// the SHOULD runs first.
var twoMustOneShould = []string{"rejects unicode", "invalid offload answer", "strict reader"}

// renderHTML renders the report's HTML page.
func renderHTML(t testing.TB, rep *conformance.Report) string {
	t.Helper()
	var b bytes.Buffer
	if err := rep.WriteHTML(&b); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// kindRow matches a row of the coverage table.
var kindRow = regexp.MustCompile(`<tr data-kind="([^"]+)" data-status="([^"]+)">`)

// kindStatuses reads the status of every coverage kind of a page.
func kindStatuses(t *testing.T, page string) map[string]string {
	t.Helper()
	got := map[string]string{}
	for _, m := range kindRow.FindAllStringSubmatch(page, -1) {
		got[m[1]] = m[2]
	}
	if len(got) == 0 {
		t.Fatal("the page has no coverage row")
	}
	return got
}

func TestIssue13CoverageFollowsChecks(t *testing.T) {
	for _, tc := range []struct {
		name    string
		defects []string
		profile conformance.Profile
		failed  []string // kinds whose checks failed; every other kind passed
	}{
		{name: "reference offloading webhook", profile: conformance.ProfileOffloading},
		{name: "reference webhook receiver", profile: conformance.ProfileWebhookChannel},
		// The unicode offload event carries user and bot texts: refusing it
		// used to paint them red although their own checks passed.
		{name: "rejects unicode", defects: []string{"rejects unicode"}, failed: []string{"event:offload"}},
		// Unknown fields ride on a user text and a bot button; the check
		// that failed judges tolerance, not a kind.
		{name: "strict reader", defects: []string{"strict reader"}},
		// A 200 with a wrong body used to be green: every answer was a 2xx.
		{name: "invalid offload answer", defects: []string{"invalid offload answer"}, failed: []string{"event:offload"}},
		{name: "5xx on bot event items", defects: []string{"5xx on bot event items"}, failed: []string{"bot:event", "event:messages"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var rep *conformance.Report
			if tc.profile == conformance.ProfileWebhookChannel {
				v := &vendor{channel: true}
				rep = runT(t, options(v.start(t).URL, tc.profile))
			} else {
				rep = defectiveRun(t, tc.defects...)
			}
			for kind, status := range kindStatuses(t, renderHTML(t, rep)) {
				want := "passed"
				if slices.Contains(tc.failed, kind) {
					want = "failed"
				}
				if status != want {
					t.Errorf("coverage of %s is %s, want %s", kind, status, want)
				}
			}
		})
	}
}

func TestIssue13CoverageOfKindsNotSentIsGrey(t *testing.T) {
	v := &vendor{}
	o := options(v.start(t).URL, conformance.ProfileOffloading)
	o.Checks = []string{"offloading.health.ok"}
	got := kindStatuses(t, renderHTML(t, runT(t, o)))
	for kind, status := range got {
		want := "skipped" // not exercised
		if kind == "event:health" {
			want = "passed"
		}
		if status != want {
			t.Errorf("coverage of %s is %s, want %s", kind, status, want)
		}
	}
}

// sectionOrder is the order of the page's parts: what failed comes first.
var sectionOrder = []string{`id="verdict"`, `id="failures"`, `id="passes"`, `id="coverage"`, `id="inputs"`}

func TestIssue13ReportLeadsWithFailures(t *testing.T) {
	rep := defectiveRun(t, twoMustOneShould...)
	page := renderHTML(t, rep)
	last := -1
	for _, s := range sectionOrder {
		i := strings.Index(page, s)
		if i <= last {
			t.Fatalf("%s at %d, want it after the previous part (at %d)", s, i, last)
		}
		last = i
	}
	failures := page[strings.Index(page, `id="failures"`):strings.Index(page, `id="passes"`)]
	order := []string{"offloading.offload.answer", "offloading.offload.unicode", "offloading.tolerant.unknown-fields"}
	last = -1
	for _, id := range order {
		c := result(t, rep, id)
		if c.Status != conformance.StatusFailed {
			t.Fatalf("%s = %s, want failed", id, c.Status)
		}
		row := strings.Index(failures, `data-check="`+id+`"`)
		if row <= last {
			t.Fatalf("failure %s at %d, want it after the previous one (at %d): MUST before SHOULD", id, row, last)
		}
		last = row
		checkFixAndLink(t, failures[row:], id)
	}
}

// checkFixAndLink checks that a failure's row (at the start of row) says
// how to fix it and links to its entry in the docs.
func checkFixAndLink(t *testing.T, row, id string) {
	t.Helper()
	row, _, _ = strings.Cut(row, "</tr>")
	fix := fixOf(t, id)
	if !strings.Contains(html.UnescapeString(row), fix) {
		t.Errorf("failure %s does not say how to fix it (%q)", id, fix)
	}
	if !strings.Contains(row, `href="`+conformance.DocsURL+"#"+id+`"`) {
		t.Errorf("failure %s does not link to %s#%s", id, conformance.DocsURL, id)
	}
}

// fixOf returns the catalogue's fix of a check.
func fixOf(t *testing.T, id string) string {
	t.Helper()
	for _, c := range conformance.Catalogue() {
		if c.ID == id {
			return c.Fix
		}
	}
	t.Fatalf("no check %s", id)
	return ""
}

// certificate matches the word in any case.
var certificate = regexp.MustCompile(`(?i)certificate`)

func TestIssue13CertificateOnlyWhenConformant(t *testing.T) {
	failing := renderHTML(t, defectiveRun(t, twoMustOneShould...))
	if !strings.Contains(failing, "<title>Chatlayer conformance report: NOT CONFORMANT") {
		t.Errorf("title of a failed run: %s", title(failing))
	}
	if m := certificate.FindString(failing); m != "" {
		t.Errorf("a failed run's page says %q", m)
	}
	passing := renderHTML(t, defectiveRun(t, "strict reader")) // a SHOULD failure: still conformant
	if !strings.Contains(passing, "<title>Chatlayer conformance certificate: CONFORMANT") {
		t.Errorf("title of a conformant run: %s", title(passing))
	}
	if strings.Contains(passing, "NOT CONFORMANT") {
		t.Error("a conformant run's page says NOT CONFORMANT")
	}
}

func title(page string) string {
	_, after, _ := strings.Cut(page, "<title>")
	t, _, _ := strings.Cut(after, "</title>")
	return t
}
