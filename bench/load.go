package main

import (
	"bytes"
	"cmp"
	"errors"
	"fmt"
	"io"
	"net/http"
	"slices"
	"sync"
	"time"
)

// result is what one side did in one round of load.
type result struct {
	n, errs  int
	firstErr error
	elapsed  time.Duration
	lat      []time.Duration // sorted
	lag      []time.Duration // sorted; paced rounds: how late each request started
}

// rate is operations per second.
func (r result) rate() float64 { return float64(r.n) / r.elapsed.Seconds() }

// quantile returns the q-quantile of the latencies (nearest rank).
func (r result) quantile(q float64) time.Duration { return nearestRank(r.lat, q) }

// nearestRank returns the q-quantile of sorted durations.
func nearestRank(sorted []time.Duration, q float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	i := int(q*float64(len(sorted))+0.5) - 1
	return sorted[max(0, min(i, len(sorted)-1))]
}

// op is one operation of worker w; it returns the latency to record.
type op func(w int) (time.Duration, error)

// generate runs workers goroutines, each calling do in a loop for d, and
// returns once every one of them has stopped.
func generate(workers int, d time.Duration, do op) result {
	lats := make([][]time.Duration, workers)
	errs := make([]error, workers)
	errCounts := make([]int, workers)
	var wg sync.WaitGroup
	start := time.Now()
	deadline := start.Add(d)
	for w := range workers {
		wg.Go(func() {
			lats[w], errCounts[w], errs[w] = loop(w, deadline, do)
		})
	}
	wg.Wait()
	return merge(lats, errCounts, errs, time.Since(start))
}

// loop calls do until deadline and keeps the latencies of its successes.
func loop(w int, deadline time.Time, do op) ([]time.Duration, int, error) {
	lat := make([]time.Duration, 0, 4096)
	var n int
	var first error
	for time.Now().Before(deadline) {
		d, err := do(w)
		if err != nil {
			n++
			first = cmp.Or(first, err)
			continue
		}
		lat = append(lat, d)
	}
	return lat, n, first
}

// merge joins the workers' records into one sorted result.
func merge(lats [][]time.Duration, errCounts []int, errs []error, elapsed time.Duration) result {
	r := result{elapsed: elapsed, lat: slices.Concat(lats...)}
	slices.Sort(r.lat)
	r.n = len(r.lat)
	for i, c := range errCounts {
		r.errs += c
		r.firstErr = cmp.Or(r.firstErr, errs[i])
	}
	return r
}

// poster sends v1 user messages with the FAQ text, one conversation per
// worker, over a keep-alive client of its own.
type poster struct {
	client *http.Client
	url    string
	ids    []string
	bodies [][]byte
}

// newPoster prepares the bodies of conversations prefix-00 … for workers,
// to be sent with client.
func newPoster(client *http.Client, baseURL, prefix string, workers int) *poster {
	p := &poster{client: client, url: baseURL + messagePath}
	for w := range workers {
		id := fmt.Sprintf("%s-%02d", prefix, w)
		p.ids = append(p.ids, id)
		p.bodies = append(p.bodies, messageBody(id))
	}
	return p
}

// newClient returns a keep-alive client that keeps a connection per worker.
func newClient(workers int) *http.Client {
	return &http.Client{
		Transport: &http.Transport{
			MaxIdleConns:        2 * workers,
			MaxIdleConnsPerHost: 2 * workers,
			IdleConnTimeout:     90 * time.Second,
			DisableCompression:  true,
		},
		Timeout: 30 * time.Second,
	}
}

// post sends worker w's message and checks for 202.
func (p *poster) post(w int) error {
	req, err := http.NewRequest(http.MethodPost, p.url, bytes.NewReader(p.bodies[w]))
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", "Bearer "+accessToken)
	req.Header.Set("Content-Type", "application/json")
	resp, err := p.client.Do(req)
	if err != nil {
		return err
	}
	_, err = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusAccepted {
		return fmt.Errorf("POST %s: status %d", p.url, resp.StatusCode)
	}
	return err
}

// request is an op: one POST, timed from the start of the request to the
// end of the answer.
func (p *poster) request(w int) (time.Duration, error) {
	t0 := time.Now()
	err := p.post(w)
	return time.Since(t0), err
}

// errNoDelivery is a turn whose delivery did not reach the sink in time.
var errNoDelivery = errors.New("no delivery within " + turnTimeout.String())

// turns returns an op that sends worker w's message and waits for its
// delivery on arrived[w]: the latency runs from the start of the request
// to the delivery's arrival at the sink.
func (p *poster) turns(arrived []<-chan time.Time) op {
	return func(w int) (time.Duration, error) {
		drainArrivals(arrived[w])
		t0 := time.Now()
		if err := p.post(w); err != nil {
			return 0, err
		}
		select {
		case at := <-arrived[w]:
			return at.Sub(t0), nil
		case <-time.After(turnTimeout):
			return 0, errNoDelivery
		}
	}
}

// drainArrivals drops arrivals left over from a timed-out turn.
func drainArrivals(ch <-chan time.Time) {
	for {
		select {
		case <-ch:
		default:
			return
		}
	}
}

// close closes the poster's idle connections.
func (p *poster) close() { p.client.CloseIdleConnections() }
