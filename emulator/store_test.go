package emulator

import (
	"encoding/json"
	"reflect"
	"testing"
	"time"
)

func TestHistoryIsBounded(t *testing.T) {
	c := &conversation{}
	for i := 0; i < 10; i++ {
		c.appendHistory(historyEntry{ID: itoa(i)}, 4)
	}
	var ids []string
	for _, e := range c.historyLocked() {
		ids = append(ids, e.ID)
	}
	if !reflect.DeepEqual(ids, []string{"6", "7", "8", "9"}) {
		t.Fatalf("history = %v, want the last 4 entries 6..9, oldest first", ids)
	}
	if last, _ := c.lastEntry(); last.id != "9" {
		t.Errorf("last entry = %q, want 9", last.id)
	}
	if cap(c.history) > 4 {
		t.Errorf("history capacity %d, want at most the bound 4", cap(c.history))
	}
}

func TestStoredEntryRoundTrip(t *testing.T) {
	at := time.Date(2026, 11, 22, 9, 30, 0, 123456789, time.FixedZone("CET", 3600))
	for _, actor := range []string{actorUser, actorBot, actorAgent} {
		e := historyEntry{ID: "m-1", Actor: actor, IsIntro: actor == actorUser,
			Message: json.RawMessage(`{"text":"hi"}`), CreatedAt: apiTime{at}}
		got := e.store().entry()
		want := e
		want.CreatedAt = apiTime{at.UTC()} // the same instant, read back in UTC
		if !reflect.DeepEqual(got, want) {
			t.Errorf("round trip of %+v = %+v", want, got)
		}
	}
}

func TestRequestJournalIsABoundedRing(t *testing.T) {
	j := newRequestJournal(3)
	for i := 1; i <= 5; i++ {
		j.add(inboundRequest{Path: itoa(i)})
	}
	got := j.list()
	if len(got) != 3 || got[0].Path != "3" || got[2].Path != "5" || got[2].Seq != 5 {
		t.Fatalf("journal = %+v, want paths 3, 4, 5 oldest first", got)
	}
	j.reset()
	if len(j.list()) != 0 {
		t.Fatal("reset kept entries")
	}
}
