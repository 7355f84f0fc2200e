package conformance

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
)

// Check is one entry of the catalogue: a contract rule with a stable id.
// A check is MUST by default only when a sentence of Chatlayer's public
// documentation requires what it tests; that sentence is its Citation.
type Check struct {
	ID       string   // stable, e.g. "offloading.health.ok"
	Title    string   // one line
	Level    Level    // default severity: MUST or SHOULD
	Source   string   // the section of docs/CONTRACT.md the rule comes from
	Citation Citation // what a MUST rests on; zero for a SHOULD
	Evidence string   // what the report records for it
	Profile  Profile  // the profile it belongs to
	Negative bool     // sends off-contract data on purpose
	Fix      string   // how a vendor fixes a failure (fixes.go)

	run     checkFunc
	derived bool // sends nothing; judges what earlier checks recorded
	latency bool // the latency check of its profile
}

// checkFunc runs a check and judges it.
type checkFunc func(ctx context.Context, r *runner) verdict

// verdict is what a check function concludes.
type verdict struct {
	status   Status
	message  string
	evidence []Evidence
}

// planned is a selected check with its effective level.
type planned struct {
	Check
	level Level
}

// Catalogue returns every check of every profile, in run order.
func Catalogue() []Check {
	return withFixes(append(offloadingChecks(), webhookChecks()...))
}

// plan selects the profile's checks and applies severity overrides. An
// entry of Checks or Severity that matches no check is an error.
func plan(o Options) ([]planned, error) {
	var all []Check
	for _, c := range Catalogue() {
		if c.Profile == o.Profile {
			all = append(all, c)
		}
	}
	if err := unmatched("check", o.Checks, all); err != nil {
		return nil, err
	}
	keys := make([]string, 0, len(o.Severity))
	for k := range o.Severity {
		keys = append(keys, k)
	}
	if err := unmatched("severity override", keys, all); err != nil {
		return nil, err
	}
	var out []planned
	for _, c := range all {
		if len(o.Checks) == 0 || matchesAny(c.ID, o.Checks) {
			out = append(out, planned{Check: c, level: level(c, o.Severity)})
		}
	}
	return out, nil
}

// unmatched reports patterns that select no check of the profile.
func unmatched(what string, patterns []string, all []Check) error {
	for _, p := range patterns {
		found := false
		for _, c := range all {
			found = found || matches(c.ID, p)
		}
		if !found {
			return fmt.Errorf("%s %q matches no check of this profile", what, p)
		}
	}
	return nil
}

// matches reports whether pattern is the id or a prefix of it.
func matches(id, pattern string) bool {
	return pattern != "" && strings.HasPrefix(id, pattern)
}

func matchesAny(id string, patterns []string) bool {
	for _, p := range patterns {
		if matches(id, p) {
			return true
		}
	}
	return false
}

// level applies the longest matching severity override.
func level(c Check, overrides map[string]Level) Level {
	best, lvl := -1, c.Level
	for k, v := range overrides {
		if matches(c.ID, k) && len(k) > best {
			best, lvl = len(k), v
		}
	}
	return lvl
}

// encode marshals a body and checks it against its schema: the suite never
// sends off-contract data except in deliberate negative checks, which pass
// "" as the schema. A failure is a bug of the suite and panics (guarded
// turns it into an inconclusive check).
func (r *runner) encode(schema string, v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	if schema != "" {
		if err := r.schema.Validate(schema, b); err != nil {
			panic(fmt.Sprintf("generated body is off contract: %v", err))
		}
	}
	return b
}

// judgeAccepted passes when every exchange got a 2xx, and reports the
// first problem otherwise (failed beats inconclusive).
func (r *runner) judgeAccepted(pass string, xs ...*exchange) verdict {
	var worst *exchange
	var status Status
	var msg string
	for _, x := range xs {
		st, m := r.problem(x)
		if st == StatusFailed || (st != "" && status == "") {
			worst, status, msg = x, st, m
			if st == StatusFailed {
				break
			}
		}
	}
	if worst == nil {
		return verdict{status: StatusPassed, message: pass, evidence: r.evidenceOf(xs[:1], "")}
	}
	return verdict{status: status, message: msg, evidence: r.evidenceOf([]*exchange{worst}, "")}
}

// judgeValid passes when x got a 2xx with a body valid against schema,
// read from the raw bytes (duplicate keys fail).
func (r *runner) judgeValid(x *exchange, schema, pass string) verdict {
	if v := r.judgeAccepted(pass, x); v.status != StatusPassed {
		return v
	}
	ev := r.evidenceOf([]*exchange{x}, "")
	if x.truncated {
		return verdict{status: StatusFailed, message: fmt.Sprintf("the answer exceeds %d bytes; reading stopped", maxAnswer), evidence: ev}
	}
	if err := r.schema.Validate(schema, x.body); err != nil {
		return verdict{status: StatusFailed, message: r.mask.String("the answer breaks " + schema + ": " + err.Error()), evidence: ev}
	}
	return verdict{status: StatusPassed, message: pass, evidence: ev}
}

// judgeRefused passes when x was refused with 401 or 403.
func (r *runner) judgeRefused(x *exchange, what string) verdict {
	ev := r.evidenceOf([]*exchange{x}, "")
	if x.err != nil || (x.status >= 300 && x.status < 400) {
		st, msg := r.problem(x)
		return verdict{status: st, message: msg, evidence: ev}
	}
	switch {
	case x.status == 401 || x.status == 403:
		return verdict{status: StatusPassed, message: fmt.Sprintf("%s refused with %d", what, x.status), evidence: ev}
	case x.ok():
		return verdict{status: StatusFailed, message: fmt.Sprintf("%s was accepted with %d; want 401 or 403", what, x.status), evidence: ev}
	}
	return verdict{status: StatusFailed, message: fmt.Sprintf("%s answered %d; want 401 or 403", what, x.status), evidence: ev}
}
