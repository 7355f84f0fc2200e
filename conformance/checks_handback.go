package conformance

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
)

// The hand-back check (docs/CONTRACT.md §2.7). An agent's reply and the
// hand-back come from a person in the vendor's live-chat tool, so the
// check runs only when the vendor exposes an agent driver (Options.Handback)
// that the suite can call instead of that person:
//
//	POST <driver>/reply    {"text": "..."}  the bridge sends the text to the user
//	                                        through the conversation actions API
//	POST <driver>/handback {}               the bridge gives the conversation back
//	                                        with the actions API's {"pauseBot": false}
//
// The suite plays Chatlayer on a running emulator (Options.Callback): it
// creates the conversation, sends the vendor the offload event, pauses the
// bot as the answer asks, then watches the conversation's channel: the
// agent's reply must arrive, and after the hand-back the bot must answer a
// user text again.

// agentPlaceholder is where the agent driver URL takes the session id.
const agentPlaceholder = "{sessionId}"

// handbackOff is the verdict message without an agent driver.
const handbackOff = "skipped: an agent's reply and the hand-back (pauseBot:false) come from a person in your live-chat tool, " +
	"which the suite cannot play; --handback <agent driver URL> lets the suite play the agent through your bridge " +
	"(docs/CONFORMANCE.md, \"Hand-back\")"

// Texts the suite sends as the user while it watches the conversation.
const (
	probePaused  = "Is anyone there?"
	probeResumed = "Thanks, bye"
)

// journal is the part of the emulator's /_emulator/deliveries answer the
// hand-back check reads.
type journal struct {
	Deliveries []struct {
		Kind        string `json:"kind"`
		RequestBody string `json:"requestBody"`
	} `json:"deliveries"`
}

// handback is one run of the hand-back check.
type handback struct {
	r     *runner
	cb    *CallbackOptions
	c     conversation
	agent string // the text the agent sends
	seen  int    // channel deliveries of the conversation so far
	off   *exchange
}

// checkHandback runs the round trip, or says why it cannot.
func checkHandback(ctx context.Context, r *runner) verdict {
	if r.opts.Handback == "" {
		return verdict{status: StatusSkipped, message: handbackOff}
	}
	h := &handback{r: r, cb: r.opts.Callback, c: r.gen.newConversation(r.opts.Callback.BotID, r.opts.Callback.Version)}
	h.agent = "Hello, this is agent " + r.gen.id("conformance-")
	for _, step := range []func(context.Context) *verdict{h.start, h.offload, h.pause, h.reply, h.giveBack, h.resumed} {
		if v := step(ctx); v != nil {
			return *v
		}
	}
	return verdict{status: StatusPassed, evidence: r.evidenceOf([]*exchange{h.off}, ""), message: fmt.Sprintf(
		"the agent's reply reached conversation %s, and after the hand-back the bot answered again", h.c.sessionID)}
}

// start creates the conversation on the emulator with an intro and counts
// the bot's greeting.
func (h *handback) start(ctx context.Context) *verdict {
	if x := h.r.send(ctx, h.userMessage(obj{"introMessage": obj{}})); !x.ok() {
		return h.r.inconclusive("the emulator did not accept the intro message", x)
	}
	n, x := h.r.channelDeliveries(ctx, h.c.sessionID, 0)
	if x == nil || !x.ok() {
		return h.r.inconclusive("the emulator's delivery journal could not be read", x)
	}
	h.seen = len(n.Deliveries)
	return nil
}

// offload sends the vendor the offload event; the answer must ask to
// pause the bot, or there is nothing to hand back.
func (h *handback) offload(ctx context.Context) *verdict {
	h.off = h.r.postEvent(ctx, "offloading.handback.round-trip", h.r.gen.offloadEvent(h.c, 4))
	if v := h.r.judgeAccepted("", h.off); v.status != StatusPassed {
		v.message = "the offload event " + v.message
		return &v
	}
	var a struct{ OffloadSuccess, PauseBot bool }
	if json.Unmarshal(h.off.body, &a) != nil || !a.OffloadSuccess || !a.PauseBot {
		return &verdict{status: StatusSkipped, evidence: h.r.evidenceOf([]*exchange{h.off}, ""), message: "skipped: " +
			"the offload answer did not ask to pause the bot ({\"offloadSuccess\":true,\"pauseBot\":true}), so there is nothing to hand back"}
	}
	return nil
}

// pause pauses the bot on the emulator, as Chatlayer does after that
// answer, and checks that the bot is silent.
func (h *handback) pause(ctx context.Context) *verdict {
	if x := h.r.send(ctx, h.action(obj{"pauseBot": true})); !x.ok() {
		return h.r.inconclusive("the emulator did not pause the bot", x)
	}
	if x := h.r.send(ctx, h.userMessage(obj{"textMessage": obj{"text": probePaused}})); !x.ok() {
		return h.r.inconclusive("the emulator did not accept a user text", x)
	}
	n, x := h.r.channelDeliveries(ctx, h.c.sessionID, 0)
	if x == nil || !x.ok() || len(n.Deliveries) != h.seen {
		return h.r.inconclusive("the paused bot still answered, or the journal could not be read", x)
	}
	return nil
}

