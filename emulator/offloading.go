package emulator

// The offloading provider of a bot: Chatlayer's Settings → Offloading →
// Webhook, an API URL and a verify token (docs/CONTRACT.md §2). Every call to the
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

	"github.com/chatlayer-emulator/chatlayer-emulator/scenarios"
)

// tokenParam is the query parameter of the verify token, literally with a
// dot (docs/CONTRACT.md §2.5, FIDELITY Q24).
const tokenParam = "challenge.verifyToken"

// healthStatus is the result of a provider's last health check.
type healthStatus string

// Health statuses of a provider.
const (
	healthOK      healthStatus = "ok"
	healthFailing healthStatus = "failing"
	healthUnknown healthStatus = "unknown" // not checked yet since it was set
)

// providerHealth is the result of a provider's last health check.
type providerHealth struct {
	Status    healthStatus `json:"status"`
	CheckedAt *time.Time   `json:"checkedAt,omitempty"`
	Error     string       `json:"error,omitempty"`
	// Failures counts the checks failed in a row; 0 after a pass.
	Failures int `json:"failures,omitempty"`
	// NextCheckAt is when the scheduled re-check is due, on the
	// emulator's clock; nil when none is scheduled. Views fill it in.
	NextCheckAt *time.Time `json:"nextCheckAt,omitempty"`
}

// offloadingProvider is a bot's offloading provider: its settings and the
// result of its last health check.
type offloadingProvider struct {
	mu     sync.Mutex // guards the fields below
	cfg    scenarios.Offloading
	health providerHealth
	gen    int // bumped by every replacement: older health results are dropped
	// started numbers the health checks; settled is the number of the
	// check whose result health holds, so that a check overtaken by a
	// later one cannot overwrite its result.
	started, settled int
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

// startCheck returns the settings, their generation and the number of a
// new health check.
func (p *offloadingProvider) startCheck() (scenarios.Offloading, int, int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.started++
	return p.cfg, p.gen, p.started
}

// recordHealth stores the result of check seq unless the settings changed
// since or a later check has settled already; it counts the failures in a
// row. It returns the health before and after, and whether h was stored.
func (p *offloadingProvider) recordHealth(gen, seq int, h providerHealth) (before, after providerHealth, ok bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if gen != p.gen || seq <= p.settled {
		return p.health, p.health, false
	}
	before, p.settled = p.health, seq
	if h.Status == healthFailing {
		h.Failures = before.Failures + 1
	}
	p.health = h
	return before, h, true
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
