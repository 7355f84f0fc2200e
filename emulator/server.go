package emulator

import (
	"context"
	"crypto/tls"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gorilla/mux"

	"github.com/chatlayer-emulator/chatlayer-emulator/emulator/delivery"
	"github.com/chatlayer-emulator/chatlayer-emulator/emulator/lane"
	"github.com/chatlayer-emulator/chatlayer-emulator/openapi"
	"github.com/chatlayer-emulator/chatlayer-emulator/schemas"
)

// Server is an emulated Chatlayer platform: it serves the API, runs the
// bots' dialogs and delivers the bots' messages to the users' webhooks.
// Everything hangs off the Server, so several can run in one process.
type Server struct {
	cfg      Config
	reg      atomic.Pointer[registry]
	store    *store
	turns    *lane.Group          // one lane per conversation: turns run in order
	out      *delivery.Dispatcher // calls to users' endpoints
	schemas  *schemas.Set
	ids      *idSource
	requests *requestJournal
	offloads *recordLog[OffloadRecord] // outcomes of offload requests
	warnings *recordLog[Warning]       // the warnings journal (warnings.go)
	rechecks *rechecks                 // scheduled provider health re-checks (offloading_health.go)
	// warningSeq numbers the warnings.
	warningSeq atomic.Int64
	log        *slog.Logger
	handler    http.Handler
	router     *mux.Router // the router of routes(); read by the route-parity test

	mu     sync.Mutex // guards srv and url
	srv    *http.Server
	url    string
	closed sync.Once
}

// New builds a Server from cfg. It does not listen: use Handler with your
// own http.Server, or Start.
func New(cfg Config) (*Server, error) {
	// Decoding the OpenAPI document is the longest step of start-up (about
	// 15 ms); it runs beside the scenario parsing and is joined before the
	// routes are built.
	decoded := make(chan struct{})
	go func() {
		defer close(decoded)
		openapi.Runtime() // cached per process; an error is reported by validateRequests
	}()
	defer func() { <-decoded }() // joined on every return, even an early one
	cfg = cfg.withDefaults()
	if err := cfg.validate(); err != nil {
		return nil, err
	}
	cfg.Clock = newControlClock(cfg.Clock) // see Server.Clock
	reg, err := newRegistry(cfg)
	if err != nil {
		return nil, err
	}
	s := &Server{
		cfg:      cfg,
		store:    newStore(),
		turns:    lane.New(),
		schemas:  schemas.Default(), // compiled once per process, shared with the scenario parser
		ids:      newIDSource(cfg.Seed),
		requests: newRequestJournal(defaultRequestJournalSize),
		offloads: newRecordLog[OffloadRecord](defaultOffloadLogSize),
		warnings: newRecordLog[Warning](defaultWarningLogSize),
		rechecks: newRechecks(cfg.Clock.Now),
		log:      cfg.Logger,
	}
	s.reg.Store(reg)
	s.out = delivery.New(s.deliveryConfig())
	<-decoded
	s.handler = s.routes()
	s.checkProviders(reg) // asynchronous: start-up does not wait for providers
	return s, nil
}

// deliveryConfig maps the emulator's settings to the dispatcher's.
func (s *Server) deliveryConfig() delivery.Config {
	d := s.cfg.Delivery
	return delivery.Config{
		Retries: d.retries(),
		Backoff: d.backoff(),
		Timeout: d.Timeout,
		Egress:  s.cfg.Egress,
		Now:     s.cfg.Clock.Now,
		Logger:  s.log,
	}
}

// Handler returns the emulator's HTTP handler.
func (s *Server) Handler() http.Handler { return s.handler }

// Start listens on addr (host:port; port 0 picks a free one) and serves in
// a goroutine that Close stops: HTTPS when Config.TLS is set, else HTTP.
func (s *Server) Start(addr string) error {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	s.Serve(ln)
	return nil
}

// Serve serves on ln in a goroutine that Close stops: HTTPS when
// Config.TLS is set, else HTTP.
func (s *Server) Serve(ln net.Listener) {
	srv := &http.Server{
		Handler:           s.handler,
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       30 * time.Second,
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(s.log.Handler(), slog.LevelDebug),
		TLSConfig:         s.tlsConfig(),
	}
	scheme, serve := "http://", srv.Serve
	if srv.TLSConfig != nil {
		// The certificate is in TLSConfig (New checked), so no files.
		scheme, serve = "https://", func(ln net.Listener) error { return srv.ServeTLS(ln, "", "") }
	}
	s.mu.Lock()
	s.srv, s.url = srv, scheme+ln.Addr().String()
	s.mu.Unlock()
	go func() {
		if err := serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			s.log.Error("serving", "err", err)
		}
	}()
}

// tlsConfig returns a copy of Config.TLS with TLS 1.2 as the minimum
// version when none is set, or nil to serve plain HTTP.
func (s *Server) tlsConfig() *tls.Config {
	if s.cfg.TLS == nil {
		return nil
	}
	c := s.cfg.TLS.Clone()
	if c.MinVersion == 0 {
		c.MinVersion = tls.VersionTLS12
	}
	return c
}

// URL returns the base URL the server listens on ("" before Start):
// "https://host:port" with Config.TLS, "http://host:port" without.
func (s *Server) URL() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.url
}

// Close shuts the server down gracefully within the drain timeout.
func (s *Server) Close() error {
	ctx, cancel := context.WithTimeout(context.Background(), s.cfg.Delivery.DrainTimeout)
	defer cancel()
	return s.Shutdown(ctx)
}

// Shutdown stops accepting requests and the scheduled health re-checks of
// offloading providers, finishes the turns in progress, then drains
// pending deliveries until ctx ends; what is still undelivered then is
// marked failed in the journal. It is safe to call more than once.
func (s *Server) Shutdown(ctx context.Context) error {
	var err error
	s.closed.Do(func() {
		s.mu.Lock()
		srv := s.srv
		s.mu.Unlock()
		if srv != nil {
			err = srv.Shutdown(ctx)
		}
		s.rechecks.close()
		err = errors.Join(err, s.turns.Close(ctx), s.out.Close(ctx))
	})
	return err
}

// Flush waits until every accepted message has been processed and every
// resulting delivery has reached its final state, or ctx ends. A delivery
// can queue more work for its conversation (an offload answer resumes the
// dialog), so Flush waits until both are idle at once. It does not wait
// for the scheduled health re-checks of offloading providers, only for
// those already under way.
func (s *Server) Flush(ctx context.Context) error {
	for {
		if err := s.turns.Idle(ctx); err != nil {
			return err
		}
		if err := s.out.Flush(ctx); err != nil {
			return err
		}
		if s.turns.Pending() == 0 {
			return nil
		}
	}
}

// registry returns the current registry.
func (s *Server) registry() *registry { return s.reg.Load() }
