package emulator

// POST /v1/bots/{botId}/conversations/{conversationId}/actions
// (executeConversationAction): an agent or a bridge acts on a
// conversation. sendMessages is documented (docs/CONTRACT.md §2.7; its
// templates: FIDELITY.md "Conversation actions (Q9)"); setSession,
// pauseBot and goToBlock are emulator guesses at the fields of the other
// documented capabilities (FIDELITY.md Q9).
// Docs: https://docs.chatlayer.ai/integrations/human-offloading-live-chat/offloading-webhook

import (
	"errors"
	"net/http"
	"sort"
	"strings"

	"github.com/chatlayer-emulator/chatlayer-emulator/emulator/dialog"
)

// Names of the actions, in their order of application.
const (
	actionSetSession   = "setSession"
	actionPauseBot     = "pauseBot"
	actionSendMessages = "sendMessages"
	actionGoToBlock    = "goToBlock"
)

// actionsRequest is the body of executeConversationAction; at least one
// field is required.
type actionsRequest struct {
	SetSession   map[string]any `json:"setSession"`
	PauseBot     *bool          `json:"pauseBot"`
	SendMessages []v1Template   `json:"sendMessages"`
	GoToBlock    *goToBlock     `json:"goToBlock"`
}

// goToBlock sends the user to a block (id or name), setting variables first.
type goToBlock struct {
	BlockID          blockRef   `json:"blockId"`
	SessionDataToSet []keyValue `json:"sessionDataToSet"`
}

// actionsResponse says what was applied and how many messages were sent.
type actionsResponse struct {
	ConversationID string   `json:"conversationId"`
	Applied        []string `json:"applied"`
	Messages       int      `json:"messages"`
}

// actionPlan is a checked request, ready to run on the lane.
type actionPlan struct {
	setSession map[string]any
	pause      *bool
	messages   []dialog.Template
	goTo       *dialog.GoTo
	applied    []string
	warnings   []Warning // what was accepted leniently (templateConverter)
}

// postConversationActions checks the whole body first, so that a bad
// request changes nothing, then applies setSession, pauseBot, sendMessages
// and goToBlock in that order in one job on the conversation's lane,
// ordered with the bot's replies. The answer does not wait for the job.
func (s *Server) postConversationActions(r *http.Request) (int, any, error) {
	b, conv, err := s.v1Conversation(r)
	if err != nil {
		return 0, nil, err
	}
	var req actionsRequest
	if err := readJSON(r, s.cfg.MaxBodyBytes, &req); err != nil {
		return 0, nil, err
	}
	plan, err := req.plan(b, s.cfg.Strict)
	if err != nil {
		return 0, nil, err
	}
	if err := s.onLane(conv, func() { s.runActions(b, conv, plan) }); err != nil {
		return 0, nil, err
	}
	for _, w := range plan.warnings {
		w.Bot, w.Conversation, w.Version = conv.key.bot, conv.key.id, conv.key.version
		s.warnRequest(r, w)
	}
	return http.StatusOK, actionsResponse{ConversationID: conv.key.id, Applied: plan.applied, Messages: len(plan.messages)}, nil
}

// plan checks the request against the bot and converts it; strict
// refuses buttons that name unknown blocks.
func (req *actionsRequest) plan(b *bot, strict bool) (actionPlan, error) {
	var p actionPlan
	if req.SetSession != nil {
		if err := checkSessionKeys(req.SetSession, "/setSession"); err != nil {
			return p, err
		}
		p.setSession, p.applied = req.SetSession, append(p.applied, actionSetSession)
	}
	if req.PauseBot != nil {
		p.pause, p.applied = req.PauseBot, append(p.applied, actionPauseBot)
	}
	tc := templateConverter{blockExists: func(id string) bool { return b.engine.Block(id) != nil },
		strict: strict, unknown: &p.warnings}
	if req.SendMessages != nil {
		msgs, err := tc.convert(req.SendMessages, "/sendMessages")
		if err != nil {
			return p, err
		}
		p.messages, p.applied = msgs, append(p.applied, actionSendMessages)
	}
	if req.GoToBlock != nil {
		g, err := req.GoToBlock.check(b)
		if err != nil {
			return p, err
		}
		p.goTo, p.applied = g, append(p.applied, actionGoToBlock)
	}
	if len(p.applied) == 0 {
		return p, badRequest("", "at least one of %s is required",
			strings.Join([]string{actionSetSession, actionPauseBot, actionSendMessages, actionGoToBlock}, ", "))
	}
	return p, nil
}

// check resolves the block (400 when unknown) and the assignments.
func (g *goToBlock) check(b *bot) (*dialog.GoTo, error) {
	block := string(g.BlockID)
	if err := requireText(block, "/goToBlock/blockId"); err != nil {
		return nil, err
	}
	if b.engine.Block(block) == nil {
		return nil, badRequest("/goToBlock/blockId", "unknown block %q", block)
	}
	set, err := assignments(g.SessionDataToSet, "/goToBlock/sessionDataToSet")
	return &dialog.GoTo{Block: block, Set: set}, err
}

// checkSessionKeys refuses keys that are not variable paths; keys under
// the read-only "internal" namespace are accepted and ignored.
func checkSessionKeys(data map[string]any, p string) error {
	for k := range data {
		if err := dialog.SetPath(map[string]any{}, k, nil); err != nil && !errors.Is(err, dialog.ErrReadOnly) {
			return badRequest(p+"/"+escapePointer(k), "must be a variable path such as \"order.id\"")
		}
	}
	return nil
}

// runActions applies a plan; it runs on the conversation's lane.
func (s *Server) runActions(b *bot, conv *conversation, p actionPlan) {
	conv.mu.Lock()
	mergeSession(conv.d.Session, p.setSession)
	if p.pause != nil {
		conv.d.Paused = *p.pause
		if !*p.pause { // hand-back: the agent ends the offload too
			conv.d.Offloaded, conv.d.Offload = false, nil
		}
	}
	msgs := make([]dialog.Message, len(p.messages))
	if len(msgs) > 0 {
		b.engine.WithInternal(conv.d, func() { // templates may interpolate internal.*
			for i, t := range p.messages {
				msgs[i] = b.engine.Render(conv.d, t) // issues and registers postback ids, records the offers
			}
		})
	}
	conv.mu.Unlock()
	s.pushMessages(conv, msgs, "agent")
	if p.goTo != nil {
		conv.mu.Lock()
		if len(p.goTo.Set) > 0 { // values may interpolate internal.*
			b.engine.WithInternal(conv.d, func() { dialog.Apply(conv.d.Session, p.goTo.Set) })
		}
		effects := b.engine.Step(conv.d, dialog.Input{Event: dialog.Jump{Block: p.goTo.Block}}, s.cfg.Clock.Now())
		conv.mu.Unlock()
		s.carryOut(b, conv, effects, nil) // a jump answers no user text
	}
}

// mergeSession stores session data like the channel's sessionData: keys
// are variable paths, applied in sorted order; "internal" is ignored.
func mergeSession(session, data map[string]any) {
	keys := make([]string, 0, len(data))
	for k := range data {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		_ = dialog.SetPath(session, k, data[k]) // checked up front; internal is refused by design
	}
}
