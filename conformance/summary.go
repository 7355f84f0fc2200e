package conformance

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/chatlayer-emulator/chatlayer-emulator/schemas"
)

// newReport starts a report with the run's inputs, secrets masked.
func (r *runner) newReport() *Report {
	o := r.opts
	in := Inputs{Timeout: o.Timeout.String(), Budget: o.Budget.String(), WarnLatency: o.WarnLatency.String(),
		Checks: append([]string{}, o.Checks...), Severity: map[string]Level{}}
	if o.VerifyToken != "" {
		in.VerifyToken = masked
	}
	for k, v := range o.Severity {
		in.Severity[k] = v
	}
	if cb := o.Callback; cb != nil {
		in.Callback = map[string]string{"emulatorURL": r.mask.String(maskURLString(cb.EmulatorURL)),
			"botId": cb.BotID, "channelId": cb.ChannelID, "version": cb.Version, "wait": cb.Wait.String()}
	}
	in.Handback = r.mask.String(maskURLString(o.Handback))
	return &Report{Suite: suiteName, SuiteVersion: SuiteVersion, SchemaPack: schemaPack(), Profile: o.Profile,
		Target: r.mask.String(maskURLString(o.Target)), StartedAt: time.Now().UTC(), Seed: o.Seed, Inputs: in}
}

// finish computes the score, the exit code and the verdict.
func (rep *Report) finish(now time.Time) {
	rep.FinishedAt = now.UTC()
	s := Score{}
	for _, c := range rep.Checks {
		switch {
		case c.Level == LevelOff:
		case c.Status == StatusSkipped:
			s.Skipped++
		case c.Status == StatusFailed && c.Level == LevelMust:
			s.Failed++
			s.MustFailed++
		case c.Status == StatusFailed:
			s.Failed++
			s.ShouldFailed++
		case c.Status == StatusWarning:
			s.Warnings++
			s.Passed++
		default:
			s.Passed++
		}
	}
	s.Total = s.Passed + s.Failed
	if s.Total > 0 {
		s.Percent = float64(int(1000*float64(s.Passed)/float64(s.Total))) / 10
	}
	rep.Score = s
	rep.ExitCode, rep.Verdict = ExitPassed, "every MUST check passed"
	if s.ShouldFailed > 0 {
		rep.Verdict += fmt.Sprintf("; %d SHOULD check(s) failed (warnings)", s.ShouldFailed)
	}
	if s.MustFailed > 0 {
		rep.ExitCode, rep.Verdict = ExitFailed, fmt.Sprintf("%d MUST check(s) failed", s.MustFailed)
	}
}

// coverage counts, per kind, the requests that carried it and those
// accepted with a 2xx.
func (r *runner) coverage() Coverage {
	sent, accepted := map[string]int{}, map[string]int{}
	for _, x := range r.snapshot() {
		for _, k := range x.req.coverage {
			sent[k]++
			if x.ok() {
				accepted[k]++
			}
		}
	}
	var cov Coverage
	group := func(prefix string, kinds []string) []CoverageItem {
		items := make([]CoverageItem, 0, len(kinds))
		for _, k := range kinds {
			it := CoverageItem{Kind: k, Sent: sent[prefix+k], Accepted: accepted[prefix+k]}
			cov.Total++
			if it.Sent > 0 {
				cov.Exercised++
			}
			items = append(items, it)
		}
		return items
	}
	cov.BotMessages = group("bot:", BotKinds)
	cov.UserMessages, cov.Events = []CoverageItem{}, []CoverageItem{}
	if r.opts.Profile == ProfileOffloading {
		cov.UserMessages = group("user:", UserTypes)
		cov.Events = group("event:", []string{"health", "messages", "offload", "typing"})
	}
	return cov
}

// schemaPack is a digest of the embedded schemas, so that a report names
// the exact contract it was judged against.
var schemaPack = sync.OnceValue(func() string {
	names, _ := fs.Glob(schemas.FS(), "*.schema.json")
	sort.Strings(names)
	h := sha256.New()
	for _, n := range names {
		b, _ := fs.ReadFile(schemas.FS(), n)
		fmt.Fprintf(h, "%s\x00%d\x00", n, len(b))
		h.Write(b)
	}
	return "sha256:" + strings.ToLower(hex.EncodeToString(h.Sum(nil))[:16])
})
