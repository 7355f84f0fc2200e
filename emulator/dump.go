package emulator

// A readable dump of one conversation: GET /_emulator/conversations/...,
// and (*Server).Conversation for Go tests.

import (
	"encoding/json"
	"net/http"

	"github.com/gorilla/mux"

	"github.com/chatlayer-emulator/chatlayer-emulator/emulator/delivery"
	"github.com/chatlayer-emulator/chatlayer-emulator/emulator/dialog"
)

// ConversationDump is everything the emulator holds about one
// conversation: where the flow is, the session, the history and the
// deliveries made for it.
type ConversationDump struct {
	BotID          string              `json:"botId"`
	ConversationID string              `json:"conversationId"`
	Version        string              `json:"version"`
	ChannelID      string              `json:"channelId"`
	State          ConversationState   `json:"state"`
	Session        json.RawMessage     `json:"session"` // the whole session object, namespaces included
	History        []json.RawMessage   `json:"history"` // {id, actor, isIntro, message, createdAt}, oldest first
	Deliveries     []delivery.Delivery `json:"deliveries"`
	// Offloads are the conversation's offload requests and their outcomes
	// (absent when there were none).
	Offloads []OffloadRecord `json:"offloads,omitempty"`
	// Warnings are the warnings journal's entries about the conversation
	// (absent when there were none).
	Warnings []Warning `json:"warnings,omitempty"`
}

// ConversationState is where a conversation's flow is.
type ConversationState struct {
	CurrentBlock  string  `json:"currentBlock"`
	PreviousBlock string  `json:"previousBlock"`
	Awaiting      *string `json:"awaiting"` // the collect-input block waiting for an answer, or null
	Paused        bool    `json:"paused"`
	Offloaded     bool    `json:"offloaded"`
	Started       bool    `json:"started"`
}

// Conversation dumps the conversation of a bot version ("DRAFT" or
// "LIVE") with a sender; false when there is none.
func (s *Server) Conversation(botID, version, id string) (ConversationDump, bool) {
	conv, ok := s.store.lookup(convKey{bot: botID, version: version, id: id})
	if !ok {
		return ConversationDump{}, false
	}
	var engine *dialog.Engine // nil when the bot is no longer served
	if b := s.reg.Load().bots[botID]; b != nil {
		engine = b.engine
	}
	dump := conv.dump(engine)
	dump.Deliveries = nonNil(s.out.Journal().List(delivery.Filter{Bot: botID, Conversation: id}))
	for _, r := range s.offloads.list(botID, id) {
		if r.Version == version {
			dump.Offloads = append(dump.Offloads, r)
		}
	}
	for _, w := range s.Warnings(botID, id) {
		if w.Version == "" || w.Version == version {
			dump.Warnings = append(dump.Warnings, w)
		}
	}
	return dump, true
}

// dump copies the conversation's state under its lock; engine builds the
// session's "internal" namespace (nil: the session as stored).
func (c *conversation) dump(engine *dialog.Engine) ConversationDump {
	c.mu.Lock()
	defer c.mu.Unlock()
	d := c.d
	view := d.Session
	if engine != nil {
		view = engine.SessionView(d)
	}
	session, _ := marshalJSON(view) // session values are JSON values
	out := ConversationDump{
		BotID: c.key.bot, ConversationID: c.key.id, Version: c.key.version, ChannelID: d.ChannelID,
		State: ConversationState{
			CurrentBlock: d.Current, PreviousBlock: d.Previous,
			Paused: d.Paused, Offloaded: d.Offloaded, Started: d.Started,
		},
		Session: session,
		History: make([]json.RawMessage, 0, len(c.history)),
	}
	if d.Awaiting != nil {
		block := d.Awaiting.Block
		out.State.Awaiting = &block
	}
	for _, e := range c.historyLocked() {
		raw, _ := marshalJSON(e) // a historyEntry always marshals
		out.History = append(out.History, raw)
	}
	return out
}

// getConversationDump answers the dump of a conversation (?version=,
// default DRAFT), or 404.
func (s *Server) getConversationDump(r *http.Request) (int, any, error) {
	version, err := versionParam(r, true)
	if err != nil {
		return 0, nil, err
	}
	vars := mux.Vars(r)
	dump, ok := s.Conversation(vars["botId"], version, vars["conversationId"])
	if !ok {
		return 0, nil, newError(http.StatusNotFound, "conversationId", "unknown conversation %q of bot %q (%s)",
			vars["conversationId"], vars["botId"], version)
	}
	return http.StatusOK, dump, nil
}
