package main

import (
	"fmt"
	"net/http"
	"time"
)

// side is one side of a comparison: what it does in one round.
// A negative round is the unmeasured warm-up.
type side func(round int, d time.Duration) (result, error)

// rotated runs every side once per round, in the given order in even
// rounds and in reverse order in odd ones (AB, BA, AB, …), so that drift
// during the run (heat, caches, the GC, neighbours) hits all sides alike.
// It returns the results by side, then by round.
func rotated(rounds int, d time.Duration, sides ...side) ([][]result, error) {
	out := make([][]result, len(sides))
	for round := range rounds {
		for k := range sides {
			i := k
			if round%2 == 1 {
				i = len(sides) - 1 - k
			}
			res, err := sides[i](round, d)
			if err != nil {
				return nil, err
			}
			out[i] = append(out[i], res)
		}
	}
	return out, nil
}

// measureLoad runs the selected ones of the request-rate, the closed-loop
// and the paced message-to-delivery measurements. The paced one offers a
// fraction of the bare platform's saturated rate that the closed loop
// measured.
func measureLoad(o options, r *rig, logf logFunc) ([]row, error) {
	var rows []row
	if o.only.has(groupRate) {
		rate, err := measureRate(o, r, logf)
		if err != nil {
			return nil, err
		}
		rows = append(rows, rate...)
	}
	var platformRate float64
	if o.only.has(groupTurns) {
		turns, rate, err := measureTurns(o, r, logf)
		if err != nil {
			return nil, err
		}
		rows, platformRate = append(rows, turns...), rate
	}
	if o.only.has(groupPaced) {
		paced, err := measurePaced(o, r, logf, platformRate)
		if err != nil {
			return nil, err
		}
		rows = append(rows, paced...)
	}
	return rows, nil
}

// measureRate loads the v1 message endpoint of the emulator, of the bare
// handler, of the bare platform (which also delivers each message) and of
// the emulator without a webhook URL, and reports requests/s and request
// latency.
func measureRate(o options, r *rig, logf logFunc) ([]row, error) {
	emu := newPoster(newClient(o.concurrency), r.emu.URL(), "rate", o.concurrency)
	ref := newPoster(newClient(o.concurrency), r.bare.url, "rate", o.concurrency)
	plat := newPoster(newClient(o.concurrency), r.platSrv.url, "rate", o.concurrency)
	quiet := newPoster(newClient(o.concurrency), r.quiet.URL(), "rate", o.concurrency)
	defer emu.close()
	defer ref.close()
	defer plat.close()
	defer quiet.close()
	load := func(name string, p *poster) side {
		return func(round int, d time.Duration) (result, error) {
			return r.round(roundName("rate", name, round), logf, func() result {
				return generate(o.concurrency, d, p.request)
			})
		}
	}
	res, err := warmRotated(o, load("emulator", emu), load("reference", ref), load("platform", plat),
		load("emulator-no-webhook", quiet))
	if err != nil {
		return nil, err
	}
	return rateRows(res[0], res[1], res[2], res[3]), nil
}

// measureTurns runs whole turns (message in, delivery out) in a closed
// loop on as many conversations as clients, against the emulator and the
// bare platform. It also returns the bare platform's median turns/s: the
// saturated rate of the machine.
func measureTurns(o options, r *rig, logf logFunc) ([]row, float64, error) {
	emuCli, refCli := newClient(o.concurrency), newClient(o.concurrency)
	defer emuCli.CloseIdleConnections()
	defer refCli.CloseIdleConnections()
	res, err := warmRotated(o, r.turnSide(o, logf, "emulator", r.emu.URL(), emuCli),
		r.turnSide(o, logf, "reference", r.platSrv.url, refCli))
	if err != nil {
		return nil, 0, err
	}
	rate := spreadOf(figures(res[1], result.rate)).med
	return turnRows(res[0], res[1]), rate, nil
}

// turnSide is a side that runs closed-loop turns against baseURL, whose
// deliveries reach the rig's sink.
func (r *rig) turnSide(o options, logf logFunc, name, baseURL string, c *http.Client) side {
	return func(round int, d time.Duration) (result, error) {
		p := newPoster(c, baseURL, fmt.Sprintf("turn-%s-r%d", name, round), o.concurrency)
		arrived := r.sink.Route(p.ids)
		defer r.sink.Route(nil)
		return r.round(roundName("turns", name, round), logf, func() result {
			return generate(o.concurrency, d, p.turns(arrived))
		})
	}
}

// warmRotated runs each side once for the warm-up time, unmeasured, then
// the measured rounds.
func warmRotated(o options, sides ...side) ([][]result, error) {
	if o.warmup > 0 {
		for _, s := range sides {
			if _, err := s(-1, o.warmup); err != nil {
				return nil, err
			}
		}
	}
	return rotated(o.rounds, o.duration, sides...)
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
