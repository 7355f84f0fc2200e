package conformance

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
)

// journal is the part of the emulator's /_emulator/deliveries answer the
// hand-back check reads.
type journal struct {
	Deliveries []struct {
		Kind        string `json:"kind"`
		RequestBody string `json:"requestBody"`
	} `json:"deliveries"`
}

// checkHandback plays the round trip through a running emulator: create
// the conversation with an intro, count its channel deliveries, send the
// vendor an offload event for it, and wait for one more delivery (the
// agent's message, sent by the vendor through the actions API).
func checkHandback(ctx context.Context, r *runner) verdict {
	cb := r.opts.Callback
	if cb == nil {
		return verdict{status: StatusSkipped, message: "no emulator to call back through (set --callback-url and friends)"}
	}
	c := r.gen.newConversation(cb.BotID, cb.Version)
	intro := r.emulatorRequest(http.MethodPost, "/v1/channels/webhook/"+url.PathEscape(cb.ChannelID)+"/messages",
		false, r.encode("", obj{"conversationId": c.sessionID, "message": obj{"introMessage": obj{}}}))
	if x := r.send(ctx, intro); !x.ok() {
		return r.inconclusive("the emulator did not accept the intro message", x)
	}
	before, x := r.channelDeliveries(ctx, c.sessionID, 0)
	if x == nil || !x.ok() {
		return r.inconclusive("the emulator's delivery journal could not be read", x)
	}
	off := r.postEvent(ctx, "offloading.handback.round-trip", r.gen.offloadEvent(c, 4))
	if v := r.judgeAccepted("", off); v.status != StatusPassed {
		v.message = "the offload event " + v.message
		return v
	}
	after, w := r.channelDeliveries(ctx, c.sessionID, before+1)
	if w.budgetCut {
		return r.inconclusive("waiting for the agent message", w)
	}
	ev := r.evidenceOf([]*exchange{off, w}, "")
	if w.status != http.StatusOK || after <= before {
		return verdict{status: StatusFailed, evidence: ev, message: fmt.Sprintf(
			"no agent message reached conversation %s within %s after the offload", c.sessionID, cb.Wait)}
	}
	return verdict{status: StatusPassed, evidence: ev, message: fmt.Sprintf(
		"an agent message reached conversation %s (%d channel deliveries before the offload, %d after)", c.sessionID, before, after)}
}

// inconclusive reports a problem of the emulator side, not the vendor's.
func (r *runner) inconclusive(what string, x *exchange) verdict {
	v := verdict{status: StatusSkipped, message: "inconclusive: " + what}
	if x != nil {
		v.evidence = r.evidenceOf([]*exchange{x}, "a call to the emulator")
		if _, m := r.problem(x); m != "" {
			v.message += ": " + m
		}
	}
	return v
}

// channelDeliveries counts the conversation's channel deliveries; with
// want > 0 it waits (up to Callback.Wait) until there are that many.
func (r *runner) channelDeliveries(ctx context.Context, conversation string, want int) (int, *exchange) {
	q := url.Values{"conversation": {conversation}, "kind": {"channel"}}
	path := "/_emulator/deliveries"
	if want > 0 {
		path += "/wait"
		q.Set("count", fmt.Sprint(want))
		q.Set("timeout", r.opts.Callback.Wait.String())
	} else {
		r.send(ctx, r.emulatorRequest(http.MethodPost, "/_emulator/flush", true, nil))
	}
	req := r.emulatorRequest(http.MethodGet, path+"?"+q.Encode(), true, nil)
	req.timeout = r.opts.Callback.Wait + r.opts.Timeout
	x := r.send(ctx, req)
	var j journal
	if x.status == http.StatusOK && json.Unmarshal(x.body, &j) == nil {
		return len(j.Deliveries), x
	}
	return 0, x
}

// emulatorRequest builds a call to the emulator with the v1 or the admin
// token.
func (r *runner) emulatorRequest(method, path string, admin bool, body []byte) request {
	cb := r.opts.Callback
	q := request{check: "offloading.handback.round-trip", method: method,
		url: strings.TrimSuffix(cb.EmulatorURL, "/") + path, body: body}
	if tok := callbackSecret(r.opts, admin); tok != "" {
		q.header = headerOf("Authorization", "Bearer "+tok)
	}
	return q
}
