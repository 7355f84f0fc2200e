package conformance

import (
	"context"
	"fmt"
	"net/http"
)

// offloadingChecks is the catalogue of the offloading profile.
func offloadingChecks() []Check {
	cs := []Check{
		{ID: "offloading.health.ok", Title: "health check answers 200 {\"status\":\"ok\"}", Level: LevelMust,
			Source: srcHealth, Citation: Citation{URL: offloadingPage, Quote: quoteHealth},
			Evidence: "the GET and its answer", run: checkHealth},
		{ID: "offloading.auth.wrong-token", Title: "a POST with a wrong verify token is refused (401/403)", Level: LevelShould,
			Source: srcToken, Evidence: "the forged POST and its answer", run: checkAuth(tokenWrong)},
		{ID: "offloading.auth.missing-token", Title: "a POST without challenge.verifyToken is refused (401/403)", Level: LevelShould,
			Source: srcToken, Evidence: "the POST and its answer", run: checkAuth(tokenNone)},
	}
	for _, t := range UserTypes {
		cs = append(cs, Check{ID: "offloading.messages.user." + t, Title: "a messages event with a user item of type " + t + " is accepted",
			Level: LevelMust, Source: srcMessages, Citation: cite200(), Evidence: "the event and its answer", run: checkUserItem(t)})
	}
	for _, k := range BotKinds {
		cs = append(cs, botItemCheck(k))
	}
	cs = append(cs, offloadingChecks2()...)
	for i := range cs {
		cs[i].Profile = ProfileOffloading
	}
	return cs
}

// botItemCheck is the check of one bot message kind: MUST for the kinds
// Chatlayer documents, SHOULD for the event kind, whose shape is an
// assumption (docs/CONTRACT.md §3.2).
func botItemCheck(kind string) Check {
	c := Check{ID: "offloading.messages.bot." + kind, Title: "a messages event with a bot item of kind " + kind + " is accepted",
		Level: LevelMust, Source: srcBotItems, Citation: cite200(), Evidence: "the event and its answer", run: checkBotItem(kind)}
	if !documentedKind(kind) {
		c.Level, c.Source, c.Citation = LevelShould, srcEventKind, Citation{}
	}
	return c
}

// documentedKind reports whether Chatlayer's docs show the bot message
// kind; the non-visual event kind is known from client code only.
func documentedKind(kind string) bool { return kind != "event" }

// offloadingChecks2 continues the catalogue (kept apart for length).
func offloadingChecks2() []Check {
	return []Check{
		{ID: "offloading.messages.bot.batch", Title: "one messages event batching several bot items is accepted", Level: LevelMust,
			Source: srcMessages, Citation: cite200(), Evidence: "the event and its answer", run: checkBatch},
		{ID: "offloading.offload.answer", Title: "an offload event is answered 200 with a valid offload answer", Level: LevelMust,
			Source: srcOffload, Citation: Citation{URL: offloadingPage, Quote: quoteOffload},
			Evidence: "the event, the answer and the schema errors", run: checkOffloadAnswer},
		{ID: "offloading.offload.large-transcript", Title: "an offload event with a 1,000-item transcript is accepted", Level: LevelShould,
			Source: srcTranscript, Evidence: "the event (first 4 KiB) and its answer", run: checkLargeTranscript},
		{ID: "offloading.offload.unicode", Title: "emoji, RTL, CJK and combining marks in texts and payload are accepted", Level: LevelMust,
			Source: srcEveryRequest, Citation: cite200(), Evidence: "the event and its answer", run: checkUnicode},
		{ID: "offloading.tolerant.unknown-fields", Title: "unknown fields at every level are tolerated", Level: LevelShould,
			Source: srcRobust, Evidence: "the event and its answer", run: checkUnknownFields},
		{ID: "offloading.tolerant.unknown-event", Title: "an unknown event type gets a 2xx and the endpoint stays healthy", Level: LevelShould,
			Source: srcRobust, Evidence: "the event, the health GET after it, and their answers", Negative: true, run: checkUnknownEvent},
		{ID: "offloading.robust.duplicate", Title: "a re-delivered messages event is accepted again with the same status", Level: LevelShould,
			Source: srcRobust, Evidence: "both deliveries and their answers", run: checkDuplicate},
		{ID: "offloading.robust.concurrent", Title: "20 conversations' events sent at once are all accepted", Level: LevelShould,
			Source: srcRobust, Evidence: "up to 3 failing deliveries", run: checkConcurrent},
		{ID: "offloading.robust.burst", Title: "100 events in quick succession (10 at a time) are all accepted", Level: LevelShould,
			Source: srcRobust, Evidence: "up to 3 failing deliveries", run: checkBurst},
		{ID: "offloading.handback.round-trip", Title: "an agent's reply reaches the user and the hand-back (pauseBot:false) resumes the bot", Level: LevelShould,
			Source: srcHandback, Evidence: "the offload event, the agent driver's calls and the emulator calls", run: checkHandback},
		{ID: "offloading.messages.status-200", Title: "messages and offload events are answered exactly 200, not another 2xx", Level: LevelShould,
			Source: srcEveryRequest, Evidence: "up to 3 answers with another 2xx", derived: true, run: checkStatus200},
		{ID: "offloading.latency", Title: "every answer arrives within the timeout (warning above warn-latency)", Level: LevelMust,
			Source: srcLatency, Citation: cite200(), Evidence: "p50/p95/max; the slowest or timed-out requests",
			derived: true, latency: true, run: checkLatency},
	}
}

