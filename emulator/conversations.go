package emulator

// GET /v1/bots/{botId}/conversations (getAllPaginatedConversationsByBotId)
// and GET /v1/bots/{botId}/conversations/{conversationId}/messages
// (getAllMessagesInConversation). Chatlayer's pagination is not public:
// the page/pageSize parameters and the "page" metadata are the emulator's
// (FIDELITY.md Q7).

import (
	"net/http"
	"sort"
	"strconv"
)

// Page sizes of the v1 lists.
const (
	defaultPageSize = 50
	maxPageSize     = 500
)

// pageMeta describes one page of a v1 list.
type pageMeta struct {
	Page       int `json:"page"`
	PageSize   int `json:"pageSize"`
	Total      int `json:"total"`
	TotalPages int `json:"totalPages"`
}

// listPage is a page of a v1 list.
type listPage[T any] struct {
	Data []T      `json:"data"`
	Page pageMeta `json:"page"`
}

// conversationItem is one conversation of the conversations list.
type conversationItem struct {
	ID           string           `json:"id"`
	User         conversationUser `json:"user"`
	Channel      string           `json:"channel"`
	ChannelID    string           `json:"channelId"`
	Version      string           `json:"version"`
	CreatedAt    apiTime          `json:"createdAt"`
	UpdatedAt    apiTime          `json:"updatedAt"`
	MessageCount int              `json:"messageCount"`
	Paused       bool             `json:"paused"`
}

// conversationUser is the user of a conversation; sessionId is the
// conversation id, the one field Chatlayer's clients are known to read.
type conversationUser struct {
	SessionID         string `json:"sessionId"`
	ID                string `json:"id,omitempty"`
	FirstName         string `json:"firstName,omitempty"`
	LastName          string `json:"lastName,omitempty"`
	PreferredLanguage string `json:"preferredLanguage,omitempty"`
}

// getConversations lists a bot version's conversations, most recent
// activity first (ties by id).
func (s *Server) getConversations(r *http.Request) (int, any, error) {
	b, err := s.v1Bot(r)
	if err != nil {
		return 0, nil, err
	}
	version, err := versionParam(r, false)
	if err != nil {
		return 0, nil, err
	}
	page, size, err := pageParams(r)
	if err != nil {
		return 0, nil, err
	}
	items := []conversationItem{}
	for _, conv := range s.store.list(b.def.Script.BotID) {
		if conv.key.version == version {
			items = append(items, conv.item())
		}
	}
	sort.Slice(items, func(i, j int) bool {
		if !items[i].UpdatedAt.Equal(items[j].UpdatedAt.Time) {
			return items[i].UpdatedAt.After(items[j].UpdatedAt.Time)
		}
		return items[i].ID < items[j].ID
	})
	return http.StatusOK, paginate(items, page, size), nil
}

// item describes the conversation. Its last activity (updatedAt) is the
// later of the engine's last step and the last stored message, so agent
// messages count as activity.
func (c *conversation) item() conversationItem {
	c.mu.Lock()
	defer c.mu.Unlock()
	d := c.d
	it := conversationItem{
		ID: c.key.id,
		User: conversationUser{SessionID: c.key.id, ID: d.User.ID, FirstName: d.User.FirstName,
			LastName: d.User.LastName, PreferredLanguage: d.User.PreferredLanguage},
		Channel: channelType, ChannelID: d.ChannelID, Version: c.key.version,
		CreatedAt: apiTime{d.CreatedAt}, UpdatedAt: apiTime{d.LastActivity}, MessageCount: len(c.history), Paused: d.Paused,
	}
	if last, ok := c.lastEntry(); ok && last.createdAt().After(it.UpdatedAt.Time) {
		it.UpdatedAt = apiTime{last.createdAt()}
	}
	return it
}

// getConversationMessages lists a conversation's stored messages in
// chronological order.
func (s *Server) getConversationMessages(r *http.Request) (int, any, error) {
	_, conv, err := s.v1Conversation(r)
	if err != nil {
		return 0, nil, err
	}
	page, size, err := pageParams(r)
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, paginate(conv.historyCopy(), page, size), nil
}

// pageParams reads ?page= (1-based, default 1) and ?pageSize= (default
// 50, at most 500); both must be positive integers written in digits.
func pageParams(r *http.Request) (page, size int, err error) {
	q := r.URL.Query()
	if page, err = positiveParam(q.Get("page"), "page", 1); err != nil {
		return 0, 0, err
	}
	if size, err = positiveParam(q.Get("pageSize"), "pageSize", defaultPageSize); err != nil {
		return 0, 0, err
	}
	if size > maxPageSize {
		return 0, 0, badRequest("pageSize", "must be at most %d, not %d", maxPageSize, size)
	}
	return page, size, nil
}

// positiveParam parses a query parameter that must be an integer >= 1
// (def when absent).
func positiveParam(v, name string, def int) (int, error) {
	if v == "" {
		return def, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 || v[0] < '0' || v[0] > '9' {
		return 0, badRequest(name, "must be a positive integer, not %q", v)
	}
	return n, nil
}

// paginate cuts one page out of items; a page past the end is empty.
func paginate[T any](items []T, page, size int) listPage[T] {
	total := len(items)
	meta := pageMeta{Page: page, PageSize: size, Total: total, TotalPages: (total + size - 1) / size}
	if page > meta.TotalPages {
		return listPage[T]{Data: []T{}, Page: meta}
	}
	start := (page - 1) * size
	end := min(start+size, total)
	return listPage[T]{Data: nonNil(items[start:end]), Page: meta}
}
