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
