package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os/signal"
	"path/filepath"
	"runtime/debug"
	"strconv"
	"strings"
	"syscall"
	"time"
	_ "time/tzdata" // opening hours name IANA time zones; the image has no zoneinfo

	"github.com/chatlayer-emulator/chatlayer-emulator/emulator"
	"github.com/chatlayer-emulator/chatlayer-emulator/emulator/egress"
	"github.com/chatlayer-emulator/chatlayer-emulator/scenarios"
)

// egressUsage is the help of --egress, in serve and conformance.
const egressUsage = "addresses calls to your endpoints may connect to: default (all but link-local, cloud metadata, unspecified, multicast, reserved), public (public addresses only) or any"

// warnEgress warns that the policy lets calls reach cloud metadata
// services.
func warnEgress(log *slog.Logger, p egress.Policy) {
	if p == egress.Any {
		log.Warn("egress policy any: calls to endpoints may reach link-local and cloud metadata addresses")
	}
}

// serveOptions are the flags of serve.
type serveOptions struct {
	addr            string
	scenarios       listFlag
	initDir         string
	webhookURL      httpURL
	verifyToken     string
	offloadingURL   httpURL
	offloadingToken string
	accessTokens    listFlag
	allowBareToken  bool
	deliveryRetries int
	deliveryBackoff time.Duration
	deliveryTimeout time.Duration
	drainTimeout    time.Duration
	deliveryNLP     bool
	egress          egress.Policy
	adminToken      string
	rateLimit       rateLimitFlag
	resetUnit       emulator.ResetUnit
	sessionTTL      time.Duration
	strict          bool
	postbackFormat  emulator.PostbackFormat
	logFormat       logFormat
	logLevel        slog.Level
	tls             tlsOptions
	stray           []strayVariable // CHATLAYER_ variables no command reads, logged at start
}

// serveFlags declares the flags of serve.
func serveFlags() (*flagSet, *serveOptions) {
	o := &serveOptions{logFormat: logText, rateLimit: rateLimitFlag{Limit: emulator.DefaultRateLimit, Window: emulator.DefaultRateWindow}}
	fs := newFlagSet("serve")
	fs.StringVar(&o.addr, "addr", "127.0.0.1:8080", "address to listen on (host:port)")
	fs.Var(&o.scenarios, "scenarios", "scenario file or folder, repeatable (default: the embedded demo bot)")
	fs.StringVar(&o.initDir, "init-dir", "", "folder whose scenario files are loaded at start when it exists and holds any (the image uses /scenarios)")
	fs.Var(&o.webhookURL, "webhook-url", "webhook URL of the demo bot's channel (fills empty URLs of other bots)")
	fs.StringVar(&o.verifyToken, "verify-token", "", "verify token of the demo bot's channel (fills empty tokens of other bots)")
	fs.Var(&o.offloadingURL, "offloading-url", "offloading webhook URL of the demo bot (fills empty provider URLs of other bots)")
	fs.StringVar(&o.offloadingToken, "offloading-verify-token", "", "offloading verify token of the demo bot (fills empty provider tokens of other bots)")
	fs.Var(&o.accessTokens, "access-token", "an extra API access token valid for every bot, repeatable")
	fs.BoolVar(&o.allowBareToken, "allow-bare-token", false, "also accept \"Authorization: <token>\" with no scheme on the v1 API (Chatlayer documents \"Bearer <token>\")")
	fs.IntVar(&o.deliveryRetries, "delivery-retries", emulator.DefaultRetries, "retries after a failed delivery attempt")
	fs.DurationVar(&o.deliveryBackoff, "delivery-backoff", emulator.DefaultBackoff, "delay before the first retry; doubles after each retry; 0: none")
	fs.DurationVar(&o.deliveryTimeout, "delivery-timeout", emulator.DefaultTimeout, "timeout of one delivery attempt")
	fs.DurationVar(&o.drainTimeout, "drain-timeout", emulator.DefaultDrainTimeout, "how long shutdown keeps delivering pending messages")
	fs.BoolVar(&o.deliveryNLP, "delivery-nlp", true, "bot messages that answer a user text carry nlp (intent, intents, entities); false: never")
	fs.Var(&o.egress, "egress", egressUsage)
	fs.StringVar(&o.adminToken, "admin-token", "", "when set, required as a Bearer token on /_emulator routes but health and ready")
	fs.Var(&o.rateLimit, "rate-limit", "v1 requests allowed per access token and window, as N/DURATION (1200/1m, 10/1s), or off")
	fs.TextVar(&o.resetUnit, "rate-limit-reset-unit", emulator.ResetMilliseconds, "unit of the x-ratelimit-reset epoch time: ms (as Chatlayer's example) or s (as its text)")
	fs.DurationVar(&o.sessionTTL, "session-ttl", emulator.DefaultSessionTTL, "inactivity after which a conversation starts a fresh session; 0: never")
	fs.BoolVar(&o.strict, "strict", false, "refuse with a 400 what is otherwise accepted with a warning in /_emulator/warnings (input Chatlayer's docs do not rule on)")
	fs.Var(&o.postbackFormat, "postback-format", "payloads of the postback buttons and quick replies sent: opaque (40-hex ids, Chatlayer since 2022) or json (the stringified JSON of before 2022)")
	fs.Var(&o.logFormat, "log-format", "log format: text or json")
	fs.TextVar(&o.logLevel, "log-level", slog.LevelInfo, "log level: debug, info, warn or error")
	o.tls.declare(fs.FlagSet)
	return fs, o
}

