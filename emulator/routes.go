package emulator

import (
	"net/http"

	"github.com/gorilla/mux"
)

// routes lists every route the emulator serves: Chatlayer's v1 and legacy
// APIs, and the control API under /_emulator. This is the one answer to
// "what does the emulator serve?".
func (s *Server) routes() http.Handler {
	r := mux.NewRouter()
	r.NotFoundHandler = http.HandlerFunc(notFound)
	r.MethodNotAllowedHandler = http.HandlerFunc(methodNotAllowed)

	// Chatlayer v1 API (Bearer token).
	r.Handle("/v1/channels/webhook/{channelId}/messages", adapt(s.postWebhookMessage)).Methods(http.MethodPost)
	// v1: bots, conversations, messages, session data, actions, NLP.

	// Legacy /api endpoints (deprecated by Chatlayer in September 2020).
	r.Handle("/api/webhookMessage/{botId}", adapt(s.postLegacyWebhookMessage)).Methods(http.MethodPost)
	// legacy: history, sessionData, webview, chatMessage.
	// legacy: extract.

	// Control API: open health and readiness, the rest behind the admin token.
	r.Handle("/_emulator/health", adapt(s.getHealth)).Methods(http.MethodGet)
	r.Handle("/_emulator/ready", adapt(s.getReady)).Methods(http.MethodGet)
	// control: openapi document.
	c := r.PathPrefix("/_emulator").Subrouter()
	c.Use(s.requireAdmin)
	c.Handle("/reset", adapt(s.postReset)).Methods(http.MethodPost)
	c.Handle("/flush", adapt(s.postFlush)).Methods(http.MethodPost)
	c.Handle("/deliveries", adapt(s.getDeliveries)).Methods(http.MethodGet)
	c.Handle("/deliveries/wait", adapt(s.getDeliveriesWait)).Methods(http.MethodGet)
	c.Handle("/requests", adapt(s.getRequests)).Methods(http.MethodGet)
	// control: scenarios, clock, conversation dump.

	return s.recoverer(s.journalRequests(s.rateLimit(s.validateRequests(r))))
}

// notFound answers 404 in Chatlayer's error shape.
func notFound(w http.ResponseWriter, r *http.Request) {
	writeError(w, newError(http.StatusNotFound, "", msgNotFound, r.Method, r.URL.Path))
}

// methodNotAllowed answers 405 in Chatlayer's error shape.
func methodNotAllowed(w http.ResponseWriter, r *http.Request) {
	writeError(w, newError(http.StatusMethodNotAllowed, "", msgMethodNotAllowed, r.Method, r.URL.Path))
}

// recoverer turns a panic into a 500 in the error shape and logs it: a
// panic is always an emulator bug.
func (s *Server) recoverer(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				s.log.Error("panic serving request", "method", r.Method, "path", r.URL.Path, "panic", v)
				writeError(w, nil)
			}
		}()
		next.ServeHTTP(w, r)
	})
}
