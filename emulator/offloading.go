package emulator

// The offloading provider of a bot: Chatlayer's Settings → Offloading →
// Webhook, an API URL and a verify token (contract §7). Every call to the
// URL (health check, messages events, offloads) carries
// ?challenge.verifyToken=<token>.
// Docs: https://docs.chatlayer.ai/integrateandcode/human-offloading-live-chat/offloading-webhook
//
// The registry is immutable, but the control API may replace a provider's
// settings at run time, and health results arrive asynchronously: so each
// bot holds one offloadingProvider, a small mutex-guarded holder that a
// new registry built for a scenario load takes over for the bots it keeps.

import (
	"net/http"
	"net/url"
	"sync"
	"time"

	"github.com/chatlayer-emulator/chatlayer-emulator/emulator/delivery"
	"github.com/chatlayer-emulator/chatlayer-emulator/scenarios"
)

// tokenParam is the query parameter of the verify token, literally with a
// dot (contract §7.1, FIDELITY Q24).
const tokenParam = "challenge.verifyToken"

// Health statuses of a provider.
const (
	healthOK      = "ok"
	healthFailing = "failing"
	healthUnknown = "unknown"
)

// providerHealth is the result of a provider's last health check.
type providerHealth struct {
	Status    string     `json:"status"` // ok, failing or unknown
	CheckedAt *time.Time `json:"checkedAt,omitempty"`
	Error     string     `json:"error,omitempty"`
}

// offloadingProvider is a bot's offloading provider: its settings and the
// result of its last health check.
type offloadingProvider struct {
	mu     sync.Mutex // guards cfg, health and gen
	cfg    scenarios.Offloading
	health providerHealth
	gen    int // bumped by every replacement: older health results are dropped
}

// newOffloadingProvider applies --offloading-url and
// --offloading-verify-token to a scenario's provider: always for the demo
// bot, and to fill empty fields otherwise.
func newOffloadingProvider(o scenarios.Offloading, cfg Config, demo bool) *offloadingProvider {
	if cfg.OffloadingURL != "" && (demo || o.URL == "") {
		o.URL = cfg.OffloadingURL
	}
	if cfg.OffloadingVerifyToken != "" && (demo || o.VerifyToken == "") {
		o.VerifyToken = cfg.OffloadingVerifyToken
	}
	if o.Status == "" {
		o.Status = scenarios.OffloadingOpen
	}
	if o.Dialect == "" {
		o.Dialect = scenarios.DialectCurrent
	}
	return &offloadingProvider{cfg: o, health: providerHealth{Status: healthUnknown}}
}

// config returns the provider's settings.
func (p *offloadingProvider) config() scenarios.Offloading {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.cfg
}

// replace sets new settings, forgets the health result and returns the
// generation a health check of the new settings must report under.
func (p *offloadingProvider) replace(o scenarios.Offloading) int {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.cfg, p.health = o, providerHealth{Status: healthUnknown}
	p.gen++
	return p.gen
}

// snapshot returns the settings, the health and the generation at once.
func (p *offloadingProvider) snapshot() (scenarios.Offloading, providerHealth, int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.cfg, p.health, p.gen
}

// recordHealth stores a health result unless the settings changed since.
func (p *offloadingProvider) recordHealth(gen int, h providerHealth) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if gen == p.gen {
		p.health = h
	}
}

// adoptProviders makes the bots of reg that keep their scenario from old
// keep their provider (settings from the control API, health) too.
func (reg *registry) adoptProviders(old *registry) {
	for id, b := range reg.bots {
		if ob, ok := old.bots[id]; ok && ob.def == b.def {
			b.offloading = ob.offloading
		}
	}
}

// providerURL adds ?challenge.verifyToken=<url-encoded token> to the
// provider's URL, after any query it already has.
func providerURL(o scenarios.Offloading) string {
	u, err := url.Parse(o.URL)
	if err != nil { // checked when the provider was set
		return o.URL
	}
	param := tokenParam + "=" + url.QueryEscape(o.VerifyToken)
	if u.RawQuery != "" {
		param = u.RawQuery + "&" + param
	}
	u.RawQuery = param
	return u.String()
}

// providerSecrets are the forms of the verify token the journal masks.
func providerSecrets(o scenarios.Offloading) []string {
	return []string{o.VerifyToken, url.QueryEscape(o.VerifyToken)}
}

// checkProviders starts the health check of every bot's provider that
// has a URL; it does not wait for the results.
func (s *Server) checkProviders(reg *registry, ids ...string) {
	if len(ids) == 0 {
		ids = reg.botIDs()
	}
	for _, id := range ids {
		if b, ok := reg.bots[id]; ok {
			s.checkHealth(id, b.offloading, nil)
		}
	}
}

// checkHealth sends GET <url>?challenge.verifyToken=<token> (once, no
// retry) and records the result; the provider must answer 200 with
// {"status":"ok"}. done, if not nil, is closed once the result is stored.
// A failure is logged as a warning, the token masked.
func (s *Server) checkHealth(botID string, p *offloadingProvider, done chan<- struct{}) {
	o, _, gen := p.snapshot()
	if o.URL == "" {
		closeIfSet(done)
		return
	}
	_, err := s.out.Enqueue(delivery.Request{
		Kind: delivery.KindOffloading, Bot: botID, Key: botID + "/offloading-health",
		Method: http.MethodGet, URL: providerURL(o), Secrets: providerSecrets(o), NoRetry: true,
		Accept: s.accept200("health-answer"),
		OnDone: func(d delivery.Delivery) {
			p.recordHealth(gen, s.healthOf(botID, d))
			closeIfSet(done)
		},
	})
	if err != nil {
		p.recordHealth(gen, providerHealth{Status: healthFailing, Error: err.Error()})
		closeIfSet(done)
	}
}

// healthOf turns a finished health check into a health result.
func (s *Server) healthOf(botID string, d delivery.Delivery) providerHealth {
	at := d.CompletedAt
	if d.State == delivery.StateDelivered {
		return providerHealth{Status: healthOK, CheckedAt: &at}
	}
	s.log.Warn("offloading provider failed its health check", "bot", botID, "url", d.URL, "delivery", d.ID, "err", d.Error)
	return providerHealth{Status: healthFailing, CheckedAt: &at, Error: d.Error}
}

// accept200 accepts only a 200 answer whose body is valid against the
// named schema (raw bytes, strictly decoded).
func (s *Server) accept200(schema string) func(int, []byte) error {
	return func(status int, body []byte) error {
		if status != http.StatusOK {
			return errNot200{status}
		}
		return s.schemas.Validate(schema, body)
	}
}

// errNot200 refuses a 2xx answer other than 200 from the provider.
type errNot200 struct{ status int }

// Error implements error.
func (e errNot200) Error() string {
	return "status " + itoa(e.status) + ": the offloading webhook must answer 200"
}

// closeIfSet closes ch unless it is nil.
func closeIfSet(ch chan<- struct{}) {
	if ch != nil {
		close(ch)
	}
}
