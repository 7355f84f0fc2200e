package emulator

import (
	"math/rand/v2"
	"strconv"
	"sync"
	"time"
)

// Clock tells the time to the dialog engine, the journals and the session
// store. Tests inject a ManualClock to make time deterministic.
type Clock interface {
	Now() time.Time
}

// systemClock is the wall clock.
type systemClock struct{}

// Now returns the current time in UTC.
func (systemClock) Now() time.Time { return time.Now().UTC() }

// ManualClock is a Clock that only moves when told to. It is safe for
// concurrent use.
type ManualClock struct {
	mu  sync.Mutex // guards now
	now time.Time
}

// NewManualClock returns a ManualClock set to t.
func NewManualClock(t time.Time) *ManualClock { return &ManualClock{now: t.UTC()} }

// Now returns the clock's time.
func (c *ManualClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// Set moves the clock to t.
func (c *ManualClock) Set(t time.Time) {
	c.mu.Lock()
	c.now = t.UTC()
	c.mu.Unlock()
}

// Advance moves the clock forward by d.
func (c *ManualClock) Advance(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
}

// idSource makes the ids of stored messages: 24 hex characters, like the
// ids in Chatlayer's history examples, from a seeded generator so that a
// seeded emulator produces the same ids on every run.
type idSource struct {
	mu  sync.Mutex // guards rng
	rng *rand.Rand
}

// newIDSource returns an idSource seeded with seed.
func newIDSource(seed uint64) *idSource {
	return &idSource{rng: rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))}
}

// next returns a fresh 24-hex id.
func (s *idSource) next() string {
	s.mu.Lock()
	a, b := s.rng.Uint64(), s.rng.Uint32()
	s.mu.Unlock()
	return hex16(a) + hex8(b)
}

// hex16 formats v as 16 hex digits.
func hex16(v uint64) string {
	s := strconv.FormatUint(v, 16)
	return zeros[:16-len(s)] + s
}

// hex8 formats v as 8 hex digits.
func hex8(v uint32) string {
	s := strconv.FormatUint(uint64(v), 16)
	return zeros[:8-len(s)] + s
}

const zeros = "0000000000000000"

// itoa formats an int.
func itoa(i int) string { return strconv.Itoa(i) }
