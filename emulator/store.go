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
	history []historyEntry
}

// historyEntry is one message of a conversation, as the history endpoints
// list it.
type historyEntry struct {
	ID        string          `json:"id"`
	Actor     string          `json:"actor"` // "user", "bot" or "agent"
	IsIntro   bool            `json:"isIntro"`
	Message   json.RawMessage `json:"message"`
	CreatedAt time.Time       `json:"createdAt"`
}

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

// appendHistory records a message, dropping the oldest past max; the
// caller holds c.mu.
func (c *conversation) appendHistory(e historyEntry, max int) {
	if len(c.history) >= max {
		n := copy(c.history, c.history[len(c.history)-max+1:])
		c.history = c.history[:n]
	}
	c.history = append(c.history, e)
}
