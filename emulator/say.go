package emulator

// User messages from Go: the levers a test pulls instead of hand-writing
// the POST of sendWebhookMessage. They go through the same handler as a
// client's request, so they are validated, journaled, rate-limited and
// answered exactly as one.

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"slices"
)

// Say sends text as the user of conversationID on webhook channel
// channelID: the POST /v1/channels/webhook/{channelID}/messages of a
// client, with {"conversationId", "message": {"textMessage": {"text"}}}.
// See Send for what it returns.
func (s *Server) Say(ctx context.Context, channelID, conversationID, text string) error {
	return s.Send(ctx, channelID, v1Message(conversationID, map[string]any{"textMessage": map[string]string{"text": text}}))
}

// Intro starts conversationID on channelID as a client's introMessage
// does: the bot runs its Introduction block.
func (s *Server) Intro(ctx context.Context, channelID, conversationID string) error {
	return s.Send(ctx, channelID, v1Message(conversationID, map[string]any{"introMessage": struct{}{}}))
}

// Click sends a postbackMessage with payload, the payload of a quick
// reply or button the bot sent (see PayloadOf).
func (s *Server) Click(ctx context.Context, channelID, conversationID, payload string) error {
	return s.Send(ctx, channelID, v1Message(conversationID, map[string]any{"postbackMessage": map[string]string{"payload": payload}}))
}

// ClickTitle sends a postbackMessage with only a title, which the
// emulator matches against the quick replies and buttons of the bot's
// last reply (FIDELITY.md Q11; refused under Config.Strict).
func (s *Server) ClickTitle(ctx context.Context, channelID, conversationID, title string) error {
	return s.Send(ctx, channelID, v1Message(conversationID, map[string]any{"postbackMessage": map[string]string{"title": title}}))
}

// v1Message is the v1 body of one message of a conversation.
func v1Message(conversationID string, message map[string]any) map[string]any {
	return map[string]any{"conversationId": conversationID, "message": message}
}

// Send sends body, a v1 sendWebhookMessage body, to webhook channel
// channelID through the emulator's own handler, with an access token the
// channel's bot accepts (the first of its scenario's accessTokens, else
// of Config.AccessTokens). body is encoded with encoding/json; a []byte or
// a json.RawMessage is sent as it is.
//
// Send returns once the emulator has accepted the message (202), as a
// client's POST does: the bot's replies are delivered afterwards, so pair
// it with WaitDeliveries (from a Mark) or Flush. A refused message returns
// the *Error the client would get (400 naming the field, 401, 404, 413,
// 429, …). The request counts toward the rate limit and appears in the
// inbound request journal like any other.
func (s *Server) Send(ctx context.Context, channelID string, body any) error {
	raw, err := encodeBody(body)
	if err != nil {
		return err
	}
	token, ok := s.registry().clientToken(channelID)
	if !ok {
		return newError(http.StatusUnauthorized, "Authorization",
			"no access token grants access to webhook channel %q: list one in the scenario's accessTokens or in Config.AccessTokens", channelID)
	}
	path := "/v1/channels/webhook/" + url.PathEscape(channelID) + "/messages"
	return s.serveInProcess(ctx, http.MethodPost, path, token, raw)
}

// encodeBody is body as JSON text: a []byte or json.RawMessage as it is,
// anything else marshalled.
func encodeBody(body any) ([]byte, error) {
	switch raw := body.(type) {
	case []byte:
		return raw, nil
	case json.RawMessage:
		return raw, nil
	}
	raw, err := json.Marshal(body)
	if err != nil {
		return nil, fmt.Errorf("emulator: encoding the message: %w", err)
	}
	return raw, nil
}

// serveInProcess serves one JSON request with s.Handler, as if a client
// had sent it, and turns an answer other than 2xx into its *Error.
func (s *Server) serveInProcess(ctx context.Context, method, path, token string, body []byte) error {
	r, err := http.NewRequestWithContext(ctx, method, path, bytes.NewReader(body))
	if err != nil {
		return fmt.Errorf("emulator: %w", err)
	}
	r.Header.Set("Content-Type", "application/json")
	r.Header.Set("Authorization", "Bearer "+token)
	r.RemoteAddr = "in-process"
	w := &memResponse{header: http.Header{}}
	s.handler.ServeHTTP(w, r)
	if w.status >= 200 && w.status < 300 {
		return nil
	}
	var e Error
	if err := json.Unmarshal(w.body.Bytes(), &e); err != nil || e.Status == 0 {
		return fmt.Errorf("emulator: %s %s answered %d: %s", method, path, w.status, w.body.Bytes())
	}
	return &e
}

// memResponse is the http.ResponseWriter of an in-process request.
type memResponse struct {
	header http.Header
	status int
	body   bytes.Buffer
}

// Header implements http.ResponseWriter.
func (m *memResponse) Header() http.Header { return m.header }

// WriteHeader implements http.ResponseWriter; the first status counts.
func (m *memResponse) WriteHeader(status int) {
	if m.status == 0 {
		m.status = status
	}
}

// Write implements http.ResponseWriter.
func (m *memResponse) Write(b []byte) (int, error) {
	m.WriteHeader(http.StatusOK)
	return m.body.Write(b)
}

// clientToken returns an access token a client of webhook channel id
// would hold: one of its bot's tokens, else a global one. For an unknown
// channel, any valid token, so that the answer is the 404 a client gets.
func (reg *registry) clientToken(id string) (string, bool) {
	var candidates []string
	if ch, ok := reg.channels[id]; ok {
		candidates = slices.Concat(ch.bot.tokens, reg.global)
	} else {
		candidates = slices.Clone(reg.global)
		for _, bid := range reg.botIDs() {
			candidates = append(candidates, reg.bots[bid].tokens...)
		}
	}
	for _, t := range candidates {
		if t != "" {
			return t, true
		}
	}
	return "", false
}
