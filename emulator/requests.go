package emulator

import (
	"bytes"
	"io"
	"net/http"
	"sort"
	"strings"
	"sync"
	"time"
)

// Bounds of the inbound request journal.
const (
	defaultRequestJournalSize = 1000
	requestBodyExcerpt        = 4 << 10
)

// inboundRequest is one entry of the inbound request journal. Tokens are
// masked; the Authorization header is never recorded.
type inboundRequest struct {
	Seq        int64     `json:"seq"`
	At         time.Time `json:"at"`
	Method     string    `json:"method"`
	Path       string    `json:"path"`
	Query      string    `json:"query,omitempty"`
	Status     int       `json:"status"`
	DurationMS float64   `json:"durationMs"`
	Body       string    `json:"body,omitempty"`
	// Warnings are what the request was accepted despite (see
	// warnings.go); absent when none.
	Warnings []Warning `json:"warnings,omitempty"`
}

// requestJournal is a bounded ring of inbound requests.
type requestJournal struct {
	mu      sync.Mutex       // guards entries, next and seq
	entries []inboundRequest // a ring once full: the oldest entry is at next
	next    int
	size    int
	seq     int64
}

// newRequestJournal returns a journal keeping the last size requests.
func newRequestJournal(size int) *requestJournal { return &requestJournal{size: size} }

// add records a request, evicting the oldest past the bound.
func (j *requestJournal) add(e inboundRequest) {
	j.mu.Lock()
	defer j.mu.Unlock()
	j.seq++
	e.Seq = j.seq
	if len(j.entries) < j.size {
		j.entries = append(j.entries, e)
		return
	}
	j.entries[j.next] = e
	j.next = (j.next + 1) % j.size
}

// list returns a copy of the entries, oldest first.
func (j *requestJournal) list() []inboundRequest {
	j.mu.Lock()
	defer j.mu.Unlock()
	out := make([]inboundRequest, 0, len(j.entries))
	out = append(out, j.entries[j.next:]...)
	return append(out, j.entries[:j.next]...)
}

// reset empties the journal.
func (j *requestJournal) reset() {
	j.mu.Lock()
	j.entries, j.next = nil, 0
	j.mu.Unlock()
}

// statusRecorder remembers the status a handler wrote, and the warnings
// raised while serving the request.
type statusRecorder struct {
	http.ResponseWriter
	status int
	requestWarnings
}

// WriteHeader records the status.
func (w *statusRecorder) WriteHeader(code int) {
	w.status = code
	w.ResponseWriter.WriteHeader(code)
}

// journalRequests records every platform request (not the control API's)
// with a masked excerpt of its body.
func (s *Server) journalRequests(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasPrefix(r.URL.Path, "/_emulator/") {
			next.ServeHTTP(w, r)
			return
		}
		start := time.Now()
		excerpt := s.teeBody(r)
		rec := &statusRecorder{ResponseWriter: w, status: http.StatusOK}
		next.ServeHTTP(rec, withRequestWarnings(r, &rec.requestWarnings))
		mask := s.registry().mask.Replace
		s.requests.add(inboundRequest{
			At: s.cfg.Clock.Now(), Method: r.Method, Path: r.URL.Path, Query: mask(r.URL.RawQuery),
			Status: rec.status, DurationMS: float64(time.Since(start).Microseconds()) / 1000,
			Body: mask(excerpt.String()), Warnings: rec.taken(),
		})
	})
}

// teeBody keeps the first bytes of the request body as the handler reads it.
func (s *Server) teeBody(r *http.Request) *bytes.Buffer {
	var buf bytes.Buffer
	r.Body = struct {
		io.Reader
		io.Closer
	}{io.TeeReader(r.Body, &limitedWriter{w: &buf, n: requestBodyExcerpt}), r.Body}
	return &buf
}

// limitedWriter writes at most n bytes to w and drops the rest.
type limitedWriter struct {
	w io.Writer
	n int
}

// Write implements io.Writer; it never fails.
func (l *limitedWriter) Write(p []byte) (int, error) {
	if k := min(len(p), l.n); k > 0 {
		l.w.Write(p[:k])
		l.n -= k
	}
	return len(p), nil
}

// newMasker returns a replacer of every non-empty secret by "***", longest
// first so that a secret containing another is masked whole.
func newMasker(secrets []string) *strings.Replacer {
	sort.Slice(secrets, func(i, j int) bool { return len(secrets[i]) > len(secrets[j]) })
	pairs := make([]string, 0, 2*len(secrets))
	for _, sec := range secrets {
		if sec != "" {
			pairs = append(pairs, sec, "***")
		}
	}
	return strings.NewReplacer(pairs...)
}
