package dialog

import (
	"sort"
	"strings"
	"time"
)

// maxEntries is how many blocks one Step may enter before loop protection
// sends the conversation to the Error occurred block.
const maxEntries = 100

// Engine runs one Script. It is built once by New, never changes
// afterwards, and is safe for concurrent use by many conversations (each
// conversation must still be stepped by one goroutine at a time).
type Engine struct {
	script      *Script
	opts        Options
	defaultLang string
	byName      map[string]string // block name -> id (smallest id on duplicates)
	intents     []intentIndex
	intentBlock map[string]string // intent name -> block id (first intent wins)
	entities    []entityIndex
}

// New prepares an engine for s with the given options: it indexes block
// names and tokenises the intents' expressions and the entities' values.
// s must not be changed afterwards. A nil script behaves as an empty one.
func New(s *Script, opts Options) *Engine {
	if s == nil {
		s = &Script{}
	}
	e := &Engine{script: s, opts: opts, byName: map[string]string{}, intentBlock: map[string]string{}}
	if len(s.Languages) > 0 {
		e.defaultLang = strings.ToLower(s.Languages[0])
	}
	ids := make([]string, 0, len(s.Blocks))
	for id := range s.Blocks {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	for _, id := range ids {
		if b := s.Blocks[id]; b != nil && b.Name != "" {
			if _, dup := e.byName[b.Name]; !dup {
				e.byName[b.Name] = id
			}
		}
	}
	for _, in := range s.Intents {
		e.intents = append(e.intents, newIntentIndex(in))
		if _, dup := e.intentBlock[in.Name]; !dup {
			e.intentBlock[in.Name] = in.Block
		}
	}
	for _, en := range s.Entities {
		e.entities = append(e.entities, newEntityIndex(en))
	}
	return e
}

// Script returns the script the engine runs.
func (e *Engine) Script() *Script { return e.script }

// Block returns the block with the given id, or else the block with that
// name; nil if there is none.
func (e *Engine) Block(idOrName string) *Block {
	_, b := e.resolve(idOrName)
	return b
}

// resolve finds a block by id, else by name, and returns its id (its key
// in Script.Blocks) with it.
func (e *Engine) resolve(idOrName string) (string, *Block) {
	if b := e.script.Blocks[idOrName]; b != nil {
		return idOrName, b
	}
	if id, ok := e.byName[idOrName]; ok {
		return id, e.script.Blocks[id]
	}
	return "", nil
}

// Step advances the conversation by one event and returns what the caller
// must do, in order. It never fails: events that do not apply (an
// APIResult with no API call pending, say) produce no effects.
//
// Before the event, Step applies in.User (when non-nil), in.Locale (when
// set) and in.SessionData (dotted keys, in sorted order; keys under
// "internal" are ignored), and sets LastActivity to now. During the step,
// reads of the session see the read-only "internal" namespace as of the
// moment of the read (see turn.session); after it, read the session
// through SessionView.
//
// Every user event (Intro, Text, Click, Location, Upload) and every Jump
// resets the message counter; each Send carries the next value, so
// messageCounter is the 1-based position of a message in the bot's reply
// to one user event. An APIResult or OffloadResult continues the count of
// the turn it resumes.
//
// While the bot is paused (c.Paused), user events only update
// internal.messageType and internal.messageContent: no effects, no move.
// Jump still works, so an agent can send messages and move the user.
//
// More than 100 block entries in one Step is taken as a loop: the flow
// stops and enters the Error occurred block once; a second loop inside it
// stops silently.
func (e *Engine) Step(c *Conversation, in Input, now time.Time) []Effect {
	prepare(c, in, now)
	t := &turn{e: e, c: c}
	t.dispatch(in.Event)
	dropInternal(c) // rebuilt on demand: SessionView
	return t.effects
}

// prepare applies what the channel sent alongside the event.
func prepare(c *Conversation, in Input, now time.Time) {
	if c.Session == nil {
		c.Session = map[string]any{}
	}
	if in.User != nil {
		c.User = *in.User
	}
	if in.Locale != "" {
		c.Locale = in.Locale
	}
	mergeSessionData(c.Session, in.SessionData)
	if c.CreatedAt.IsZero() {
		c.CreatedAt = now
	}
	c.LastActivity = now
}

// turn is the state of one Step.
type turn struct {
	e       *Engine
	c       *Conversation
	effects []Effect
	entries int  // blocks entered in this step
	tripped bool // loop protection already fired
	// fresh says that c.Session holds the "internal" namespace as of the
	// conversation's current state (see session).
	fresh bool
}

// session returns the session for reading (interpolation, conditions,
// assignments), with the "internal" namespace as of now: it is built on
// the first read and again after the state it shows changed (changed),
// so that most turns never build it, and a read always sees the current
// block, the current message and its NLP result.
func (t *turn) session() map[string]any {
	if !t.fresh {
		t.e.RefreshInternal(t.c)
		t.fresh = true
	}
	return t.c.Session
}

// apply applies assignments, whose values may read the session.
func (t *turn) apply(set []Assignment) {
	if len(set) > 0 {
		Apply(t.session(), set)
	}
}

// changed records that a field internal.* shows has changed.
func (t *turn) changed() { t.fresh = false }

func (t *turn) dispatch(ev Event) {
	switch ev := ev.(type) {
	case Intro:
		t.intro()
	case Text:
		t.text(ev.Text)
	case Click:
		t.click(ev)
	case Location:
		t.location(ev)
	case Upload:
		t.upload(ev)
	case APIResult:
		t.apiResult(ev)
	case OffloadResult:
		t.offloadResult(ev)
	case Jump:
		t.jump(ev)
	}
}

// send renders and emits one template with the next message counter.
func (t *turn) send(tm Template) {
	t.c.Counter++
	t.effects = append(t.effects, Send{Message: t.e.render(t.c, tm, t.session), Counter: t.c.Counter})
}

func (t *turn) sendAll(ts []Template) {
	for _, tm := range ts {
		t.send(tm)
	}
}

// run follows GoTos until the flow ends the turn: each GoTo applies its
// assignments, then enters its block (by id, else by name). A missing
// block ends the turn silently.
func (t *turn) run(g *GoTo) {
	for g != nil {
		t.apply(g.Set)
		id, b := t.e.resolve(g.Block)
		if b == nil {
			return
		}
		t.entries++
		if t.entries > maxEntries {
			if t.tripped {
				return
			}
			t.tripped, t.entries = true, 0
			t.warn(WarnLoop, "", "more than %d blocks entered in one step (last: %q): the flow goes to %s", maxEntries, id, BlockErrorOccurred)
			g = &GoTo{Block: BlockErrorOccurred}
			continue
		}
		g = t.enter(id, b)
	}
}

// goTo is a GoTo to a block with no assignments.
func goTo(block string) *GoTo { return &GoTo{Block: block} }

// intentOr leads to the block of the matched intent, else to fallback.
func (t *turn) intentOr(nlp NLP, fallback string) *GoTo {
	if nlp.Intent != nil {
		if block, ok := t.e.intentBlock[nlp.Intent.Name]; ok {
			return goTo(block)
		}
	}
	return goTo(fallback)
}

// lang is the language the user's texts are matched in: the locale's
// language, else the user's preferred language, else the script's first.
func (t *turn) lang() string {
	if t.c.Locale != "" {
		return baseLang(t.c.Locale)
	}
	if t.c.User.PreferredLanguage != "" {
		return baseLang(t.c.User.PreferredLanguage)
	}
	return t.e.defaultLang
}
