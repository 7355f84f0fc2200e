package emulator

import "sync"

// scoped is a record that belongs to a bot and a conversation.
type scoped interface {
	scope() (bot, conversation string)
}

// recordLog is a bounded log of records, oldest first: the offload log
// and the warnings journal.
type recordLog[T scoped] struct {
	mu      sync.Mutex // guards records
	records []T
	size    int
}

// newRecordLog returns a log keeping the last size records.
func newRecordLog[T scoped](size int) *recordLog[T] { return &recordLog[T]{size: size} }

// add appends a record, dropping the oldest past the bound.
func (l *recordLog[T]) add(r T) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if len(l.records) >= l.size {
		l.records = append(l.records[:0], l.records[len(l.records)-l.size+1:]...)
	}
	l.records = append(l.records, r)
}

// list returns the records of a bot and conversation ("" matches all).
func (l *recordLog[T]) list(bot, conversation string) []T {
	l.mu.Lock()
	defer l.mu.Unlock()
	var out []T
	for _, r := range l.records {
		if inScope(r, bot, conversation) {
			out = append(out, r)
		}
	}
	return out
}

// reset forgets the records of a bot and conversation ("" matches all).
func (l *recordLog[T]) reset(bot, conversation string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	kept := l.records[:0]
	for _, r := range l.records {
		if !inScope(r, bot, conversation) {
			kept = append(kept, r)
		}
	}
	clear(l.records[len(kept):])
	l.records = kept
}

// inScope reports whether r belongs to bot and conversation ("" matches
// all).
func inScope(r scoped, bot, conversation string) bool {
	b, c := r.scope()
	return (bot == "" || b == bot) && (conversation == "" || c == conversation)
}