// tokenMode says how a request carries the verify token.
type tokenMode int

const (
	tokenRight tokenMode = iota
	tokenWrong
	tokenNone
)

// offloadingURL is the target with challenge.verifyToken set as asked.
func (r *runner) offloadingURL(tm tokenMode) string {
	u := mustParse(r.opts.Target)
	q := u.Query()
	switch tm {
	case tokenRight:
		q.Set(tokenParam, r.opts.VerifyToken)
	case tokenWrong:
		q.Set(tokenParam, r.gen.id("wrong-token-"))
	}
	u.RawQuery = q.Encode()
	return u.String()
}

// eventRequest builds a POST of an offloading event; schema "" marks a
// deliberate off-contract body.
func (r *runner) eventRequest(check string, ev obj, tm tokenMode, schema string) request {
	return request{check: check, method: http.MethodPost, url: r.offloadingURL(tm),
		body: r.encode(schema, ev), offContract: schema == "", toTarget: true,
		expect200: tm == tokenRight && schema != "", coverage: coverageOf(ev, tm == tokenRight)}
}

// postEvent sends a valid offloading event with the right token.
func (r *runner) postEvent(ctx context.Context, check string, ev obj) *exchange {
	return r.send(ctx, r.eventRequest(check, ev, tokenRight, "offloading-event"))
}

// health sends the health-check GET.
func (r *runner) health(ctx context.Context, check string) *exchange {
	return r.send(ctx, request{check: check, method: http.MethodGet, url: r.offloadingURL(tokenRight),
		toTarget: true, coverage: []string{"event:health"}})
}

func checkHealth(ctx context.Context, r *runner) verdict {
	x := r.health(ctx, "offloading.health.ok")
	return r.judgeValid(x, "health-answer", "answered 200 with a valid health answer")
}

func checkAuth(tm tokenMode) checkFunc {
	id, what := "offloading.auth.wrong-token", "a POST with a wrong token"
	if tm == tokenNone {
		id, what = "offloading.auth.missing-token", "a POST without a token"
	}
	return func(ctx context.Context, r *runner) verdict {
		c := r.gen.newConversation("", "")
		ev := r.gen.messagesEvent(c, r.gen.item("user", r.gen.userMessage("text", c.sessionID, c.botID)))
		return r.judgeRefused(r.send(ctx, r.eventRequest(id, ev, tm, "offloading-event")), what)
	}
}

func checkUserItem(typ string) checkFunc {
	return func(ctx context.Context, r *runner) verdict {
		c := r.gen.newConversation("", "")
		ev := r.gen.messagesEvent(c, r.gen.item("user", r.gen.userMessage(typ, c.sessionID, c.botID)))
		return r.judgeAccepted("accepted", r.postEvent(ctx, "offloading.messages.user."+typ, ev))
	}
}

func checkBotItem(kind string) checkFunc {
	return func(ctx context.Context, r *runner) verdict {
		c := r.gen.newConversation("", "")
		ev := r.gen.messagesEvent(c, r.gen.item("bot", r.gen.botMessage(kind)))
		return r.judgeAccepted("accepted", r.postEvent(ctx, "offloading.messages.bot."+kind, ev))
	}
}

func checkBatch(ctx context.Context, r *runner) verdict {
	c := r.gen.newConversation("", "")
	items := []any{}
	for _, k := range []string{"text", "quick_replies", "image", "button"} {
		items = append(items, r.gen.item("bot", r.gen.botMessage(k)))
	}
	ev := r.gen.messagesEvent(c, items...)
	return r.judgeAccepted(fmt.Sprintf("an event of %d bot items was accepted", len(items)),
		r.postEvent(ctx, "offloading.messages.bot.batch", ev))
}

func checkOffloadAnswer(ctx context.Context, r *runner) verdict {
	ev := r.gen.offloadEvent(r.gen.newConversation("", ""), 6)
	x := r.postEvent(ctx, "offloading.offload.answer", ev)
	return r.judgeValid(x, "offload-answer", "answered with a valid offload answer")
}

func checkLargeTranscript(ctx context.Context, r *runner) verdict {
	ev := r.gen.offloadEvent(r.gen.newConversation("", ""), 1000)
	x := r.postEvent(ctx, "offloading.offload.large-transcript", ev)
	return r.judgeAccepted(fmt.Sprintf("a transcript of 1,000 items (%d bytes) was accepted", len(x.req.body)), x)
}
