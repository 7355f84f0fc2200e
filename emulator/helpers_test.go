package emulator_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chatlayer-emulator/chatlayer-emulator/emulator"
	"github.com/chatlayer-emulator/chatlayer-emulator/scenarios"
)

// receiver plays the user's webhook: it records every request body in
// arrival order and answers with what respond says (200 by default).
type receiver struct {
	*httptest.Server
	mu      sync.Mutex // guards bodies
	bodies  [][]byte
	respond func(n int, body []byte, w http.ResponseWriter) // n: 0-based request index
}

// newReceiver starts a receiver that the test closes.
func newReceiver(t *testing.T, respond func(n int, body []byte, w http.ResponseWriter)) *receiver {
	t.Helper()
	rc := &receiver{respond: respond}
	rc.Server = httptest.NewServer(http.HandlerFunc(rc.serve))
	t.Cleanup(rc.Close)
	return rc
}

// serve records the request and answers it.
func (rc *receiver) serve(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	rc.mu.Lock()
	n := len(rc.bodies)
	rc.bodies = append(rc.bodies, body)
	rc.mu.Unlock()
	if rc.respond != nil {
		rc.respond(n, body, w)
	}
}

// received returns the bodies received so far.
func (rc *receiver) received() [][]byte {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	return append([][]byte(nil), rc.bodies...)
}

// loadBot parses a scenario file of testdata.
func loadBot(t *testing.T, name string) *scenarios.Bot {
	t.Helper()
	data, err := os.ReadFile("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	b, err := scenarios.Parse(name, data)
	if err != nil {
		t.Fatalf("parse %s: %v", name, err)
	}
	return b
}

// fastDelivery retries quickly so that failure tests run in milliseconds.
var fastDelivery = emulator.DeliveryConfig{Backoff: new(time.Millisecond), Timeout: 2 * time.Second}

// post sends a JSON request and returns the status and body.
func post(t *testing.T, url, token string, body any) (int, []byte) {
	t.Helper()
	resp, out := exchange(t, http.MethodPost, url, token, "application/json", jsonBody(t, body))
	return resp.StatusCode, out
}

// jsonBody is body as JSON text: []byte as it is, anything else marshalled.
func jsonBody(t *testing.T, body any) string {
	t.Helper()
	if raw, ok := body.([]byte); ok {
		return string(raw)
	}
	raw, err := json.Marshal(body)
	if err != nil {
		t.Fatal(err)
	}
	return string(raw)
}

// exchange sends a request with an optional bearer token and body, and
// returns the response and its body.
func exchange(t *testing.T, method, url, token, contentType, body string) (*http.Response, []byte) {
	t.Helper()
	req, err := http.NewRequest(method, url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	out, _ := io.ReadAll(resp.Body)
	return resp, out
}

// errorBody is the emulator's error shape.
type errorBody struct {
	StatusCode int    `json:"statusCode"`
	Error      string `json:"error"`
	Message    string `json:"message"`
	Field      string `json:"field"`
}

// decodeError parses an error answer, failing the test if it is not one.
func decodeError(t *testing.T, body []byte) errorBody {
	t.Helper()
	var e errorBody
	if err := json.Unmarshal(body, &e); err != nil || e.StatusCode == 0 || e.Error == "" || e.Message == "" {
		t.Fatalf("not an error body: %s", body)
	}
	return e
}
