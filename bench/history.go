package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"time"

	"github.com/chatlayer-emulator/chatlayer-emulator/bench/reference"
	"github.com/chatlayer-emulator/chatlayer-emulator/emulator"
)

// historyTurns is how many FAQ texts each history conversation gets.
const historyTurns = 3

// historyTarget is the target for history GET.
var historyTarget = &target{"≥ 0.6× reference", func(r row) bool { return r.ratio.med >= 0.6 }}

// measureHistory loads GET /api/bots/demo/history/<conversation> of an
// emulator that holds one conversation per client, against a bare handler
// that answers the same bytes on the same route.
func measureHistory(o options, logf logFunc) ([]row, error) {
	s, err := emulator.New(emulator.Config{RateLimit: emulator.RateLimit{Off: true}})
	if err != nil {
		return nil, err
	}
	defer s.Close()
	if err := s.Start("127.0.0.1:0"); err != nil {
		return nil, err
	}
	g := newGetter(newClient(o.concurrency), s.URL(), o.concurrency)
	defer g.close()
	bodies, err := g.fill(s)
	if err != nil {
		return nil, err
	}
	m := http.NewServeMux()
	m.Handle(reference.HistoryPath, reference.HistoryHandler(accessToken, bodies))
	bare, err := listen(m)
	if err != nil {
		return nil, err
	}
	defer bare.close()
	ref := newGetter(newClient(o.concurrency), bare.url, o.concurrency)
	defer ref.close()
	return historyRows(o, logf, g, ref)
}

// historyRows runs the rotated rounds and builds the rows.
func historyRows(o options, logf logFunc, emu, ref *getter) ([]row, error) {
	load := func(name string, g *getter) side {
		return func(round int, d time.Duration) (result, error) {
			res := generate(o.concurrency, d, g.request)
			logf("%s: %d ok, %d errors, %.0f/s, p50 %v, p99 %v", roundName("history", name, round),
				res.n, res.errs, res.rate(), res.quantile(0.5), res.quantile(0.99))
			return res, res.firstErr
		}
	}
	res, err := warmRotated(o, load("emulator", emu), load("reference", ref))
	if err != nil {
		return nil, err
	}
	return requestRows("history GET: ", res[0], res[1], historyTarget, nil), nil
}

// getter GETs the history of one conversation per worker.
type getter struct {
	client *http.Client
	base   string
	ids    []string
}

// newGetter names the conversations hist-00 … of workers.
func newGetter(client *http.Client, baseURL string, workers int) *getter {
	g := &getter{client: client, base: baseURL}
	for w := range workers {
		g.ids = append(g.ids, fmt.Sprintf("hist-%02d", w))
	}
	return g
}

// url is worker w's history URL.
func (g *getter) url(w int) string {
	return g.base + "/api/bots/demo/history/" + g.ids[w] + "?access_token=" + accessToken
}

// fill creates the conversations on the emulator s and returns the
// emulator's history answer for each.
func (g *getter) fill(s *emulator.Server) (map[string][]byte, error) {
	p := newPoster(g.client, s.URL(), "", 0)
	for _, id := range g.ids {
		p.ids, p.bodies = []string{id}, [][]byte{messageBody(id)}
		for range historyTurns {
			if err := p.post(0); err != nil {
				return nil, err
			}
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), settleTimeout)
	defer cancel()
	if err := s.Flush(ctx); err != nil {
		return nil, err
	}
	bodies := make(map[string][]byte, len(g.ids))
	for w, id := range g.ids {
		b, err := g.get(w)
		if err != nil {
			return nil, err
		}
		var h struct{ Count int }
		if err := json.Unmarshal(b, &h); err != nil || h.Count != 2*historyTurns {
			return nil, fmt.Errorf("history of %s: count %d, want %d (%v)", id, h.Count, 2*historyTurns, err)
		}
		bodies[id] = b
	}
	return bodies, nil
}

// get fetches worker w's history and checks for 200.
func (g *getter) get(w int) ([]byte, error) {
	resp, err := g.client.Get(g.url(w))
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("GET history %s: status %d", g.ids[w], resp.StatusCode)
	}
	return b, err
}

// request is an op: one history GET, timed to the end of the answer.
func (g *getter) request(w int) (time.Duration, error) {
	t0 := time.Now()
	_, err := g.get(w)
	return time.Since(t0), err
}

// close closes the getter's idle connections.
func (g *getter) close() { g.client.CloseIdleConnections() }
