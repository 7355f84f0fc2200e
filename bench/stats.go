package main

import (
	"slices"
	"time"
)

// spread is the median, minimum and maximum of a set of figures.
type spread struct {
	med, min, max float64
}

// spreadOf summarises vs (the median of an even count is the mean of the
// middle two).
func spreadOf(vs []float64) spread {
	if len(vs) == 0 {
		return spread{}
	}
	s := slices.Sorted(slices.Values(vs))
	n := len(s)
	med := s[n/2]
	if n%2 == 0 {
		med = (s[n/2-1] + s[n/2]) / 2
	}
	return spread{med: med, min: s[0], max: s[n-1]}
}

// row is one line of the report: a metric for both sides, the ratio
// emulator/reference computed pair by pair, and the target if any.
type row struct {
	metric string
	unit   unit
	emu    spread
	ref    spread
	ratio  spread
	target *target
	solo   bool // no reference in the same run: only the emulator's figure
}

// soloRow builds a row of a figure that has no same-run reference.
func soloRow(metric string, u unit, emu []float64, t *target) row {
	return row{metric: metric, unit: u, emu: spreadOf(emu), target: t, solo: true}
}

// newRow builds a row from paired figures: emu[i] and ref[i] were measured
// in the same round.
func newRow(metric string, u unit, emu, ref []float64, t *target) row {
	ratios := make([]float64, len(emu))
	for i := range emu {
		if ref[i] != 0 {
			ratios[i] = emu[i] / ref[i]
		}
	}
	return row{metric: metric, unit: u, emu: spreadOf(emu), ref: spreadOf(ref), ratio: spreadOf(ratios), target: t}
}

// target is a goal from the performance issue and how to check it.
type target struct {
	text string
	met  func(r row) bool
}

// The targets of the performance issue.
var (
	rateTarget    = &target{"≥ 0.5× reference", func(r row) bool { return r.ratio.med >= 0.5 }}
	pacedP50      = &target{"≤ 0.5 ms", func(r row) bool { return r.emu.med <= 0.5 }}
	pacedP99      = &target{"≤ 5 ms", func(r row) bool { return r.emu.med <= 5 }}
	readyTarget   = &target{"< 25 ms", func(r row) bool { return r.emu.med < 25 }}
	memoryTarget  = &target{"< 20 MiB", func(r row) bool { return r.emu.med < 20 }}
	conformTarget = &target{"< 2000 ms", func(r row) bool { return r.emu.med < 2000 }}
	dockerTarget  = &target{"< 5000 ms", func(r row) bool { return r.emu.med < 5000 }}
)

// figures maps per-round results to one figure each.
func figures(rs []result, f func(result) float64) []float64 {
	out := make([]float64, len(rs))
	for i, r := range rs {
		out[i] = f(r)
	}
	return out
}

// quantileMs returns a figure function for the q-quantile in milliseconds.
func quantileMs(q float64) func(result) float64 {
	return func(r result) float64 { return ms(r.quantile(q)) }
}

// ms converts d to milliseconds.
func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

// rateRows reports the v1 message endpoint under load: the emulator
// against the bare handler (the target) and against the bare platform,
// which delivers every message as the emulator does (for information);
// then the emulator without a webhook URL (q), which keeps the replies for
// the history API, against the bare handler.
func rateRows(e, f, p, q []result) []row {
	rate := result.rate
	const quiet = "v1 message, no webhook (replies kept for history): "
	return []row{
		newRow("v1 message: requests/s", perSecond, figures(e, rate), figures(f, rate), rateTarget),
		newRow("v1 message: requests/s, vs platform ¹", perSecond, figures(e, rate), figures(p, rate), nil),
		newRow("v1 message: latency p50", millis, figures(e, quantileMs(0.5)), figures(f, quantileMs(0.5)), nil),
		newRow("v1 message: latency p99", millis, figures(e, quantileMs(0.99)), figures(f, quantileMs(0.99)), nil),
		newRow(quiet+"requests/s", perSecond, figures(q, rate), figures(f, rate), rateTarget),
		newRow(quiet+"latency p99", millis, figures(q, quantileMs(0.99)), figures(f, quantileMs(0.99)), nil),
	}
}

// requestRows reports a request load of the emulator (e) against a
// reference (f): requests/s, latency p50 and latency p99, each named
// prefix + what it is, with the rate's and the p99's targets (nil: none).
func requestRows(prefix string, e, f []result, rateT, p99T *target) []row {
	return []row{
		newRow(prefix+"requests/s", perSecond, figures(e, result.rate), figures(f, result.rate), rateT),
		newRow(prefix+"latency p50", millis, figures(e, quantileMs(0.5)), figures(f, quantileMs(0.5)), nil),
		newRow(prefix+"latency p99", millis, figures(e, quantileMs(0.99)), figures(f, quantileMs(0.99)), p99T),
	}
}

// turnRows reports closed-loop message-to-delivery: every conversation
// sends its next message as soon as the previous reply arrives, so the
// rate is the saturated throughput and the latency is mostly queueing
// (Little's law: conversations / turns per second).
func turnRows(e, f []result) []row {
	rate := result.rate
	const name = "message→delivery, closed loop at saturation: "
	return []row{
		newRow(name+"turns/s", perSecond, figures(e, rate), figures(f, rate), nil),
		newRow(name+"p50", millis, figures(e, quantileMs(0.5)), figures(f, quantileMs(0.5)), nil),
		newRow(name+"p99", millis, figures(e, quantileMs(0.99)), figures(f, quantileMs(0.99)), nil),
	}
}
