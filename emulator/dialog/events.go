package dialog

import (
	"cmp"
	"strconv"
)

// Message types of internal.messageType.
const (
	MessageTypeIntro    = "intro"
	MessageTypePostback = "postback"
	MessageTypeText     = "text"
	MessageTypeLocation = "location" // emulator's choice: the contract lists no value for it
	MessageTypeUpload   = "upload"
)

// userEvent records a user event and resets the message counter. It
// reports whether the bot may answer (it is not paused).
func (t *turn) userEvent(kind, content string) bool {
	t.c.Counter, t.c.OffersStale = 0, true
	t.c.MessageType, t.c.MessageContent = kind, content
	t.changed()
	return !t.c.Paused
}

// intro clears any wait, marks the conversation started and runs the
// Introduction block.
func (t *turn) intro() {
	if !t.userEvent(MessageTypeIntro, "") {
		return
	}
	t.c.Awaiting, t.c.Pending, t.c.Started = nil, nil, true
	t.run(goTo(BlockIntroduction))
}

// text handles a user text: system and custom entities are stored, then
// the text answers a waiting collect-input block, or starts the
// conversation (an intent skips the Introduction), or goes to the matched
// intent's block, else to Not understood.
func (t *turn) text(s string) {
	if !t.userEvent(MessageTypeText, s) {
		return
	}
	nlp := t.e.Extract(t.lang(), s)
	t.c.NLP = &nlp
	t.changed()
	storeEntities(t.c.Session, nlp)
	switch {
	case t.c.Awaiting != nil:
		t.answer(s, nlp)
	case !t.c.Started:
		t.c.Started = true
		t.run(t.intentOr(nlp, BlockIntroduction))
	default:
		t.run(t.intentOr(nlp, BlockNotUnderstood))
	}
}

// storeEntities writes the first sys.number (float64) and sys.email under
// "sys", overwriting earlier detections, and the first match of each
// custom entity at the top-level key named after it (its canonical
// value). Entities named "internal" or "sys" are not stored.
func storeEntities(session map[string]any, nlp NLP) {
	stored := map[string]bool{}
	for _, m := range nlp.Entities {
		if stored[m.Name] {
			continue
		}
		stored[m.Name] = true
		switch {
		case m.Name == SysNumber:
			f, _ := strconv.ParseFloat(m.Value, 64)
			_ = SetPath(session, SysNumber, f)
		case m.Name == SysEmail:
			_ = SetPath(session, SysEmail, m.Value)
		case m.Name != NamespaceInternal && m.Name != NamespaceSys:
			session[m.Name] = m.Value
		}
	}
}

// answer handles a text while a collect-input block waits. Unless the
// block disables NLP, a matched intent leaves the block. A valid answer is
// stored and the flow follows Next; an invalid one counts an attempt and
// either gives up (MaxAttempts) or sends Invalid then Prompt again.
func (t *turn) answer(s string, nlp NLP) {
	b := t.e.script.Blocks[t.c.Awaiting.Block]
	if b == nil || b.Collect == nil {
		t.c.Awaiting = nil
		t.run(t.intentOr(nlp, BlockNotUnderstood))
		return
	}
	col := b.Collect
	if !col.DisableNLP && nlp.Intent != nil {
		t.c.Awaiting = nil
		t.run(t.intentOr(nlp, BlockNotUnderstood))
		return
	}
	if v, ok := t.validate(col, s, nlp); ok {
		t.collected(b, v)
		return
	}
	t.invalidAttempt(col)
}

// collected stores a valid answer to the waiting block b and follows its
// Next.
func (t *turn) collected(b *Block, v any) {
	_ = SetPath(t.c.Session, b.Collect.Variable, v)
	t.c.Awaiting = nil
	t.run(b.Next)
}

// invalidAttempt counts a failed attempt at the waiting block and either
// gives up (MaxAttempts) or sends Invalid then Prompt again.
func (t *turn) invalidAttempt(col *Collect) {
	aw := t.c.Awaiting
	aw.Attempts++
	if col.MaxAttempts > 0 && aw.Attempts >= col.MaxAttempts {
		t.c.Awaiting = nil
		t.run(orDefault(col.OnMaxAttempts, BlockNotUnderstood))
		return
	}
	t.sendAll(col.Invalid)
	t.sendAll(col.Prompt)
}

