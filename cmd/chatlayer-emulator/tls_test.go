package main

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/tls"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chatlayer-emulator/chatlayer-emulator/emulator"
)

// trusting returns a client that trusts only the certificates of the PEM
// file; its connections close with the test.
func trusting(t *testing.T, pemFile string) *http.Client {
	t.Helper()
	data, err := os.ReadFile(pemFile)
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(data) {
		t.Fatalf("%s holds no certificate", pemFile)
	}
	tr := &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}}
	t.Cleanup(tr.CloseIdleConnections)
	return &http.Client{Transport: tr}
}

// TestServeSelfSigned: --tls-self-signed serves HTTPS with a certificate
// signed by a CA whose certificate (and only it) is written to
// --tls-ca-file; a client that trusts that file talks to the v1 API, one
// with the system roots does not, and the banner says how to trust it.
func TestServeSelfSigned(t *testing.T) {
	caFile := filepath.Join(t.TempDir(), "ca.pem")
	url, banner, _ := startServeBanner(t, []string{"serve", "--tls-self-signed", "--addr", "127.0.0.1:0", "--tls-ca-file", caFile}, env())
	if !strings.HasPrefix(url, "https://127.0.0.1:") || !strings.Contains(banner, "curl --cacert "+caFile+" "+url) {
		t.Fatalf("URL %q, banner %q: want https and the curl line with the CA file", url, banner)
	}
	resp, err := v1Over(t, trusting(t, caFile), url, "Bearer demo-token")
	if err != nil || resp.StatusCode != http.StatusAccepted {
		t.Fatalf("v1 over https with the CA: %v, %v", resp, err)
	}
	leaf := resp.TLS.PeerCertificates[0]
	if !slices.Contains(leaf.DNSNames, "localhost") || len(leaf.IPAddresses) != 2 ||
		!leaf.IPAddresses[0].Equal(net.IPv4(127, 0, 0, 1)) || !leaf.IPAddresses[1].Equal(net.IPv6loopback) {
		t.Errorf("certificate names %v %v, want localhost, 127.0.0.1 and ::1", leaf.DNSNames, leaf.IPAddresses)
	}
	if days := leaf.NotAfter.Sub(time.Now()).Hours() / 24; days < 29 || days > 31 || resp.TLS.Version < tls.VersionTLS12 {
		t.Errorf("valid for %.1f more days over TLS %x; want about 30 and TLS 1.2 or later", days, resp.TLS.Version)
	}
	var unknownCA x509.UnknownAuthorityError
	if _, err := v1Over(t, http.DefaultClient, url, "Bearer demo-token"); !errors.As(err, &unknownCA) {
		t.Errorf("with the system roots: %v, want an unknown authority error", err)
	}
	checkOnlyCertificates(t, caFile)
}

// checkOnlyCertificates fails when the PEM file holds anything but one CA
// certificate (the CA's key must never be written).
func checkOnlyCertificates(t *testing.T, file string) {
	t.Helper()
	data, _ := os.ReadFile(file)
	block, rest := pem.Decode(data)
	if block == nil || block.Type != "CERTIFICATE" || len(bytes.TrimSpace(rest)) != 0 {
		t.Fatalf("%s: want exactly one CERTIFICATE block, got %q and %d more bytes", file, block.Type, len(rest))
	}
	ca, err := x509.ParseCertificate(block.Bytes)
	if err != nil || !ca.IsCA {
		t.Fatalf("%s: not a CA certificate (%v)", file, err)
	}
	if key, ok := ca.PublicKey.(*ecdsa.PublicKey); !ok || key.Curve != elliptic.P256() {
		t.Errorf("CA key %T, want ECDSA P-256", ca.PublicKey)
	}
}

// TestSelfSignedDefaultCAFileAndHealthcheck: without --tls-ca-file (and
// with the environment twin of --tls-self-signed) the CA certificate goes
// to the temp folder, named after the port; healthcheck reads the same
// twin and asks over https.
func TestSelfSignedDefaultCAFileAndHealthcheck(t *testing.T) {
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	tlsEnv := env("CHATLAYER_EMULATOR_TLS_SELF_SIGNED", "true")
	url, banner, _ := startServeBanner(t, []string{"--addr", "127.0.0.1:0"}, tlsEnv)
	addr := strings.TrimPrefix(url, "https://")
	_, port, _ := net.SplitHostPort(addr)
	caFile := filepath.Join(tmp, "chatlayer-emulator-ca-"+port+".pem")
	if !strings.Contains(banner, "CA certificate: "+caFile) {
		t.Errorf("banner %q does not name %s", banner, caFile)
	}
	if resp, err := v1Over(t, trusting(t, caFile), url, "Bearer demo-token"); err != nil || resp.StatusCode != http.StatusAccepted {
		t.Fatalf("v1 over https: %v, %v", resp, err)
	}
	for _, tc := range []struct {
		name   string
		args   []string
		env    environ
		want   int
		stderr string
	}{
		{"environment twin", []string{"healthcheck", "--addr", addr}, tlsEnv, exitOK, ""},
		{"flag", []string{"healthcheck", "--addr", addr, "--tls-self-signed"}, env(), exitOK, ""},
		{"plain http to https", []string{"healthcheck", "--addr", addr}, env(), exitFailure, "the emulator serves HTTPS"},
	} {
		var stderr bytes.Buffer
		code := run(context.Background(), tc.args, tc.env, io.Discard, &stderr)
		if code != tc.want || !strings.Contains(stderr.String(), tc.stderr) {
			t.Errorf("healthcheck, %s: exit %d, stderr %q; want %d and %q", tc.name, code, stderr.String(), tc.want, tc.stderr)
		}
	}
}

