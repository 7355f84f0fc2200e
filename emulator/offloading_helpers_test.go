package emulator_test

import (
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/chatlayer-emulator/chatlayer-emulator/emulator"
	offbridge "github.com/chatlayer-emulator/chatlayer-emulator/examples/offloading-bridge/bridge"
	"github.com/chatlayer-emulator/chatlayer-emulator/schemas"
)

// providerToken is the offloading verify token of these tests; it holds
// characters that must be URL-encoded in the query.
const providerToken = "tok en/+&=ü"

// providerCall is one request the offloading provider received.
type providerCall struct {
	Method string
	Token  string // the challenge.verifyToken query parameter, decoded
	Body   []byte
}

// event decodes the call's body (nil for a GET).
func (c providerCall) event(t *testing.T) map[string]any {
	t.Helper()
	if len(c.Body) == 0 {
		return nil
	}
	var m map[string]any
	if err := json.Unmarshal(c.Body, &m); err != nil {
		t.Fatalf("provider body is not JSON: %s", c.Body)
	}
	return m
}

// provider plays an offloading webhook: it records every call, then
// hands it to next.
type provider struct {
	*httptest.Server
	next http.Handler
	mu   sync.Mutex // guards calls
	seen []providerCall
}

// newProvider starts a provider that the test closes.
func newProvider(t *testing.T, next http.Handler) *provider {
	t.Helper()
	p := &provider{next: next}
	p.Server = httptest.NewServer(http.HandlerFunc(p.serve))
	t.Cleanup(p.Close)
	return p
}

// serve records a call to the webhook (/offloading, not the bridge's
// agent API) and passes it on with its body.
func (p *provider) serve(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	if r.URL.Path == "/offloading" {
		p.mu.Lock()
		p.seen = append(p.seen, providerCall{Method: r.Method, Token: r.URL.Query().Get("challenge.verifyToken"), Body: body})
		p.mu.Unlock()
	}
	r.Body = io.NopCloser(strings.NewReader(string(body)))
	p.next.ServeHTTP(w, r)
}

// calls returns the calls so far.
func (p *provider) calls() []providerCall {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]providerCall(nil), p.seen...)
}

// posts returns the POSTed events so far.
func (p *provider) posts() []providerCall {
	var out []providerCall
	for _, c := range p.calls() {
		if c.Method == http.MethodPost {
			out = append(out, c)
		}
	}
	return out
}

// handover is an emulator whose demo bot offloads to a provider.
type handover struct {
	s    *emulator.Server
	user *receiver // the user's Webhook channel
	prov *provider
}

// startHandover starts a provider around the handler mk returns (given
// the emulator's URL), then the emulator with the demo bot pointed at it.
func startHandover(t *testing.T, mk func(emulatorURL string) http.Handler, cfg emulator.Config) *handover {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	h := &handover{user: newReceiver(t, nil)}
	h.prov = newProvider(t, mk("http://"+ln.Addr().String()))
	cfg.WebhookURL, cfg.StrictResponses = h.user.URL, true
	if cfg.OffloadingURL == "" {
		cfg.OffloadingURL, cfg.OffloadingVerifyToken = h.prov.URL+"/offloading", providerToken
	}
	if cfg.Delivery == (emulator.DeliveryConfig{}) {
		cfg.Delivery = fastDelivery
	}
	s, err := emulator.New(cfg)
	if err != nil {
		ln.Close()
		t.Fatal(err)
	}
	s.Serve(ln)
	t.Cleanup(func() { s.Close() })
	h.s = s
	s.FlushT(t) // the start-up health check
	return h
}

// withBridge makes the reference bridge the provider.
func withBridge(b **offbridge.Bridge) func(string) http.Handler {
	return func(emulatorURL string) http.Handler {
		*b = offbridge.New(offbridge.Config{VerifyToken: providerToken, ChatlayerURL: emulatorURL, Token: "demo-token"})
		return *b
	}
}

// say sends a user message to the demo bot and waits until everything it
// caused is done.
func (h *handover) say(t *testing.T, conv string, message map[string]any) {
	t.Helper()
	status, body := post(t, h.s.URL()+"/v1/channels/webhook/demo/messages", "demo-token",
		map[string]any{"conversationId": conv, "message": message})
	if status != http.StatusAccepted {
		t.Fatalf("status %d: %s", status, body)
	}
	h.s.FlushT(t)
}

// textMsg and introMsg are v1 inbound messages.
func textMsg(s string) map[string]any {
	return map[string]any{"textMessage": map[string]any{"text": s}}
}

var introMsg = map[string]any{"introMessage": map[string]any{}}

// userTexts returns the texts the user's webhook received, in order.
func (h *handover) userTexts(t *testing.T) []string {
	t.Helper()
	var out []string
	for _, b := range h.user.received() {
		var d struct {
			Message struct {
				Text       string `json:"text"`
				Attachment struct {
					Payload struct {
						Text string `json:"text"`
					} `json:"payload"`
				} `json:"attachment"`
			} `json:"message"`
		}
		if err := json.Unmarshal(b, &d); err != nil {
			t.Fatalf("user delivery is not JSON: %s", b)
		}
		out = append(out, d.Message.Text+d.Message.Attachment.Payload.Text)
	}
	return out
}

// demoSession is the part of the demo bot's session the tests read.
type demoSession struct {
	Internal struct {
		IsPaused bool           `json:"isPaused"`
		Offload  map[string]any `json:"offload"`
	} `json:"internal"`
}

// session reads a conversation's session through the v1 API.
func (h *handover) session(t *testing.T, conv string) demoSession {
	t.Helper()
	var doc demoSession
	status, body := v1Call(t, http.MethodGet, h.s.URL()+"/v1/bots/demo/conversations/"+conv+"/session-data?version=DRAFT", "demo-token", nil)
	wantJSON(t, status, body, http.StatusOK, &doc)
	return doc
}

// validateEvents checks every POST body against the dialect's schema.
func validateEvents(t *testing.T, calls []providerCall, schema string) {
	t.Helper()
	for i, c := range calls {
		if err := schemas.Default().Validate(schema, c.Body); err != nil {
			t.Errorf("event %d is not a valid %s: %v\n%s", i, schema, err, c.Body)
		}
	}
}

// sequence describes events as "messages:user", "messages:bot,bot" or
// "offload:user,bot,...", reading the discriminator and role keys.
func sequence(t *testing.T, calls []providerCall, eventKey, roleKey string) []string {
	t.Helper()
	var out []string
	for _, c := range calls {
		ev := c.event(t)
		list, _ := ev["messages"].([]any)
		if ev[eventKey] == "offload" {
			list, _ = ev["transcript"].([]any)
		}
		var roles []string
		for _, it := range list {
			roles = append(roles, it.(map[string]any)[roleKey].(string))
		}
		out = append(out, ev[eventKey].(string)+":"+strings.Join(roles, ","))
	}
	return out
}
