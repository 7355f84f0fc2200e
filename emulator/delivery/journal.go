package delivery

import (
	"bytes"
	"context"
	"fmt"
	"slices"
	"sync"
	"time"
)

// Journal records every delivery of a Dispatcher and its attempts. It keeps
// at most JournalSize deliveries, evicting the oldest terminal ones first;
// pending deliveries are never evicted, so the journal exceeds its size only
// while more deliveries than that are pending. All methods are safe for
// concurrent use and return copies.
type Journal struct {
	now  func() time.Time
	size int

	mu      sync.Mutex // guards the fields below; never held across I/O
	seq     int64
	byID    map[string]*Delivery // the live records: a record is live while byID holds it
	entries []*Delivery          // in Seq order; may still hold records no longer live (compacted lazily)
	done    []*Delivery          // terminal records in completion order, oldest first (may hold dead ones)
	// terminal counts the live terminal records.
	terminal int
	changed  chan struct{} // closed and replaced on a change once handed out
	// watched says changed was handed out since it was made: a change
	// only needs a new channel when somebody holds the current one.
	watched bool
}

// Filter selects deliveries. Empty fields match everything.
type Filter struct {
	Bot          string
	Conversation string
	Kind         Kind
	State        State
	// Since keeps the deliveries made after a mark: those whose Seq is
	// greater (0: all). Take the mark with Journal.Mark before the action
	// whose deliveries you want, so that a second message's wait does not
	// count the first message's replies.
	Since int64
}

// match reports whether d passes f.
func (f Filter) match(d *Delivery) bool {
	return (f.Bot == "" || f.Bot == d.Bot) &&
		(f.Conversation == "" || f.Conversation == d.Conversation) &&
		(f.Kind == "" || f.Kind == d.Kind) &&
		(f.State == "" || f.State == d.State) &&
		d.Seq > f.Since
}

// newJournal returns an empty journal.
func newJournal(size int, now func() time.Time) *Journal {
	return &Journal{now: now, size: size, byID: make(map[string]*Delivery), changed: make(chan struct{})}
}

// List returns the deliveries that match f, in Seq order.
func (j *Journal) List(f Filter) []Delivery {
	j.mu.Lock()
	defer j.mu.Unlock()
	return j.listLocked(f, false)
}

// listLocked returns copies of the matching deliveries, only terminal ones
// if terminal is set. j.mu must be held.
func (j *Journal) listLocked(f Filter, terminal bool) []Delivery {
	var out []Delivery
	for _, d := range j.entries {
		if j.live(d) && f.match(d) && (!terminal || d.Terminal()) {
			out = append(out, clone(d))
		}
	}
	return out
}

// Mark returns the Seq of the latest delivery recorded, 0 before the
// first: a Filter whose Since is the mark matches only the deliveries made
// after this call. Seqs are never reused, not even after Reset.
func (j *Journal) Mark() int64 {
	j.mu.Lock()
	defer j.mu.Unlock()
	return j.seq
}

// Get returns the delivery with the given id, if the journal still holds it.
func (j *Journal) Get(id string) (Delivery, bool) {
	j.mu.Lock()
	defer j.mu.Unlock()
	d, ok := j.byID[id]
	if !ok {
		return Delivery{}, false
	}
	return clone(d), true
}

// Wait blocks until at least n terminal deliveries match f and returns all
// terminal matches, or until ctx ends, in which case it returns the terminal
// matches so far and ctx.Err().
func (j *Journal) Wait(ctx context.Context, f Filter, n int) ([]Delivery, error) {
	for {
		j.mu.Lock()
		got := j.listLocked(f, true)
		changed := j.watchLocked()
		j.mu.Unlock()
		if len(got) >= n {
			return got, nil
		}
		select {
		case <-changed:
		case <-ctx.Done():
			return got, ctx.Err()
		}
	}
}

// Changed returns a channel that is closed at the journal's next change: a
// delivery added, an attempt recorded, a delivery finished, evicted or reset.
// Take the channel before reading the state it should signal a change of.
func (j *Journal) Changed() <-chan struct{} {
	j.mu.Lock()
	defer j.mu.Unlock()
	return j.watchLocked()
}

