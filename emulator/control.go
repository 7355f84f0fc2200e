package emulator

// The control API under /_emulator: the HTTP face of the Go test levers.

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/chatlayer-emulator/chatlayer-emulator/emulator/delivery"
)

// Bounds of the wait calls.
const (
	defaultWait = 5 * time.Second
	maxWait     = 60 * time.Second
)

// healthResponse answers /_emulator/health.
type healthResponse struct {
	Status string `json:"status"`
}

// readyResponse answers /_emulator/ready with what is loaded.
type readyResponse struct {
	Status readyStatus `json:"status"`
	// Degraded is set while an offloading provider fails its health
	// check; ready still answers 200 unless ?require=offloading.
	Degraded bool       `json:"degraded,omitempty"`
	Bots     []readyBot `json:"bots"`
}

// readyStatus is the status of a ready answer.
type readyStatus string

// The ready statuses.
const (
	readyReady   readyStatus = "ready"   // 200
	readyWaiting readyStatus = "waiting" // 503: ?require= is not met yet
)

// readyRequirement is a value of ready's ?require=: what must work, on top
// of the scenarios being loaded, for ready to answer 200.
type readyRequirement string

// The ready requirements.
const (
	requireNothing    readyRequirement = ""
	requireOffloading readyRequirement = "offloading" // every provider's last health check passed
)

// parseReadyRequirement reads ?require=.
func parseReadyRequirement(v string) (readyRequirement, error) {
	switch r := readyRequirement(v); r {
	case requireNothing, requireOffloading:
		return r, nil
	}
	return "", badRequest("require", "must be offloading, not %q", v)
}

// readyBot is a loaded bot and its channels.
type readyBot struct {
	ID       string         `json:"id"`
	Name     string         `json:"name"`
	Channels []readyChannel `json:"channels"`
	// Offloading is the health of the bot's offloading provider; absent
	// when the bot has none.
	Offloading *readyOffloading `json:"offloading,omitempty"`
}

// readyOffloading is the health status of an offloading provider, and why
// its last check failed.
type readyOffloading struct {
	Status healthStatus `json:"status"`
	Error  string       `json:"error,omitempty"`
}

// readyChannel is a loaded webhook channel (tokens never shown).
type readyChannel struct {
	ID      string `json:"id"`
	Version string `json:"version"`
	URL     string `json:"url"`
}

// getHealth answers while the process runs.
func (s *Server) getHealth(*http.Request) (int, any, error) {
	return http.StatusOK, healthResponse{Status: "ok"}, nil
}

// getReady answers once the scenarios are loaded, listing them and the
// health of their offloading providers: 200, or 503 while ?require= is
// not met.
func (s *Server) getReady(r *http.Request) (int, any, error) {
	req, err := parseReadyRequirement(r.URL.Query().Get("require"))
	if err != nil {
		return 0, nil, err
	}
	reg := s.registry()
	resp, unmet := readyResponse{Status: readyReady, Bots: []readyBot{}}, false
	for _, id := range reg.botIDs() {
		b := reg.bots[id]
		rb := readyBot{ID: id, Name: b.def.Script.Name, Channels: []readyChannel{}}
		for _, c := range b.channels {
			rb.Channels = append(rb.Channels, readyChannel{ID: c.ID, Version: c.Version, URL: c.URL})
		}
		if o, h, _ := b.offloading.snapshot(); o.URL != "" {
			rb.Offloading = &readyOffloading{Status: h.Status, Error: h.Error}
			resp.Degraded = resp.Degraded || h.Status == healthFailing
			unmet = unmet || (req == requireOffloading && h.Status != healthOK)
		}
		resp.Bots = append(resp.Bots, rb)
	}
	if unmet {
		resp.Status = readyWaiting
		return http.StatusServiceUnavailable, resp, nil
	}
	return http.StatusOK, resp, nil
}

// postReset forgets conversations and journals: all of them, or those of
// ?bot= and ?conversation=.
func (s *Server) postReset(r *http.Request) (int, any, error) {
	q := r.URL.Query()
	s.Reset(q.Get("bot"), q.Get("conversation"))
	return http.StatusNoContent, nil, nil
}

// postFlush waits until every accepted message is processed and delivered.
func (s *Server) postFlush(r *http.Request) (int, any, error) {
	ctx, cancel, err := waitContext(r)
	if err != nil {
		return 0, nil, err
	}
	defer cancel()
	if err := s.Flush(ctx); err != nil {
		return 0, nil, newError(http.StatusRequestTimeout, "timeout", "work still pending when the timeout passed")
	}
	return http.StatusNoContent, nil, nil
}

// deliveriesResponse lists deliveries.
type deliveriesResponse struct {
	Deliveries []delivery.Delivery `json:"deliveries"`
}