// reply has the agent driver send a reply, which must reach the channel.
func (h *handback) reply(ctx context.Context) *verdict {
	x := h.r.send(ctx, h.driverRequest("reply", obj{"text": h.agent}))
	if v := h.r.judgeAccepted("", x); v.status != StatusPassed {
		v.message = "the agent driver's reply call " + v.message
		return &v
	}
	n, w := h.r.channelDeliveries(ctx, h.c.sessionID, h.seen+1)
	if w.budgetCut {
		return h.r.inconclusive("waiting for the agent's reply", w)
	}
	if !n.carries(h.agent) {
		return &verdict{status: StatusFailed, evidence: h.r.evidenceOf([]*exchange{x, w}, ""), message: fmt.Sprintf(
			"the agent's reply did not reach conversation %s within %s: send it with POST /v1/bots/{botId}/conversations/{sessionId}/actions "+
				"and a sendMessages body", h.c.sessionID, h.cb.Wait)}
	}
	h.seen = len(n.Deliveries)
	return nil
}

// giveBack has the agent driver hand the conversation back.
func (h *handback) giveBack(ctx context.Context) *verdict {
	x := h.r.send(ctx, h.driverRequest("handback", obj{}))
	if v := h.r.judgeAccepted("", x); v.status != StatusPassed {
		v.message = "the agent driver's hand-back call " + v.message
		return &v
	}
	return nil
}

// resumed sends a user text: the bot must answer it.
func (h *handback) resumed(ctx context.Context) *verdict {
	if x := h.r.send(ctx, h.userMessage(obj{"textMessage": obj{"text": probeResumed}})); !x.ok() {
		return h.r.inconclusive("the emulator did not accept a user text", x)
	}
	n, w := h.r.channelDeliveries(ctx, h.c.sessionID, h.seen+1)
	if w.budgetCut {
		return h.r.inconclusive("waiting for the bot's answer", w)
	}
	if len(n.Deliveries) <= h.seen {
		return &verdict{status: StatusFailed, evidence: h.r.evidenceOf([]*exchange{h.off, w}, ""), message: fmt.Sprintf(
			"after the hand-back the bot did not answer a user text within %s: give the conversation back with "+
				"POST /v1/bots/{botId}/conversations/{sessionId}/actions {\"pauseBot\":false}", h.cb.Wait)}
	}
	return nil
}

// userMessage is a user message of the conversation, sent to the emulator.
func (h *handback) userMessage(message obj) request {
	body := obj{"conversationId": h.c.sessionID, "message": message}
	return h.r.emulatorRequest(http.MethodPost, "/v1/channels/webhook/"+url.PathEscape(h.cb.ChannelID)+"/messages",
		false, h.r.encode("", body))
}

// action is a conversation action on the emulator.
func (h *handback) action(body obj) request {
	path := fmt.Sprintf("/v1/bots/%s/conversations/%s/actions?version=%s", url.PathEscape(h.c.botID),
		url.PathEscape(h.c.sessionID), url.QueryEscape(h.c.version))
	return h.r.emulatorRequest(http.MethodPost, path, false, h.r.encode("", body))
}

// driverRequest is a call to the vendor's agent driver.
func (h *handback) driverRequest(action string, body obj) request {
	raw := strings.ReplaceAll(h.r.opts.Handback, agentPlaceholder, url.PathEscape(h.c.sessionID))
	return request{check: "offloading.handback.round-trip", method: http.MethodPost,
		url: mustParse(raw).JoinPath(action).String(), body: h.r.encode("", body)}
}

// carries reports whether a delivery's body holds text.
func (j journal) carries(text string) bool {
	for _, d := range j.Deliveries {
		if strings.Contains(d.RequestBody, text) {
			return true
		}
	}
	return false
}

// inconclusive reports a problem of the emulator side, not the vendor's.
func (r *runner) inconclusive(what string, x *exchange) *verdict {
	v := verdict{status: StatusSkipped, message: "inconclusive: " + what}
	if x != nil {
		v.evidence = r.evidenceOf([]*exchange{x}, "a call to the emulator")
		if _, m := r.problem(x); m != "" {
			v.message += ": " + m
		}
	}
	return &v
}

// channelDeliveries lists the conversation's channel deliveries; with
// want > 0 it waits (up to Callback.Wait) until there are that many,
// otherwise it flushes the emulator's pending work first.
func (r *runner) channelDeliveries(ctx context.Context, conversation string, want int) (journal, *exchange) {
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
	if x.status == http.StatusOK {
		json.Unmarshal(x.body, &j) // a body that does not parse counts no delivery
	}
	return j, x
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
