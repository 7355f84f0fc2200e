package main

import (
	"context"
	"encoding/json"
	"errors"
	"net"
	"net/http"
	"runtime"
	"time"

	"github.com/chatlayer-emulator/chatlayer-emulator/bench/reference"
	"github.com/chatlayer-emulator/chatlayer-emulator/emulator"
)

// The demo bot's v1 route and token.
const (
	messagePath = "/v1/channels/webhook/demo/messages"
	accessToken = "demo-token"
)

// turnTimeout bounds the wait for one delivery.
const turnTimeout = 5 * time.Second

// settleTimeout bounds the wait for the emulator's backlog between rounds.
const settleTimeout = 60 * time.Second

// messageBody is a v1 user message with the FAQ text for conversation id.
func messageBody(id string) []byte {
	b, _ := json.Marshal(map[string]any{ // a map of strings always marshals
		"conversationId": id,
		"message":        map[string]any{"textMessage": map[string]string{"text": reference.FAQText}},
	})
	return b
}

// loopback is a bare http.Server on its own 127.0.0.1 listener.
type loopback struct {
	srv  *http.Server
	url  string
	done chan error
}

// listen serves h on a free loopback port in a goroutine that close stops.
func listen(h http.Handler) (*loopback, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	l := &loopback{
		srv:  &http.Server{Handler: h, ReadHeaderTimeout: 5 * time.Second},
		url:  "http://" + ln.Addr().String(),
		done: make(chan error, 1),
	}
	go func() { l.done <- l.srv.Serve(ln) }()
	return l, nil
}

// close stops the server and waits for its goroutine.
func (l *loopback) close() error {
	err := l.srv.Close()
	if serr := <-l.done; !errors.Is(serr, http.ErrServerClosed) {
		err = errors.Join(err, serr)
	}
	return err
}

// rig holds the in-process servers: the webhook sink, the emulator that
// delivers to it, an emulator without a webhook URL (it keeps the bot's
// replies for the history API and POSTs nothing), the bare message
// handler, and the bare platform that delivers to the same sink. Each has
// its own listener.
type rig struct {
	sink     *reference.Sink
	sinkSrv  *loopback
	emu      *emulator.Server
	quiet    *emulator.Server
	bare     *loopback
	platform *reference.Platform
	platSrv  *loopback
	platCli  *http.Client
}

// newRig starts every server of the rig.
func newRig() (*rig, error) {
	r := &rig{sink: &reference.Sink{}, platCli: newClient(128)}
	var err error
	if r.sinkSrv, err = listen(r.sink); err != nil {
		return nil, err
	}
	if r.emu, err = startEmulator(r.sinkSrv.url + "/hook"); err != nil {
		return nil, errors.Join(err, r.close())
	}
	if r.quiet, err = startEmulator(""); err != nil {
		return nil, errors.Join(err, r.close())
	}
	if r.bare, err = listen(reference.Routes(reference.MessageHandler())); err != nil {
		return nil, errors.Join(err, r.close())
	}
	r.platform = reference.NewPlatform(r.platCli, r.sinkSrv.url+"/hook")
	if r.platSrv, err = listen(reference.Routes(r.platform)); err != nil {
		return nil, errors.Join(err, r.close())
	}
	return r, nil
}

// startEmulator starts the demo bot in-process, delivering to webhook with
// a small retry backoff; with webhook "", the demo channel has no URL and
// the bot's replies are only kept in the history.
func startEmulator(webhook string) (*emulator.Server, error) {
	s, err := emulator.New(emulator.Config{
		WebhookURL: webhook,
		RateLimit:  emulator.RateLimit{Off: true}, // measured with --rate-limit off, as the issue asks
		Delivery: emulator.DeliveryConfig{
			Backoff:      new(time.Millisecond),
			DrainTimeout: 10 * time.Second,
		},
	})
	if err != nil {
		return nil, err
	}
	return s, s.Start("127.0.0.1:0")
}

// settle waits until every side has no work left, then forgets the
// emulators' conversations and journals and collects garbage, so that one
// round does not bleed into the next.
func (r *rig) settle() error {
	ctx, cancel := context.WithTimeout(context.Background(), settleTimeout)
	defer cancel()
	var errs []error
	for _, s := range []*emulator.Server{r.emu, r.quiet} {
		errs = append(errs, s.Flush(ctx))
		s.Reset("", "")
	}
	err := errors.Join(errs...)
	r.platform.Wait()
	runtime.GC()
	return err
}

// close stops every server of the rig that was started, senders first.
func (r *rig) close() error {
	var errs []error
	for _, s := range []*emulator.Server{r.emu, r.quiet} {
		if s != nil {
			errs = append(errs, s.Close())
		}
	}
	for _, l := range []*loopback{r.bare, r.platSrv} {
		if l != nil {
			errs = append(errs, l.close())
		}
	}
	if r.platform != nil {
		r.platform.Wait()
	}
	r.platCli.CloseIdleConnections()
	if r.sinkSrv != nil {
		errs = append(errs, r.sinkSrv.close())
	}
	return errors.Join(errs...)
}
