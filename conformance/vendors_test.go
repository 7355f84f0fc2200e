package conformance_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

// token is a canary: it must never appear in any report output.
const token = "s3cr3t-Canary+token/XYZ=="

const tokenParam = "challenge.verifyToken"

// received is one request a vendor got.
type received struct {
	method, check string
	offContract   bool
	body          []byte
}

// hook lets a defective vendor answer before the reference behaviour; it
// returns true when it answered.
type hook func(w http.ResponseWriter, r *http.Request, body []byte) bool

// vendor is the reference implementation of an offloading webhook or a
// Webhook-channel receiver, with an optional defect.
type vendor struct {
	channel bool // a Webhook-channel receiver instead of an offloading webhook
	defect  hook

	mu  sync.Mutex // guards got
	got []received
}

// start serves the vendor until the test ends. release is closed before
// the server closes, so that hanging handlers return.
func (v *vendor) start(t testing.TB) *httptest.Server {
	srv := httptest.NewServer(v)
	release := make(chan struct{})
	t.Cleanup(srv.Close)
	t.Cleanup(func() { close(release) })
	hangRelease.Store(t, release)
	return srv
}

// hangRelease maps a test to its release channel, for hanging handlers.
var hangRelease sync.Map

// ServeHTTP records the request, lets the defect answer, then behaves as
// the reference vendor.
func (v *vendor) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	v.mu.Lock()
	v.got = append(v.got, received{method: r.Method, check: r.Header.Get("X-Conformance-Check"),
		offContract: r.Header.Get("X-Conformance-Off-Contract") == "true", body: body})
	v.mu.Unlock()
	if v.defect != nil && v.defect(w, r, body) {
		return
	}
	if v.channel {
		serveChannel(w, body)
		return
	}
	serveOffloading(w, r, body)
}

// serveOffloading is the reference offloading webhook: 401 on a wrong or
// missing token, {"status":"ok"} to the health check, the offload answer
// to offload events and an empty 200 to everything else.
func serveOffloading(w http.ResponseWriter, r *http.Request, body []byte) {
	if r.URL.Query().Get(tokenParam) != token {
		http.Error(w, `{"error":"invalid verify token"}`, http.StatusUnauthorized)
		return
	}
	if r.Method == http.MethodGet {
		writeJSON(w, 200, `{"status":"ok"}`)
		return
	}
	if eventOf(body) == "offload" {
		writeJSON(w, 200, `{"offloadSuccess":true,"pauseBot":true}`)
		return
	}
	w.WriteHeader(http.StatusOK)
}

// serveChannel is the reference Webhook-channel receiver.
func serveChannel(w http.ResponseWriter, body []byte) {
	var d struct {
		VerifyToken *string `json:"verifyToken"`
	}
	if json.Unmarshal(body, &d) != nil || d.VerifyToken == nil || *d.VerifyToken != token {
		http.Error(w, "forbidden", http.StatusForbidden)
		return
	}
	w.WriteHeader(http.StatusOK)
}

func writeJSON(w http.ResponseWriter, status int, body string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	io.WriteString(w, body)
}

// envelope is what defects look at in an offloading event.
type envelope struct {
	Event      string            `json:"event"`
	Messages   []json.RawMessage `json:"messages"`
	Transcript []json.RawMessage `json:"transcript"`
}

func decodeEnvelope(body []byte) envelope {
	var e envelope
	json.Unmarshal(body, &e)
	return e
}

func eventOf(body []byte) string { return decodeEnvelope(body).Event }

// sleep waits d or until the test ends.
func sleep(t testing.TB, d time.Duration) {
	ch, _ := hangRelease.Load(t)
	select {
	case <-time.After(d):
	case <-ch.(chan struct{}):
	}
}

// hang blocks until the test ends, whatever the client does.
func hang(t testing.TB) {
	ch, _ := hangRelease.Load(t)
	<-ch.(chan struct{})
}

// streamHuge writes 50 MiB of JSON-looking bytes, stopping when the
// client goes away.
func streamHuge(w http.ResponseWriter) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(200)
	chunk := []byte(`{"offloadSuccess":true,"pad":"` + strings.Repeat("x", 64<<10) + `"}`)
	for written := 0; written < 50<<20; written += len(chunk) {
		if _, err := w.Write(chunk); err != nil {
			return
		}
	}
}

// delivery is what defects look at in a Webhook-channel delivery.
type delivery struct {
	SenderID       string `json:"senderId"`
	MessageCounter int    `json:"messageCounter"`
}

func decodeDelivery(body []byte) delivery {
	var d delivery
	json.Unmarshal(body, &d)
	return d
}