// validate checks a text answer and returns the value to store: the text
// (any, regex), the first number as float64, the first e-mail, or the
// canonical value of the first match of the entity. A regex validation
// without a pattern, or an unknown type, accepts any text; a block that
// waits for a location or a file accepts none.
func (t *turn) validate(col *Collect, s string, nlp NLP) (any, bool) {
	switch col.Validation {
	case ValidateLocation, ValidateFile:
		return nil, false
	case ValidateNumber:
		if m, ok := firstMatch(nlp, SysNumber); ok {
			f, _ := strconv.ParseFloat(m.Value, 64)
			return f, true
		}
		return nil, false
	case ValidateEmail:
		return firstValue(nlp, SysEmail)
	case ValidateEntity:
		return firstValue(nlp, col.Entity)
	case ValidateRegex:
		if col.Pattern != nil && !col.Pattern.MatchString(s) {
			return nil, false
		}
	}
	return s, true
}

func firstMatch(nlp NLP, name string) (EntityMatch, bool) {
	for _, m := range nlp.Entities {
		if m.Name == name {
			return m, true
		}
	}
	return EntityMatch{}, false
}

func firstValue(nlp NLP, name string) (any, bool) {
	m, ok := firstMatch(nlp, name)
	if !ok {
		return nil, false
	}
	return m.Value, true
}

func orDefault(g *GoTo, block string) *GoTo {
	if g != nil {
		return g
	}
	return goTo(block)
}

// click handles a button or quick-reply click: the payload is resolved
// through the conversation's postbacks, the script's, then as a legacy
// JSON payload; with no payload, Target and Set are used; with only a
// title, the offers of the last reply (ResolveTitle: a title that names
// none, or several, is handled as a text). The target is a block id or
// name; an unresolvable click goes to Not understood. The click ends any
// collect-input wait, applies Set, then enters the target.
func (t *turn) click(ev Click) {
	if ev.TitleOnly() {
		resolved, w := t.e.ResolveTitle(t.c, ev)
		t.effects = append(t.effects, w)
		switch r := resolved.(type) {
		case Text:
			t.text(r.Text)
			return
		case Click:
			ev = r
		}
	}
	pb, ok := t.resolveClick(ev)
	title := cmp.Or(ev.Title, pb.Title)
	if !t.userEvent(MessageTypePostback, title) {
		return
	}
	t.c.Awaiting, t.c.Started = nil, true
	switch {
	case !ok:
		t.warn(WarnUnknownPostback, "", "a click names no button the bot sent (payload %q, target %q): the flow goes to %s",
			ev.Payload, ev.Target, BlockNotUnderstood)
		t.run(goTo(BlockNotUnderstood))
	case t.e.Block(pb.GoTo.Block) == nil:
		t.warn(WarnUnknownBlock, "", "the clicked button leads to unknown block %q: the flow goes to %s", pb.GoTo.Block, BlockNotUnderstood)
		t.run(goTo(BlockNotUnderstood))
	default:
		t.run(&GoTo{Block: pb.GoTo.Block, Set: pb.GoTo.Set})
	}
}

func (t *turn) resolveClick(ev Click) (Postback, bool) {
	if ev.Payload != "" {
		return t.e.resolvePayload(t.c, ev.Payload)
	}
	if ev.Target == "" {
		return Postback{}, false
	}
	return Postback{Title: ev.Title, GoTo: GoTo{Block: ev.Target, Set: ev.Set}}, true
}

// offloadResult resumes a flow suspended on an offload request. Opened
// marks the conversation offloaded (and paused when PauseBot) and enters
// Offloading opened; Closed enters Offloading closed and Disabled
// Offloading disabled, neither pausing the bot. An unknown outcome counts
// as Closed. Without a pending offload the result is ignored.
func (t *turn) offloadResult(r OffloadResult) {
	p := t.c.Pending
	if p == nil || p.Kind != PendingOffload {
		return
	}
	t.c.Pending = nil
	switch r.Outcome {
	case OffloadOpened:
		if r.PauseBot {
			t.c.Paused = true
		}
		t.c.Offloaded = true
		t.c.Offload = p.Offload
		if t.c.Offload == nil {
			t.c.Offload = map[string]any{}
		}
		t.changed()
		t.run(goTo(BlockOffloadOpened))
	case OffloadDisabled:
		t.run(goTo(BlockOffloadDisabled))
	default:
		t.run(goTo(BlockOffloadClosed))
	}
}

// jump sends the jump's messages, then enters its block (by id or name;
// an unknown block goes to Error occurred). Moving to a block ends any
// collect-input wait. A jump does not unpause the bot.
func (t *turn) jump(j Jump) {
	t.c.Counter = 0
	t.sendAll(j.Messages)
	if j.Block == "" {
		return
	}
	t.c.Awaiting = nil
	if t.e.Block(j.Block) == nil {
		t.run(goTo(BlockErrorOccurred))
		return
	}
	t.run(goTo(j.Block))
}
