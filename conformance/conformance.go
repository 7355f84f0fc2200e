// Package conformance certifies a vendor's endpoint against the Chatlayer
// contract: an offloading webhook or a Webhook-channel receiver of bot
// messages (docs/CONTRACT.md §2 and §3). It plays Chatlayer's side, sends
// every message kind and event type the contract knows, probes
// authentication, tolerance and robustness, and grades every answer
// against the project's JSON Schemas (package schemas, the one source of
// truth). A check is MUST only when a sentence of Chatlayer's public
// documentation requires what it tests; it carries that sentence and its
// URL (Check.Citation). Everything else is SHOULD.
//
//	rep, err := conformance.Run(ctx, conformance.Options{
//		Target:      "https://bridge.example.com/offloading",
//		VerifyToken: os.Getenv("VERIFY_TOKEN"),
//		Profile:     conformance.ProfileOffloading,
//	})
//	if err != nil { ... } // bad options: nothing ran (exit code 2)
//	rep.WriteText(os.Stdout)
//	os.Exit(rep.ExitCode) // 0: every MUST passed; 1: a MUST failed
//
// Checks have stable ids (Catalogue lists them), run one after another
// except the concurrency probes, never follow redirects, read at most
// 1 MiB of an answer, and stop when the run's budget is spent. A request
// whose reused connection breaks before any byte of the answer is retried
// once on a new connection, so verdicts do not depend on how the endpoint
// handles keep-alive. Generated ids and payloads depend only on the seed.
// The verify token never appears in a report: it is masked as "***", and
// as $VERIFY_TOKEN in curl lines.
//
// The hand-back check runs only with Options.Handback, the vendor's agent
// driver, since an agent's reply comes from a person; it plays Chatlayer
// on an emulator, which the package talks to only over HTTP: it never
// imports the emulator.
package conformance

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"sync"
	"time"

	"github.com/chatlayer-emulator/chatlayer-emulator/schemas"
)

// SuiteVersion is the version of the check catalogue; it changes whenever
// a check is added, removed or judged differently.
const SuiteVersion = "2.0.0"

// suiteName names the suite in reports.
const suiteName = "chatlayer-emulator-conformance"

// runner holds the state of one run.
type runner struct {
	opts   Options
	client *http.Client // pools connections
	fresh  *http.Client // never reuses a connection: the one retry of a broken reused one
	mask   *masker
	gen    *generator
	schema *schemas.Set
	// latencyOwnsTimeouts makes timeouts inconclusive for other checks,
	// because the latency check (selected and not OFF) fails on them.
	latencyOwnsTimeouts bool

	mu        sync.Mutex // guards exchanges
	exchanges []*exchange
}

// Run runs the suite. The error is non-nil only when the suite cannot run
// at all (invalid options); an unreachable or misbehaving target gives
// failed checks in the report.
func Run(ctx context.Context, opts Options) (*Report, error) {
	opts = opts.withDefaults()
	if err := opts.validate(); err != nil {
		return nil, err
	}
	checks, err := plan(opts)
	if err != nil {
		return nil, err
	}
	client, fresh, closeIdle := newClient(opts.Client, opts.Egress)
	defer closeIdle()
	r := &runner{opts: opts, client: client, fresh: fresh, gen: newGenerator(opts.Seed), schema: schemas.Default(),
		mask: newMasker(opts.VerifyToken, "VERIFY_TOKEN", callbackSecret(opts, false), "CALLBACK_TOKEN",
			callbackSecret(opts, true), "CALLBACK_ADMIN_TOKEN")}
	r.latencyOwnsTimeouts = ownsTimeouts(checks)
	rep := r.newReport()
	rep.Checks = r.runAll(ctx, checks)
	rep.Coverage = r.coverage()
	rep.finish(time.Now())
	return rep, nil
}

// callbackSecret returns the callback's Bearer or admin token, if any.
func callbackSecret(o Options, admin bool) string {
	switch {
	case o.Callback == nil:
		return ""
	case admin:
		return o.Callback.AdminToken
	}
	return o.Callback.Token
}

// ownsTimeouts reports whether a latency check will run.
func ownsTimeouts(checks []planned) bool {
	for _, p := range checks {
		if p.latency && p.level != LevelOff {
			return true
		}
	}
	return false
}

// runAll runs the planned checks in order under the budget; checks that
// only read what earlier ones recorded run even when the budget is spent.
func (r *runner) runAll(ctx context.Context, checks []planned) []CheckResult {
	bctx, cancel := context.WithTimeout(ctx, r.opts.Budget)
	defer cancel()
	out := make([]CheckResult, len(checks))
	for i, p := range checks {
		out[i] = r.runOne(bctx, p)
	}
	return out
}

// runOne runs one check, or explains why it did not run.
func (r *runner) runOne(ctx context.Context, p planned) CheckResult {
	res := CheckResult{ID: p.ID, Title: p.Title, Level: p.level, Source: p.Source, Evidence: []Evidence{}}
	if p.Citation != (Citation{}) {
		cite := p.Citation
		res.Citation = &cite
	}
	start := time.Now()
	var v verdict
	switch {
	case p.level == LevelOff:
		v = verdict{status: StatusSkipped, message: "turned off by a severity override"}
	case ctx.Err() != nil && !p.derived:
		v = verdict{status: StatusSkipped, message: budgetMessage(ctx, r.opts.Budget)}
	default:
		v = r.guarded(ctx, p)
	}
	res.Duration = time.Since(start)
	res.Status, res.Message = v.status, v.message
	if v.evidence != nil {
		res.Evidence = v.evidence
	}
	return res
}

// budgetMessage says why a check was not started.
func budgetMessage(ctx context.Context, budget time.Duration) string {
	if errors.Is(ctx.Err(), context.DeadlineExceeded) {
		return fmt.Sprintf("not run: the budget of %s was spent", budget)
	}
	return "not run: the run was cancelled"
}

// guarded runs a check's function; a panic is a suite bug, reported as an
// inconclusive check instead of crashing the caller.
func (r *runner) guarded(ctx context.Context, p planned) (v verdict) {
	defer func() {
		if e := recover(); e != nil {
			v = verdict{status: StatusSkipped, message: r.mask.String(fmt.Sprintf("internal error of the suite: %v", e))}
		}
	}()
	return p.run(ctx, r)
}

// snapshot returns the exchanges recorded so far.
func (r *runner) snapshot() []*exchange {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]*exchange(nil), r.exchanges...)
}
