package main

import (
	"bytes"
	"crypto/subtle"
	"encoding/json"
	"fmt"
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
	// NLP is the NLP result of the user's text, on the messages that
	// answer it (chatlayer-emulator sends it; leave it out with
	// --delivery-nlp=false).
	NLP json.RawMessage `json:"nlp,omitempty"`
}

// masked stands for a verify token in what the logger prints and lists.
const masked = "***"

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
// Each delivery is printed on one line: the status answered, then the body
// as received with its verify token masked.
func NewHandler(verifyToken string, delay time.Duration, logger *log.Logger) http.Handler {
	rc := &receiver{token: verifyToken, delay: delay, logger: logger}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /webhook", rc.receive)
	mux.HandleFunc("GET /webhook/received", rc.list)
	return mux
}

// receive handles one delivery.
func (rc *receiver) receive(w http.ResponseWriter, r *http.Request) {
	raw, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	var d Delivery
	if err == nil {
		err = json.Unmarshal(raw, &d)
	}
	if err != nil {
		rc.logger.Printf("400 not a delivery (%v): %.200s", err, raw)
		http.Error(w, "bad body", http.StatusBadRequest)
		return
	}
	shown, err := maskToken(raw)
	if err != nil { // not reached: raw is a JSON object
		shown = raw
	}
	if subtle.ConstantTimeCompare([]byte(d.VerifyToken), []byte(rc.token)) != 1 {
		rc.logger.Printf("401 wrong verifyToken: %s", shown)
		http.Error(w, "wrong verify token", http.StatusUnauthorized)
		return
	}
	time.Sleep(rc.delay) // plays a slow webhook; zero by default
	rc.mu.Lock()
	rc.received = append(rc.received, d)
	rc.mu.Unlock()
	rc.logger.Printf("200 %s", shown)
	w.WriteHeader(http.StatusOK)
}

// list answers every delivery received so far, tokens masked.
func (rc *receiver) list(w http.ResponseWriter, _ *http.Request) {
	rc.mu.Lock()
	out := make([]Delivery, len(rc.received))
	for i, d := range rc.received {
		d.VerifyToken = masked
		out[i] = d
	}
	rc.mu.Unlock()
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(out)
}

// field is one member of a JSON object.
type field struct {
	key   string
	value json.RawMessage
}

// maskToken returns the JSON object raw on one line, its fields in the
// order sent, with the value of verifyToken replaced by "***".
func maskToken(raw []byte) ([]byte, error) {
	var fields []field
	dec := json.NewDecoder(bytes.NewReader(raw))
	if t, err := dec.Token(); err != nil || t != json.Delim('{') {
		return nil, fmt.Errorf("not a JSON object")
	}
	for dec.More() {
		k, err := dec.Token()
		if err != nil {
			return nil, err
		}
		key, _ := k.(string) // an object's keys are strings
		var v json.RawMessage
		if err := dec.Decode(&v); err != nil {
			return nil, err
		}
		if key == "verifyToken" {
			v = json.RawMessage(`"` + masked + `"`)
		}
		fields = append(fields, field{key, v})
	}
	var b bytes.Buffer
	b.WriteByte('{')
	for i, f := range fields {
		if i > 0 {
			b.WriteByte(',')
		}
		k, _ := json.Marshal(f.key)
		b.Write(k)
		b.WriteByte(':')
		if err := json.Compact(&b, f.value); err != nil {
			return nil, err
		}
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}
