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

// authorize checks the request's bearer token against a bot (nil: any bot).
func (s *Server) authorize(r *http.Request, b *bot) error {
	token, err := bearerToken(r)
	if err != nil {
		return err
	}
	if !s.registry().tokenValid(token, b) {
		return newError(http.StatusUnauthorized, "Authorization", msgBadToken)
	}
	return nil
}

// requireAdmin guards control routes with the admin token, when one is set.
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
