// Package lane runs functions serially per key and concurrently across keys.
//
// A Group keeps one FIFO queue per key. The first function submitted to an
// empty queue starts a goroutine for that key; the goroutine runs the queue
// until it drains and then exits, so an idle key costs nothing. The Group owns
// every goroutine it starts: Close waits for them, and after Close returns nil
// none remains.
//
//	g := lane.New()
//	g.Go("bot/conv-1", sendFirst)
//	g.Go("bot/conv-1", sendSecond) // runs after sendFirst returns
//	g.Go("bot/conv-2", sendOther)  // runs concurrently with conv-1
//	err := g.Close(ctx)
package lane

import (
	"context"
	"sync"
)

// Group is a keyed serial executor. The zero value is not usable; call New.
type Group struct {
	mu sync.Mutex // guards queues, pending, closed and idle

	// queues holds one queue per key that has a running goroutine; the
	// goroutine removes its entry, under mu, when it finds the queue empty.
	queues  map[string]*queue
	pending int           // functions queued or running
	closed  bool          // set by Close; Go refuses work afterwards
	idle    chan struct{} // closed while pending == 0, replaced on 0 -> 1

	wg sync.WaitGroup // counts the key goroutines
}

// queue is the FIFO of one key. It is only accessed with Group.mu held.
type queue struct {
	fns []func()
}

// New returns an empty, open Group.
func New() *Group {
	idle := make(chan struct{})
	close(idle)
	return &Group{queues: make(map[string]*queue), idle: idle}
}

// Go schedules fn to run after every function submitted earlier with the same
// key has returned. Functions of different keys run concurrently. Go never
// waits for fn; it may be called from inside a running function. It returns
// false, and does not run fn, once Close has been called. A panic in fn is
// not recovered.
func (g *Group) Go(key string, fn func()) bool {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.closed {
		return false
	}
	if g.pending == 0 {
		g.idle = make(chan struct{})
	}
	g.pending++
	q, running := g.queues[key]
	if !running {
		q = &queue{}
		g.queues[key] = q
	}
	q.fns = append(q.fns, fn)
	if !running {
		g.wg.Add(1)
		go g.run(key, q)
	}
	return true
}

// run executes the queue of key until it is empty, then exits.
func (g *Group) run(key string, q *queue) {
	defer g.wg.Done()
	g.mu.Lock()
	for len(q.fns) > 0 {
		fn := q.fns[0]
		q.fns[0] = nil // let fn be collected once run
		q.fns = q.fns[1:]
		g.mu.Unlock()
		fn()
		g.mu.Lock()
		g.pending--
		if g.pending == 0 {
			close(g.idle)
		}
	}
	delete(g.queues, key)
	g.mu.Unlock()
}

// Pending returns the number of functions queued or running.
func (g *Group) Pending() int {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.pending
}

// Idle waits until no function is queued or running, or ctx ends, in which
// case it returns ctx.Err(). New work may arrive as soon as it returns.
func (g *Group) Idle(ctx context.Context) error {
	g.mu.Lock()
	idle := g.idle
	g.mu.Unlock()
	select {
	case <-idle:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Close refuses new work and waits until every queued and running function
// has returned, or ctx ends, in which case it returns ctx.Err() and the
// remaining functions still run to completion in the background; call Close
// again to wait for them. After Close returns nil no goroutine of the Group
// remains. Close may be called more than once.
func (g *Group) Close(ctx context.Context) error {
	g.mu.Lock()
	g.closed = true
	g.mu.Unlock()
	if err := g.Idle(ctx); err != nil {
		return err
	}
	// pending is 0, so every goroutine has left its last critical section and
	// is returning: this wait is short and bounded.
	g.wg.Wait()
	return nil
}
