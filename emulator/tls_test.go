package emulator_test

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/chatlayer-emulator/chatlayer-emulator/emulator"
)

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
	ss, err := emulator.NewSelfSigned([]string{"127.0.0.1"}, time.Now(), time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	pool := ss.Pool
	s := emulator.RunT(t, emulator.Config{TLS: &tls.Config{Certificates: ss.Config.Certificates}}) // no MinVersion: the emulator's 1.2
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
