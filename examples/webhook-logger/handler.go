package main

import (
	"crypto/subtle"
	"encoding/json"
	"io"
	"log"
	"net/http"
)

// Delivery is the body Chatlayer POSTs for each bot message.
type Delivery struct {
	SenderID       string          `json:"senderId"`
	Message        json.RawMessage `json:"message"`
	MessageCounter int             `json:"messageCounter"`
	VerifyToken    string          `json:"verifyToken"`
}

// NewHandler returns the webhook handler: POST /webhook, verify token checked.
func NewHandler(verifyToken string, logger *log.Logger) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("POST /webhook", func(w http.ResponseWriter, r *http.Request) {
		var d Delivery
		if err := json.NewDecoder(io.LimitReader(r.Body, 1<<20)).Decode(&d); err != nil {
			http.Error(w, "bad body", http.StatusBadRequest)
			return
		}
		if subtle.ConstantTimeCompare([]byte(d.VerifyToken), []byte(verifyToken)) != 1 {
			http.Error(w, "wrong verify token", http.StatusUnauthorized)
			return
		}
		if isEvent(d.Message) {
			w.WriteHeader(http.StatusOK) // non-visual JSON-builder message: not shown
			return
		}
		logger.Printf("to %s #%d: %s", d.SenderID, d.MessageCounter, d.Message)
		w.WriteHeader(http.StatusOK)
	})
	return mux
}

// isEvent reports whether a message is a non-visual event message.
func isEvent(raw json.RawMessage) bool {
	var m struct {
		Type string `json:"type"`
	}
	return json.Unmarshal(raw, &m) == nil && m.Type == "event"
}
