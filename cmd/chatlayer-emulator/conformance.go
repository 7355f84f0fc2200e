package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/chatlayer-emulator/chatlayer-emulator/conformance"
	"github.com/chatlayer-emulator/chatlayer-emulator/emulator/egress"
)

// conformanceOptions are the parsed flags of the conformance subcommand.
type conformanceOptions struct {
	profile, token               string
	target, cbURL                httpURL
	checks, severity             listFlag
	timeout, budget, warnLatency time.Duration
	seed                         int64
	junit, json, html            string
	cbToken, cbAdmin             string
	cbBot, cbChannel, cbVersion  string
	cbWait                       time.Duration
	handback                     string
	img                          imageOptions
	egress                       egress.Policy
}

// conformanceFlags declares the flags; each has an environment twin.
func conformanceFlags() (*flagSet, *conformanceOptions) {
	o := &conformanceOptions{}
	fs := newFlagSet("conformance")
	fs.StringVar(&o.profile, "profile", "offloading", "offloading or webhook-channel")
	fs.Var(&o.target, "target", "URL of the endpoint under test")
	fs.StringVar(&o.token, "verify-token", "", "verify token the endpoint expects (prefer the environment variable)")
	fs.Var(&o.checks, "checks", "check ids or id prefixes to run, comma-separated (default all)")
	fs.Var(&o.severity, "severity", "level overrides id=MUST|SHOULD|OFF, comma-separated")
	fs.DurationVar(&o.timeout, "timeout", conformance.DefaultTimeout, "timeout of each request")
	fs.DurationVar(&o.budget, "budget", conformance.DefaultBudget, "time budget of the whole run")
	fs.Int64Var(&o.seed, "seed", 0, "seed of generated ids and payloads")
	fs.DurationVar(&o.warnLatency, "warn-latency", conformance.DefaultWarnLatency, "answers slower than this are warnings")
	fs.StringVar(&o.junit, "junit", "", "write a JUnit XML report to this file")
	fs.StringVar(&o.json, "json", "", "write a JSON report to this file")
	fs.StringVar(&o.html, "html", "", "write the HTML report (a certificate when conformant) to this file")
	fs.Var(&o.cbURL, "callback-url", "emulator URL for the hand-back round trip (optional)")
	fs.StringVar(&o.cbToken, "callback-token", "", "Bearer token of the emulator's v1 API")
	fs.StringVar(&o.cbAdmin, "callback-admin-token", "", "admin token of the emulator's /_emulator routes, if set")
	fs.StringVar(&o.cbBot, "callback-bot", "", "bot id of the emulated bot")
	fs.StringVar(&o.cbChannel, "callback-channel", "", "Webhook channel id of the emulated bot")
	fs.StringVar(&o.cbVersion, "callback-version", "DRAFT", "DRAFT or LIVE")
	fs.DurationVar(&o.cbWait, "callback-wait", conformance.DefaultCallbackWait, "how long to wait for the agent message")
	fs.StringVar(&o.handback, "handback", "", "your bridge's agent driver, a URL holding {sessionId}: the suite plays the agent through it (needs --callback-url)")
	fs.StringVar(&o.img.image, "image", "", "certify a vendor image NAME[:TAG]: start it with the docker command instead of --target")
	fs.IntVar(&o.img.port, "port", 8080, "with --image: the port the vendor listens on in its container")
	fs.StringVar(&o.img.path, "path", "/", "with --image: the endpoint's path in the vendor")
	fs.Var(&o.img.env, "image-env", "with --image: KEY=VALUE for the vendor container, repeatable")
	fs.Var(&o.egress, "egress", egressUsage)
	fs.Var(&o.img.args, "image-arg", "with --image: an argument of the container's command (replaces its CMD), repeatable")
	return fs, o
}

