package main

// HTTPS for serve: --tls-cert/--tls-key, or --tls-self-signed with a CA
// made at start-up. Chatlayer only takes HTTPS; the emulator defaults to
// plain HTTP for local tests.

import (
	"crypto/tls"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/chatlayer-emulator/chatlayer-emulator/emulator"
)

// selfSignedValidity is how long the certificates of --tls-self-signed
// are valid.
const selfSignedValidity = 30 * 24 * time.Hour

// tlsOptions are the TLS flags of serve.
type tlsOptions struct {
	cert, key  string
	selfSigned bool
	caFile     string
}

// declare adds the TLS flags to fs.
func (o *tlsOptions) declare(fs *flag.FlagSet) {
	fs.StringVar(&o.cert, "tls-cert", "", "serve HTTPS with this PEM certificate (chain) file; needs --tls-key")
	fs.StringVar(&o.key, "tls-key", "", "PEM private key file of --tls-cert")
	fs.BoolVar(&o.selfSigned, "tls-self-signed", false, "serve HTTPS with a certificate for localhost, 127.0.0.1, ::1 and the --addr host, signed by a CA made at start (excludes --tls-cert)")
	fs.StringVar(&o.caFile, "tls-ca-file", "", "with --tls-self-signed, where to write the CA certificate (PEM) clients must trust (default: chatlayer-emulator-ca-PORT.pem in the temp folder)")
}

// check reports the combinations of TLS flags that make no sense.
func (o *tlsOptions) check() error {
	switch {
	case (o.cert == "") != (o.key == ""):
		return errors.New("--tls-cert and --tls-key go together: set both or neither")
	case o.selfSigned && o.cert != "":
		return errors.New("--tls-self-signed excludes --tls-cert and --tls-key: choose one")
	case o.caFile != "" && !o.selfSigned:
		return errors.New("--tls-ca-file only applies with --tls-self-signed")
	}
	return nil
}

// tlsSetup is how serve serves HTTPS; the zero value serves plain HTTP.
type tlsSetup struct {
	config   *tls.Config
	certFile string   // --tls-cert
	caFile   string   // --tls-self-signed: where the CA certificate is
	hosts    []string // --tls-self-signed: the names the certificate holds
}

// setup loads or makes the certificate. addr is --addr, ln the listener
// (its port names the default CA file).
func (o *tlsOptions) setup(addr string, ln net.Addr) (tlsSetup, error) {
	switch {
	case o.cert != "":
		pair, err := loadKeyPair(o.cert, o.key)
		return tlsSetup{config: serverTLS(pair), certFile: o.cert}, err
	case o.selfSigned:
		return o.setupSelfSigned(addr, ln)
	}
	return tlsSetup{}, nil
}

// loadKeyPair reads --tls-cert and --tls-key; errors name the file.
func loadKeyPair(certFile, keyFile string) (tls.Certificate, error) {
	certPEM, err := os.ReadFile(certFile)
	if err != nil {
		return tls.Certificate{}, fmt.Errorf("--tls-cert: %w", err)
	}
	keyPEM, err := os.ReadFile(keyFile)
	if err != nil {
		return tls.Certificate{}, fmt.Errorf("--tls-key: %w", err)
	}
	pair, err := tls.X509KeyPair(certPEM, keyPEM)
	if err != nil {
		return tls.Certificate{}, fmt.Errorf("--tls-cert %s, --tls-key %s: %w", certFile, keyFile, err)
	}
	return pair, nil
}

// serverTLS is the server configuration for a certificate: TLS 1.2 at least.
func serverTLS(pair tls.Certificate) *tls.Config {
	return &tls.Config{Certificates: []tls.Certificate{pair}, MinVersion: tls.VersionTLS12}
}

// setupSelfSigned makes a CA and a server certificate, and writes the CA
// certificate where clients can read it. The CA's private key is never
// written: it is dropped once the server certificate is signed.
func (o *tlsOptions) setupSelfSigned(addr string, ln net.Addr) (tlsSetup, error) {
	hosts := certificateHosts(addr)
	ss, err := emulator.NewSelfSigned(hosts, time.Now(), selfSignedValidity)
	if err != nil {
		return tlsSetup{}, err
	}
	path := o.caFile
	if path == "" {
		path = defaultCAFile(ln)
	}
	if err := os.WriteFile(path, ss.CAPEM, 0o644); err != nil {
		return tlsSetup{}, fmt.Errorf("writing the CA certificate of --tls-self-signed: %w; set --tls-ca-file (%s) to a file in a writable folder",
			err, serveEnv.name("tls-ca-file"))
	}
	return tlsSetup{config: ss.Config, caFile: path, hosts: hosts}, nil
}

// defaultCAFile is the CA file in the temp folder, named after the port.
func defaultCAFile(ln net.Addr) string {
	_, port, _ := net.SplitHostPort(ln.String())
	return filepath.Join(os.TempDir(), "chatlayer-emulator-ca-"+port+".pem")
}

// certificateHosts lists the names of the self-signed certificate:
// localhost, 127.0.0.1, ::1, and the host of addr when it is another name
// or a specific address (a wildcard address names no host).
func certificateHosts(addr string) []string {
	hosts := []string{"localhost", "127.0.0.1", "::1"}
	host, _, err := net.SplitHostPort(addr)
	if err != nil || host == "" || strings.EqualFold(host, "localhost") {
		return hosts
	}
	if ip := net.ParseIP(host); ip != nil && (ip.IsUnspecified() || ip.Equal(net.IPv4(127, 0, 0, 1)) || ip.Equal(net.IPv6loopback)) {
		return hosts
	}
	return append(hosts, host)
}

// banner prints how to reach the emulator over HTTPS.
func (t tlsSetup) banner(w io.Writer, url string) {
	switch {
	case t.caFile != "":
		fmt.Fprintf(w, "  https: certificate for %s, valid %d days, signed by a CA made at start\n",
			strings.Join(t.hosts, ", "), int(selfSignedValidity.Hours()/24))
		fmt.Fprintf(w, "    CA certificate: %s\n", t.caFile)
		fmt.Fprintf(w, "    trust it: curl --cacert %s %s/_emulator/ready\n", t.caFile, url)
	case t.certFile != "":
		fmt.Fprintf(w, "  https: certificate from %s\n", t.certFile)
	}
}
