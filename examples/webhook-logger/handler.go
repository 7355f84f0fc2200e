package main

import (
	"crypto/subtle"
	"encoding/json"
	"io"
	"log"
	"net/http"
	"sync"
	"time"
)

// Delivery is the body Chatlayer POSTs for each bot message.
type Delivery struct {
	SenderID       string          `json:"senderId"`
	Message        json.RawMessage `json:"message"`
	MessageCounter int             `json:"messageCounter"`
	VerifyToken    string          `json:"verifyToken"`
}

// receiver is the webhook: it checks deliveries and remembers them.
type receiver struct {
	token  string
	delay  time.Duration
	logger *log.Logger

	mu       sync.Mutex // guards received
	received []Delivery
}

// NewHandler returns the webhook handler: POST /webhook (verify token
// checked, optionally slowed down by delay) and GET /webhook/received.
func NewHandler(verifyToken string, delay time.Duration, logger *log.Logger) http.Handler {
	rc := &receiver{token: verifyToken, delay: delay, logger: logger}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /webhook", rc.receive)
	mux.HandleFunc("GET /webhook/received", rc.list)
	return mux
}

// receive handles one delivery.
func (rc *receiver) receive(w http.ResponseWriter, r *http.Request) {
	var d Delivery
	if err := json.NewDecoder(io.LimitReader(r.Body, 1<<20)).Decode(&d); err != nil {
		http.Error(w, "bad body", http.StatusBadRequest)
		return
	}
	if subtle.ConstantTimeCompare([]byte(d.VerifyToken), []byte(rc.token)) != 1 {
		http.Error(w, "wrong verify token", http.StatusUnauthorized)
		return
	}
	time.Sleep(rc.delay) // plays a slow webhook; zero by default
	rc.mu.Lock()
	rc.received = append(rc.received, d)
	rc.mu.Unlock()
	if !isEvent(d.Message) { // non-visual JSON-builder messages are not shown
		rc.logger.Printf("to %s #%d: %s", d.SenderID, d.MessageCounter, d.Message)
	}
	w.WriteHeader(http.StatusOK)
}

// list answers every delivery received so far, tokens masked.
func (rc *receiver) list(w http.ResponseWriter, _ *http.Request) {
	rc.mu.Lock()
	out := make([]Delivery, len(rc.received))
	for i, d := range rc.received {
		d.VerifyToken = "***"
		out[i] = d
	}
	rc.mu.Unlock()
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(out)
}

// isEvent reports whether a message is a non-visual event message.
func isEvent(raw json.RawMessage) bool {
	var m struct {
		Type string `json:"type"`
	}
	return json.Unmarshal(raw, &m) == nil && m.Type == "event"
}
