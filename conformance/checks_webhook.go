package conformance

import (
	"context"
	"net/http"
)

// webhookChecks is the catalogue of the webhook-channel profile.
func webhookChecks() []Check {
	var cs []Check
	for _, k := range BotKinds {
		c := Check{ID: "webhook.message." + k, Title: "a bot message of kind " + k + " is accepted (2xx)", Level: LevelMust,
			Source: srcChannel, Citation: citeChannel(), Evidence: "the delivery and its answer", run: checkChannelKind(k)}
		if !documentedKind(k) {
			c.Level, c.Source, c.Citation = LevelShould, srcEventKind, Citation{}
		}
		cs = append(cs, c)
	}
	cs = append(cs,
		Check{ID: "webhook.auth.wrong-token", Title: "a delivery with a wrong verifyToken is refused (401/403)", Level: LevelShould,
			Source: srcChannelToken, Evidence: "the forged delivery and its answer", run: checkChannelAuth(false)},
		Check{ID: "webhook.auth.missing-token", Title: "a delivery without verifyToken is refused (401/403)", Level: LevelShould,
			Source: srcChannelToken, Evidence: "the delivery and its answer", Negative: true, run: checkChannelAuth(true)},
		Check{ID: "webhook.robust.duplicate", Title: "a retried delivery (same body) is accepted again", Level: LevelShould,
			Source: srcChannelMore, Evidence: "both deliveries and their answers", run: checkChannelDuplicate},
		Check{ID: "webhook.robust.out-of-order", Title: "messageCounter 2 before 1 is accepted", Level: LevelShould,
			Source: srcChannelMore, Evidence: "both deliveries and their answers", run: checkOutOfOrder},
		Check{ID: "webhook.tolerant.unknown-fields", Title: "an nlp object and unknown fields at every level are tolerated", Level: LevelShould,
			Source: srcChannelMore, Evidence: "the delivery and its answer", run: checkChannelUnknownFields},
		Check{ID: "webhook.latency", Title: "every answer arrives within the timeout (warning above warn-latency)", Level: LevelMust,
			Source: srcChannelTime, Citation: citeChannel(), Evidence: "p50/p95/max; the slowest or timed-out requests",
			derived: true, latency: true, run: checkLatency},
	)
	for i := range cs {
		cs[i].Profile = ProfileWebhookChannel
	}
	return cs
}

// channelRequest builds a delivery POST; schema "" marks a deliberate
// off-contract body.
func (r *runner) channelRequest(check string, body obj, schema string, counted bool) request {
	q := request{check: check, method: http.MethodPost, url: r.opts.Target, body: r.encode(schema, body),
		offContract: schema == "", toTarget: true}
	if msg, ok := body["message"].(obj); ok && counted {
		q.coverage = []string{"bot:" + botKind(msg)}
	}
	return q
}

// delivery generates a delivery of a kind to a new sender.
func (r *runner) delivery(kind string, counter int) obj {
	return r.gen.channelMessage(r.gen.id("conformance-"), r.gen.botMessage(kind), counter, r.opts.VerifyToken)
}

func checkChannelKind(kind string) checkFunc {
	return func(ctx context.Context, r *runner) verdict {
		q := r.channelRequest("webhook.message."+kind, r.delivery(kind, 1), "channel-message", true)
		return r.judgeAccepted("accepted", r.send(ctx, q))
	}
}

func checkChannelAuth(missing bool) checkFunc {
	return func(ctx context.Context, r *runner) verdict {
		body := r.delivery("text", 1)
		if missing {
			delete(body, "verifyToken")
			return r.judgeRefused(r.send(ctx, r.channelRequest("webhook.auth.missing-token", body, "", false)),
				"a delivery without verifyToken")
		}
		body["verifyToken"] = r.gen.id("wrong-token-")
		return r.judgeRefused(r.send(ctx, r.channelRequest("webhook.auth.wrong-token", body, "channel-message", false)),
			"a delivery with a wrong verifyToken")
	}
}

func checkChannelDuplicate(ctx context.Context, r *runner) verdict {
	q := r.channelRequest("webhook.robust.duplicate", r.delivery("text", 1), "channel-message", true)
	return r.judgeDuplicate(r.send(ctx, q), r.send(ctx, q))
}

// checkOutOfOrder sends the second message of a turn before the first.
func checkOutOfOrder(ctx context.Context, r *runner) verdict {
	const id = "webhook.robust.out-of-order"
	sender := r.gen.id("conformance-")
	second := r.gen.channelMessage(sender, r.gen.botMessage("quick_replies"), 2, r.opts.VerifyToken)
	first := r.gen.channelMessage(sender, r.gen.botMessage("text"), 1, r.opts.VerifyToken)
	x2 := r.send(ctx, r.channelRequest(id, second, "channel-message", true))
	x1 := r.send(ctx, r.channelRequest(id, first, "channel-message", true))
	v := r.judgeAccepted("messageCounter 2 then 1 were both accepted", x2, x1)
	if v.status == StatusPassed {
		v.evidence = r.evidenceOf([]*exchange{x2, x1}, "sent in this order")
	}
	return v
}

func checkChannelUnknownFields(ctx context.Context, r *runner) verdict {
	body := r.delivery("generic", 1)
	withUnknownFields(body)
	intent := obj{"name": "order.status", "score": 0.93}
	body["nlp"] = obj{"expression": "where is my order", "intent": intent, "intents": []any{intent},
		"entities": []any{}, "exactMatchedIntent": ""} // as the emulator sends it after a user text
	q := r.channelRequest("webhook.tolerant.unknown-fields", body, "channel-message", true)
	return r.judgeAccepted("an nlp object and unknown fields were tolerated", r.send(ctx, q))
}
