package emulator

import "testing"

func TestHistoryIsBounded(t *testing.T) {
	c := &conversation{}
	for i := 0; i < 10; i++ {
		c.appendHistory(historyEntry{ID: itoa(i)}, 4)
	}
	if len(c.history) != 4 || c.history[0].ID != "6" || c.history[3].ID != "9" {
		t.Fatalf("history = %+v, want the last 4 entries 6..9", c.history)
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
