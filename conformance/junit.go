package conformance

import (
	"encoding/xml"
	"fmt"
	"io"
	"sort"
	"strings"
)

// junitSuites is the JUnit XML root understood by CI systems.
type junitSuites struct {
	XMLName  xml.Name     `xml:"testsuites"`
	Name     string       `xml:"name,attr"`
	Tests    int          `xml:"tests,attr"`
	Failures int          `xml:"failures,attr"`
	Skipped  int          `xml:"skipped,attr"`
	Time     string       `xml:"time,attr"`
	Suites   []junitSuite `xml:"testsuite"`
}

type junitSuite struct {
	Name       string          `xml:"name,attr"`
	Tests      int             `xml:"tests,attr"`
	Failures   int             `xml:"failures,attr"`
	Errors     int             `xml:"errors,attr"`
	Skipped    int             `xml:"skipped,attr"`
	Time       string          `xml:"time,attr"`
	Timestamp  string          `xml:"timestamp,attr"`
	Properties []junitProperty `xml:"properties>property"`
	Cases      []junitCase     `xml:"testcase"`
}

type junitProperty struct {
	Name  string `xml:"name,attr"`
	Value string `xml:"value,attr"`
}

type junitCase struct {
	Name      string        `xml:"name,attr"`
	Classname string        `xml:"classname,attr"`
	Time      string        `xml:"time,attr"`
	Failure   *junitMessage `xml:"failure,omitempty"`
	Skipped   *junitMessage `xml:"skipped,omitempty"`
	SystemOut string        `xml:"system-out,omitempty"`
}

type junitMessage struct {
	Message string `xml:"message,attr"`
	Type    string `xml:"type,attr,omitempty"`
	Text    string `xml:",chardata"`
}

// WriteJUnit writes the report as JUnit XML: one testcase per check. A
// failed check (MUST or SHOULD; the type attribute says which) is a
// failure, a skipped one is skipped, a warning passes with its message in
// system-out. The inputs are properties.
func (r *Report) WriteJUnit(w io.Writer) error {
	s := junitSuite{Name: "conformance." + string(r.Profile), Time: seconds(r), Timestamp: r.StartedAt.Format("2006-01-02T15:04:05Z"),
		Properties: r.properties()}
	for _, c := range r.Checks {
		s.Cases = append(s.Cases, junitCaseOf(c, string(r.Profile)))
		s.Tests++
		switch c.Status {
		case StatusFailed:
			s.Failures++
		case StatusSkipped:
			s.Skipped++
		}
	}
	root := junitSuites{Name: suiteName, Tests: s.Tests, Failures: s.Failures, Skipped: s.Skipped, Time: s.Time, Suites: []junitSuite{s}}
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(root); err != nil {
		return err
	}
	_, err := io.WriteString(w, "\n")
	return err
}

func junitCaseOf(c CheckResult, profile string) junitCase {
	jc := junitCase{Name: c.ID + ": " + c.Title, Classname: "conformance." + profile, Time: fmt.Sprintf("%.3f", c.Duration.Seconds())}
	switch c.Status {
	case StatusFailed:
		jc.Failure = &junitMessage{Message: c.Message, Type: string(c.Level), Text: failureText(c)}
	case StatusSkipped:
		jc.Skipped = &junitMessage{Message: c.Message}
	case StatusWarning:
		jc.SystemOut = "WARNING: " + c.Message
	}
	return jc
}

// failureText is the body of a failure: level, source, the sentence a
// MUST rests on, message and, per piece of evidence, the status and the
// curl command.
func failureText(c CheckResult) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s (%s)\n", c.Level, c.ID, c.Source)
	if c.Citation != nil {
		fmt.Fprintf(&b, "rests on: %q (%s)\n", c.Citation.Quote, c.Citation.URL)
	}
	fmt.Fprintf(&b, "%s\n", c.Message)
	for _, e := range c.Evidence {
		if e.Response != nil {
			fmt.Fprintf(&b, "\nanswer: %d %s\n", e.Response.Status, e.Response.Body)
		}
		if e.Error != "" {
			fmt.Fprintf(&b, "\nerror: %s\n", e.Error)
		}
		fmt.Fprintf(&b, "reproduce: %s\n", e.Curl)
	}
	return strings.ToValidUTF8(b.String(), "\uFFFD")
}

// properties lists the inputs that produced the report.
func (r *Report) properties() []junitProperty {
	p := []junitProperty{
		{"suiteVersion", r.SuiteVersion}, {"schemaPack", r.SchemaPack}, {"profile", string(r.Profile)},
		{"target", r.Target}, {"seed", fmt.Sprint(r.Seed)}, {"timeout", r.Inputs.Timeout},
		{"budget", r.Inputs.Budget}, {"warnLatency", r.Inputs.WarnLatency}, {"verifyToken", r.Inputs.VerifyToken},
		{"checks", strings.Join(r.Inputs.Checks, ",")}, {"score", fmt.Sprintf("%d/%d", r.Score.Passed, r.Score.Total)},
		{"exitCode", fmt.Sprint(r.ExitCode)},
	}
	keys := make([]string, 0, len(r.Inputs.Severity))
	for k := range r.Inputs.Severity {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		p = append(p, junitProperty{"severity." + k, string(r.Inputs.Severity[k])})
	}
	return p
}

// seconds is the run's wall time in seconds.
func seconds(r *Report) string {
	return fmt.Sprintf("%.3f", r.FinishedAt.Sub(r.StartedAt).Seconds())
}
