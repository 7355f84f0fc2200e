// Package reference holds the bare net/http counterparts that the bench
// harness (go run ./bench) and the emulator's Go benchmarks measure the
// emulator against, and the loopback webhook Sink that both deliver to.
//
// Each reference does the least work the emulator's job allows: read the
// body, decode it into a small struct, answer the same JSON the emulator
// answers. Its figures are the physical limit of the machine, the Go
// runtime and net/http, so the ratio emulator/reference says what the
// emulator itself costs.
package reference

import (
	"encoding/json"
	"io"
	"net/http"
	"strconv"
)

// MessagePath is the v1 message route, in http.ServeMux syntax.
const MessagePath = "POST /v1/channels/webhook/{channelId}/messages"

// ReadyPath is the readiness route of the reference binary.
const ReadyPath = "GET /ready"

// maxBody bounds request bodies, as the emulator's 1 MiB default does.
const maxBody = 1 << 20

// Message is the part of a v1 user message the reference decodes.
type Message struct {
	ConversationID string `json:"conversationId"`
	Message        struct {
		TextMessage *struct {
			Text string `json:"text"`
		} `json:"textMessage"`
	} `json:"message"`
}

// accepted is the emulator's answer to an accepted user message.
type accepted struct {
	Status         string `json:"status"`
	ConversationID string `json:"conversationId"`
}

// Routes returns a mux that serves msg on MessagePath and answers 200 on
// ReadyPath.
func Routes(msg http.Handler) *http.ServeMux {
	m := http.NewServeMux()
	m.Handle(MessagePath, msg)
	m.HandleFunc(ReadyPath, func(w http.ResponseWriter, _ *http.Request) {
		writeJSON(w, http.StatusOK, map[string]string{"status": "ready"})
	})
	return m
}

// MessageHandler is the bare v1 message handler: it decodes the body and
// answers 202 {"status":"accepted","conversationId":…}, and does nothing
// else.
func MessageHandler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if m, ok := decode(w, r); ok {
			writeAccepted(w, m.ConversationID)
		}
	})
}

// decode reads and decodes a Message, answering 400 when it cannot.
func decode(w http.ResponseWriter, r *http.Request) (Message, bool) {
	var m Message
	body, err := io.ReadAll(io.LimitReader(r.Body, maxBody))
	if err == nil {
		err = json.Unmarshal(body, &m)
	}
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return m, false
	}
	return m, true
}

// writeAccepted answers 202 with the emulator's accepted body.
func writeAccepted(w http.ResponseWriter, conversationID string) {
	writeJSON(w, http.StatusAccepted, accepted{Status: "accepted", ConversationID: conversationID})
}

// writeJSON writes v as JSON with the headers the emulator sets.
func writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Content-Length", strconv.Itoa(len(b)))
	w.WriteHeader(status)
	w.Write(b)
}