// getDeliveries lists the delivery journal, filtered by ?bot=,
// ?conversation=, ?kind=, ?state= and ?since=.
func (s *Server) getDeliveries(r *http.Request) (int, any, error) {
	f, err := deliveryFilter(r)
	if err != nil {
		return 0, nil, err
	}
	list := s.out.Journal().List(f)
	return http.StatusOK, deliveriesResponse{Deliveries: nonNil(list)}, nil
}

// getDeliveriesWait blocks until ?count= deliveries matching the filter
// are final, or ?timeout= passes (408).
func (s *Server) getDeliveriesWait(r *http.Request) (int, any, error) {
	n, err := positiveInt(r, "count", 1)
	if err != nil {
		return 0, nil, err
	}
	f, err := deliveryFilter(r)
	if err != nil {
		return 0, nil, err
	}
	ctx, cancel, err := waitContext(r)
	if err != nil {
		return 0, nil, err
	}
	defer cancel()
	list, err := s.out.Journal().Wait(ctx, f, n)
	if err != nil {
		return 0, nil, newError(http.StatusRequestTimeout, "count",
			"%d of %d deliveries were final when the timeout passed", len(list), n)
	}
	return http.StatusOK, deliveriesResponse{Deliveries: nonNil(list)}, nil
}

// requestsResponse lists inbound requests.
type requestsResponse struct {
	Requests []inboundRequest `json:"requests"`
}

// getRequests lists the inbound request journal.
func (s *Server) getRequests(*http.Request) (int, any, error) {
	return http.StatusOK, requestsResponse{Requests: nonNil(s.requests.list())}, nil
}

// deliveryFilter reads the journal filter from the query.
func deliveryFilter(r *http.Request) (delivery.Filter, error) {
	q := r.URL.Query()
	f := delivery.Filter{
		Bot: q.Get("bot"), Conversation: q.Get("conversation"),
		Kind: delivery.Kind(q.Get("kind")), State: delivery.State(q.Get("state")),
	}
	if v := q.Get("since"); v != "" {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n < 0 {
			return f, badRequest("since", "must be a delivery seq: an integer, 0 or more")
		}
		f.Since = n
	}
	return f, nil
}

// waitContext reads ?timeout= (a Go duration, default 5s, at most 60s).
func waitContext(r *http.Request) (context.Context, context.CancelFunc, error) {
	d := defaultWait
	if v := r.URL.Query().Get("timeout"); v != "" {
		var err error
		if d, err = time.ParseDuration(v); err != nil || d <= 0 || d > maxWait {
			return nil, nil, badRequest("timeout", "must be a duration such as 5s, at most %s", maxWait)
		}
	}
	ctx, cancel := context.WithTimeout(r.Context(), d)
	return ctx, cancel, nil
}

// positiveInt reads a positive integer query parameter.
func positiveInt(r *http.Request, name string, def int) (int, error) {
	v := r.URL.Query().Get(name)
	if v == "" {
		return def, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 {
		return 0, badRequest(name, "must be a positive integer")
	}
	return n, nil
}

// nonNil makes an empty list render as [] rather than null.
func nonNil[T any](list []T) []T {
	if list == nil {
		return []T{}
	}
	return list
}

// Reset forgets the conversations and journal entries of a bot and
// conversation; empty strings match everything.
func (s *Server) Reset(bot, conversation string) {
	s.store.remove(bot, conversation)
	s.out.Journal().Reset(delivery.Filter{Bot: bot, Conversation: conversation})
	s.offloads.reset(bot, conversation)
	s.warnings.reset(bot, conversation)
	if bot == "" && conversation == "" {
		s.requests.reset()
	}
}

// Deliveries returns the delivery journal entries matching f.
func (s *Server) Deliveries(f delivery.Filter) []delivery.Delivery {
	return s.out.Journal().List(f)
}

// Mark returns a mark of the delivery journal: the seq of the latest
// delivery made so far (0 before the first). A DeliveryFilter whose Since
// is the mark matches only the deliveries made after this call, so that a
// test waits for the replies to its next message without counting the
// earlier ones:
//
//	mark := s.Mark()
//	s.SayT(t, "demo", "conv-1", "what are your opening hours")
//	s.WaitDeliveriesT(t, emulator.DeliveryFilter{Conversation: "conv-1", Since: mark}, 1)
func (s *Server) Mark() int64 { return s.out.Journal().Mark() }

// WaitDeliveries blocks until n deliveries matching f are final (delivered
// or failed) and returns them, or returns ctx's error. It counts from the
// start of the journal, or from a mark with f.Since (see Mark).
func (s *Server) WaitDeliveries(ctx context.Context, f delivery.Filter, n int) ([]delivery.Delivery, error) {
	list, err := s.out.Journal().Wait(ctx, f, n)
	if err != nil {
		return list, fmt.Errorf("emulator: %d of %d deliveries final: %w", len(list), n, err)
	}
	return list, nil
}
