package emulator

import (
	"encoding/json"
	"sort"
	"sync"
	"time"

	"github.com/chatlayer-emulator/chatlayer-emulator/emulator/dialog"
)

// convKey identifies a conversation: one sender with one bot version.
type convKey struct {
	bot, version, id string
}

// String is the conversation's ordering key for turns and deliveries.
func (k convKey) String() string { return k.bot + "/" + k.version + "/" + k.id }

// store holds every conversation.
type store struct {
	mu    sync.Mutex // guards convs
	convs map[convKey]*conversation
}

// conversation is a stored conversation: the dialog state and its history.
// Turns on one conversation run one after another (the turn lane), but
// API reads may come at any time, so mu guards the fields below it. mu is
// never held across I/O.
type conversation struct {
	key convKey

	mu      sync.Mutex // guards the fields below
	channel *channel
	d       *dialog.Conversation
	history []storedEntry // oldest first from head (a ring once full: see appendHistory)
	head    int
}

// historyEntry is one message of a conversation, as the history endpoints
// list it.
type historyEntry struct {
	ID        string          `json:"id"`
	Actor     string          `json:"actor"` // "user", "bot" or "agent"
	IsIntro   bool            `json:"isIntro"`
	Message   json.RawMessage `json:"message"`
	CreatedAt apiTime         `json:"createdAt"`
}

// storedEntry is a historyEntry as a conversation keeps it: 56 bytes
// instead of 88, because history is most of what a stored conversation
// costs. The time is kept as Unix nanoseconds and read back in UTC.
type storedEntry struct {
	id      string
	message json.RawMessage
	at      int64
	actor   actorCode
	intro   bool
}

// actorCode is an actor of historyEntry as a byte.
type actorCode uint8

// actors are the actors by code; an actor outside the list is stored as
// "" (every actor the emulator records is in it).
var actors = [...]string{"", actorUser, actorBot, actorAgent}

// store compacts e.
func (e historyEntry) store() storedEntry {
	code := actorCode(0)
	for i, a := range actors {
		if a == e.Actor {
			code = actorCode(i)
		}
	}
	return storedEntry{id: e.ID, message: e.Message, at: e.CreatedAt.UnixNano(), actor: code, intro: e.IsIntro}
}

// entry expands e.
func (e storedEntry) entry() historyEntry {
	return historyEntry{ID: e.id, Actor: actors[e.actor], IsIntro: e.intro, Message: e.message, CreatedAt: apiTime{e.createdAt()}}
}

// createdAt is the time e was recorded, in UTC.
func (e storedEntry) createdAt() time.Time { return time.Unix(0, e.at).UTC() }

// newStore returns an empty store.
func newStore() *store { return &store{convs: map[convKey]*conversation{}} }

// get returns the conversation for key, creating it with mk when absent.
func (s *store) get(key convKey, mk func() *conversation) *conversation {
	s.mu.Lock()
	defer s.mu.Unlock()
	c, ok := s.convs[key]
	if !ok {
		c = mk()
		s.convs[key] = c
	}
	return c
}

// lookup returns the conversation for key, if any.
func (s *store) lookup(key convKey) (*conversation, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c, ok := s.convs[key]
	return c, ok
}

// remove forgets the conversations matching the filter: an empty bot
// matches every bot, an empty id every conversation of the bot.
func (s *store) remove(bot, id string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for k := range s.convs {
		if (bot == "" || k.bot == bot) && (id == "" || k.id == id) {
			delete(s.convs, k)
			n++
		}
	}
	return n
}

// list returns the conversations of a bot, most recent activity first.
func (s *store) list(bot string) []*conversation {
	s.mu.Lock()
	out := make([]*conversation, 0, len(s.convs))
	for k, c := range s.convs {
		if k.bot == bot {
			out = append(out, c)
		}
	}
	s.mu.Unlock()
	sort.Slice(out, func(i, j int) bool { return out[i].key.String() < out[j].key.String() })
	return out
}

// appendHistory records a message, dropping the oldest past limit; the
// caller holds c.mu.
//
// History is most of what a stored conversation costs, so it is kept
// tight: the message is kept as given, which marshalJSON sizes to fit
// (appendHistory takes it over: nobody may change it), and the slice grows
// by a quarter, at least 4 entries, instead of doubling. Once it holds
// limit entries it is a ring: the newest overwrites the oldest at head, in
// constant time.
func (c *conversation) appendHistory(e historyEntry, limit int) {
	se := e.store()
	n := len(c.history)
	if n >= limit && n > 0 {
		c.history[c.head] = se
		c.head = (c.head + 1) % n
		return
	}
	if n == cap(c.history) {
		grown := make([]storedEntry, n, min(n+max(4, n/4), max(limit, n+1)))
		copy(grown, c.history)
		c.history = grown
	}
	c.history = append(c.history, se)
}

// lastEntry returns the newest message; false when there is none. The
// caller holds c.mu.
func (c *conversation) lastEntry() (storedEntry, bool) {
	n := len(c.history)
	if n == 0 {
		return storedEntry{}, false
	}
	return c.history[(c.head+n-1)%n], true
}

// historyCopy returns the history, oldest first, expanded; entries are
// never modified once recorded.
func (c *conversation) historyCopy() []historyEntry {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.historyLocked()
}

// historyLocked is historyCopy for a caller that holds c.mu.
func (c *conversation) historyLocked() []historyEntry {
	n := len(c.history)
	out := make([]historyEntry, n)
	for i := range n {
		out[i] = c.history[(c.head+i)%n].entry()
	}
	return out
}
