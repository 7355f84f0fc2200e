package delivery

import (
	"log/slog"
	"net/http"
	"time"

	"github.com/chatlayer-emulator/chatlayer-emulator/emulator/egress"
)

// Defaults applied by New to zero Config fields.
const (
	DefaultRetries     = 3
	DefaultBackoff     = time.Second
	DefaultTimeout     = 10 * time.Second
	DefaultMaxRead     = 1 << 20  // 1 MiB
	DefaultKeepBytes   = 20 << 10 // 20 KiB
	DefaultJournalSize = 10000
)

// Config tunes a Dispatcher. Zero fields take the defaults above.
type Config struct {
	// Client makes the calls. nil means a client owned by the Dispatcher
	// (closed by Close) with a tuned Transport. A given client is copied
	// with CheckRedirect replaced so that redirects are never followed.
	Client *http.Client
	// Egress says which addresses the Dispatcher's own client may connect
	// to (the zero value is egress.Default). A given Client is used as it
	// is: its Transport applies its own policy, if any.
	Egress egress.Policy
	// Retries after the first attempt; 0 means 3, a negative value none.
	Retries int
	// Backoff before retry i (1-based) is Backoff * 2^(i-1); 0 means 1 s,
	// a negative value no wait.
	Backoff time.Duration
	// Timeout bounds each attempt: connect, headers and body (default 10 s).
	Timeout time.Duration
	// MaxRead caps how much of an answer is read.
	MaxRead int64
	// KeepBytes is how much of each answer the journal keeps (at most
	// MaxRead).
	KeepBytes int64
	// JournalSize caps the deliveries kept; the oldest terminal ones are
	// evicted first. Pending deliveries are never evicted.
	JournalSize int
	// Now stamps journal times (default time.Now). Latency is measured
	// with the monotonic clock regardless.
	Now func() time.Time
	// Logger receives one debug line per attempt and one warning per failed
	// delivery. nil discards.
	Logger *slog.Logger
}

// withDefaults returns cfg with every zero field set to its default.
func (cfg Config) withDefaults() Config {
	if cfg.Retries == 0 {
		cfg.Retries = DefaultRetries
	}
	cfg.Retries = max(cfg.Retries, 0)
	if cfg.Backoff == 0 {
		cfg.Backoff = DefaultBackoff
	}
	cfg.Backoff = max(cfg.Backoff, 0)
	if cfg.Timeout <= 0 {
		cfg.Timeout = DefaultTimeout
	}
	if cfg.MaxRead <= 0 {
		cfg.MaxRead = DefaultMaxRead
	}
	if cfg.KeepBytes <= 0 {
		cfg.KeepBytes = DefaultKeepBytes
	}
	cfg.KeepBytes = min(cfg.KeepBytes, cfg.MaxRead)
	if cfg.JournalSize <= 0 {
		cfg.JournalSize = DefaultJournalSize
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	return cfg
}

// backoff returns the wait before retry i (1-based).
func (cfg Config) backoff(i int) time.Duration {
	if cfg.Backoff <= 0 {
		return 0
	}
	shift := min(i-1, 30) // 2^30 s is far beyond any useful schedule
	return cfg.Backoff << shift
}
