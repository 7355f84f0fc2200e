package delivery

import (
	"net"
	"net/http"
	"time"

	"github.com/chatlayer-emulator/chatlayer-emulator/emulator/egress"
)

// newClient returns the client a Dispatcher uses and whether the Dispatcher
// owns it (and must close its idle connections on Close).
func newClient(cfg Config) (*http.Client, bool) {
	if cfg.Client != nil {
		c := *cfg.Client
		c.CheckRedirect = noRedirect
		return &c, false
	}
	return &http.Client{Transport: newTransport(cfg.Timeout, cfg.Egress), CheckRedirect: noRedirect}, true
}

// noRedirect makes the client return a 3xx answer instead of following it.
func noRedirect(*http.Request, []*http.Request) error {
	return http.ErrUseLastResponse
}

// newTransport is tuned for many short calls to few hosts. The per-attempt
// context deadline bounds every phase; the dial and TLS timeouts only stop
// a single phase from using the whole budget silently. It ignores proxy
// environment variables, so that where a delivery goes depends only on its
// URL; give Config.Client to use a proxy. The egress policy checks every
// address the dialer connects to, after DNS resolution.
func newTransport(timeout time.Duration, policy egress.Policy) *http.Transport {
	dialer := &net.Dialer{Timeout: timeout, KeepAlive: 30 * time.Second, Control: policy.Control}
	return &http.Transport{
		DialContext:           dialer.DialContext,
		ForceAttemptHTTP2:     true,
		MaxIdleConns:          256,
		MaxIdleConnsPerHost:   64,
		IdleConnTimeout:       90 * time.Second,
		TLSHandshakeTimeout:   timeout,
		ExpectContinueTimeout: time.Second,
	}
}
