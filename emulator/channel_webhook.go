package emulator

// POST /v1/channels/webhook/{channelId}/messages: a user message for a
// Webhook channel (Chatlayer operation sendWebhookMessage).
// Docs: https://docs.chatlayer.ai/channels/all-channels/webhook-api

import (
	"encoding/json"
	"fmt"
	"net/http"
	"reflect"
	"strings"
	"unicode/utf8"

	"github.com/gorilla/mux"

	"github.com/chatlayer-emulator/chatlayer-emulator/emulator/dialog"
)

// maxIDLength bounds conversation and user ids.
const maxIDLength = 256

// webhookMessageRequest is the body of sendWebhookMessage.
type webhookMessageRequest struct {
	ConversationID *string        `json:"conversationId"`
	User           *dialog.User   `json:"user"`
	Message        *inboundMsg    `json:"message"`
	SessionData    map[string]any `json:"sessionData"`
}

// inboundMsg holds exactly one of the user message kinds: the three
// Chatlayer's clients send, and the emulator's location and upload
// extensions (inbound_media.go).
type inboundMsg struct {
	TextMessage       *textMessage       `json:"textMessage"`
	PostbackMessage   *postbackMessage   `json:"postbackMessage"`
	IntroMessage      *struct{}          `json:"introMessage"`
	LocationMessage   *locationMessage   `json:"locationMessage"`
	FileUploadMessage *fileUploadMessage `json:"fileUploadMessage"`
}

// textMessage is a free-text user message.
type textMessage struct {
	Text *string `json:"text"`
}

// postbackMessage is a click: the payload the bot sent, the older
// explicit form with nextDialogstateId and sessionDataToSet, or only the
// clicked control's title.
type postbackMessage struct {
	Payload           string     `json:"payload"`
	Title             string     `json:"title"`
	NextDialogstateID blockRef   `json:"nextDialogstateId"`
	SessionDataToSet  []keyValue `json:"sessionDataToSet"`
}

// blockRef is a block id (or name) as a client writes it: a JSON string,
// or a number whose text as written is the id (3050 is block "3050", as
// in Chatlayer's legacy click example; FIDELITY "Numeric block ids").
type blockRef string

// UnmarshalJSON implements json.Unmarshaler; null leaves b unchanged.
func (b *blockRef) UnmarshalJSON(raw []byte) error {
	if string(raw) == "null" {
		return nil
	}
	id, ok := dialog.BlockIDJSON(raw)
	if !ok {
		return &json.UnmarshalTypeError{Value: jsonKind(raw), Type: reflect.TypeFor[blockRef]()}
	}
	*b = blockRef(id)
	return nil
}

// jsonKind names the kind of a JSON value that is not a string, a number
// or null, as encoding/json does in its errors.
func jsonKind(raw []byte) string {
	switch {
	case len(raw) > 0 && raw[0] == '{':
		return "object"
	case len(raw) > 0 && raw[0] == '[':
		return "array"
	}
	return "bool"
}

// keyValue is one session variable to set.
type keyValue struct {
	Key   string `json:"key"`
	Value any    `json:"value"`
}

// acceptedResponse answers an accepted user message: the bot's replies go
// to the channel's webhook URL, never in this response.
type acceptedResponse struct {
	Status         string `json:"status"`
	ConversationID string `json:"conversationId"`
}

// postWebhookMessage accepts a user message and queues its turn.
func (s *Server) postWebhookMessage(r *http.Request) (int, any, error) {
	ch, err := s.webhookChannel(r)
	if err != nil {
		return 0, nil, err
	}
	var req webhookMessageRequest
	if err := readJSON(r, s.cfg.MaxBodyBytes, &req); err != nil {
		return 0, nil, err
	}
	senderID, err := req.senderID()
	if err != nil {
		return 0, nil, err
	}
	ev, err := req.Message.event(s.cfg.Strict)
	if err != nil {
		return 0, nil, err
	}
	if err := s.checkSenderLength(r, ch, req.senderField(), senderID); err != nil {
		return 0, nil, err
	}
	in := dialog.Input{Event: ev, User: req.User, SessionData: req.SessionData}
	if req.User != nil {
		in.Locale = req.User.PreferredLanguage
	}
	if err := s.accept(ch, senderID, turn{in: in}); err != nil {
		return 0, nil, err
	}
	return http.StatusAccepted, acceptedResponse{Status: "accepted", ConversationID: senderID}, nil
}

// webhookChannel finds the path's channel and checks the bearer token:
// 401 without a valid token, 404 for an unknown channel.
func (s *Server) webhookChannel(r *http.Request) (*channel, error) {
	if err := s.authorize(r, nil); err != nil {
		return nil, err
	}
	id := mux.Vars(r)["channelId"]
	ch, ok := s.registry().channels[id]
	if !ok {
		return nil, newError(http.StatusNotFound, "channelId", msgUnknownChannel, id)
	}
	if err := s.authorize(r, ch.bot); err != nil {
		return nil, err
	}
	return ch, nil
}

