package emulator_test

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"errors"
	"math/big"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/chatlayer-emulator/chatlayer-emulator/emulator"
)

// loopbackCertificate makes a self-signed certificate for 127.0.0.1 and
// returns it with a pool that trusts it.
func loopbackCertificate(t *testing.T) (tls.Certificate, *x509.CertPool) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "emulator test"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IPAddresses: []net.IP{net.IPv4(127, 0, 0, 1)}, IsCA: true, BasicConstraintsValid: true,
		KeyUsage: x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	leaf, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	pool.AddCert(leaf)
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key, Leaf: leaf}, pool
}

// httpsClient trusts pool only; its connections close with the test.
func httpsClient(t *testing.T, pool *x509.CertPool, maxVersion uint16) *http.Client {
	tr := &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool, MaxVersion: maxVersion}}
	t.Cleanup(tr.CloseIdleConnections)
	return &http.Client{Transport: tr}
}

// TestTLS: with Config.TLS the emulator serves HTTPS, URL says so, a
// client that trusts the certificate talks to the v1 API, and TLS below
// 1.2 is refused.
func TestTLS(t *testing.T) {
	cert, pool := loopbackCertificate(t)
	s := emulator.RunT(t, emulator.Config{TLS: &tls.Config{Certificates: []tls.Certificate{cert}}})
	if !strings.HasPrefix(s.URL(), "https://127.0.0.1:") {
		t.Fatalf("URL() = %q, want https://127.0.0.1:…", s.URL())
	}
	req, _ := http.NewRequest(http.MethodPost, s.URL()+"/v1/channels/webhook/demo/messages", strings.NewReader(demoMessage))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer demo-token")
	resp, err := httpsClient(t, pool, 0).Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusAccepted || resp.TLS == nil {
		t.Fatalf("status %d, TLS %v; want 202 over TLS", resp.StatusCode, resp.TLS != nil)
	}
	_, err = httpsClient(t, pool, tls.VersionTLS11).Get(s.URL() + "/_emulator/health")
	if err == nil {
		t.Error("a TLS 1.1 client was served; want TLS 1.2 at least")
	}
	var unknownCA x509.UnknownAuthorityError
	if _, err := http.Get(s.URL() + "/_emulator/health"); !errors.As(err, &unknownCA) {
		t.Errorf("a client without the certificate got %v, want an unknown authority error", err)
	}
}

// TestTLSWithoutCertificate: a TLS config with no certificate is refused
// at New, not at the first handshake.
func TestTLSWithoutCertificate(t *testing.T) {
	_, err := emulator.New(emulator.Config{TLS: &tls.Config{}})
	if err == nil || !strings.Contains(err.Error(), "TLS: no certificate") {
		t.Fatalf("New = %v, want an error about the missing certificate", err)
	}
}
