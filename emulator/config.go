package emulator

import (
	"crypto/tls"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/chatlayer-emulator/chatlayer-emulator/emulator/delivery"
	"github.com/chatlayer-emulator/chatlayer-emulator/emulator/dialog"
	"github.com/chatlayer-emulator/chatlayer-emulator/emulator/egress"
	"github.com/chatlayer-emulator/chatlayer-emulator/scenarios"
)

// Defaults of Config, the figures FIDELITY.md documents. The delivery
// figures are the dispatcher's own, so the two cannot drift apart.
const (
	DefaultRetries      = delivery.DefaultRetries
	DefaultBackoff      = delivery.DefaultBackoff
	DefaultTimeout      = delivery.DefaultTimeout
	DefaultMaxBodyBytes = 1 << 20
	DefaultDrainTimeout = 8 * time.Second
	DefaultMaxHistory   = 1000
	DefaultRateLimit    = 1200
	DefaultRateWindow   = time.Minute
	DefaultSessionTTL   = 30 * 24 * time.Hour
)

// PostbackFormat is the form of the postback payloads the emulator sends
// in buttons and quick replies (FIDELITY Q22).
type PostbackFormat = dialog.PostbackFormat

// The postback formats.
const (
	// PostbackOpaque: opaque 40-hex ids, Chatlayer's form since 2022 (the
	// zero value).
	PostbackOpaque = dialog.PostbackOpaque
	// PostbackJSON: the stringified JSON of before 2022,
	// {"params":[{"key","value"}],"nextDialogstateId","type","caption"}.
	PostbackJSON = dialog.PostbackJSON
)

// Config configures a Server. The zero value is usable: it serves the
// embedded demo bot with the defaults above.
type Config struct {
	// Bots to serve. Empty: the embedded demo bot.
	Bots []*scenarios.Bot
	// WebhookURL and VerifyToken override the demo bot's webhook channel;
	// with other bots they fill every webhook channel whose URL or verify
	// token the scenario left empty.
	WebhookURL  string
	VerifyToken string
	// OffloadingURL and OffloadingVerifyToken set the demo bot's
	// offloading provider; with other bots they fill every provider whose
	// URL or verify token the scenario left empty (see offloading.go).
	OffloadingURL         string
	OffloadingVerifyToken string
	// OffloadingRecheck schedules the health re-checks of a provider
	// whose check failed (default: 250ms, doubling up to 30s, until one
	// passes; see HealthRecheck).
	OffloadingRecheck HealthRecheck
	// AccessTokens are valid bearer tokens for every bot, besides the
	// tokens each scenario lists.
	AccessTokens []string
	// AllowBareToken accepts "Authorization: <token>", with no scheme, on
	// the v1 API, besides "Authorization: Bearer <token>"; the token must
	// still be on the allow-list, and any other scheme still gets 401.
	// False (the default) requires "Bearer ", as Chatlayer's docs do; a
	// bare header that holds a valid token then gets a 401 that names this
	// setting. The admin token always needs "Bearer ".
	AllowBareToken bool
	// Delivery configures calls to users' endpoints.
	Delivery DeliveryConfig
	// Egress says which addresses those calls may connect to (the zero
	// value is egress.Default: everything but link-local, cloud metadata,
	// unspecified, multicast and reserved addresses).
	Egress egress.Policy
	// AdminToken, when set, is required (as "Authorization: Bearer <token>")
	// on every /_emulator route but health and ready.
	AdminToken string
	// TLS, when set, makes Start and Serve serve HTTPS with it, and URL
	// answer "https://…". It needs a certificate (Certificates,
	// GetCertificate or GetConfigForClient); a MinVersion of 0 means TLS
	// 1.2. Nil (the default) serves plain HTTP. Chatlayer itself only
	// takes HTTPS.
	TLS *tls.Config
	// MaxBodyBytes caps request bodies (default 1 MiB); larger ones get 413.
	MaxBodyBytes int64
	// MaxHistory caps the messages kept per conversation (default 1000);
	// the oldest are dropped first.
	MaxHistory int
	// Clock tells the time (default: the wall clock, in UTC). The server
	// wraps it in a ControlClock (see Server.Clock).
	Clock Clock
	// RateLimit limits v1 requests per access token (default 1200 per
	// minute).
	RateLimit RateLimit
	// SessionTTL is how long a conversation may stay inactive before its
	// next turn starts a fresh session (default 30 days, Chatlayer's data
	// retention); a negative value keeps sessions forever.
	SessionTTL time.Duration
	// Seed seeds the ids the emulator makes (default 1).
	Seed uint64
	// Logger receives the emulator's logs (default: discarded).
	Logger *slog.Logger
	// Strict refuses input that Chatlayer's contract does not rule on and
	// that the emulator otherwise accepts with a warning in the warnings
	// journal (see Server.Warnings and FIDELITY.md, "Leniency"): such a
	// request gets a 400 naming the field, such an API-plugin answer counts
	// as a failed call. For teams that want the emulator stricter than
	// Chatlayer is known to be.
	Strict bool
	// OmitDeliveryNLP leaves the nlp object out of every Webhook-channel
	// delivery. By default (false) each bot message that answers a user
	// text carries the NLP result of that text, as the session's
	// internal.nlp shows it, unless its channel's scenario says "nlp:
	// false" (FIDELITY.md, "nlp in deliveries").
	OmitDeliveryNLP bool
	// PostbackFormat is the form of the payloads of the postback buttons
	// and quick replies the emulator sends (zero value: PostbackOpaque,
	// Chatlayer's 40-hex ids since 2022; PostbackJSON: the stringified
	// JSON of before 2022). Both forms resolve when a click sends them
	// back, whatever the format.
	PostbackFormat PostbackFormat
	// StrictResponses validates every response against the OpenAPI
	// document; an answer off the emulator's own contract becomes a 500
	// naming the violation. Tests turn it on.
	StrictResponses bool
}

