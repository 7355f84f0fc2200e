package emulator

// The legacy /api read and webview endpoints, deprecated by Chatlayer in
// September 2020 and still documented (Chatlayer's legacy API page:
// https://docs.chatlayer.ai/chatlayer-api/legacy-api). They take the
// access token as the access_token query parameter.

import (
	"encoding/json"
	"fmt"
	"net/http"
	"sort"
	"strconv"
	"time"

	"github.com/gorilla/mux"

	"github.com/chatlayer-emulator/chatlayer-emulator/emulator/dialog"
)

// Fixed texts and bounds of the legacy endpoints.
const (
	msgMissingAccessToken = "missing access_token query parameter"
	defaultLegacyLimit    = 50
	maxLegacyLimit        = 500
	dateFormat            = "2006-01-02"
)

// legacyToken reads the access_token query parameter, which must be valid
// for some bot (401 otherwise).
func (s *Server) legacyToken(r *http.Request) (string, error) {
	token := r.URL.Query().Get("access_token")
	if token == "" {
		return "", newError(http.StatusUnauthorized, "access_token", msgMissingAccessToken)
	}
	if !s.registry().tokenValid(token, nil) {
		return "", newError(http.StatusUnauthorized, "access_token", msgBadToken)
	}
	return token, nil
}

// legacyBot returns the bot, checking that token is valid for it: 404 for
// an unknown bot, 401 for a token of another bot.
func (s *Server) legacyBot(token, botID, field string) (*bot, error) {
	reg := s.registry()
	b, ok := reg.bots[botID]
	if !ok {
		return nil, newError(http.StatusNotFound, field, msgUnknownBot, botID)
	}
	if !reg.tokenValid(token, b) {
		return nil, newError(http.StatusUnauthorized, "access_token", msgBadToken)
	}
	return b, nil
}

// legacyAuth authenticates a legacy request on the bot of the {botId}
// path parameter.
func (s *Server) legacyAuth(r *http.Request) (*bot, error) {
	token, err := s.legacyToken(r)
	if err != nil {
		return nil, err
	}
	return s.legacyBot(token, mux.Vars(r)["botId"], "botId")
}

// legacyConversation finds a sender's conversation: the DRAFT version
// first, then LIVE (the legacy paths name no version).
func (s *Server) legacyConversation(botID, senderID string) (*conversation, bool) {
	for _, v := range []string{versionDraft, versionLive} {
		if c, ok := s.store.lookup(convKey{bot: botID, version: v, id: senderID}); ok {
			return c, true
		}
	}
	return nil, false
}

// legacyHistoryRow is one message of GET /api/bots/{botId}/history, in the
// key order of Chatlayer's example.
type legacyHistoryRow struct {
	IsIntro   bool            `json:"isIntro"`
	Message   json.RawMessage `json:"message"`
	ID        string          `json:"id"`
	Actor     string          `json:"actor"`
	CreatedAt apiTime         `json:"createdAt"`
}

// legacyHistory answers the history endpoint.
type legacyHistory struct {
	Rows  []legacyHistoryRow `json:"rows"`
	Count int                `json:"count"`
}

// getLegacyHistory lists a sender's messages, oldest first, from ?offset=
// (default 0) at most ?limit= (default 50, at most 500); count is the
// total. An unknown sender has no messages.
func (s *Server) getLegacyHistory(r *http.Request) (int, any, error) {
	b, err := s.legacyAuth(r)
	if err != nil {
		return 0, nil, err
	}
	offset, limit, err := offsetLimit(r)
	if err != nil {
		return 0, nil, err
	}
	var entries []historyEntry
	if conv, ok := s.legacyConversation(b.def.Script.BotID, mux.Vars(r)["senderId"]); ok {
		entries = conv.historyCopy()
	}
	resp := legacyHistory{Rows: []legacyHistoryRow{}, Count: len(entries)}
	for _, e := range entries[min(offset, len(entries)):min(offset+limit, len(entries))] {
		resp.Rows = append(resp.Rows, legacyHistoryRow{IsIntro: e.IsIntro, Message: e.Message, ID: e.ID, Actor: e.Actor, CreatedAt: e.CreatedAt})
	}
	return http.StatusOK, resp, nil
}

