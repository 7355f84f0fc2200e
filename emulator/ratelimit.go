package emulator

import "net/http"

// rateLimit enforces the v1 rate limit (placeholder until rate limiting
// lands: it passes every request through).
func (s *Server) rateLimit(next http.Handler) http.Handler { return next }
