package main

import (
	"bytes"
	"context"
	"crypto/tls"
	"fmt"
	"io"
	"net"
	"net/http"
	"runtime/debug"
	"time"

	"github.com/chatlayer-emulator/chatlayer-emulator/scenarios"
)

// buildVersion is set at link time (-ldflags "-X main.buildVersion=v1.2.3").
var buildVersion = ""

// version returns the link-time version, or the module version, or "dev".
func version() string {
	if buildVersion != "" {
		return buildVersion
	}
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		return bi.Main.Version
	}
	return "dev"
}

// runVersion prints the version.
func runVersion(_ context.Context, _ []string, _ environ, stdout, _ io.Writer) int {
	fmt.Fprintln(stdout, "chatlayer-emulator", version())
	return exitOK
}

// runValidate checks scenario files and prints every error with its file,
// line and field.
func runValidate(_ context.Context, args []string, env environ, stdout, stderr io.Writer) int {
	fs := newFlagSet("validate")
	if code, stop := fs.parseArgs(args, env, stdout, stderr); stop {
		return code
	}
	warnStrayVariables(stderr, fs.cmd, env)
	if fs.NArg() == 0 {
		fs.usage(stderr)
		return exitUsage
	}
	if err := scenarios.Validate(fs.Args()...); err != nil {
		fmt.Fprintln(stderr, err)
		return exitFailure
	}
	fmt.Fprintf(stdout, "ok: %d path(s) valid\n", fs.NArg())
	return exitOK
}

// healthcheckOptions are the flags of healthcheck.
type healthcheckOptions struct {
	addr       string
	timeout    time.Duration
	selfSigned bool
	cert       string
}

// healthcheckFlags declares the flags of healthcheck. Their environment
// twins are serve's (CHATLAYER_EMULATOR_ADDR, _TLS_SELF_SIGNED,
// _TLS_CERT), so in the image it finds the address, and whether the
// emulator serves HTTPS, by itself.
func healthcheckFlags() (*flagSet, *healthcheckOptions) {
	o := &healthcheckOptions{}
	fs := newFlagSet("healthcheck")
	fs.StringVar(&o.addr, "addr", "127.0.0.1:8080", "address the emulator listens on")
	fs.DurationVar(&o.timeout, "timeout", 2*time.Second, "how long to wait for the answer")
	fs.BoolVar(&o.selfSigned, "tls-self-signed", false, "the emulator serves HTTPS, as serve's flag says (the certificate is not verified)")
	fs.StringVar(&o.cert, "tls-cert", "", "when set, the emulator serves HTTPS, as serve's flag says (the certificate is not verified)")
	return fs, o
}

// runHealthcheck asks a local emulator whether it is ready: exit 0 when it
// answers 200, 1 otherwise. The image's HEALTHCHECK runs it (no curl there).
func runHealthcheck(ctx context.Context, args []string, env environ, stdout, stderr io.Writer) int {
	fs, o := healthcheckFlags()
	if code, stop := fs.parseArgs(args, env, stdout, stderr); stop {
		return code
	}
	warnStrayVariables(stderr, fs.cmd, env)
	if err := checkReady(ctx, o.addr, o.selfSigned || o.cert != "", o.timeout); err != nil {
		fmt.Fprintln(stderr, "unhealthy:", err)
		return exitFailure
	}
	fmt.Fprintln(stdout, "ready")
	return exitOK
}

// checkReady GETs /_emulator/ready on addr (a wildcard host means
// loopback), over HTTPS when useTLS is set. It does not verify the
// certificate: it sends no secret and reads only the status, and the CA
// file of --tls-self-signed is not where another container runs it.
func checkReady(ctx context.Context, addr string, useTLS bool, timeout time.Duration) error {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return err
	}
	if ip := net.ParseIP(host); host == "" || (ip != nil && ip.IsUnspecified()) {
		host = "127.0.0.1"
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	scheme, client := "http://", http.DefaultClient
	if useTLS {
		scheme, client = "https://", &http.Client{Transport: &http.Transport{
			DisableKeepAlives: true,
			TLSClientConfig:   &tls.Config{InsecureSkipVerify: true, MinVersion: tls.VersionTLS12}, // see above
		}}
	}
	url := scheme + net.JoinHostPort(host, port) + "/_emulator/ready"
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return err
	}
	resp, err := client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("%s answered %s%s", url, resp.Status, httpsHint(resp))
	}
	return nil
}

// httpsHint explains the 400 that Go's HTTPS server answers to plain HTTP.
func httpsHint(resp *http.Response) string {
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 512))
	if resp.StatusCode == http.StatusBadRequest && bytes.Contains(body, []byte("HTTPS server")) {
		return ": the emulator serves HTTPS: give healthcheck the --tls-self-signed or --tls-cert of serve (or their environment twins)"
	}
	return ""
}
