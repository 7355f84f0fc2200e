package conformance_test

import (
	"html"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/chatlayer-emulator/chatlayer-emulator/conformance"
)

// contractDoc is the shipped contract reference the checks cite.
func contractDoc(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile("../docs/CONTRACT.md")
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// sectionRef matches the section numbers of a check's Source.
var sectionRef = regexp.MustCompile(`§(\d+(?:\.\d+)?)`)

// TestEveryMustRestsOnChatlayerDocs: a check is MUST only with a sentence
// of Chatlayer's public documentation, quoted in docs/CONTRACT.md; every
// Source points at a section of docs/CONTRACT.md, a file users have.
func TestEveryMustRestsOnChatlayerDocs(t *testing.T) {
	doc := contractDoc(t)
	for _, c := range conformance.Catalogue() {
		switch c.Level {
		case conformance.LevelMust:
			if !strings.HasPrefix(c.Citation.URL, "https://docs.chatlayer.ai/") || c.Citation.Quote == "" {
				t.Errorf("%s is MUST without a sentence of Chatlayer's docs: %+v", c.ID, c.Citation)
			}
			if !strings.Contains(doc, c.Citation.Quote) || !strings.Contains(doc, c.Citation.URL) {
				t.Errorf("%s: docs/CONTRACT.md does not quote %q from %s", c.ID, c.Citation.Quote, c.Citation.URL)
			}
		case conformance.LevelShould:
			if c.Citation != (conformance.Citation{}) {
				t.Errorf("%s is SHOULD but cites %+v", c.ID, c.Citation)
			}
		}
		refs := sectionRef.FindAllStringSubmatch(c.Source, -1)
		if !strings.HasPrefix(c.Source, "docs/CONTRACT.md §") || len(refs) == 0 {
			t.Errorf("%s: source %q does not point into docs/CONTRACT.md", c.ID, c.Source)
		}
		for _, m := range refs {
			if !regexp.MustCompile(`(?m)^#{2,3} ` + regexp.QuoteMeta(m[1]) + `\.? `).MatchString(doc) {
				t.Errorf("%s: docs/CONTRACT.md has no section %s", c.ID, m[1])
			}
		}
	}
}

// TestSeverityReview pins the levels issue 13 settled: what Chatlayer
// documents no size, shape or requirement for is a SHOULD.
func TestSeverityReview(t *testing.T) {
	want := map[string]conformance.Level{
		"offloading.offload.large-transcript": conformance.LevelShould, // no size is documented
		"offloading.messages.bot.event":       conformance.LevelShould, // the event kind's shape is an assumption
		"webhook.message.event":               conformance.LevelShould,
		"offloading.auth.wrong-token":         conformance.LevelShould, // checking the token is a recommendation
		"offloading.auth.missing-token":       conformance.LevelShould,
		"webhook.auth.wrong-token":            conformance.LevelShould,
		"webhook.auth.missing-token":          conformance.LevelShould,
		"offloading.handback.round-trip":      conformance.LevelShould, // the hand-back lever is not public
		"offloading.health.ok":                conformance.LevelMust,
		"offloading.offload.answer":           conformance.LevelMust,
		"offloading.messages.bot.list":        conformance.LevelMust,
		"webhook.message.video":               conformance.LevelMust,
	}
	for _, c := range conformance.Catalogue() {
		if w, ok := want[c.ID]; ok && c.Level != w {
			t.Errorf("%s = %s, want %s", c.ID, c.Level, w)
		}
		delete(want, c.ID)
	}
	if len(want) > 0 {
		t.Errorf("not in the catalogue: %v", want)
	}
}

// TestReportsCiteNoPrivateFile: no report names a file users do not have.
func TestReportsCiteNoPrivateFile(t *testing.T) {
	rep := runT(t, options((&vendor{}).start(t).URL, conformance.ProfileOffloading))
	var b strings.Builder
	for _, w := range []func(*strings.Builder) error{
		func(b *strings.Builder) error { return rep.WriteJSON(b) }, func(b *strings.Builder) error { return rep.WriteJUnit(b) },
		func(b *strings.Builder) error { return rep.WriteText(b) }, func(b *strings.Builder) error { return rep.WriteHTML(b) },
	} {
		if err := w(&b); err != nil {
			t.Fatal(err)
		}
	}
	// Split so that this file does not name the notes itself.
	for _, private := range []string{"chatlayer-" + "contract", "reliability" + ".md", "reliability C"} {
		if strings.Contains(b.String(), private) {
			t.Errorf("a report cites %q", private)
		}
	}
}

// TestFailedMustShowsItsSentence: the reports of a failed MUST carry the
// sentence it rests on and its page.
func TestFailedMustShowsItsSentence(t *testing.T) {
	v := &vendor{defect: when(isGet, 200, `{"status":"down"}`)(t)}
	o := options(v.start(t).URL, conformance.ProfileOffloading)
	o.Checks = []string{"offloading.health.ok"}
	rep := runT(t, o)
	c := result(t, rep, "offloading.health.ok")
	if c.Status != conformance.StatusFailed || c.Citation == nil {
		t.Fatalf("health = %s, citation %v; want failed with a citation", c.Status, c.Citation)
	}
	const quote = "You must send the response as described in the Response tab."
	for name, write := range map[string]func(*strings.Builder) error{
		"text":  func(b *strings.Builder) error { return rep.WriteText(b) },
		"junit": func(b *strings.Builder) error { return rep.WriteJUnit(b) },
		"json":  func(b *strings.Builder) error { return rep.WriteJSON(b) },
		"html":  func(b *strings.Builder) error { return rep.WriteHTML(b) },
	} {
		var b strings.Builder
		if err := write(&b); err != nil {
			t.Fatal(err)
		}
		if out := html.UnescapeString(b.String()); !strings.Contains(out, quote) || !strings.Contains(out, c.Citation.URL) {
			t.Errorf("the %s report lacks the sentence or its page", name)
		}
	}
	checkReports(t, rep)
}

// docLevels reads the check tables of docs/CONFORMANCE.md (each row
// opens with the anchors of its ids): the level of every id, a row such as "`offloading.messages.bot.<kind>` for `text`,
// `image`" standing for one id per listed name.
func docLevels(t *testing.T) map[string]string {
	t.Helper()
	b, err := os.ReadFile("../docs/CONFORMANCE.md")
	if err != nil {
		t.Fatal(err)
	}
	row := regexp.MustCompile("(?m)^\\| (?:<a id=\"[^\"]*\"></a>)*(`[a-z]+\\.[^|]*) \\| (MUST|SHOULD) \\|") // anchors first
	name := regexp.MustCompile("`([^`]+)`")
	out := map[string]string{}
	for _, m := range row.FindAllStringSubmatch(string(b), -1) {
		names := name.FindAllStringSubmatch(m[1], -1)
		id, _, templated := strings.Cut(names[0][1], "<")
		if !templated {
			out[id] = m[2]
			continue
		}
		for _, n := range names[1:] {
			out[id+n[1]] = m[2]
		}
	}
	return out
}

// TestConformanceDocMatchesTheCatalogue: docs/CONFORMANCE.md lists every
// check at its level.
func TestConformanceDocMatchesTheCatalogue(t *testing.T) {
	doc := docLevels(t)
	for _, c := range conformance.Catalogue() {
		if got := doc[c.ID]; got != string(c.Level) {
			t.Errorf("docs/CONFORMANCE.md lists %s as %q, want %s", c.ID, got, c.Level)
		}
	}
}
