package lane_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"go.uber.org/goleak"

	"github.com/chatlayer-emulator/chatlayer-emulator/emulator/lane"
)

func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}

// guard bounds how long a test waits for something that must happen; it only
// turns a hang into a failure and never decides an outcome.
const guard = 10 * time.Second

func recv(t *testing.T, ch <-chan struct{}, what string) {
	t.Helper()
	select {
	case <-ch:
	case <-time.After(guard):
		t.Fatalf("timed out waiting for %s", what)
	}
}

func closeGroup(t *testing.T, g *lane.Group) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), guard)
	defer cancel()
	if err := g.Close(ctx); err != nil {
		t.Fatalf("Close: %v", err)
	}
}

// TestOrderPerKey relies on the race detector as well as on the recorded
// order: each key's slice is written without a lock, which is only safe if
// the functions of one key never overlap.
func TestOrderPerKey(t *testing.T) {
	const keys, perKey = 50, 200
	g := lane.New()
	got := make([][]int, keys)
	for i := range perKey {
		for k := range keys {
			ok := g.Go(fmt.Sprintf("key-%d", k), func() { got[k] = append(got[k], i) })
			if !ok {
				t.Fatal("Go returned false on an open group")
			}
		}
	}
	closeGroup(t, g)
	for k := range keys {
		if len(got[k]) != perKey {
			t.Fatalf("key %d: ran %d fns, want %d", k, len(got[k]), perKey)
		}
		for i, v := range got[k] {
			if v != i {
				t.Fatalf("key %d: position %d ran fn %d", k, i, v)
			}
		}
	}
}

func TestOrderWithConcurrentSubmitters(t *testing.T) {
	g := lane.New()
	var mu sync.Mutex
	var got []int
	var wg sync.WaitGroup
	for s := range 8 {
		wg.Go(func() {
			for i := range 100 {
				g.Go(fmt.Sprint(s), func() {
					mu.Lock()
					got = append(got, s*1000+i)
					mu.Unlock()
				})
			}
		})
	}
	wg.Wait()
	closeGroup(t, g)
	last := map[int]int{}
	for _, v := range got {
		s, i := v/1000, v%1000
		if prev, seen := last[s]; seen && i != prev+1 {
			t.Fatalf("submitter %d: fn %d ran after fn %d", s, i, prev)
		}
		last[s] = i
	}
	if len(got) != 800 {
		t.Fatalf("ran %d fns, want 800", len(got))
	}
}

func TestBlockedKeyDoesNotBlockOthers(t *testing.T) {
	g := lane.New()
	release := make(chan struct{})
	started := make(chan struct{})
	g.Go("slow", func() { close(started); <-release })
	recv(t, started, "slow fn to start")

	done := make(chan struct{})
	released := false // written before close(release), read after it
	g.Go("slow", func() {
		if !released {
			t.Error("second slow fn ran before the first returned")
		}
	})
	g.Go("fast", func() { close(done) })
	recv(t, done, "fast key while slow key is blocked")

	// The second "slow" fn may not have run yet: the first is still blocked.
	if got, want := g.Pending(), 2; got != want {
		t.Errorf("Pending() = %d, want %d", got, want)
	}
	released = true
	close(release)
	closeGroup(t, g)
}

func TestIdle(t *testing.T) {
	g := lane.New()
	if err := g.Idle(context.Background()); err != nil {
		t.Fatalf("Idle on a new group: %v", err)
	}
	release := make(chan struct{})
	g.Go("a", func() { <-release })
	g.Go("a", func() {})
	g.Go("b", func() {})

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := g.Idle(ctx); !errors.Is(err, context.Canceled) {
		t.Fatalf("Idle with a blocked fn = %v, want context.Canceled", err)
	}
	idle := make(chan struct{})
	go func() {
		if err := g.Idle(context.Background()); err != nil {
			t.Errorf("Idle: %v", err)
		}
		close(idle)
	}()
	close(release)
	recv(t, idle, "Idle after release")
	if got := g.Pending(); got != 0 {
		t.Errorf("Pending() after Idle = %d, want 0", got)
	}
	// The group is reusable after it became idle.
	ran := make(chan struct{})
	g.Go("a", func() { close(ran) })
	recv(t, ran, "fn submitted after idle")
	closeGroup(t, g)
}

func TestGoFromInsideFn(t *testing.T) {
	g := lane.New()
	var got []string
	g.Go("k", func() {
		got = append(got, "outer")
		g.Go("k", func() { got = append(got, "inner") })
	})
	if err := g.Idle(context.Background()); err != nil {
		t.Fatal(err)
	}
	closeGroup(t, g)
	if fmt.Sprint(got) != "[outer inner]" {
		t.Fatalf("got %v, want [outer inner]", got)
	}
}

func TestClose(t *testing.T) {
	g := lane.New()
	release := make(chan struct{})
	started := make(chan struct{})
	ran := 0
	g.Go("k", func() { close(started); <-release })
	g.Go("k", func() { ran++ })
	g.Go("k", func() { ran++ })
	recv(t, started, "first fn")

	expired, cancel := context.WithCancel(context.Background())
	cancel()
	if err := g.Close(expired); !errors.Is(err, context.Canceled) {
		t.Fatalf("Close with expired ctx = %v, want context.Canceled", err)
	}
	if g.Go("k", func() { t.Error("fn ran after Close") }) {
		t.Fatal("Go after Close returned true")
	}
	close(release)
	closeGroup(t, g) // queued fns still run
	if ran != 2 {
		t.Fatalf("queued fns ran %d times, want 2", ran)
	}
	if got := g.Pending(); got != 0 {
		t.Fatalf("Pending() after Close = %d, want 0", got)
	}
	closeGroup(t, g) // idempotent
}

func BenchmarkGo(b *testing.B) {
	g := lane.New()
	keys := make([]string, 64)
	for i := range keys {
		keys[i] = fmt.Sprint("key-", i)
	}
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		g.Go(keys[i%len(keys)], func() {})
	}
	if err := g.Close(context.Background()); err != nil {
		b.Fatal(err)
	}
}
