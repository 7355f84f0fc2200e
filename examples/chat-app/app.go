package main

import (
	"bytes"
	"crypto/subtle"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
)

// Config says where Chatlayer is and how to talk to it.
type Config struct {
	ChatlayerURL, Channel, Token, VerifyToken string
}

// App is the example application: a webhook receiver and an API client.
type App struct {
	cfg Config
	// Replies receives the text of every bot message (or its JSON when it
	// has no text).
	Replies chan string
}

// New returns an App.
func New(cfg Config) *App { return &App{cfg: cfg, Replies: make(chan string, 100)} }

// ServeHTTP is the webhook: POST /webhook with one bot message per request.
func (a *App) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	var d struct {
		SenderID    string          `json:"senderId"`
		Message     json.RawMessage `json:"message"`
		VerifyToken string          `json:"verifyToken"`
	}
	if r.Method != http.MethodPost || json.NewDecoder(io.LimitReader(r.Body, 1<<20)).Decode(&d) != nil {
		http.Error(w, "bad request", http.StatusBadRequest)
		return
	}
	if subtle.ConstantTimeCompare([]byte(d.VerifyToken), []byte(a.cfg.VerifyToken)) != 1 {
		http.Error(w, "wrong verify token", http.StatusUnauthorized)
		return
	}
	var m struct {
		Text string `json:"text"`
	}
	json.Unmarshal(d.Message, &m)
	if m.Text == "" {
		m.Text = string(d.Message)
	}
	a.Replies <- m.Text
	w.WriteHeader(http.StatusOK)
}

// Say sends a user message (an intro when text is empty) for a conversation.
func (a *App) Say(conversation, text string) error {
	msg := map[string]any{"introMessage": map[string]any{}}
	if text != "" {
		msg = map[string]any{"textMessage": map[string]any{"text": text}}
	}
	body, _ := json.Marshal(map[string]any{"conversationId": conversation, "message": msg})
	req, err := http.NewRequest(http.MethodPost, a.cfg.ChatlayerURL+"/v1/channels/webhook/"+a.cfg.Channel+"/messages", bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+a.cfg.Token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	resp.Body.Close()
	if resp.StatusCode/100 != 2 {
		return fmt.Errorf("sending %q: %s", text, resp.Status)
	}
	return nil
}
