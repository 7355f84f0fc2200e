package conformance

import (
	"html/template"
	"io"
	"sort"
	"strings"
	"sync"
)

// WriteHTML writes a self-contained certificate page: inline CSS, no
// scripts, no external assets. It shows the verdict, the score, the
// coverage of message kinds, the inputs and suite version that produced
// it, every check, and per failure or warning the request sent, the answer
// received and the curl command that reproduces it (all masked).
func (r *Report) WriteHTML(w io.Writer) error {
	return certificate().Execute(w, r)
}

// certificate is parsed on first use, not at start-up (3 ms of every
// emulator start otherwise).
var certificate = sync.OnceValue(func() *template.Template {
	return template.Must(template.New("certificate").Funcs(template.FuncMap{
		"lower":   func(s Status) string { return string(s) },
		"word":    func(s Status) string { return statusWord[s] },
		"headers": sortedHeaders,
		"issues":  issues,
		"groups":  func(c Coverage) []coverageGroup { return c.groups() },
	}).Parse(certificateHTML))
})

// issues returns the failed and warning checks.
func issues(cs []CheckResult) []CheckResult {
	var out []CheckResult
	for _, c := range cs {
		if c.Status == StatusFailed || c.Status == StatusWarning {
			out = append(out, c)
		}
	}
	return out
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

const certificateHTML = `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Chatlayer conformance: {{.Profile}} — {{.Score.Passed}}/{{.Score.Total}}</title>
<style>
body{font:15px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:0 auto;max-width:1100px;padding:24px;color:#1d2330;background:#fafbfc}
h1{font-size:26px;margin:0 0 4px}h2{font-size:19px;margin:32px 0 8px;border-bottom:1px solid #d8dde6;padding-bottom:4px}
.verdict{padding:16px 20px;border-radius:8px;margin:16px 0;font-size:18px;font-weight:600}
.ok{background:#e3f6e8;color:#10502a;border:1px solid #9fd8b0}.bad{background:#fde8e8;color:#7a1010;border:1px solid #f0a8a8}
table{border-collapse:collapse;width:100%;margin:8px 0;background:#fff}th,td{border:1px solid #d8dde6;padding:5px 8px;text-align:left;vertical-align:top}
th{background:#eef1f6}.passed{color:#10502a}.failed{color:#a01818;font-weight:600}.warning{color:#8a5a00;font-weight:600}.skipped{color:#667}
pre{background:#1d2330;color:#e8ecf2;padding:10px;border-radius:6px;overflow-x:auto;white-space:pre-wrap;word-break:break-all;font-size:13px}
.issue{background:#fff;border:1px solid #d8dde6;border-radius:8px;padding:12px 16px;margin:12px 0}.muted{color:#667;font-size:13px}
</style>
</head>
<body>
<h1>Chatlayer contract conformance certificate</h1>
<div class="muted">{{.Suite}} {{.SuiteVersion}} · profile <b>{{.Profile}}</b> · target {{.Target}}</div>
<div class="verdict {{if eq .ExitCode 0}}ok{{else}}bad{{end}}">{{if eq .ExitCode 0}}CONFORMANT{{else}}NOT CONFORMANT{{end}}: {{.Verdict}} — score {{.Score.Passed}}/{{.Score.Total}} ({{.Score.Percent}}%)</div>
<p>{{.Score.Warnings}} warning(s), {{.Score.MustFailed}} MUST and {{.Score.ShouldFailed}} SHOULD check(s) failed, {{.Score.Skipped}} skipped. Exit code {{.ExitCode}}.</p>

<h2>Coverage ({{.Coverage.Exercised}}/{{.Coverage.Total}} kinds exercised)</h2>
<table><tr><th>Group</th><th>Kind</th><th>Requests sent</th><th>Accepted (2xx)</th></tr>
{{range groups .Coverage}}{{$g := .Name}}{{range .Items}}<tr><td>{{$g}}</td><td>{{.Kind}}</td><td>{{.Sent}}</td><td class="{{if and (gt .Sent 0) (eq .Sent .Accepted)}}passed{{else}}failed{{end}}">{{.Accepted}}</td></tr>
{{end}}{{end}}</table>

<h2>Inputs</h2>
<table>
<tr><th>Suite version</th><td>{{.SuiteVersion}}</td></tr><tr><th>Schema pack</th><td>{{.SchemaPack}}</td></tr>
<tr><th>Profile</th><td>{{.Profile}}</td></tr><tr><th>Target</th><td>{{.Target}}</td></tr>
<tr><th>Seed</th><td>{{.Seed}}</td></tr><tr><th>Verify token</th><td>{{if .Inputs.VerifyToken}}{{.Inputs.VerifyToken}} (masked){{else}}(none){{end}}</td></tr>
<tr><th>Timeout / budget / warn latency</th><td>{{.Inputs.Timeout}} / {{.Inputs.Budget}} / {{.Inputs.WarnLatency}}</td></tr>
<tr><th>Checks selected</th><td>{{if .Inputs.Checks}}{{range .Inputs.Checks}}{{.}} {{end}}{{else}}all{{end}}</td></tr>
<tr><th>Severity overrides</th><td>{{range $k, $v := .Inputs.Severity}}{{$k}}={{$v}} {{else}}none{{end}}</td></tr>
{{with .Inputs.Callback}}<tr><th>Callback</th><td>{{range $k, $v := .}}{{$k}}={{$v}} {{end}}</td></tr>{{end}}
<tr><th>Started / finished</th><td>{{.StartedAt.Format "2006-01-02 15:04:05 MST"}} / {{.FinishedAt.Format "15:04:05 MST"}}</td></tr>
</table>

<h2>Checks</h2>
<table><tr><th>Result</th><th>Level</th><th>Check</th><th>Contract</th><th>Message</th></tr>
{{range .Checks}}<tr><td class="{{lower .Status}}">{{word .Status}}</td><td>{{.Level}}</td><td><b>{{.ID}}</b><br><span class="muted">{{.Title}}</span></td><td class="muted">{{.Source}}{{with .Citation}}<br>“{{.Quote}}” ({{.URL}}){{end}}</td><td>{{.Message}}</td></tr>
{{end}}</table>

{{with issues .Checks}}<h2>Failures and warnings, with evidence</h2>
{{range .}}<div class="issue" id="{{.ID}}"><b class="{{lower .Status}}">{{word .Status}} {{.Level}} {{.ID}}</b> — {{.Message}}
{{range .Evidence}}<p class="muted">Request sent{{if .Request.OffContract}} (deliberately off contract){{end}}{{if .Note}} — {{.Note}}{{end}}</p>
<pre>{{.Request.Method}} {{.Request.URL}}
{{headers .Request.Headers}}{{if .Request.Body}}

{{.Request.Body}}{{if .Request.BodyExcerpted}}
… ({{.Request.BodyBytes}} bytes in all){{end}}{{end}}</pre>
{{if .Response}}<p class="muted">Answer received after {{.Response.LatencyMS}} ms{{if .Response.Truncated}} (longer than 1 MiB; reading stopped){{end}}</p>
<pre>HTTP {{.Response.Status}}
{{headers .Response.Headers}}{{if .Response.Body}}

{{.Response.Body}}{{end}}</pre>{{end}}{{if .Error}}<p class="muted">No answer: {{.Error}}</p>{{end}}
<p class="muted">Reproduce (export VERIFY_TOKEN first):</p><pre>{{.Curl}}</pre>
{{end}}</div>
{{end}}{{end}}
<p class="muted">Generated by {{.Suite}} {{.SuiteVersion}}. Secrets are masked as *** and as $VERIFY_TOKEN in commands.</p>
</body>
</html>
`
