package reference

import (
	"net/http"
	"strconv"
)

// HistoryPath is the legacy history route, in http.ServeMux syntax.
const HistoryPath = "GET /api/bots/{botId}/history/{senderId}"

// HistoryHandler is the bare history handler: it checks the access_token
// query parameter against token and answers the stored body of the
// sender, bodies[senderId], as it is (404 for an unknown sender).
func HistoryHandler(token string, bodies map[string][]byte) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Query().Get("access_token") != token {
			http.Error(w, "unauthorized", http.StatusUnauthorized)
			return
		}
		b, ok := bodies[r.PathValue("senderId")]
		if !ok {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		w.Header().Set("Content-Length", strconv.Itoa(len(b)))
		w.WriteHeader(http.StatusOK)
		w.Write(b)
	})
}
