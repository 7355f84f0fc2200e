package emulator

// The legacy /api endpoints, deprecated by Chatlayer in September 2020 and
// still documented. Docs: https://docs.chatlayer.ai/chatlayer-api/legacy-api

import (
	"net/http"
	"strings"

	"github.com/gorilla/mux"

	"github.com/chatlayer-emulator/chatlayer-emulator/emulator/dialog"
)

// legacyWebhookRequest is the body of POST /api/webhookMessage/{botId}.
type legacyWebhookRequest struct {
	Text        *string       `json:"text"`
	Sender      *legacySender `json:"sender"`
	VerifyToken string        `json:"verifyToken"`
	Locale      string        `json:"locale"`
}

// legacySender identifies the user.
type legacySender struct {
	ID string `json:"id"`
}

// postLegacyWebhookMessage accepts a user message the legacy way: no access
// token, the channel's verify token in the body, and a plain
// "EVENT_RECEIVED" answer. A button click arrives as its payload in text.
func (s *Server) postLegacyWebhookMessage(r *http.Request) (int, any, error) {
	id := mux.Vars(r)["botId"]
	b, ok := s.registry().bots[id]
	if !ok {
		return 0, nil, newError(http.StatusNotFound, "botId", msgUnknownBot, id)
	}
	var req legacyWebhookRequest
	if err := readJSON(r, s.cfg.MaxBodyBytes, &req); err != nil {
		return 0, nil, err
	}
	ch := b.channelByVerifyToken(req.VerifyToken)
	if ch == nil {
		return 0, nil, newError(http.StatusUnauthorized, "/verifyToken", msgBadVerifyToken)
	}
	senderID, text, err := req.check()
	if err != nil {
		return 0, nil, err
	}
	if err := s.checkSenderLength(r, ch, "/sender/id", senderID); err != nil {
		return 0, nil, err
	}
	t := turn{in: dialog.Input{Locale: req.Locale}, legacyText: &text}
	if err := s.accept(ch, senderID, t); err != nil {
		return 0, nil, err
	}
	return http.StatusOK, plainText("EVENT_RECEIVED"), nil
}

// check validates the sender and the text.
func (req *legacyWebhookRequest) check() (senderID, text string, err error) {
	if req.Sender == nil {
		return "", "", badRequest("/sender", "is required")
	}
	if senderID, err = checkID("/sender/id", req.Sender.ID); err != nil {
		return "", "", err
	}
	if req.Text == nil || strings.TrimSpace(*req.Text) == "" {
		return "", "", badRequest("/text", "is required and must not be empty")
	}
	return senderID, *req.Text, nil
}

// channelByVerifyToken finds the bot's webhook channel with that verify
// token, comparing in constant time.
func (b *bot) channelByVerifyToken(token string) *channel {
	var found *channel
	for _, c := range b.channels {
		if secretIn(token, []string{c.VerifyToken}) {
			found = c
		}
	}
	return found
}
