package conformance

import (
	"context"
	"fmt"
	"net/url"
	"slices"
	"sort"
	"time"
)

// checkStatus200 judges every messages and offload event answered so far:
// the docs expect exactly 200, so another 2xx fails this SHOULD (and only
// this one; the per-kind checks accept any 2xx).
func checkStatus200(_ context.Context, r *runner) verdict {
	var counted int
	var other []*exchange
	for _, x := range r.snapshot() {
		if !x.req.expect200 || !x.ok() {
			continue
		}
		counted++
		if x.status != 200 {
			other = append(other, x)
		}
	}
	switch {
	case counted == 0:
		return verdict{status: StatusSkipped, message: "no event was answered with a 2xx"}
	case len(other) > 0:
		return verdict{status: StatusFailed, message: fmt.Sprintf("%d of %d events answered %d instead of 200", len(other), counted, other[0].status),
			evidence: r.evidenceOf(other, "")}
	}
	return verdict{status: StatusPassed, message: fmt.Sprintf("all %d events answered 200", counted)}
}

// checkLatency judges the time to answer of every request to the target:
// a timeout fails, an answer slower than WarnLatency warns.
func checkLatency(_ context.Context, r *runner) verdict {
	var answered, timedOut []*exchange
	for _, x := range r.snapshot() {
		switch {
		case !x.req.toTarget || x.budgetCut:
		case x.timedOut:
			timedOut = append(timedOut, x)
		case x.err == nil:
			answered = append(answered, x)
		}
	}
	if len(answered)+len(timedOut) == 0 {
		return verdict{status: StatusSkipped, message: "no request got an answer or timed out"}
	}
	stats := latencyStats(answered)
	if len(timedOut) > 0 {
		return verdict{status: StatusFailed, message: fmt.Sprintf("%d request(s) got no answer within %s; %s",
			len(timedOut), r.opts.Timeout, stats), evidence: r.evidenceOf(timedOut, "timed out")}
	}
	slow := slowest(answered, r.opts.WarnLatency)
	if len(slow) > 0 {
		return verdict{status: StatusWarning, message: fmt.Sprintf("%d answer(s) slower than %s; %s",
			len(slow), r.opts.WarnLatency, stats), evidence: r.evidenceOf(slow, "slower than warn-latency")}
	}
	return verdict{status: StatusPassed, message: stats, evidence: r.evidenceOf(slowest(answered, -1)[:1], "the slowest answer")}
}

// latencyStats renders p50, p95 and max of the answered requests.
func latencyStats(xs []*exchange) string {
	if len(xs) == 0 {
		return "no answers"
	}
	ls := make([]time.Duration, len(xs))
	for i, x := range xs {
		ls[i] = x.latency
	}
	slices.Sort(ls)
	pct := func(q float64) time.Duration {
		i := int(q*float64(len(ls))+0.999999) - 1
		return ls[max(0, min(i, len(ls)-1))]
	}
	return fmt.Sprintf("%d answers: p50 %s, p95 %s, max %s", len(ls),
		pct(0.50).Round(time.Microsecond), pct(0.95).Round(time.Microsecond), ls[len(ls)-1].Round(time.Microsecond))
}

// slowest returns the exchanges slower than limit, slowest first.
func slowest(xs []*exchange, limit time.Duration) []*exchange {
	var out []*exchange
	for _, x := range xs {
		if x.latency > limit {
			out = append(out, x)
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].latency > out[j].latency })
	return out
}

// coverageOf lists the coverage keys of an offloading event: its type and
// the kinds of its items. Negative requests (counted false) cover nothing.
func coverageOf(ev obj, counted bool) []string {
	if !counted {
		return nil
	}
	keys := []string{"event:" + fmt.Sprint(ev["event"])}
	for _, field := range []string{"messages", "transcript"} {
		items, _ := ev[field].([]any)
		for _, it := range items {
			item, _ := it.(obj)
			msg, _ := item["message"].(obj)
			if item["actor"] == "user" {
				keys = append(keys, "user:"+fmt.Sprint(msg["messageType"]))
			} else {
				keys = append(keys, "bot:"+botKind(msg))
			}
		}
	}
	slices.Sort(keys)
	return slices.Compact(keys)
}

// botKind names the kind of a Messenger-style bot message.
func botKind(m obj) string {
	if m["type"] == "event" {
		return "event"
	}
	if a, ok := m["attachment"].(obj); ok {
		if p, ok := a["payload"].(obj); ok && a["type"] == "template" {
			return fmt.Sprint(p["template_type"])
		}
		return fmt.Sprint(a["type"])
	}
	if _, ok := m["quick_replies"]; ok {
		return "quick_replies"
	}
	return "text"
}

// mustParse parses a URL that validate already accepted.
func mustParse(raw string) *url.URL {
	u, err := url.Parse(raw)
	if err != nil {
		panic(err)
	}
	return u
}
