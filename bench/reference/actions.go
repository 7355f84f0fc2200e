package reference

import (
	"encoding/json"
	"io"
	"net/http"
)

// ActionsPath is the v1 conversation-actions route, in http.ServeMux syntax.
const ActionsPath = "POST /v1/bots/{botId}/conversations/{conversationId}/actions"

// actionsRequest is the part of an actions body the reference decodes: the
// two actions that send nothing.
type actionsRequest struct {
	SetSession map[string]any `json:"setSession"`
	PauseBot   *bool          `json:"pauseBot"`
}

// actionsAnswer is the emulator's answer to an applied actions request.
type actionsAnswer struct {
	ConversationID string   `json:"conversationId"`
	Applied        []string `json:"applied"`
	Messages       int      `json:"messages"`
}

// ActionsHandler is the bare conversation-actions handler: it checks the
// bearer token, finds the conversation among ids (404 otherwise), decodes
// the body and answers 200 with what the emulator answers to setSession
// and pauseBot, which send no message. It stores nothing.
func ActionsHandler(token string, ids []string) http.Handler {
	known := make(map[string]bool, len(ids))
	for _, id := range ids {
		known[id] = true
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "Bearer "+token {
			http.Error(w, "unauthorized", http.StatusUnauthorized)
			return
		}
		id := r.PathValue("conversationId")
		if !known[id] {
			http.NotFound(w, r)
			return
		}
		var req actionsRequest
		body, err := io.ReadAll(io.LimitReader(r.Body, maxBody))
		if err == nil {
			err = json.Unmarshal(body, &req)
		}
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		writeJSON(w, http.StatusOK, actionsAnswer{ConversationID: id, Applied: req.applied(), Messages: 0})
	})
}

// applied names the actions present, in the emulator's order.
func (req actionsRequest) applied() []string {
	out := []string{}
	if req.SetSession != nil {
		out = append(out, "setSession")
	}
	if req.PauseBot != nil {
		out = append(out, "pauseBot")
	}
	return out
}