// runServe serves until SIGINT or SIGTERM, then shuts down gracefully.
func runServe(ctx context.Context, args []string, env environ, stdout, stderr io.Writer) int {
	fs, o := serveFlags()
	if code, stop := fs.parseArgs(args, env, stdout, stderr); stop {
		return code
	}
	if err := o.tls.check(); err != nil {
		fmt.Fprintln(stderr, "chatlayer-emulator:", err)
		return exitUsage
	}
	o.stray = strayVariables(serveEnv, env)
	ctx, stop := signal.NotifyContext(ctx, syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	if err := serve(ctx, o, stdout, stderr); err != nil {
		fmt.Fprintln(stderr, "chatlayer-emulator:", err)
		return exitFailure
	}
	return exitOK
}

// serve builds the emulator, listens, and blocks until ctx ends.
func serve(ctx context.Context, o *serveOptions, stdout, stderr io.Writer) error {
	start := time.Now()
	cfg, err := o.config(stderr)
	if err != nil {
		return err
	}
	s, tlsInfo, err := o.start(cfg)
	if err != nil {
		return err
	}
	printBanner(stdout, s.URL(), cfg, tlsInfo, time.Since(start))
	warnEgress(cfg.Logger, o.egress)
	debug.FreeOSMemory() // return start-up garbage (decoded documents) to the OS: idle memory stays small
	<-ctx.Done()
	fmt.Fprintln(stdout, "shutting down: draining pending deliveries")
	sctx, cancel := context.WithTimeout(context.Background(), o.drainTimeout)
	defer cancel()
	if err := s.Shutdown(sctx); err != nil {
		cfg.Logger.Warn("shutdown incomplete", "err", err)
	}
	return nil
}

// start listens on --addr, builds the emulator (over TLS when the flags ask
// for it: the certificate is made once the port is known, which names the
// default CA file) and serves it.
func (o *serveOptions) start(cfg emulator.Config) (*emulator.Server, tlsSetup, error) {
	ln, err := net.Listen("tcp", o.addr)
	if err != nil {
		return nil, tlsSetup{}, err
	}
	t, err := o.tls.setup(o.addr, ln.Addr())
	cfg.TLS = t.config
	var s *emulator.Server
	if err == nil {
		s, err = emulator.New(cfg)
	}
	if err != nil {
		ln.Close()
		return nil, tlsSetup{}, err
	}
	s.Serve(ln)
	return s, t, nil
}

// config turns the options into an emulator.Config.
func (o *serveOptions) config(stderr io.Writer) (emulator.Config, error) {
	cfg := emulator.Config{
		WebhookURL:            string(o.webhookURL),
		VerifyToken:           o.verifyToken,
		OffloadingURL:         string(o.offloadingURL),
		OffloadingVerifyToken: o.offloadingToken,
		AccessTokens:          o.accessTokens.values,
		AllowBareToken:        o.allowBareToken,
		AdminToken:            o.adminToken,
		RateLimit:             emulator.RateLimit(o.rateLimit),
		SessionTTL:            zeroMeansNone(o.sessionTTL),
		Strict:                o.strict,
		PostbackFormat:        o.postbackFormat,
		Logger:                o.logFormat.logger(stderr, o.logLevel),
		Egress:                o.egress,
		OmitDeliveryNLP:       !o.deliveryNLP,
		Delivery: emulator.DeliveryConfig{
			Retries: new(o.deliveryRetries), Backoff: new(o.deliveryBackoff), // 0 means none in both
			Timeout: o.deliveryTimeout, DrainTimeout: o.drainTimeout,
		},
	}
	cfg.RateLimit.ResetUnit = o.resetUnit
	for _, v := range o.stray {
		cfg.Logger.Warn(v.String())
	}
	if paths := o.scenarioPaths(); len(paths) > 0 {
		bots, err := scenarios.Load(paths...)
		if err != nil {
			return cfg, err
		}
		cfg.Bots = bots
	}
	return cfg, nil
}

// scenarioPaths lists the scenario paths to load: --scenarios, plus the
// init folder when it exists and holds scenario files (an empty or missing
// init folder is not an error: the demo bot runs).
func (o *serveOptions) scenarioPaths() []string {
	paths := o.scenarios.values
	if o.initDir == "" {
		return paths
	}
	for _, pattern := range []string{"*.yaml", "*.yml"} {
		if found, _ := filepath.Glob(filepath.Join(o.initDir, pattern)); len(found) > 0 {
			return append(paths, o.initDir)
		}
	}
	return paths
}

// zeroMeansNone maps a duration flag whose 0 means none (--session-ttl:
// never expire) to a Config field whose 0 means the default and a
// negative value none.
func zeroMeansNone(d time.Duration) time.Duration {
	if d <= 0 {
		return -1
	}
	return d
}

// rateLimitFlag is --rate-limit: N/DURATION (1200/1m, 10/1s) or off.
type rateLimitFlag emulator.RateLimit

// String implements flag.Value.
func (f *rateLimitFlag) String() string {
	if f.Off {
		return "off"
	}
	return strconv.Itoa(f.Limit) + "/" + f.Window.String()
}

// Set implements flag.Value.
func (f *rateLimitFlag) Set(v string) error {
	if v == "off" {
		*f = rateLimitFlag{Off: true}
		return nil
	}
	n, d, ok := strings.Cut(v, "/")
	limit, err := strconv.Atoi(n)
	if !ok || err != nil || limit < 1 {
		return fmt.Errorf("rate limit must be N/DURATION with N > 0 (such as 1200/1m) or off, not %q", v)
	}
	window, err := time.ParseDuration(d)
	if err != nil || window <= 0 {
		return fmt.Errorf("rate-limit window must be a positive duration such as 1m, not %q", d)
	}
	*f = rateLimitFlag{Limit: limit, Window: window}
	return nil
}

// printBanner prints the listening URL, how to trust its certificate when
// it serves HTTPS, and the loaded bots, tokens masked.
func printBanner(w io.Writer, url string, cfg emulator.Config, t tlsSetup, took time.Duration) {
	fmt.Fprintf(w, "chatlayer-emulator %s listening on %s (ready in %s)\n", version(), url, took.Round(time.Microsecond))
	t.banner(w, url)
	for _, b := range botsOf(cfg) {
		fmt.Fprintf(w, "  bot %q (%s): %d access token(s) ***\n", b.Script.BotID, b.Script.Name, len(b.AccessTokens)+len(cfg.AccessTokens))
		for _, ch := range b.Channels {
			fmt.Fprintf(w, "    webhook channel %q (%s) -> %s, verifyToken ***\n", ch.ID, orDefault(ch.Version, "DRAFT"), webhookTarget(ch, cfg))
		}
		if u := offloadingTarget(b, cfg); u != "" {
			fmt.Fprintf(w, "    offloading webhook -> %s, verifyToken *** (health check running)\n", u)
		}
	}
	fmt.Fprintf(w, "  control API: %s/_emulator/ready\n", url)
}

// botsOf returns the bots the emulator serves.
func botsOf(cfg emulator.Config) []*scenarios.Bot {
	if len(cfg.Bots) > 0 {
		return cfg.Bots
	}
	return []*scenarios.Bot{scenarios.Demo()}
}

// webhookTarget tells where a channel's bot messages go.
func webhookTarget(ch scenarios.Channel, cfg emulator.Config) string {
	switch {
	case cfg.WebhookURL != "" && (len(cfg.Bots) == 0 || ch.URL == ""):
		return cfg.WebhookURL
	case ch.URL != "":
		return ch.URL
	default:
		return "(no webhook URL: set --webhook-url)"
	}
}

// offloadingTarget tells where a bot's offloading events go ("" for none).
func offloadingTarget(b *scenarios.Bot, cfg emulator.Config) string {
	if cfg.OffloadingURL != "" && (len(cfg.Bots) == 0 || b.Offloading.URL == "") {
		return cfg.OffloadingURL
	}
	return b.Offloading.URL
}

// orDefault returns s, or def when s is empty.
func orDefault(s, def string) string {
	if strings.TrimSpace(s) == "" {
		return def
	}
	return s
}
