package emulator

// GET /v1/bots: the bots an access token may use, and the access checks
// shared by every /v1/bots/{botId}/... route.
// Docs: https://docs.chatlayer.ai/integrations/integrations-101 (the v1
// reference itself is not public; FIDELITY.md Q6).

import (
	"net/http"

	"github.com/gorilla/mux"
)

// botItem is one bot of GET /v1/bots.
type botItem struct {
	ID        string           `json:"id"`
	Name      string           `json:"name"`
	Languages []string         `json:"languages"`
	Channels  []botChannelItem `json:"channels"`
}

// botChannelItem is a channel of a bot; tokens and URLs are never shown.
type botChannelItem struct {
	ID      string `json:"id"`
	Type    string `json:"type"`
	Version string `json:"version"`
}

// getBots lists, as a top-level array, the bots the token may access: all
// of them for a global token, the token's own bots otherwise.
func (s *Server) getBots(r *http.Request) (int, any, error) {
	if err := s.authorize(r, nil); err != nil {
		return 0, nil, err
	}
	token, _ := s.v1Token(r) // authorize checked it
	reg := s.registry()
	out := []botItem{}
	for _, id := range reg.botIDs() {
		if b := reg.bots[id]; reg.tokenValid(token, b) {
			out = append(out, newBotItem(b))
		}
	}
	return http.StatusOK, out, nil
}

// newBotItem describes a bot.
func newBotItem(b *bot) botItem {
	it := botItem{
		ID:        b.def.Script.BotID,
		Name:      b.def.Script.Name,
		Languages: nonNil(append([]string(nil), b.def.Script.Languages...)),
		Channels:  []botChannelItem{},
	}
	for _, c := range b.channels {
		it.Channels = append(it.Channels, botChannelItem{ID: c.ID, Type: channelType, Version: c.Version})
	}
	return it
}

// v1Bot authorizes a /v1/bots/{botId}/... request: 401 without a valid
// token, then 404 for an unknown bot, then 401 if the token is not valid
// for that bot.
func (s *Server) v1Bot(r *http.Request) (*bot, error) {
	if err := s.authorize(r, nil); err != nil {
		return nil, err
	}
	b, err := s.botByID(mux.Vars(r)["botId"])
	if err != nil {
		return nil, err
	}
	if err := s.authorize(r, b); err != nil {
		return nil, err
	}
	return b, nil
}

// v1Conversation authorizes a /v1/bots/{botId}/conversations/{conversationId}/...
// request, reads ?version= (required) and finds the conversation (404).
func (s *Server) v1Conversation(r *http.Request) (*bot, *conversation, error) {
	b, err := s.v1Bot(r)
	if err != nil {
		return nil, nil, err
	}
	version, err := versionParam(r, false)
	if err != nil {
		return nil, nil, err
	}
	conv, err := s.findConversation(b.def.Script.BotID, version, mux.Vars(r)["conversationId"])
	if err != nil {
		return nil, nil, err
	}
	return b, conv, nil
}