// offsetLimit reads ?offset= and ?limit=, strings of digits.
func offsetLimit(r *http.Request) (offset, limit int, err error) {
	if offset, err = digits(r, "offset", 0); err != nil {
		return 0, 0, err
	}
	if limit, err = digits(r, "limit", defaultLegacyLimit); err != nil {
		return 0, 0, err
	}
	if limit > maxLegacyLimit {
		return 0, 0, badRequest("limit", "must be at most %d", maxLegacyLimit)
	}
	return offset, limit, nil
}

// digits reads a query parameter that must be a string of digits.
func digits(r *http.Request, name string, def int) (int, error) {
	v := r.URL.Query().Get(name)
	if v == "" {
		return def, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 0 || v[0] == '+' {
		return 0, badRequest(name, "must be a string of digits, not %q", v)
	}
	return n, nil
}

// getLegacySessionData answers one namespace of a sender's session as an
// object: {} when the conversation or the namespace is unknown, or when
// the namespace holds no object.
func (s *Server) getLegacySessionData(r *http.Request) (int, any, error) {
	b, err := s.legacyAuth(r)
	if err != nil {
		return 0, nil, err
	}
	vars := mux.Vars(r)
	conv, ok := s.legacyConversation(b.def.Script.BotID, vars["senderId"])
	if !ok {
		return http.StatusOK, map[string]any{}, nil
	}
	conv.mu.Lock()
	defer conv.mu.Unlock()
	ns, isObject := b.engine.SessionView(conv.d)[vars["namespace"]].(map[string]any)
	if !isObject {
		return http.StatusOK, map[string]any{}, nil
	}
	raw, err := marshalJSON(ns) // now: the engine changes the map later
	return http.StatusOK, json.RawMessage(raw), err
}

// chatMessageRow is one message of GET /api/chatMessage/{botId}.
type chatMessageRow struct {
	ID        string          `json:"id"`
	SenderID  string          `json:"senderId"`
	Actor     string          `json:"actor"`
	Message   json.RawMessage `json:"message"`
	CreatedAt apiTime         `json:"createdAt"`
}

// chatMessages answers the chatMessage endpoint.
type chatMessages struct {
	Rows  []chatMessageRow `json:"rows"`
	Count int              `json:"count"`
}

// getLegacyChatMessages lists every stored message of the bot, of every
// conversation and version, created at or after ?from= (a UTC date;
// default: all), oldest first.
func (s *Server) getLegacyChatMessages(r *http.Request) (int, any, error) {
	b, err := s.legacyAuth(r)
	if err != nil {
		return 0, nil, err
	}
	from, err := fromDate(r)
	if err != nil {
		return 0, nil, err
	}
	rows := []chatMessageRow{}
	for _, conv := range s.store.list(b.def.Script.BotID) {
		for _, e := range conv.historyCopy() {
			if !e.CreatedAt.Before(from) {
				rows = append(rows, chatMessageRow{ID: e.ID, SenderID: conv.key.id, Actor: e.Actor, Message: e.Message, CreatedAt: e.CreatedAt})
			}
		}
	}
	sort.SliceStable(rows, func(i, j int) bool { return rows[i].CreatedAt.Before(rows[j].CreatedAt.Time) })
	return http.StatusOK, chatMessages{Rows: rows, Count: len(rows)}, nil
}

// fromDate reads ?from=YYYY-MM-DD as UTC midnight (zero time when absent).
func fromDate(r *http.Request) (time.Time, error) {
	v := r.URL.Query().Get("from")
	if v == "" {
		return time.Time{}, nil
	}
	t, err := time.Parse(dateFormat, v)
	if err != nil {
		return time.Time{}, badRequest("from", "must be a date such as 2026-01-31, not %q", v)
	}
	return t, nil
}

// webviewRequest is the body of POST /api/webview.
type webviewRequest struct {
	BotID    *string         `json:"botId"`
	SenderID *string         `json:"senderId"`
	Session  *webviewSession `json:"session"`
	Action   *webviewAction  `json:"action"`
	Messages json.RawMessage `json:"messages"`
}

// webviewSession is session data to merge into one namespace.
type webviewSession struct {
	Namespace string         `json:"namespace"`
	Data      map[string]any `json:"data"`
}

// webviewAction names the block to go to: a string, or a number.
type webviewAction struct {
	NextDialogstate blockRef `json:"nextDialogstate"`
}

// postLegacyWebview applies an asynchronous action to a conversation, on
// its lane: the session data, then the messages (as the bot), then the
// jump to action.nextDialogstate. The answer is 200 with an empty body.
func (s *Server) postLegacyWebview(r *http.Request) (int, any, error) {
	token, err := s.legacyToken(r)
	if err != nil {
		return 0, nil, err
	}
	var req webviewRequest
	if err := readJSON(r, s.cfg.MaxBodyBytes, &req); err != nil {
		return 0, nil, err
	}
	jump, err := req.jump()
	if err != nil {
		return 0, nil, err
	}
	b, conv, err := s.webviewTarget(r, token, req, jump.Block)
	if err != nil {
		return 0, nil, err
	}
	in := dialog.Input{SessionData: req.Session.paths(), Event: jump}
	if err := s.stepOnLane(b, conv, in, nil); err != nil {
		return 0, nil, err
	}
	return http.StatusOK, nil, nil
}

// jump checks the request's shape and returns the jump it asks for.
func (req *webviewRequest) jump() (dialog.Jump, error) {
	var j dialog.Jump
	if req.BotID == nil || *req.BotID == "" {
		return j, badRequest("/botId", "is required")
	}
	if req.SenderID == nil || *req.SenderID == "" {
		return j, badRequest("/senderId", "is required")
	}
	if len(req.Messages) > 0 {
		msgs, err := dialog.DecodeTypeConfig(req.Messages)
		if err != nil {
			return j, badRequest("/messages", "%v", err)
		}
		j.Messages = msgs
	}
	if req.Action != nil {
		j.Block = string(req.Action.NextDialogstate)
	}
	if len(j.Messages) == 0 && j.Block == "" {
		return j, badRequest("", "needs at least one message or an action.nextDialogstate")
	}
	return j, nil
}

// webviewTarget finds the bot (404, or 401 for another bot's token), the
// block to go to and the conversation (404; DRAFT, then LIVE). A block the
// bot does not have is accepted with a warning (the jump then goes to
// Error occurred), or refused with a 400 under Config.Strict.
func (s *Server) webviewTarget(r *http.Request, token string, req webviewRequest, block string) (*bot, *conversation, error) {
	b, err := s.legacyBot(token, *req.BotID, "/botId")
	if err != nil {
		return nil, nil, err
	}
	unknown := block != "" && b.engine.Block(block) == nil
	if unknown && s.cfg.Strict {
		return nil, nil, badRequest("/action/nextDialogstate", "unknown block %q (refused: the emulator runs with --strict)", block)
	}
	conv, ok := s.legacyConversation(*req.BotID, *req.SenderID)
	if !ok {
		return nil, nil, newError(http.StatusNotFound, "/senderId", "unknown conversation %q of bot %q", *req.SenderID, *req.BotID)
	}
	if unknown {
		s.warnRequest(r, Warning{Code: dialog.WarnUnknownBlock, Bot: conv.key.bot, Conversation: conv.key.id,
			Version: conv.key.version, Field: "/action/nextDialogstate",
			Message: fmt.Sprintf("action.nextDialogstate names unknown block %q: accepted; the conversation goes to %s", block, dialog.BlockErrorOccurred)})
	}
	return b, conv, nil
}

// paths turns the session write into session-data paths: namespace.key
// for each key of data (the keys at the top level without a namespace).
func (ws *webviewSession) paths() map[string]any {
	if ws == nil || len(ws.Data) == 0 {
		return nil
	}
	out := make(map[string]any, len(ws.Data))
	for k, v := range ws.Data {
		if ws.Namespace != "" {
			k = ws.Namespace + "." + k
		}
		out[k] = v
	}
	return out
}
