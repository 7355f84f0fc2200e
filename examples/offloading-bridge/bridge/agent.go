package bridge

// The agent side: replies and hand-back through Chatlayer's conversation
// actions API, POST /v1/bots/{botId}/conversations/{sessionId}/actions.

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
)

// replyRequest is the body of POST /agent/{sessionId}/reply.
type replyRequest struct {
	Text string `json:"text"`
}

// handbackRequest is the body of POST /agent/{sessionId}/handback.
type handbackRequest struct {
	Block string `json:"block"` // optional: the block the bot resumes at
}

// reply sends an agent message to the user as a textMessageTemplate.
func (b *Bridge) reply(w http.ResponseWriter, r *http.Request) {
	var req replyRequest
	if err := json.NewDecoder(io.LimitReader(r.Body, 1<<20)).Decode(&req); err != nil || req.Text == "" {
		writeJSON(w, http.StatusBadRequest, map[string]string{"error": `the body must be {"text": "..."}`})
		return
	}
	text := map[string]any{"textMessageTemplate": map[string]any{"textMessages": []any{map[string]string{"text": req.Text}}}}
	b.act(w, r.PathValue("sessionId"), map[string]any{"sendMessages": []any{text}})
}

// handback gives the conversation back to the bot: pauseBot false, and a
// goToBlock when a block is given. The bridge forgets the offload.
func (b *Bridge) handback(w http.ResponseWriter, r *http.Request) {
	var req handbackRequest
	if r.ContentLength != 0 {
		if err := json.NewDecoder(io.LimitReader(r.Body, 1<<20)).Decode(&req); err != nil {
			writeJSON(w, http.StatusBadRequest, map[string]string{"error": `the body must be {} or {"block": "..."}`})
			return
		}
	}
	action := map[string]any{"pauseBot": false}
	if req.Block != "" {
		action["goToBlock"] = map[string]string{"blockId": req.Block}
	}
	id := r.PathValue("sessionId")
	if b.act(w, id, action) {
		b.mu.Lock()
		if s := b.sessions[id]; s != nil {
			s.Offloaded = false
		}
		b.mu.Unlock()
	}
}

// act posts an action body for a known session and relays Chatlayer's
// answer: its status and body, or 502 when it failed. It reports whether
// Chatlayer accepted the action.
func (b *Bridge) act(w http.ResponseWriter, sessionID string, action map[string]any) bool {
	s, ok := b.Session(sessionID)
	if !ok {
		writeJSON(w, http.StatusNotFound, map[string]string{"error": "unknown session: no event received for it"})
		return false
	}
	status, body, err := b.postAction(s, action)
	if err != nil {
		writeJSON(w, http.StatusBadGateway, map[string]string{"error": err.Error()})
		return false
	}
	w.Header().Set("Content-Type", "application/json")
	if status/100 != 2 {
		w.WriteHeader(http.StatusBadGateway)
		w.Write(body)
		return false
	}
	w.WriteHeader(status)
	w.Write(body)
	return true
}

// postAction calls the actions API for the session.
func (b *Bridge) postAction(s Session, action map[string]any) (int, []byte, error) {
	version := firstOf(s.Version, b.cfg.Version)
	u := fmt.Sprintf("%s/v1/bots/%s/conversations/%s/actions?version=%s", b.cfg.ChatlayerURL,
		url.PathEscape(s.BotID), url.PathEscape(s.SessionID), url.QueryEscape(version))
	raw, _ := json.Marshal(action)
	req, err := http.NewRequest(http.MethodPost, u, bytes.NewReader(raw))
	if err != nil {
		return 0, nil, err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+b.cfg.Token)
	resp, err := b.cfg.Client.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	return resp.StatusCode, body, err
}
