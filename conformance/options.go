package conformance

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/chatlayer-emulator/chatlayer-emulator/emulator/egress"
)

// Profile names the kind of endpoint under test.
type Profile string

// The profiles. Every check belongs to exactly one.
const (
	// ProfileOffloading certifies an offloading webhook (docs/CONTRACT.md §2).
	ProfileOffloading Profile = "offloading"
	// ProfileWebhookChannel certifies a Webhook-channel receiver of bot
	// messages (docs/CONTRACT.md §3).
	ProfileWebhookChannel Profile = "webhook-channel"
)

// ParseProfile parses "offloading" or "webhook-channel".
func ParseProfile(s string) (Profile, error) {
	switch p := Profile(strings.TrimSpace(s)); p {
	case ProfileOffloading, ProfileWebhookChannel:
		return p, nil
	}
	return "", fmt.Errorf("unknown profile %q (want %s or %s)", s, ProfileOffloading, ProfileWebhookChannel)
}

// Level is a check's severity: a failed MUST fails the run, a failed SHOULD
// is a warning for the exit code, OFF does not run the check.
type Level string

// The levels.
const (
	LevelMust   Level = "MUST"
	LevelShould Level = "SHOULD"
	LevelOff    Level = "OFF"
)

// ParseLevel parses MUST, SHOULD or OFF (case-insensitive).
func ParseLevel(s string) (Level, error) {
	switch l := Level(strings.ToUpper(strings.TrimSpace(s))); l {
	case LevelMust, LevelShould, LevelOff:
		return l, nil
	}
	return "", fmt.Errorf("unknown level %q (want MUST, SHOULD or OFF)", s)
}

// Status is the outcome of one check.
type Status string

// The statuses, after the OpenID conformance suite's module results.
const (
	StatusPassed  Status = "passed"
	StatusFailed  Status = "failed"
	StatusWarning Status = "warning" // passed, with something to look at
	StatusSkipped Status = "skipped" // not run, or inconclusive; the message says why
)

// Defaults of Options.
const (
	DefaultTimeout      = 10 * time.Second
	DefaultBudget       = 60 * time.Second
	DefaultWarnLatency  = 2 * time.Second
	DefaultCallbackWait = 10 * time.Second
)

// Options configure one run of the suite.
type Options struct {
	Target      string           // URL of the endpoint under test (http or https)
	VerifyToken string           // the token Chatlayer would send; never reported
	Profile     Profile          // which contract the endpoint implements
	Checks      []string         // check ids or id prefixes to run; empty runs all
	Severity    map[string]Level // level overrides by check id or id prefix
	Timeout     time.Duration    // per request; 0 means DefaultTimeout
	Budget      time.Duration    // whole run; 0 means DefaultBudget
	Seed        int64            // seeds generated ids and payload choices
	WarnLatency time.Duration    // answers slower than this warn; 0 means DefaultWarnLatency
	Callback    *CallbackOptions // the emulator the hand-back check plays Chatlayer on
	Client      *http.Client     // optional; its Transport is used (a keep-alive-free clone for retries), redirects never followed
	// Egress says which addresses the suite's own client may connect to
	// (zero: egress.Default); a given Client's Transport is used as it is.
	Egress egress.Policy
	// Handback is the vendor's agent driver, a URL holding {sessionId}
	// (e.g. http://bridge:9100/agent/{sessionId}). With it, and Callback,
	// offloading.handback.round-trip plays the agent through the vendor:
	// POST <url>/reply {"text"} and POST <url>/handback {}. Empty: the
	// check is skipped, since an agent's reply comes from a person.
	Handback string
}

// CallbackOptions point the hand-back check at a running emulator: the
// suite plays Chatlayer on it, and the vendor's bridge answers through its
// conversation actions API.
type CallbackOptions struct {
	EmulatorURL string        // base URL of the emulator, e.g. http://127.0.0.1:8080
	Token       string        // Bearer token of the emulator's v1 API; never reported
	AdminToken  string        // Bearer token of /_emulator routes, when the emulator has one
	BotID       string        // bot id sent in the offload event
	ChannelID   string        // Webhook channel the conversation is created on
	Version     string        // DRAFT or LIVE; empty means DRAFT
	Wait        time.Duration // how long to wait for a message on the channel; 0 means DefaultCallbackWait
}

// withDefaults returns a copy with zero durations replaced by defaults.
func (o Options) withDefaults() Options {
	if o.Timeout == 0 {
		o.Timeout = DefaultTimeout
	}
	if o.Budget == 0 {
		o.Budget = DefaultBudget
	}
	if o.WarnLatency == 0 {
		o.WarnLatency = DefaultWarnLatency
	}
	if o.Callback != nil {
		cb := *o.Callback
		if cb.Wait == 0 {
			cb.Wait = DefaultCallbackWait
		}
		if cb.Version == "" {
			cb.Version = "DRAFT"
		}
		o.Callback = &cb
	}
	return o
}

// validate reports every problem that stops the suite from running.
func (o Options) validate() error {
	var errs []error
	if _, err := ParseProfile(string(o.Profile)); err != nil {
		errs = append(errs, err)
	}
	if err := checkURL("target", o.Target); err != nil {
		errs = append(errs, err)
	}
	if o.Timeout < 0 || o.Budget < 0 || o.WarnLatency < 0 {
		errs = append(errs, errors.New("timeout, budget and warn-latency must not be negative"))
	}
	if o.Callback != nil {
		errs = append(errs, o.Callback.validate())
	}
	if o.Handback != "" {
		errs = append(errs, o.validateHandback())
	}
	return errors.Join(errs...)
}

// validateHandback checks the agent driver and what it needs.
func (o Options) validateHandback() error {
	switch {
	case o.Profile != ProfileOffloading:
		return fmt.Errorf("handback: the agent driver belongs to the %s profile", ProfileOffloading)
	case o.Callback == nil:
		return errors.New("handback: an emulator to play Chatlayer on is required (callback URL, bot and channel)")
	case !strings.Contains(o.Handback, agentPlaceholder):
		return fmt.Errorf("handback %q: want a URL holding %s", maskURLString(o.Handback), agentPlaceholder)
	}
	return checkURL("handback", strings.ReplaceAll(o.Handback, agentPlaceholder, "s"))
}

// validate checks the hand-back options.
func (c *CallbackOptions) validate() error {
	if err := checkURL("callback emulator URL", c.EmulatorURL); err != nil {
		return err
	}
	if c.BotID == "" || c.ChannelID == "" {
		return errors.New("callback: a bot id and a channel id are required")
	}
	if c.Version != "DRAFT" && c.Version != "LIVE" {
		return fmt.Errorf("callback: version %q: want DRAFT or LIVE", c.Version)
	}
	if c.Wait < 0 {
		return errors.New("callback: wait must not be negative")
	}
	return nil
}

// checkURL accepts absolute http and https URLs with a host.
func checkURL(what, raw string) error {
	u, err := url.Parse(raw)
	if err != nil {
		return fmt.Errorf("%s: %v", what, maskedURLError(err))
	}
	if (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("%s %q: want an absolute http or https URL", what, maskURLString(raw))
	}
	return nil
}

// maskedURLError drops the URL (which may hold secrets) from a parse error.
func maskedURLError(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err
	}
	return err
}
