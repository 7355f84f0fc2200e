package emulator

import (
	"crypto/subtle"
	"net/http"
	"strings"
)

// bearerToken extracts the token of an "Authorization: Bearer <token>"
// header, or reports a 401.
func bearerToken(r *http.Request) (string, error) {
	h := r.Header.Get("Authorization")
	scheme, token, ok := strings.Cut(h, " ")
	token = strings.TrimSpace(token)
	if !ok || !strings.EqualFold(scheme, "Bearer") || token == "" {
		return "", newError(http.StatusUnauthorized, "Authorization", msgMissingToken)
	}
	return token, nil
}

// bareToken returns the value of an Authorization header that holds no
// scheme, only a token ("Authorization: <token>"). A lone "Bearer" is a
// scheme without its token, not a token.
func bareToken(r *http.Request) (string, bool) {
	h := strings.TrimSpace(r.Header.Get("Authorization"))
	if h == "" || strings.ContainsAny(h, " \t") || strings.EqualFold(h, "Bearer") {
		return "", false
	}
	return h, true
}

// v1Token extracts the access token of a v1 request: "Bearer <token>",
// or, with Config.AllowBareToken, a bare "<token>". Without that setting,
// a bare header that holds a valid token gets a 401 that says so.
func (s *Server) v1Token(r *http.Request) (string, error) {
	token, err := bearerToken(r)
	if err == nil {
		return token, nil
	}
	bare, ok := bareToken(r)
	switch {
	case !ok:
		return "", err
	case s.cfg.AllowBareToken:
		return bare, nil
	case s.registry().tokenValid(bare, nil):
		return "", newError(http.StatusUnauthorized, "Authorization", msgBareToken)
	}
	return "", err
}

// authorize checks the request's access token against a bot (nil: any bot).
func (s *Server) authorize(r *http.Request, b *bot) error {
	token, err := s.v1Token(r)
	if err != nil {
		return err
	}
	if !s.registry().tokenValid(token, b) {
		return newError(http.StatusUnauthorized, "Authorization", msgBadToken)
	}
	return nil
}

// requireAdmin guards control routes with the admin token, when one is
// set. The admin token always needs "Bearer ", whatever AllowBareToken says.
func (s *Server) requireAdmin(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if s.cfg.AdminToken != "" {
			token, err := bearerToken(r)
			if err != nil || subtle.ConstantTimeCompare([]byte(token), []byte(s.cfg.AdminToken)) != 1 {
				writeError(w, newError(http.StatusUnauthorized, "Authorization", msgAdminToken))
				return
			}
		}
		next.ServeHTTP(w, r)
	})
}
