package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"runtime"
	"time"

	"github.com/chatlayer-emulator/chatlayer-emulator/bench/reference"
	"github.com/chatlayer-emulator/chatlayer-emulator/emulator"
	"github.com/chatlayer-emulator/chatlayer-emulator/openapi"
)

// actionsBody is the action of every request: session data, as a bridge
// sets when an agent takes a conversation over. It sends no message, so
// the emulator makes no delivery; it does run a job on the conversation's
// lane after answering.
var actionsBody = []byte(`{"setSession":{"ticket.status":"open"}}`)

// The targets for a validated conversation-actions POST.
var (
	actionsRateTarget = &target{"≥ 0.9× reference", func(r row) bool { return r.ratio.med >= 0.9 }}
	actionsP99Target  = &target{"≤ 2× reference", func(r row) bool { return r.ratio.med <= 2 }}
)

// measureActions loads POST /v1/bots/demo/conversations/<id>/actions of an
// emulator that holds one conversation per client, against a bare handler
// that answers the same status and body behind kin-openapi request
// validation (openapi.Middleware) of the same embedded document.
func measureActions(o options, logf logFunc) ([]row, error) {
	if !o.only.has(groupActions) {
		return nil, nil
	}
	s, err := startEmulator("")
	if err != nil {
		return nil, err
	}
	defer s.Close()
	emu := newActor(newClient(o.concurrency), s.URL(), o.concurrency)
	defer emu.close()
	want, err := emu.fill(s)
	if err != nil {
		return nil, err
	}
	bare, err := listenValidatedActions(emu.ids)
	if err != nil {
		return nil, err
	}
	defer bare.close()
	ref := newActor(newClient(o.concurrency), bare.url, o.concurrency)
	defer ref.close()
	if err := ref.check(want); err != nil {
		return nil, err
	}
	return actionsRows(o, logf, s, emu, ref)
}

// listenValidatedActions serves the bare actions handler for ids behind
// the OpenAPI middleware, on loopback.
func listenValidatedActions(ids []string) (*loopback, error) {
	doc, err := openapi.Runtime()
	if err != nil {
		return nil, err
	}
	mw, err := openapi.Middleware(doc, openapi.Options{
		MaxBodyBytes: emulator.DefaultMaxBodyBytes,
		Authorized:   func(*http.Request, string, map[string]string) bool { return true },
	})
	if err != nil {
		return nil, err
	}
	m := http.NewServeMux()
	m.Handle(reference.ActionsPath, reference.ActionsHandler(accessToken, ids))
	return listen(mw(m))
}

// actionsRows runs the rotated rounds and builds the rows. Between rounds
// the emulator finishes the jobs the answers left on the lanes; its
// conversations stay.
func actionsRows(o options, logf logFunc, s *emulator.Server, emu, ref *actor) ([]row, error) {
	load := func(name string, a *actor, settle func() error) side {
		return func(round int, d time.Duration) (result, error) {
			res := generate(o.concurrency, d, a.request)
			began := time.Now()
			err := settle()
			runtime.GC()
			logf("%s: %d ok, %d errors, %.0f/s, p50 %v, p99 %v; settled in %v", roundName("actions", name, round),
				res.n, res.errs, res.rate(), res.quantile(0.5), res.quantile(0.99), time.Since(began).Round(time.Millisecond))
			return res, errors.Join(res.firstErr, err)
		}
	}
	flush := func() error {
		ctx, cancel := context.WithTimeout(context.Background(), settleTimeout)
		defer cancel()
		return s.Flush(ctx)
	}
	res, err := warmRotated(o, load("emulator", emu, flush), load("reference", ref, func() error { return nil }))
	if err != nil {
		return nil, err
	}
	return requestRows("validated actions POST (setSession), vs kin-openapi: ", res[0], res[1], actionsRateTarget, actionsP99Target), nil
}

// actor POSTs actionsBody to the actions route of one conversation per
// worker.
type actor struct {
	client *http.Client
	base   string
	ids    []string
}

// newActor names the conversations act-00 … of workers.
func newActor(client *http.Client, baseURL string, workers int) *actor {
	a := &actor{client: client, base: baseURL}
	for w := range workers {
		a.ids = append(a.ids, fmt.Sprintf("act-%02d", w))
	}
	return a
}

// url is worker w's actions URL.
func (a *actor) url(w int) string {
	return a.base + "/v1/bots/demo/conversations/" + a.ids[w] + "/actions?version=DRAFT"
}

// fill creates the conversations on the emulator s with one user message
// each, applies the action once to each and returns the emulator's
// answers, by worker.
func (a *actor) fill(s *emulator.Server) ([][]byte, error) {
	p := newPoster(a.client, s.URL(), "", 0)
	for _, id := range a.ids {
		p.ids, p.bodies = []string{id}, [][]byte{messageBody(id)}
		if err := p.post(0); err != nil {
			return nil, err
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), settleTimeout)
	defer cancel()
	if err := s.Flush(ctx); err != nil {
		return nil, err
	}
	answers := make([][]byte, len(a.ids))
	for w := range a.ids {
		b, err := a.post(w)
		if err != nil {
			return nil, err
		}
		answers[w] = b
	}
	return answers, s.Flush(ctx)
}

// check compares the actor's answers with want, by worker.
func (a *actor) check(want [][]byte) error {
	for w, id := range a.ids {
		got, err := a.post(w)
		if err != nil {
			return err
		}
		if !bytes.Equal(bytes.TrimSpace(got), bytes.TrimSpace(want[w])) {
			return fmt.Errorf("actions answer for %s: reference %s, emulator %s", id, got, want[w])
		}
	}
	return nil
}

// post sends worker w's action and checks for 200.
func (a *actor) post(w int) ([]byte, error) {
	req, err := http.NewRequest(http.MethodPost, a.url(w), bytes.NewReader(actionsBody))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Authorization", "Bearer "+accessToken)
	req.Header.Set("Content-Type", "application/json")
	resp, err := a.client.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("POST %s: status %d: %s", a.url(w), resp.StatusCode, b)
	}
	return b, err
}

// request is an op: one actions POST, timed to the end of the answer.
func (a *actor) request(w int) (time.Duration, error) {
	t0 := time.Now()
	_, err := a.post(w)
	return time.Since(t0), err
}

// close closes the actor's idle connections.
func (a *actor) close() { a.client.CloseIdleConnections() }