// watchLocked hands out the channel of the next change. j.mu must be held.
func (j *Journal) watchLocked() chan struct{} {
	j.watched = true
	return j.changed
}

// Reset forgets the terminal deliveries that match f; an empty filter
// forgets every terminal delivery. Pending deliveries are kept, and ids are
// never reused.
func (j *Journal) Reset(f Filter) {
	j.mu.Lock()
	defer j.mu.Unlock()
	for _, d := range j.entries {
		if j.live(d) && d.Terminal() && f.match(d) {
			delete(j.byID, d.ID)
			j.terminal--
		}
	}
	j.compactLocked(true)
	j.notifyLocked()
}

// add records d as a new pending delivery and returns its id.
func (j *Journal) add(d Delivery) string {
	j.mu.Lock()
	defer j.mu.Unlock()
	j.seq++
	d.Seq = j.seq
	d.ID = fmt.Sprintf("d-%06d", j.seq)
	d.State = StatePending
	d.CreatedAt = j.now()
	if d.Header != nil {
		d.Header.Set(HeaderDeliveryID, d.ID)
	}
	j.entries = append(j.entries, &d)
	j.byID[d.ID] = &d
	j.evictLocked()
	j.notifyLocked()
	return d.ID
}

// addAttempt appends a to delivery id and makes body its last answer.
func (j *Journal) addAttempt(id string, a Attempt, body []byte) {
	j.mu.Lock()
	defer j.mu.Unlock()
	d := j.byID[id] // pending deliveries are never evicted
	d.Attempts = append(d.Attempts, a)
	d.Status = a.Status
	d.ResponseBody = body
	j.notifyLocked()
}

// finish makes delivery id terminal and, if want is set, returns a copy of
// it (the zero Delivery otherwise: a copy costs a few allocations, and
// most deliveries have no reader).
func (j *Journal) finish(id string, state State, errText string, want bool) Delivery {
	j.mu.Lock()
	defer j.mu.Unlock()
	d := j.byID[id]
	d.State = state
	d.Error = errText
	d.CompletedAt = j.now()
	j.terminal++
	j.done = append(j.done, d)
	var out Delivery
	if want {
		out = clone(d)
	}
	j.evictLocked()
	j.notifyLocked()
	return out
}

// evictLocked drops the oldest terminal deliveries (in completion order)
// while the journal holds more than its size. Pending deliveries are never
// evicted. Amortized O(1): records are unlinked from byID at once and from
// the slices by compactLocked. j.mu must be held.
func (j *Journal) evictLocked() {
	for len(j.byID) > j.size && j.terminal > 0 {
		d := j.done[0]
		j.done[0] = nil
		j.done = j.done[1:]
		if j.live(d) {
			delete(j.byID, d.ID)
			j.terminal--
		}
	}
	j.compactLocked(false)
}

// live reports whether the journal still holds record d. j.mu must be held.
func (j *Journal) live(d *Delivery) bool { return j.byID[d.ID] == d }

// compactLocked drops dead records from entries and done once they are
// more than half of them (or always, when force is set). j.mu must be held.
func (j *Journal) compactLocked(force bool) {
	if force || len(j.entries) > 2*len(j.byID)+64 {
		j.entries = slices.DeleteFunc(j.entries, func(d *Delivery) bool { return !j.live(d) })
	}
	if force || len(j.done) > 2*j.terminal+64 {
		j.done = slices.DeleteFunc(j.done, func(d *Delivery) bool { return !j.live(d) })
	}
}

// notifyLocked wakes every waiter. j.mu must be held.
func (j *Journal) notifyLocked() {
	if !j.watched {
		return
	}
	close(j.changed)
	j.changed = make(chan struct{})
	j.watched = false
}

// clone returns a copy of d that shares no mutable memory with it.
func clone(d *Delivery) Delivery {
	out := *d
	out.Attempts = slices.Clone(d.Attempts)
	out.Header = d.Header.Clone()
	out.ResponseBody = bytes.Clone(d.ResponseBody)
	return out
}
