package emulator

import (
	"crypto/subtle"
	"fmt"
	"sort"
	"strings"
	"sync/atomic"

	"github.com/chatlayer-emulator/chatlayer-emulator/emulator/dialog"
	"github.com/chatlayer-emulator/chatlayer-emulator/scenarios"
)

// registry is the set of bots the emulator serves. It is immutable once
// built: replacing scenarios at run time swaps the whole registry.
type registry struct {
	bots     map[string]*bot
	channels map[string]*channel // webhook channels by id
	global   []string            // access tokens valid for every bot
	mask     *strings.Replacer   // masks every token, verify token and the admin token
}

// bot is a served bot: its scenario, its engine and its credentials.
type bot struct {
	def      *scenarios.Bot
	engine   *dialog.Engine
	channels []*channel
	tokens   []string
	// offloading is the bot's offloading provider, never nil; the control
	// API replaces its settings in place (see offloading.go).
	offloading *offloadingProvider
}

// channel is a webhook channel of a bot.
type channel struct {
	bot         *bot
	ID          string
	URL         string
	VerifyToken string
	Version     string
	// DeliverNLP says that bot messages answering a user text carry nlp:
	// neither Config.OmitDeliveryNLP nor the scenario's "nlp: false".
	DeliverNLP bool
	// toldNoURL is set once the log has said that the channel has no URL:
	// said once at Info, then at Debug, since polling the history API
	// without a webhook is a normal way to run.
	toldNoURL atomic.Bool
}

// newRegistry builds the registry from the configured bots, applying the
// webhook overrides of cfg.
func newRegistry(cfg Config) (*registry, error) {
	reg := &registry{bots: map[string]*bot{}, channels: map[string]*channel{}, global: cfg.AccessTokens}
	for _, def := range cfg.Bots {
		id := def.Script.BotID
		if _, dup := reg.bots[id]; dup {
			return nil, fmt.Errorf("bot %q is defined twice", id)
		}
		b := &bot{def: def, engine: dialog.New(def.Script, dialog.Options{Strict: cfg.Strict, PostbackFormat: cfg.PostbackFormat}), tokens: def.AccessTokens}
		b.offloading = newOffloadingProvider(def.Offloading, cfg, len(cfg.Bots) == 1 && id == "demo")
		for _, ch := range def.Channels {
			c := &channel{bot: b, ID: ch.ID, URL: ch.URL, VerifyToken: ch.VerifyToken, Version: ch.Version,
				DeliverNLP: !cfg.OmitDeliveryNLP && !ch.OmitNLP}
			applyOverrides(c, cfg, len(cfg.Bots) == 1 && id == "demo")
			if _, dup := reg.channels[c.ID]; dup {
				return nil, fmt.Errorf("webhook channel %q is defined twice", c.ID)
			}
			reg.channels[c.ID] = c
			b.channels = append(b.channels, c)
		}
		reg.bots[id] = b
	}
	reg.mask = newMasker(append(reg.secrets(), cfg.AdminToken))
	return reg, nil
}

// applyOverrides applies --webhook-url and --verify-token to a channel:
// always for the demo bot, and to fill empty fields otherwise.
func applyOverrides(c *channel, cfg Config, demo bool) {
	if cfg.WebhookURL != "" && (demo || c.URL == "") {
		c.URL = cfg.WebhookURL
	}
	if cfg.VerifyToken != "" && (demo || c.VerifyToken == "") {
		c.VerifyToken = cfg.VerifyToken
	}
	if c.Version == "" {
		c.Version = "DRAFT"
	}
}

// tokenValid reports whether token grants access to the bot (a nil bot:
// to any bot). Comparisons take constant time.
func (reg *registry) tokenValid(token string, b *bot) bool {
	if secretIn(token, reg.global) {
		return true
	}
	if b != nil {
		return secretIn(token, b.tokens)
	}
	for _, b := range reg.bots {
		if secretIn(token, b.tokens) {
			return true
		}
	}
	return false
}

// secretIn reports whether s equals one of list, in constant time per item.
func secretIn(s string, list []string) bool {
	found := 0
	for _, t := range list {
		found |= subtle.ConstantTimeCompare([]byte(s), []byte(t))
	}
	return found == 1 && s != ""
}

// secrets lists every token and verify token, for masking.
func (reg *registry) secrets() []string {
	out := append([]string(nil), reg.global...)
	for _, b := range reg.bots {
		out = append(out, b.tokens...)
		out = append(out, b.offloading.config().VerifyToken)
		for _, c := range b.channels {
			if c.VerifyToken != "" {
				out = append(out, c.VerifyToken)
			}
		}
	}
	return out
}

// botIDs returns the bot ids in order.
func (reg *registry) botIDs() []string {
	ids := make([]string, 0, len(reg.bots))
	for id := range reg.bots {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	return ids
}
