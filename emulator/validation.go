package emulator

import (
	"crypto/subtle"
	"net/http"

	"github.com/gorilla/mux"

	"github.com/chatlayer-emulator/chatlayer-emulator/openapi"
)

// validateRequests checks requests against the OpenAPI document
// (openapi/chatlayer.yaml) once the router has matched them, before their
// handler (and before the control API's admin check): a parameter or a
// body that breaks it gets a 400 naming the parameter or the JSON pointer
// at fault, a content type the operation does not take a 415. Requests
// that fail the emulator's own access checks are left to the handlers,
// so a 401 (or a 404 for an unknown bot) comes before a 400. With Config.StrictResponses every answer
// is checked too, and one that breaks the document becomes a 500 naming
// the violation. It is called once, from routes, and builds the
// middleware then: the router applies it to every matched request.
func (s *Server) validateRequests() mux.MiddlewareFunc {
	doc, err := openapi.Runtime()
	if err == nil {
		var mw func(http.Handler) http.Handler
		mw, err = openapi.Middleware(doc, openapi.Options{
			Responses:    s.cfg.StrictResponses,
			Error:        writeValidationError,
			MaxBodyBytes: s.cfg.MaxBodyBytes,
			Authorized:   s.authorized,
			BodyOK:       func(body []byte) bool { return scanJSON(body) == nil },
			Route:        matchedRoute,
		})
		if err == nil {
			return mw
		}
	}
	s.log.Error("OpenAPI validation is off: the embedded document does not load", "err", err)
	return func(next http.Handler) http.Handler { return next }
}

// matchedRoute tells the validation middleware, which runs inside the
// router, the route the router matched: its path template is the
// document's path (TestRouteTemplatesAreDocumentPaths), its variables
// the path parameters.
func matchedRoute(r *http.Request) (string, map[string]string, bool) {
	route := mux.CurrentRoute(r)
	if route == nil {
		return "", nil, false
	}
	path, err := route.GetPathTemplate()
	return path, mux.Vars(r), err == nil
}

// writeValidationError renders a validation failure in the error shape.
func writeValidationError(w http.ResponseWriter, _ *http.Request, status int, field, message string) {
	writeError(w, newError(status, field, "%s", message))
}

// authorized reports whether r passes a security scheme of the OpenAPI
// document by the emulator's rules, so that validation comes after the
// handlers' own checks (FIDELITY "Access order": 401, 404 for the bot,
// 401 for a token of another bot, then 400): a bearer or access token
// valid for the bot or channel named in the path (any bot when none is),
// or the admin token when one is set.
func (s *Server) authorized(r *http.Request, scheme string, params map[string]string) bool {
	switch scheme {
	case "bearerAuth":
		token, err := s.v1Token(r)
		return err == nil && s.tokenFor(token, params)
	case "accessToken":
		return s.tokenFor(r.URL.Query().Get("access_token"), params)
	case "adminToken":
		if s.cfg.AdminToken == "" {
			return true
		}
		token, err := bearerToken(r)
		return err == nil && subtle.ConstantTimeCompare([]byte(token), []byte(s.cfg.AdminToken)) == 1
	}
	return true
}

// tokenFor reports whether token is valid for the bot the path names (by
// botId or channelId), or for some bot when it names none; an unknown bot
// or channel counts as a failure, for the handler to answer 404.
func (s *Server) tokenFor(token string, params map[string]string) bool {
	reg := s.registry()
	var b *bot
	if id, ok := params["botId"]; ok {
		if b = reg.bots[id]; b == nil {
			return false
		}
	} else if id, ok := params["channelId"]; ok {
		ch := reg.channels[id]
		if ch == nil {
			return false
		}
		b = ch.bot
	}
	return reg.tokenValid(token, b)
}
