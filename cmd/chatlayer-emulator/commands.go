package main

import (
	"bytes"
	"context"
	"crypto/tls"
	"errors"
	"flag"
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
func runVersion(_ context.Context, _ []string, _ func(string) string, stdout, _ io.Writer) int {
	fmt.Fprintln(stdout, "chatlayer-emulator", version())
	return exitOK
}

// runValidate checks scenario files and prints every error with its file,
// line and field.
func runValidate(_ context.Context, args []string, env func(string) string, stdout, stderr io.Writer) int {
	fs := newFlagSet("validate", stderr)
	if err := parseFlags(fs, args, env); err != nil {
		return flagExit(err)
	}
	if fs.NArg() == 0 {
		fmt.Fprintln(stderr, "usage: chatlayer-emulator validate FILE_OR_FOLDER...")
		return exitUsage
	}
	if err := scenarios.Validate(fs.Args()...); err != nil {
		fmt.Fprintln(stderr, err)
		return exitFailure
	}
	fmt.Fprintf(stdout, "ok: %d path(s) valid\n", fs.NArg())
	return exitOK
}

// runHealthcheck asks a local emulator whether it is ready: exit 0 when it
// answers 200, 1 otherwise. The image's HEALTHCHECK runs it (no curl there).
// Its flags share their environment twins with serve's, so in the image it
// finds the address, and whether the emulator serves HTTPS, by itself.
func runHealthcheck(ctx context.Context, args []string, env func(string) string, stdout, stderr io.Writer) int {
	fs := newFlagSet("healthcheck", stderr)
	addr := fs.String("addr", "127.0.0.1:8080", "address the emulator listens on")
	timeout := fs.Duration("timeout", 2*time.Second, "how long to wait for the answer")
	selfSigned := fs.Bool("tls-self-signed", false, "the emulator serves HTTPS, as serve's flag says (the certificate is not verified)")
	cert := fs.String("tls-cert", "", "when set, the emulator serves HTTPS, as serve's flag says (the certificate is not verified)")
	if err := parseFlags(fs, args, env); err != nil {
		return flagExit(err)
	}
	if err := checkReady(ctx, *addr, *selfSigned || *cert != "", *timeout); err != nil {
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

// flagExit maps a flag parsing error to an exit code.
func flagExit(err error) int {
	if errors.Is(err, flag.ErrHelp) {
		return exitOK
	}
	return exitUsage
}
