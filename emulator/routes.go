package emulator

import (
	"net/http"
	"strings"

	"github.com/gorilla/mux"
)

// routes lists every route the emulator serves: Chatlayer's v1 and legacy
// APIs, and the control API under /_emulator. This is the one answer to
// "what does the emulator serve?".
func (s *Server) routes() http.Handler {
	// SkipClean: a path such as "//v1/bots" is not a route, and gets the
	// JSON 404 like every unmatched path, never a redirect to a cleaned one.
	r := mux.NewRouter().SkipClean(true)
	r.NotFoundHandler = http.HandlerFunc(notFound)
	r.MethodNotAllowedHandler = http.HandlerFunc(methodNotAllowed)

	// Chatlayer v1 API (Bearer token).
	r.Handle("/v1/channels/webhook/{channelId}/messages", adapt(s.postWebhookMessage)).Methods(http.MethodPost)
	// v1: bots, conversations, messages, session data, actions, NLP.
	r.Handle("/v1/bots", adapt(s.getBots)).Methods(http.MethodGet)
	r.Handle("/v1/bots/{botId}/conversations", adapt(s.getConversations)).Methods(http.MethodGet)
	r.Handle("/v1/bots/{botId}/conversations/{conversationId}/messages", adapt(s.getConversationMessages)).Methods(http.MethodGet)
	r.Handle("/v1/bots/{botId}/conversations/{conversationId}/session-data", adapt(s.getSessionData)).Methods(http.MethodGet)
	r.Handle("/v1/bots/{botId}/conversations/{conversationId}/session-data", adapt(s.deleteSessionData)).Methods(http.MethodDelete)
	r.Handle("/v1/bots/{botId}/conversations/{conversationId}/actions", adapt(s.postConversationActions)).Methods(http.MethodPost)
	r.Handle("/v1/bots/{botId}/nlp/extract", adapt(s.postExtract)).Methods(http.MethodPost)

	// Legacy /api endpoints (deprecated by Chatlayer in September 2020).
	r.Handle("/api/webhookMessage/{botId}", adapt(s.postLegacyWebhookMessage)).Methods(http.MethodPost)
	// legacy: history, sessionData, webview, chatMessage.
	r.Handle("/api/bots/{botId}/history/{senderId}", adapt(s.getLegacyHistory)).Methods(http.MethodGet)
	r.Handle("/api/sessionData/{botId}/{senderId}/{namespace}", adapt(s.getLegacySessionData)).Methods(http.MethodGet)
	r.Handle("/api/webview", adapt(s.postLegacyWebview)).Methods(http.MethodPost)
	r.Handle("/api/chatMessage/{botId}", adapt(s.getLegacyChatMessages)).Methods(http.MethodGet)
	// legacy: extract.
	r.Handle("/api/bots/{botId}/extract/{version}", adapt(s.postLegacyExtract)).Methods(http.MethodPost)

	// Control API: open health and readiness, the rest behind the admin token.
	r.Handle("/_emulator/health", adapt(s.getHealth)).Methods(http.MethodGet)
	r.Handle("/_emulator/ready", adapt(s.getReady)).Methods(http.MethodGet)
	// control: openapi document.
	r.HandleFunc("/_emulator/openapi.yaml", s.getOpenAPIYAML).Methods(http.MethodGet)
	r.HandleFunc("/_emulator/openapi.json", s.getOpenAPIJSON).Methods(http.MethodGet)
	s.router = r // for the route-parity test (openapi_test.go)
	c := r.PathPrefix("/_emulator").Subrouter()
	c.Use(s.requireAdmin)
	c.Handle("/reset", adapt(s.postReset)).Methods(http.MethodPost)
	c.Handle("/flush", adapt(s.postFlush)).Methods(http.MethodPost)
	c.Handle("/deliveries", adapt(s.getDeliveries)).Methods(http.MethodGet)
	c.Handle("/deliveries/wait", adapt(s.getDeliveriesWait)).Methods(http.MethodGet)
	c.Handle("/requests", adapt(s.getRequests)).Methods(http.MethodGet)
	// control: offloading providers.
	c.Handle("/bots/{botId}/offloading", adapt(s.getOffloading)).Methods(http.MethodGet)
	c.Handle("/bots/{botId}/offloading", adapt(s.putOffloading)).Methods(http.MethodPut)
	c.Handle("/offloads", adapt(s.getOffloads)).Methods(http.MethodGet)
	c.Handle("/warnings", adapt(s.getWarnings)).Methods(http.MethodGet)
	// control: scenarios, clock, conversation dump.
	c.Handle("/scenarios", adapt(s.getScenarios)).Methods(http.MethodGet)
	c.Handle("/scenarios", adapt(s.postScenarios)).Methods(http.MethodPost)
	c.Handle("/clock", adapt(s.getClock)).Methods(http.MethodGet)
	c.Handle("/clock", adapt(s.postClock)).Methods(http.MethodPost)
	c.Handle("/conversations/{botId}/{conversationId}", adapt(s.getConversationDump)).Methods(http.MethodGet)

	r.Use(s.validateRequests()) // inside the router: it knows the matched route (matchedRoute)
	return s.recoverer(s.journalRequests(s.rateLimit(r)))
}

// notFound answers 404 in Chatlayer's error shape, saying so when the
// path has an empty segment ("//"), which no route has.
func notFound(w http.ResponseWriter, r *http.Request) {
	err := newError(http.StatusNotFound, "", msgNotFound, r.Method, r.URL.Path)
	if strings.Contains(r.URL.Path, "//") {
		err.Message += ": the path has an empty segment (//); check the base URL for a trailing slash"
	}
	writeError(w, err)
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
