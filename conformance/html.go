package conformance

import (
	_ "embed" // the page's template
	"html/template"
	"io"
	"sort"
	"strings"
	"sync"
)

// DocsURL is the page that explains every check, with one anchor per
// check id; the HTML report links each failure to its anchor.
const DocsURL = "https://github.com/chatlayer-emulator/chatlayer-emulator/blob/main/docs/CONFORMANCE.md"

// WriteHTML writes a self-contained page: inline CSS, no scripts, no
// external assets. It leads with what needs work: the verdict, then each
// failed check with what happened, how to fix it and a link to its entry
// in DocsURL, then the warnings and the evidence of both (the request
// sent, the answer received and the curl command that reproduces it, all
// masked), then the passed and skipped checks, the coverage of message
// kinds and the inputs that produced the report. It is titled a
// certificate only when the run is conformant (exit code 0).
func (r *Report) WriteHTML(w io.Writer) error {
	return reportTemplate().Execute(w, newHTMLPage(r))
}

//go:embed html.tmpl
var reportHTML string

// reportTemplate is parsed on first use, not at start-up (3 ms of every
// emulator start otherwise).
var reportTemplate = sync.OnceValue(func() *template.Template {
	return template.Must(template.New("report").Funcs(template.FuncMap{
		"lower":   func(s Status) string { return string(s) },
		"word":    func(s Status) string { return statusWord[s] },
		"headers": sortedHeaders,
		"fix":     fixOf,
		"docs":    func(id string) string { return DocsURL + "#" + id },
	}).Parse(reportHTML))
})

// htmlPage is what the template renders: the report, its checks sorted
// by what the reader must do about them, and the coverage judged by the
// checks.
type htmlPage struct {
	*Report
	Conformant bool
	Failed     []CheckResult // MUST failures first, then SHOULD
	Warned     []CheckResult
	Passed     []CheckResult
	Skipped    []CheckResult
	Kinds      []kindRow
}

func newHTMLPage(r *Report) htmlPage {
	p := htmlPage{Report: r, Conformant: r.ExitCode == ExitPassed, Kinds: r.kindRows()}
	for _, c := range r.Checks {
		switch c.Status {
		case StatusFailed:
			p.Failed = append(p.Failed, c)
		case StatusWarning:
			p.Warned = append(p.Warned, c)
		case StatusPassed:
			p.Passed = append(p.Passed, c)
		default: // StatusSkipped, and any status this page does not know
			p.Skipped = append(p.Skipped, c)
		}
	}
	sort.SliceStable(p.Failed, func(i, j int) bool { return p.Failed[i].Level == LevelMust && p.Failed[j].Level != LevelMust })
	return p
}

// Issues returns the failed and warning checks, whose evidence the page
// shows.
func (p htmlPage) Issues() []CheckResult {
	return append(append([]CheckResult{}, p.Failed...), p.Warned...)
}

// sortedHeaders renders headers one per line, sorted.
func sortedHeaders(h map[string]string) string {
	lines := make([]string, 0, len(h))
	for k, v := range h {
		lines = append(lines, k+": "+v)
	}
	sort.Strings(lines)
	return strings.Join(lines, "\n")
}