// senderField is the JSON pointer of the sender id: the conversation id,
// or the user id when none was given.
func (req *webhookMessageRequest) senderField() string {
	if req.ConversationID == nil {
		return "/user/id"
	}
	return "/conversationId"
}

// minSenderIDLength is the length Chatlayer's docs say a sender id should
// have at least ("A user id or sender id should have at least 32
// characters").
const minSenderIDLength = 32

// checkSenderLength applies that rule, a "should": a shorter id is refused
// under Config.Strict, and otherwise accepted, with a warning when it
// opens a conversation.
func (s *Server) checkSenderLength(r *http.Request, ch *channel, field, id string) error {
	n := utf8.RuneCountInString(id)
	if n >= minSenderIDLength {
		return nil
	}
	key := convKey{bot: ch.bot.def.Script.BotID, version: ch.Version, id: id}
	if _, known := s.store.lookup(key); known && !s.cfg.Strict {
		return nil // warned when it opened the conversation
	}
	msg := fmt.Sprintf("sender id %q has %d characters; Chatlayer's docs say a sender id should have at least %d", id, n, minSenderIDLength)
	if s.cfg.Strict {
		return badRequest(field, "%s (refused: the emulator runs with --strict)", msg)
	}
	s.warnRequest(r, Warning{Code: dialog.WarnShortSenderID, Bot: key.bot, Conversation: id, Version: key.version,
		Field: field, Message: msg + ": accepted"})
	return nil
}

// senderID is the conversation id, or the user id when none was given.
func (req *webhookMessageRequest) senderID() (string, error) {
	id, field := "", "/conversationId"
	switch {
	case req.ConversationID != nil:
		id = *req.ConversationID
	case req.User != nil:
		id, field = req.User.ID, "/user/id"
	default:
		return "", badRequest("/conversationId", "conversationId or user.id is required")
	}
	return checkID(field, id)
}

// checkID refuses empty, over-long or control-character ids.
func checkID(field, id string) (string, error) {
	switch {
	case strings.TrimSpace(id) == "":
		return "", badRequest(field, "must not be empty")
	case len(id) > maxIDLength:
		return "", badRequest(field, "must be at most %d bytes", maxIDLength)
	case strings.ContainsFunc(id, func(r rune) bool { return r < 0x20 || r == 0x7f }):
		return "", badRequest(field, "must not contain control characters")
	}
	return id, nil
}

// event turns the inbound message into a dialog event; strict refuses a
// click by its title alone.
func (m *inboundMsg) event(strict bool) (dialog.Event, error) {
	if m == nil {
		return nil, badRequest("/message", "is required")
	}
	n := 0
	for _, set := range []bool{m.TextMessage != nil, m.PostbackMessage != nil, m.IntroMessage != nil,
		m.LocationMessage != nil, m.FileUploadMessage != nil} {
		if set {
			n++
		}
	}
	if n != 1 {
		return nil, badRequest("/message", msgOneMessageKind)
	}
	switch {
	case m.IntroMessage != nil:
		return dialog.Intro{}, nil
	case m.TextMessage != nil:
		return m.TextMessage.event()
	case m.LocationMessage != nil:
		return m.LocationMessage.event()
	case m.FileUploadMessage != nil:
		return m.FileUploadMessage.event()
	default:
		return m.PostbackMessage.event(strict)
	}
}

// event checks a text message.
func (t *textMessage) event() (dialog.Event, error) {
	if t.Text == nil {
		return nil, badRequest("/message/textMessage/text", "is required")
	}
	if strings.TrimSpace(*t.Text) == "" {
		return nil, badRequest("/message/textMessage/text", "must not be empty")
	}
	return dialog.Text{Text: *t.Text}, nil
}

// event checks a postback message. A click by its title alone (no
// payload, no nextDialogstateId) is matched in the turn against the bot's
// last reply (dialog.Engine.ResolveTitle), or refused when strict.
func (p *postbackMessage) event(strict bool) (dialog.Event, error) {
	if p.Payload == "" && p.NextDialogstateID == "" {
		switch {
		case strings.TrimSpace(p.Title) == "":
			return nil, badRequest("/message/postbackMessage", "payload, nextDialogstateId or title is required")
		case strict:
			return nil, badRequest("/message/postbackMessage", "payload or nextDialogstateId is required "+
				"(a click by its title alone is refused: the emulator runs with --strict)")
		}
	}
	set := make([]dialog.Assignment, 0, len(p.SessionDataToSet))
	for i, kv := range p.SessionDataToSet {
		if kv.Key == "" {
			return nil, badRequest("/message/postbackMessage/sessionDataToSet/"+itoa(i)+"/key", "is required")
		}
		set = append(set, dialog.Assignment{Path: kv.Key, Value: kv.Value})
	}
	return dialog.Click{Payload: p.Payload, Title: p.Title, Target: string(p.NextDialogstateID), Set: set}, nil
}
