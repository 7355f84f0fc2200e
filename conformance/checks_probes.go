package conformance

import (
	"context"
	"fmt"
	"sync"
)

// unicodeTexts mix emoji (with ZWJ sequences and skin tones), right-to-left
// scripts, CJK, combining marks and characters outside the BMP.
var unicodeTexts = []string{
	"Hello 👋🏽 family: 👩‍👩‍👧‍👦 flag: 🇧🇪",
	"مرحبا، أحتاج إلى مساعدة بشأن طلبي",
	"שלום, אני צריך עזרה",
	"你好，我想查询订单。こんにちは、注文について。안녕하세요",
	"Ame\u0301lie cafe\u0301 Z\u0351\u0353a\u0352l\u0354g\u0355o n\u0303 \u1e9b\u0323",
	"Math 𝔘𝔫𝔦𝔠𝔬𝔡𝔢 and 𠜎𠜱 beyond the BMP",
}

// checkUnicode sends an offload event whose texts and payload are unicode.
func checkUnicode(ctx context.Context, r *runner) verdict {
	c := r.gen.newConversation("", "")
	ev := r.gen.offloadEvent(c, 0)
	var items []any
	for i, t := range unicodeTexts {
		u := r.gen.userMessage("text", c.sessionID, c.botID)
		u["text"] = t
		items = append(items, r.gen.item("user", u))
		items = append(items, r.gen.item("bot", obj{"text": unicodeTexts[len(unicodeTexts)-1-i]}))
	}
	ev["transcript"] = items
	ev["payload"] = obj{"reason": unicodeTexts[0], "note": unicodeTexts[1], "name": unicodeTexts[4], "tag": "数据"}
	x := r.postEvent(ctx, "offloading.offload.unicode", ev)
	return r.judgeAccepted("unicode texts and payload were accepted", x)
}

// withUnknownFields adds an unknown field to every object of v, in place.
func withUnknownFields(v any) {
	switch t := v.(type) {
	case obj:
		for _, child := range t {
			withUnknownFields(child)
		}
		t["x_conformance_future"] = obj{"since": "2099-01", "note": "a field Chatlayer may add"}
	case []any:
		for _, child := range t {
			withUnknownFields(child)
		}
	}
}

func checkUnknownFields(ctx context.Context, r *runner) verdict {
	c := r.gen.newConversation("", "")
	ev := r.gen.messagesEvent(c, r.gen.item("user", r.gen.userMessage("text", c.sessionID, c.botID)),
		r.gen.item("bot", r.gen.botMessage("button")))
	withUnknownFields(ev)
	x := r.postEvent(ctx, "offloading.tolerant.unknown-fields", ev)
	return r.judgeAccepted("unknown fields at every level were tolerated", x)
}

// checkUnknownEvent sends an event type Chatlayer might add later
// ("typing"), then the health check: a 2xx is required for both.
func checkUnknownEvent(ctx context.Context, r *runner) verdict {
	const id = "offloading.tolerant.unknown-event"
	ev := r.gen.event("typing", r.gen.newConversation("", ""))
	ev["typing"] = true
	x := r.send(ctx, r.eventRequest(id, ev, tokenRight, ""))
	if v := r.judgeAccepted("", x); v.status != StatusPassed {
		v.message = "the unknown event type \"typing\" " + v.message
		return v
	}
	h := r.health(ctx, id)
	if v := r.judgeAccepted("", h); v.status != StatusPassed {
		v.message = "after the unknown event, the health check " + v.message
		v.evidence = r.evidenceOf([]*exchange{x, h}, "")
		return v
	}
	return verdict{status: StatusPassed, message: fmt.Sprintf("answered %d, and the health check after it %d", x.status, h.status),
		evidence: r.evidenceOf([]*exchange{x, h}, "")}
}

// checkDuplicate delivers the same bytes twice, as a retry would.
func checkDuplicate(ctx context.Context, r *runner) verdict {
	c := r.gen.newConversation("", "")
	ev := r.gen.messagesEvent(c, r.gen.item("user", r.gen.userMessage("text", c.sessionID, c.botID)))
	q := r.eventRequest("offloading.robust.duplicate", ev, tokenRight, "offloading-event")
	return r.judgeDuplicate(r.send(ctx, q), r.send(ctx, q))
}

// judgeDuplicate passes when both deliveries got the same 2xx status.
func (r *runner) judgeDuplicate(first, second *exchange) verdict {
	if v := r.judgeAccepted("", first); v.status != StatusPassed {
		v.message = "the first delivery " + v.message
		return v
	}
	if v := r.judgeAccepted("", second); v.status != StatusPassed {
		v.message = "the re-delivery " + v.message
		v.evidence = r.evidenceOf([]*exchange{first, second}, "the same bytes sent twice")
		return v
	}
	ev := r.evidenceOf([]*exchange{first, second}, "the same bytes sent twice")
	if first.status != second.status {
		return verdict{status: StatusFailed, message: fmt.Sprintf("answered %d, then %d to the same delivery", first.status, second.status), evidence: ev}
	}
	return verdict{status: StatusPassed, message: fmt.Sprintf("both deliveries answered %d", first.status), evidence: ev}
}

// sendAll sends the requests with at most limit in flight; results keep
// the order of qs.
func (r *runner) sendAll(ctx context.Context, qs []request, limit int) []*exchange {
	out := make([]*exchange, len(qs))
	sem := make(chan struct{}, limit)
	var wg sync.WaitGroup
	for i, q := range qs {
		sem <- struct{}{}
		wg.Go(func() {
			defer func() { <-sem }()
			out[i] = r.send(ctx, q)
		})
	}
	wg.Wait()
	return out
}

// userEvents generates n messages events, one per new conversation, in
// seed order before anything is sent.
func (r *runner) userEvents(check string, n int) []request {
	qs := make([]request, n)
	for i := range qs {
		c := r.gen.newConversation("", "")
		ev := r.gen.messagesEvent(c, r.gen.item("user", r.gen.userMessage("text", c.sessionID, c.botID)))
		qs[i] = r.eventRequest(check, ev, tokenRight, "offloading-event")
	}
	return qs
}

func checkConcurrent(ctx context.Context, r *runner) verdict {
	xs := r.sendAll(ctx, r.userEvents("offloading.robust.concurrent", 20), 20)
	return r.judgeAll(xs, "all %d concurrent events were accepted")
}

func checkBurst(ctx context.Context, r *runner) verdict {
	xs := r.sendAll(ctx, r.userEvents("offloading.robust.burst", 100), 10)
	return r.judgeAll(xs, "all %d events of the burst were accepted")
}

// judgeAll passes when every exchange got a 2xx; otherwise it counts the
// failures and keeps up to 3 as evidence.
func (r *runner) judgeAll(xs []*exchange, passFmt string) verdict {
	var bad []*exchange
	status, msg := Status(""), ""
	for _, x := range xs {
		if st, m := r.problem(x); st != "" {
			bad = append(bad, x)
			if status != StatusFailed {
				status, msg = st, m
			}
		}
	}
	if len(bad) == 0 {
		return verdict{status: StatusPassed, message: fmt.Sprintf(passFmt, len(xs)), evidence: r.evidenceOf(xs[:1], "")}
	}
	return verdict{status: status, message: fmt.Sprintf("%d of %d not accepted; first: %s", len(bad), len(xs), msg),
		evidence: r.evidenceOf(bad, "")}
}