// writeKeyPair writes, as PEM files, a certificate for 127.0.0.1 with its
// CA after it (a chain, which the CA's trust makes valid) and its key.
func writeKeyPair(t *testing.T, dir string) (certFile, keyFile string) {
	t.Helper()
	ss, err := emulator.NewSelfSigned([]string{"127.0.0.1"}, time.Now(), time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	pair := ss.Config.Certificates[0]
	keyDER, err := x509.MarshalPKCS8PrivateKey(pair.PrivateKey)
	if err != nil {
		t.Fatal(err)
	}
	chain := append(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: pair.Certificate[0]}), ss.CAPEM...)
	certFile, keyFile = filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")
	os.WriteFile(certFile, chain, 0o600)
	os.WriteFile(keyFile, pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: keyDER}), 0o600)
	return certFile, keyFile
}

// TestServeCertificateFiles: --tls-cert and --tls-key serve HTTPS with the
// given pair, and healthcheck follows --tls-cert.
func TestServeCertificateFiles(t *testing.T) {
	certFile, keyFile := writeKeyPair(t, t.TempDir())
	url, banner, _ := startServeBanner(t, []string{"--addr", "127.0.0.1:0", "--tls-cert", certFile, "--tls-key", keyFile}, env())
	if !strings.HasPrefix(url, "https://") || !strings.Contains(banner, "certificate from "+certFile) {
		t.Fatalf("URL %q, banner %q", url, banner)
	}
	if resp, err := v1Over(t, trusting(t, certFile), url, "Bearer demo-token"); err != nil || resp.StatusCode != http.StatusAccepted {
		t.Fatalf("v1 over https: %v, %v", resp, err)
	}
	addr := strings.TrimPrefix(url, "https://")
	if code := run(context.Background(), []string{"healthcheck", "--addr", addr, "--tls-cert", certFile}, env(), io.Discard, io.Discard); code != exitOK {
		t.Errorf("healthcheck --tls-cert: exit %d", code)
	}
}

// TestTLSFlagErrors: combinations that make no sense are usage errors
// (exit 2); files that cannot be used fail the start (exit 1) naming the
// file or the flag to set.
func TestTLSFlagErrors(t *testing.T) {
	dir := t.TempDir()
	certFile, keyFile := writeKeyPair(t, dir)
	garbage := filepath.Join(dir, "garbage.pem")
	os.WriteFile(garbage, []byte("not PEM"), 0o600)
	addr := []string{"--addr", "127.0.0.1:0"}
	for _, tc := range []struct {
		name string
		args []string
		code int
		want string
	}{
		{"cert without key", []string{"--tls-cert", certFile}, exitUsage, "--tls-cert and --tls-key go together"},
		{"key without cert", []string{"--tls-key", keyFile}, exitUsage, "--tls-cert and --tls-key go together"},
		{"self-signed and files", []string{"--tls-self-signed", "--tls-cert", certFile, "--tls-key", keyFile}, exitUsage, "--tls-self-signed excludes"},
		{"CA file without self-signed", []string{"--tls-ca-file", filepath.Join(dir, "ca.pem")}, exitUsage, "--tls-ca-file only applies"},
		{"missing cert file", append([]string{"--tls-cert", filepath.Join(dir, "none.pem"), "--tls-key", keyFile}, addr...), exitFailure, "none.pem"},
		{"missing key file", append([]string{"--tls-cert", certFile, "--tls-key", filepath.Join(dir, "nokey.pem")}, addr...), exitFailure, "nokey.pem"},
		{"garbage cert", append([]string{"--tls-cert", garbage, "--tls-key", keyFile}, addr...), exitFailure, "garbage.pem"},
		{"unwritable CA file", append([]string{"--tls-self-signed", "--tls-ca-file", filepath.Join(dir, "no", "such", "ca.pem")}, addr...),
			exitFailure, "set --tls-ca-file (CHATLAYER_EMULATOR_TLS_CA_FILE)"},
	} {
		var stderr bytes.Buffer
		if code := run(context.Background(), tc.args, env(), io.Discard, &stderr); code != tc.code || !strings.Contains(stderr.String(), tc.want) {
			t.Errorf("%s: exit %d, stderr %q; want %d and %q", tc.name, code, stderr.String(), tc.code, tc.want)
		}
	}
}

// TestCertificateHosts: the self-signed certificate names localhost,
// 127.0.0.1 and ::1, plus the --addr host when it is another name or a
// specific address.
func TestCertificateHosts(t *testing.T) {
	base := []string{"localhost", "127.0.0.1", "::1"}
	for addr, want := range map[string][]string{
		"127.0.0.1:0":    base,
		"0.0.0.0:8443":   base,
		":8443":          base,
		"[::]:8443":      base,
		"[::1]:8443":     base,
		"LocalHost:8443": base,
		"myhost:8443":    append(base[:3:3], "myhost"),
		"10.1.2.3:8443":  append(base[:3:3], "10.1.2.3"),
		"[fd00::1]:8443": append(base[:3:3], "fd00::1"),
	} {
		if got := certificateHosts(addr); !slices.Equal(got, want) {
			t.Errorf("certificateHosts(%q) = %v, want %v", addr, got, want)
		}
	}
}
