package main

import (
	"encoding/json"
	"fmt"
	"io"
	"log"
	"net/http"
)

// Request is the body the demo bot's API action sends (block order-api in
// scenarios/demo.yaml): its own choice of fields, interpolated from the
// session. Chatlayer sends whatever body the bot's API action defines.
type Request struct {
	SessionID string `json:"sessionId"`
	Email     string `json:"email"`
}

// Answer is the answer Chatlayer expects from an API plugin
// (https://docs.chatlayer.ai/integrations/custom-back-end-integrations).
// Every field is optional, and they are applied in this order: the session
// is written, then the messages are sent (so they can use what was just
// written), then the conversation goes to action.nextDialogstate, or, when
// there is none, to the block after the API action.
type Answer struct {
	Session  *SessionWrite `json:"session,omitempty"`
	Messages []Message     `json:"messages,omitempty"`
	Action   *Action       `json:"action,omitempty"`
}

// SessionWrite writes data into one namespace of the session; the bot then
// reads it as {namespace.key}.
type SessionWrite struct {
	Namespace string `json:"namespace"`
	Data      Order  `json:"data"`
}

// Order is what the plugin tells about an order: the demo's order-status
// block shows {order.status}.
type Order struct {
	ID     string `json:"id"`
	Status string `json:"status"`
}

// Message is a message in the {type, config} form plugins answer with;
// this plugin sends text messages only ("type": "text").
type Message struct {
	Type   string     `json:"type"`
	Config TextConfig `json:"config"`
}

// TextConfig is the config of a text message: one or more texts.
type TextConfig struct {
	TextMessages []Text `json:"textMessages"`
}

// Text is one text.
type Text struct {
	Text string `json:"text"`
}

// Action says where the conversation goes next: the id of a block.
type Action struct {
	NextDialogstate string `json:"nextDialogstate"`
}

// Config is what the plugin answers.
type Config struct {
	Status string // the status of every order
	// NextBlock is the block the answer sends the conversation to; empty
	// leaves action out, and the bot goes on with the API action's next.
	NextBlock string
}

// NewHandler returns the plugin: POST /plugin answers every request with
// the same order (id A-1001, status cfg.Status), and prints one line per
// call to logger.
func NewHandler(cfg Config, logger *log.Logger) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("POST /plugin", func(w http.ResponseWriter, r *http.Request) {
		var req Request
		if err := json.NewDecoder(io.LimitReader(r.Body, 1<<20)).Decode(&req); err != nil || req.SessionID == "" {
			// Any status but 2xx fails the call: the bot goes to the
			// API action's onError block.
			logger.Printf("400 not a request of the demo bot (want a JSON object with sessionId): %v", err)
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusBadRequest)
			io.WriteString(w, `{"error":"want a JSON object with sessionId"}`+"\n")
			return
		}
		raw, _ := json.Marshal(answer(cfg)) // plain structs: cannot fail
		logger.Printf("200 to session %s: %s", req.SessionID, raw)
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprintf(w, "%s\n", raw)
	})
	return mux
}

// answer is the plugin's answer: the order in the session's "order"
// namespace, a message that reads it back, and the next block.
func answer(cfg Config) Answer {
	a := Answer{
		Session: &SessionWrite{Namespace: "order", Data: Order{ID: "A-1001", Status: cfg.Status}},
		Messages: []Message{{Type: "text", Config: TextConfig{TextMessages: []Text{
			{Text: "I found your order {order.id}."}, // written by this answer's session, just before
		}}}},
	}
	if cfg.NextBlock != "" {
		a.Action = &Action{NextDialogstate: cfg.NextBlock}
	}
	return a
}