// runConformance certifies an endpoint: exit 0 when every MUST check
// passed, 1 when one failed, 2 when the suite could not run.
func runConformance(ctx context.Context, args []string, env environ, stdout, stderr io.Writer) int {
	fs, o := conformanceFlags()
	if code, stop := fs.parseArgs(args, env, stdout, stderr); stop {
		return code
	}
	warnStrayVariables(stderr, fs.cmd, env)
	if o.img.image != "" {
		stop, err := o.startImage(ctx)
		if err != nil {
			fmt.Fprintln(stderr, "conformance:", err)
			return exitUsage
		}
		defer stop()
	}
	opts, err := o.options()
	if err != nil {
		fmt.Fprintln(stderr, "conformance:", err)
		return exitUsage
	}
	rep, err := conformance.Run(ctx, opts)
	if err != nil {
		fmt.Fprintln(stderr, "conformance:", err)
		return exitUsage
	}
	if err := rep.WriteText(stdout); err != nil {
		return exitUsage
	}
	if err := o.writeReports(rep); err != nil {
		fmt.Fprintln(stderr, "conformance:", err)
		return exitUsage
	}
	return rep.ExitCode
}

// startImage starts the vendor image and points --target at it.
func (o *conformanceOptions) startImage(ctx context.Context) (func(), error) {
	if o.target != "" {
		return nil, errors.New("--image and --target exclude each other")
	}
	if o.img.port < 1 || o.img.port > 65535 || o.budget <= 0 {
		return nil, errors.New("--port must be a TCP port and --budget positive")
	}
	v, err := startVendor(ctx, o.img, o.budget)
	if err != nil {
		return nil, err
	}
	o.target = httpURL(v.target)
	return v.stop, nil
}

// options converts the flags; budget and timeout must be positive.
func (o *conformanceOptions) options() (conformance.Options, error) {
	p, err := conformance.ParseProfile(o.profile)
	if err != nil {
		return conformance.Options{}, err
	}
	if o.timeout <= 0 || o.budget <= 0 || o.warnLatency <= 0 {
		return conformance.Options{}, errors.New("--timeout, --budget and --warn-latency must be positive")
	}
	sev, err := parseSeverity(o.severity.values)
	if err != nil {
		return conformance.Options{}, err
	}
	opts := conformance.Options{Target: string(o.target), VerifyToken: o.token, Profile: p, Checks: splitList(o.checks.values),
		Severity: sev, Timeout: o.timeout, Budget: o.budget, Seed: o.seed, WarnLatency: o.warnLatency, Egress: o.egress,
		Handback: o.handback}
	if o.cbURL != "" {
		opts.Callback = &conformance.CallbackOptions{EmulatorURL: string(o.cbURL), Token: o.cbToken, AdminToken: o.cbAdmin,
			BotID: o.cbBot, ChannelID: o.cbChannel, Version: o.cbVersion, Wait: o.cbWait}
	}
	return opts, nil
}

// splitList splits comma-separated flag values.
func splitList(values []string) []string {
	var out []string
	for _, v := range values {
		for _, item := range strings.Split(v, ",") {
			if item = strings.TrimSpace(item); item != "" {
				out = append(out, item)
			}
		}
	}
	return out
}

// parseSeverity parses id=LEVEL pairs.
func parseSeverity(values []string) (map[string]conformance.Level, error) {
	out := map[string]conformance.Level{}
	for _, pair := range splitList(values) {
		id, lvl, ok := strings.Cut(pair, "=")
		if !ok || id == "" {
			return nil, fmt.Errorf("--severity %q: want id=MUST|SHOULD|OFF", pair)
		}
		l, err := conformance.ParseLevel(lvl)
		if err != nil {
			return nil, fmt.Errorf("--severity %q: %v", pair, err)
		}
		out[id] = l
	}
	return out, nil
}

// writeReports writes the requested report files.
func (o *conformanceOptions) writeReports(rep *conformance.Report) error {
	for _, f := range []struct {
		path  string
		write func(io.Writer) error
	}{{o.junit, rep.WriteJUnit}, {o.json, rep.WriteJSON}, {o.html, rep.WriteHTML}} {
		if f.path == "" {
			continue
		}
		if err := writeFile(f.path, f.write); err != nil {
			return err
		}
	}
	return nil
}

// writeFile creates path and writes it, reporting the first error.
func writeFile(path string, write func(io.Writer) error) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := write(f); err != nil {
		f.Close()
		return fmt.Errorf("%s: %w", path, err)
	}
	return f.Close()
}
