package conformance

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"time"
)

// Exit codes of a run, as the subcommand returns them.
const (
	ExitPassed = 0 // every MUST check passed (SHOULD failures are warnings)
	ExitFailed = 1 // at least one MUST check failed
	ExitNotRun = 2 // the suite could not run: bad options
)

// Report is the outcome of one run. Secrets are masked in every field.
type Report struct {
	Suite        string        `json:"suite"`        // "chatlayer-emulator-conformance"
	SuiteVersion string        `json:"suiteVersion"` // SuiteVersion
	SchemaPack   string        `json:"schemaPack"`   // digest of the embedded schemas
	Profile      Profile       `json:"profile"`
	Target       string        `json:"target"` // masked
	StartedAt    time.Time     `json:"startedAt"`
	FinishedAt   time.Time     `json:"finishedAt"`
	Seed         int64         `json:"seed"`
	Inputs       Inputs        `json:"inputs"`
	Checks       []CheckResult `json:"checks"`
	Score        Score         `json:"score"`
	Coverage     Coverage      `json:"coverage"`
	ExitCode     int           `json:"exitCode"`
	Verdict      string        `json:"verdict"` // one sentence explaining ExitCode
}

// Inputs are the options that produced a report, secrets masked.
type Inputs struct {
	Timeout     string            `json:"timeout"`
	Budget      string            `json:"budget"`
	WarnLatency string            `json:"warnLatency"`
	VerifyToken string            `json:"verifyToken"` // "***" when set, "" when empty
	Checks      []string          `json:"checks"`      // selection; empty means all
	Severity    map[string]Level  `json:"severity"`    // overrides
	Callback    map[string]string `json:"callback,omitempty"`
	Handback    string            `json:"handback,omitempty"` // the agent driver URL, masked
}

// CheckResult is the outcome of one check.
type CheckResult struct {
	ID       string        `json:"id"`
	Title    string        `json:"title"`
	Level    Level         `json:"level"`
	Source   string        `json:"source"`             // section of docs/CONTRACT.md
	Citation *Citation     `json:"citation,omitempty"` // the documentation sentence a MUST rests on
	Status   Status        `json:"status"`
	Duration time.Duration `json:"-"`
	Message  string        `json:"message"`
	Evidence []Evidence    `json:"evidence"`
}

// MarshalJSON renders Duration as durationMs.
func (c CheckResult) MarshalJSON() ([]byte, error) {
	type plain CheckResult
	return json.Marshal(struct {
		plain
		DurationMS float64 `json:"durationMs"`
	}{plain(c), ms(c.Duration)})
}

// Evidence is one request the suite sent and what came back.
type Evidence struct {
	Request  RequestEvidence   `json:"request"`
	Response *ResponseEvidence `json:"response,omitempty"` // nil when no answer came
	Error    string            `json:"error,omitempty"`    // transport error, masked
	Curl     string            `json:"curl"`               // secrets as $VERIFY_TOKEN
	Note     string            `json:"note,omitempty"`
}

// RequestEvidence is a request as sent, masked.
type RequestEvidence struct {
	Method        string            `json:"method"`
	URL           string            `json:"url"`
	Headers       map[string]string `json:"headers,omitempty"`
	Body          string            `json:"body,omitempty"` // at most 4 KiB
	BodyBytes     int               `json:"bodyBytes"`
	BodyExcerpted bool              `json:"bodyExcerpted"` // Body is the first 4 KiB
	OffContract   bool              `json:"offContract"`   // a deliberate negative case
}

// ResponseEvidence is an answer as received, masked.
type ResponseEvidence struct {
	Status        int               `json:"status"`
	Headers       map[string]string `json:"headers,omitempty"`
	Body          string            `json:"body,omitempty"` // at most 4 KiB
	BodyBytes     int               `json:"bodyBytes"`      // bytes read, at most 1 MiB
	BodyExcerpted bool              `json:"bodyExcerpted"`
	Truncated     bool              `json:"truncated"` // the answer exceeded 1 MiB; reading stopped
	LatencyMS     float64           `json:"latencyMs"`
}