// DeliveryConfig configures calls to users' endpoints.
//
// Retries and Backoff are pointers so that they mean in Go what the
// command line's --delivery-retries and --delivery-backoff mean: nil
// (the zero DeliveryConfig) takes Chatlayer's schedule, 3 retries from 1 s
// on, and a value given is taken as it is, 0 included. Go 1.26's new
// sets them in place:
//
//	emulator.DeliveryConfig{Retries: new(0)}               // --delivery-retries 0: one attempt
//	emulator.DeliveryConfig{Backoff: new(time.Millisecond)} // --delivery-backoff 1ms
//	emulator.DeliveryConfig{Backoff: new(time.Duration(0))} // --delivery-backoff 0: retry at once
type DeliveryConfig struct {
	// Retries after the first failed attempt: nil means DefaultRetries
	// (3), 0 none. A negative value is an error.
	Retries *int
	// Backoff is the delay before the first retry; it doubles after each
	// retry. nil means DefaultBackoff (1s), 0 no wait. A negative value is
	// an error.
	Backoff *time.Duration
	// Timeout bounds each attempt (0: the default, 10s).
	Timeout time.Duration
	// DrainTimeout bounds how long Close keeps delivering (0: the
	// default, 8s).
	DrainTimeout time.Duration
}

// RateLimit is a fixed-window limit on v1 requests, counted per bearer
// token: at most Limit requests in each Window.
type RateLimit struct {
	Limit     int           // requests per window (default 1200)
	Window    time.Duration // window length (default 1m)
	Off       bool          // no limit and no x-ratelimit-* headers
	ResetUnit ResetUnit     // unit of x-ratelimit-reset (default milliseconds)
}

// withDefaults returns c with every unset field set to its default.
func (c Config) withDefaults() Config {
	if len(c.Bots) == 0 {
		c.Bots = []*scenarios.Bot{scenarios.Demo()}
	}
	if c.MaxBodyBytes <= 0 {
		c.MaxBodyBytes = DefaultMaxBodyBytes
	}
	if c.MaxHistory <= 0 {
		c.MaxHistory = DefaultMaxHistory
	}
	if c.Clock == nil {
		c.Clock = systemClock{}
	}
	if c.Seed == 0 {
		c.Seed = 1
	}
	if c.Logger == nil {
		c.Logger = slog.New(slog.DiscardHandler)
	}
	if c.SessionTTL == 0 {
		c.SessionTTL = DefaultSessionTTL
	}
	c.RateLimit = c.RateLimit.withDefaults()
	c.Delivery = c.Delivery.withDefaults()
	return c
}

// withDefaults fills the unset rate-limit settings.
func (l RateLimit) withDefaults() RateLimit {
	if l.Limit <= 0 {
		l.Limit = DefaultRateLimit
	}
	if l.Window <= 0 {
		l.Window = DefaultRateWindow
	}
	return l
}

// withDefaults fills the unset delivery settings the emulator reads
// itself. Retries and Backoff stay as given: nil reaches the dispatcher as
// its own default (see retries and backoff).
func (d DeliveryConfig) withDefaults() DeliveryConfig {
	if d.Timeout <= 0 {
		d.Timeout = DefaultTimeout
	}
	if d.DrainTimeout <= 0 {
		d.DrainTimeout = DefaultDrainTimeout
	}
	return d
}

// retries is Retries in the dispatcher's terms (0: its default, 3;
// negative: none).
func (d DeliveryConfig) retries() int {
	switch {
	case d.Retries == nil:
		return 0
	case *d.Retries == 0:
		return -1
	}
	return *d.Retries
}

// backoff is Backoff in the dispatcher's terms (0: its default, 1 s;
// negative: no wait).
func (d DeliveryConfig) backoff() time.Duration {
	switch {
	case d.Backoff == nil:
		return 0
	case *d.Backoff == 0:
		return -1
	}
	return *d.Backoff
}

// check refuses negative retries and backoffs, which mean nothing.
func (d DeliveryConfig) check() error {
	var errs []error
	if d.Retries != nil && *d.Retries < 0 {
		errs = append(errs, fmt.Errorf("Delivery.Retries (--delivery-retries) is %d: it must be 0 (no retry) or more", *d.Retries))
	}
	if d.Backoff != nil && *d.Backoff < 0 {
		errs = append(errs, fmt.Errorf("Delivery.Backoff (--delivery-backoff) is %s: it must be 0 (retry at once) or more", *d.Backoff))
	}
	return errors.Join(errs...)
}

// validate checks what withDefaults cannot fix.
func (c Config) validate() error {
	var errs []error
	for i, b := range c.Bots {
		if b == nil || b.Script == nil {
			errs = append(errs, fmt.Errorf("bots[%d]: no script", i))
		}
	}
	if err := c.RateLimit.ResetUnit.check(); err != nil {
		errs = append(errs, fmt.Errorf("RateLimit.ResetUnit: %w", err))
	}
	if t := c.TLS; t != nil && len(t.Certificates) == 0 && t.GetCertificate == nil && t.GetConfigForClient == nil {
		errs = append(errs, errors.New("TLS: no certificate (set Certificates, GetCertificate or GetConfigForClient)"))
	}
	if _, err := dialog.ParsePostbackFormat(string(c.PostbackFormat)); err != nil {
		errs = append(errs, err)
	}
	if err := c.Delivery.check(); err != nil {
		errs = append(errs, err)
	}
	return errors.Join(errs...)
}
