package main

import (
	"fmt"
	"net/http"
	"time"
)

// side is one side of a comparison: what it does in one round.
// A negative round is the unmeasured warm-up.
type side func(round int, d time.Duration) (result, error)

// rotated runs emu and ref once per round, the emulator first in even
// rounds and the reference first in odd ones (AB, BA, AB, …), so that
// drift during the run (heat, caches, the GC) hits both sides alike.
func rotated(rounds int, d time.Duration, emu, ref side) (e, r []result, err error) {
	for round := range rounds {
		first, second := emu, ref
		if round%2 == 1 {
			first, second = ref, emu
		}
		a, err := first(round, d)
		if err != nil {
			return nil, nil, err
		}
		b, err := second(round, d)
		if err != nil {
			return nil, nil, err
		}
		if round%2 == 1 {
			a, b = b, a
		}
		e, r = append(e, a), append(r, b)
	}
	return e, r, nil
}

// measureLoad runs the request-rate and the message-to-delivery
// measurements.
func measureLoad(o options, r *rig, logf logFunc) ([]row, error) {
	rate, err := measureRate(o, r, logf)
	if err != nil {
		return nil, err
	}
	turns, err := measureTurns(o, r, logf)
	return append(rate, turns...), err
}

// measureRate loads the v1 message endpoint of the emulator and of the
// bare handler, and reports requests/s and request latency.
func measureRate(o options, r *rig, logf logFunc) ([]row, error) {
	emu := newPoster(newClient(o.concurrency), r.emu.URL(), "rate", o.concurrency)
	ref := newPoster(newClient(o.concurrency), r.bare.url, "rate", o.concurrency)
	defer emu.close()
	defer ref.close()
	load := func(name string, p *poster) side {
		return func(round int, d time.Duration) (result, error) {
			return r.round(roundName("rate", name, round), logf, func() result {
				return generate(o.concurrency, d, p.request)
			})
		}
	}
	e, f, err := warmRotated(o, load("emulator", emu), load("reference", ref))
	if err != nil {
		return nil, err
	}
	return rateRows(e, f), nil
}

// measureTurns runs whole turns (message in, delivery out) on as many
// conversations as clients, against the emulator and the bare platform.
func measureTurns(o options, r *rig, logf logFunc) ([]row, error) {
	emuCli, refCli := newClient(o.concurrency), newClient(o.concurrency)
	defer emuCli.CloseIdleConnections()
	defer refCli.CloseIdleConnections()
	turn := func(name, baseURL string, c *http.Client) side {
		return func(round int, d time.Duration) (result, error) {
			p := newPoster(c, baseURL, fmt.Sprintf("turn-%s-r%d", name, round), o.concurrency)
			arrived := r.sink.Route(p.ids)
			defer r.sink.Route(nil)
			return r.round(roundName("turns", name, round), logf, func() result {
				return generate(o.concurrency, d, p.turns(arrived))
			})
		}
	}
	e, f, err := warmRotated(o, turn("emulator", r.emu.URL(), emuCli), turn("reference", r.platSrv.url, refCli))
	if err != nil {
		return nil, err
	}
	return turnRows(e, f), nil
}

// warmRotated runs each side once for the warm-up time, unmeasured, then
// the measured rounds.
func warmRotated(o options, emu, ref side) (e, r []result, err error) {
	if o.warmup > 0 {
		for _, s := range []side{emu, ref} {
			if _, err := s(-1, o.warmup); err != nil {
				return nil, nil, err
			}
		}
	}
	return rotated(o.rounds, o.duration, emu, ref)
}

// roundName names a round in progress lines.
func roundName(measure, side string, round int) string {
	if round < 0 {
		return fmt.Sprintf("%s %s warm-up", measure, side)
	}
	return fmt.Sprintf("%s %s round %d", measure, side, round+1)
}

// round runs one round of load, logs it and settles the rig.
func (r *rig) round(name string, logf logFunc, load func() result) (result, error) {
	res := load()
	began := time.Now()
	err := r.settle()
	logf("%s: %d ok, %d errors, %.0f/s, p50 %v, p99 %v; settled in %v",
		name, res.n, res.errs, res.rate(), res.quantile(0.5), res.quantile(0.99), time.Since(began).Round(time.Millisecond))
	if res.firstErr != nil {
		logf("%s: first error: %v", name, res.firstErr)
	}
	if err != nil {
		return res, fmt.Errorf("%s: settling: %w", name, err)
	}
	if res.n == 0 {
		return res, fmt.Errorf("%s: no operation succeeded: %v", name, res.firstErr)
	}
	return res, nil
}