// Score counts the MUST and SHOULD checks that ran. Warnings count as
// passed; skipped and OFF checks are not counted.
type Score struct {
	Passed       int     `json:"passed"` // including warnings
	Warnings     int     `json:"warnings"`
	Failed       int     `json:"failed"`
	Skipped      int     `json:"skipped"`
	Total        int     `json:"total"` // Passed + Failed
	Percent      float64 `json:"percent"`
	MustFailed   int     `json:"mustFailed"`
	ShouldFailed int     `json:"shouldFailed"`
}

// Coverage lists which message kinds and event types the run exercised.
type Coverage struct {
	BotMessages  []CoverageItem `json:"botMessages"`
	UserMessages []CoverageItem `json:"userMessages"`
	Events       []CoverageItem `json:"events"`
	Exercised    int            `json:"exercised"` // items with Sent > 0
	Total        int            `json:"total"`
}

// CoverageItem counts the requests that carried one kind.
type CoverageItem struct {
	Kind     string `json:"kind"`
	Sent     int    `json:"sent"`
	Accepted int    `json:"accepted"` // answered with a 2xx
}

// WriteJSON writes the report as indented JSON; it validates against
// schemas/conformance-report.schema.json.
func (r *Report) WriteJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(r)
}

// statusWord is the console label of a status.
var statusWord = map[Status]string{StatusPassed: "PASS", StatusFailed: "FAIL", StatusWarning: "WARN", StatusSkipped: "SKIP"}

// WriteText writes a console summary: one line per check, then the score
// and the coverage.
func (r *Report) WriteText(w io.Writer) error {
	var b strings.Builder
	fmt.Fprintf(&b, "chatlayer-emulator conformance %s — profile %s — target %s — seed %d\n",
		r.SuiteVersion, r.Profile, r.Target, r.Seed)
	for _, c := range r.Checks {
		fmt.Fprintf(&b, "%s %-6s %-46s %s\n", statusWord[c.Status], c.Level, c.ID, oneLine(c.Message))
		if c.Status == StatusFailed && c.Citation != nil {
			fmt.Fprintf(&b, "            rests on: %q (%s)\n", c.Citation.Quote, c.Citation.URL)
		}
	}
	s := r.Score
	fmt.Fprintf(&b, "\nscore: %d/%d passed (%.0f%%), %d warning(s), %d MUST failed, %d SHOULD failed, %d skipped\n",
		s.Passed, s.Total, s.Percent, s.Warnings, s.MustFailed, s.ShouldFailed, s.Skipped)
	fmt.Fprintf(&b, "coverage: %d/%d kinds exercised\n", r.Coverage.Exercised, r.Coverage.Total)
	for _, g := range r.Coverage.groups() {
		fmt.Fprintf(&b, "  %-14s %s\n", g.Name+":", coverageLine(g.Items))
	}
	fmt.Fprintf(&b, "verdict: %s (exit %d)\n", r.Verdict, r.ExitCode)
	_, err := io.WriteString(w, b.String())
	return err
}

// coverageGroup is one table of the coverage.
type coverageGroup struct {
	Name  string
	Items []CoverageItem
}

func (c Coverage) groups() []coverageGroup {
	return []coverageGroup{{"bot messages", c.BotMessages}, {"user messages", c.UserMessages}, {"events", c.Events}}
}

func coverageLine(items []CoverageItem) string {
	parts := make([]string, len(items))
	for i, it := range items {
		parts[i] = fmt.Sprintf("%s %d/%d", it.Kind, it.Accepted, it.Sent)
	}
	return strings.Join(parts, ", ")
}

// oneLine keeps the first line of s.
func oneLine(s string) string {
	first, _, _ := strings.Cut(s, "\n")
	return first
}

// ms converts a duration to milliseconds.
func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
