package emulator

// Offload requests: the "send to offload provider" action (docs/CONTRACT.md
// §2.4). The outcome leads to one of the three predefined blocks
// (https://docs.chatlayer.ai/integrations/human-offloading-live-chat).

import (
	"encoding/json"
	"net/http"

	"github.com/chatlayer-emulator/chatlayer-emulator/emulator/delivery"
	"github.com/chatlayer-emulator/chatlayer-emulator/emulator/dialog"
	"github.com/chatlayer-emulator/chatlayer-emulator/scenarios"
)

// requestOffload answers an offload request at once when no call is made
// (no provider: disabled; status disabled; status closed, or outside the
// opening hours: closed), and otherwise queues the offload call on the
// conversation's offloading lane, behind its messages events, and returns
// nil: the answer resumes the dialog later (offloadDone), whose messages
// carry nlp, the reply's (see carryOut). When the provider's last health
// check did not pass, a new one goes first on the lane; its result is
// recorded but does not decide the offload: the offload answer does.
func (s *Server) requestOffload(b *bot, conv *conversation, req dialog.RequestOffload, nlp json.RawMessage) dialog.Event {
	o, h, _ := b.offloading.snapshot()
	if res, ok := s.offloadWithoutCall(o); ok {
		s.logOffload(conv, res, "")
		return res
	}
	if h.Status != healthOK {
		s.checkHealth(conv.key.bot, b.offloading, conv, nil)
	}
	_, err := s.out.Enqueue(delivery.Request{
		Kind: delivery.KindOffloading, Bot: conv.key.bot, Conversation: conv.key.id, Key: offloadingKey(conv),
		Method: http.MethodPost, URL: providerURL(o), Body: s.offloadBody(conv, o, req), Secrets: providerSecrets(o),
		NoRetry: true, // a retried offload could assign two agents
		Accept:  s.accept200("offload-answer"),
		OnDone:  func(d delivery.Delivery) { s.offloadDone(b, conv, d, nlp) },
	})
	if err != nil {
		res := dialog.OffloadResult{Outcome: dialog.OffloadClosed, Reason: "offload call refused: " + err.Error()}
		s.logOffload(conv, res, "")
		return res
	}
	return nil
}

// offloadWithoutCall decides the outcomes that need no call.
func (s *Server) offloadWithoutCall(o scenarios.Offloading) (dialog.OffloadResult, bool) {
	now := s.cfg.Clock.Now()
	switch {
	case o.URL == "":
		return dialog.OffloadResult{Outcome: dialog.OffloadDisabled, Reason: "no offloading provider configured"}, true
	case o.Status == scenarios.OffloadingDisabled:
		return dialog.OffloadResult{Outcome: dialog.OffloadDisabled, Reason: "the offloading provider is disabled"}, true
	case o.Status == scenarios.OffloadingClosed:
		return dialog.OffloadResult{Outcome: dialog.OffloadClosed, Reason: "the offloading provider is closed"}, true
	case o.Status == scenarios.OffloadingHours && (o.Hours == nil || !o.Hours.Open(now)):
		return dialog.OffloadResult{Outcome: dialog.OffloadClosed,
			Reason: "outside the provider's opening hours (" + now.UTC().Format(timeFormat) + ")"}, true
	}
	return dialog.OffloadResult{}, false
}

// offloadBody is the offload event: the interpolated payload and the
// transcript of every message so far.
func (s *Server) offloadBody(conv *conversation, o scenarios.Offloading, req dialog.RequestOffload) []byte {
	payload := req.Payload
	if payload == nil {
		payload = map[string]any{}
	}
	body, _ := marshalJSON(offloadEvent{
		offloadingHeader: s.header(conv, o.Dialect, eventOffload),
		Payload:          payload,
		Transcript:       transcript(conv, o.Dialect),
	})
	return body
}

// offloadAnswer is the provider's answer to an offload.
type offloadAnswer struct {
	OffloadSuccess bool `json:"offloadSuccess"`
	PauseBot       bool `json:"pauseBot"`
}

// offloadDone records the outcome of an offload call and resumes the
// dialog with it on the conversation's lane. It returns once the resumed
// step has run: the offload delivery stays pending until the step has
// queued its own deliveries, so Flush never sees the dispatcher idle
// while the step's work is still to come. nlp is that of the reply the
// offload interrupted (see carryOut).
func (s *Server) offloadDone(b *bot, conv *conversation, d delivery.Delivery, nlp json.RawMessage) {
	res := offloadOutcome(d)
	s.logOffload(conv, res, d.ID)
	done := make(chan struct{})
	err := s.stepOnLane(b, conv, dialog.Input{Event: res}, nlp)
	if err == nil {
		err = s.onLane(conv, func() { close(done) })
	}
	if err != nil {
		s.log.Warn("offload outcome dropped", "bot", conv.key.bot, "conversation", conv.key.id, "err", err)
		return
	}
	<-done
}

// offloadOutcome reads a finished offload call: only a 200 answer valid
// against offload-answer with offloadSuccess true opens the offload;
// anything else closes it, with the reason.
func offloadOutcome(d delivery.Delivery) dialog.OffloadResult {
	if d.State != delivery.StateDelivered {
		return dialog.OffloadResult{Outcome: dialog.OffloadClosed, Reason: "offload call failed: " + d.Error}
	}
	var a offloadAnswer
	if err := json.Unmarshal(d.ResponseBody, &a); err != nil {
		return dialog.OffloadResult{Outcome: dialog.OffloadClosed, Reason: "unreadable offload answer: " + err.Error()}
	}
	if !a.OffloadSuccess {
		return dialog.OffloadResult{Outcome: dialog.OffloadClosed, Reason: "the provider answered offloadSuccess:false"}
	}
	return dialog.OffloadResult{Outcome: dialog.OffloadOpened, PauseBot: a.PauseBot,
		Reason: "the provider answered offloadSuccess:true"}
}
