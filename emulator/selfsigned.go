package emulator

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"fmt"
	"net"
	"time"
)

// SelfSigned is an HTTPS setup made on the spot, for tests and for
// serve --tls-self-signed: a server certificate signed by a CA made with
// it. The CA's private key is dropped once the certificate is signed.
type SelfSigned struct {
	// Config serves the certificate, TLS 1.2 at least: set it as
	// Config.TLS.
	Config *tls.Config
	// CAPEM is the CA certificate in PEM: what clients must trust.
	CAPEM []byte
	// Pool holds the CA certificate, for Go clients (tls.Config.RootCAs).
	Pool *x509.CertPool
}

// NewSelfSigned makes an ECDSA P-256 CA and a server certificate for
// hosts (DNS names or IP addresses; the first is the common name), signed
// by it; both are valid from an hour before now (clock skew) for validity.
//
//	ss, err := emulator.NewSelfSigned([]string{"127.0.0.1"}, time.Now(), time.Hour)
//	s := emulator.RunT(t, emulator.Config{TLS: ss.Config})
//	client := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: ss.Pool}}}
func NewSelfSigned(hosts []string, now time.Time, validity time.Duration) (*SelfSigned, error) {
	if len(hosts) == 0 {
		return nil, errors.New("self-signed certificate: no host")
	}
	name := pkix.Name{Organization: []string{"chatlayer-emulator"}}
	ca := &x509.Certificate{
		Subject:   pkix.Name{Organization: name.Organization, CommonName: "chatlayer-emulator local CA"},
		NotBefore: now.Add(-time.Hour), NotAfter: now.Add(validity),
		IsCA: true, BasicConstraintsValid: true, MaxPathLenZero: true,
		KeyUsage: x509.KeyUsageCertSign | x509.KeyUsageCRLSign,
	}
	caCert, caKey, err := issue(ca, nil, nil)
	if err != nil {
		return nil, err
	}
	leaf := &x509.Certificate{
		Subject:   pkix.Name{Organization: name.Organization, CommonName: hosts[0]},
		NotBefore: ca.NotBefore, NotAfter: ca.NotAfter,
		KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	for _, h := range hosts {
		if ip := net.ParseIP(h); ip != nil {
			leaf.IPAddresses = append(leaf.IPAddresses, ip)
		} else {
			leaf.DNSNames = append(leaf.DNSNames, h)
		}
	}
	leafCert, leafKey, err := issue(leaf, caCert, caKey)
	if err != nil {
		return nil, err
	}
	pair := tls.Certificate{Certificate: [][]byte{leafCert.Raw}, PrivateKey: leafKey, Leaf: leafCert}
	pool := x509.NewCertPool()
	pool.AddCert(caCert)
	return &SelfSigned{
		Config: &tls.Config{Certificates: []tls.Certificate{pair}, MinVersion: tls.VersionTLS12},
		CAPEM:  pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: caCert.Raw}),
		Pool:   pool,
	}, nil
}

// issue makes a P-256 key for tmpl and signs tmpl with the parent's key,
// or with its own key when parent is nil (a self-signed CA). The serial
// number is random (x509 makes one when the template has none).
func issue(tmpl, parent *x509.Certificate, parentKey *ecdsa.PrivateKey) (*x509.Certificate, *ecdsa.PrivateKey, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, nil, err
	}
	if parent == nil {
		parent, parentKey = tmpl, key
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, parent, &key.PublicKey, parentKey)
	if err != nil {
		return nil, nil, fmt.Errorf("making the certificate of %s: %w", tmpl.Subject.CommonName, err)
	}
	cert, err := x509.ParseCertificate(der)
	return cert, key, err
}
