package emulator

// The offloading providers in the control API:
// GET and PUT /_emulator/bots/{botId}/offloading.

import (
	"net/http"
	"strings"
	"time"

	"github.com/gorilla/mux"

	"github.com/chatlayer-emulator/chatlayer-emulator/scenarios"
)

// offloadingSettings is the body of PUT: the whole provider, replaced.
type offloadingSettings struct {
	URL         string           `json:"url"`
	VerifyToken string           `json:"verifyToken"`
	Status      string           `json:"status"`
	Hours       *scenarios.Hours `json:"hours"`
	Dialect     string           `json:"dialect"`
}

// offloadingView answers GET and PUT: the settings, the verify token
// masked, and the last health check.
type offloadingView struct {
	URL         string           `json:"url"`
	Status      string           `json:"status"`
	Dialect     string           `json:"dialect"`
	Hours       *scenarios.Hours `json:"hours"`
	VerifyToken string           `json:"verifyToken"` // "***", or "" when none
	Health      providerHealth   `json:"health"`
}

// getOffloading answers a bot's offloading provider.
func (s *Server) getOffloading(r *http.Request) (int, any, error) {
	b, err := s.botByID(mux.Vars(r)["botId"])
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, s.viewOf(b.offloading), nil
}

// putOffloading replaces a bot's offloading provider, cancels the
// re-checks of the old settings, runs the health check and answers the
// provider with the check's result (unknown if the check is still running
// after the delivery timeout).
func (s *Server) putOffloading(r *http.Request) (int, any, error) {
	id := mux.Vars(r)["botId"]
	b, err := s.botByID(id)
	if err != nil {
		return 0, nil, err
	}
	var req offloadingSettings
	if err := readJSON(r, s.cfg.MaxBodyBytes, &req); err != nil {
		return 0, nil, err
	}
	o, err := req.settings()
	if err != nil {
		return 0, nil, err
	}
	b.offloading.replace(o)
	s.rechecks.cancel(b.offloading)
	done := make(chan struct{})
	s.checkHealth(id, b.offloading, nil, done)
	select {
	case <-done:
	case <-r.Context().Done():
	case <-time.After(s.cfg.Delivery.Timeout + time.Second):
	}
	return http.StatusOK, s.viewOf(b.offloading), nil
}

// settings checks the body; every problem goes into one 400 that names
// the first problem's field.
func (req offloadingSettings) settings() (scenarios.Offloading, error) {
	o := scenarios.Offloading{URL: req.URL, VerifyToken: req.VerifyToken, Hours: req.Hours}
	var err error
	if o.Status, err = scenarios.ParseOffloadingStatus(req.Status); err != nil {
		return o, badRequest("/status", "%v", err)
	}
	if o.Dialect, err = scenarios.ParseOffloadingDialect(req.Dialect); err != nil {
		return o, badRequest("/dialect", "%v", err)
	}
	problems := o.Check()
	if len(problems) == 0 {
		return o, nil
	}
	msgs := make([]string, len(problems))
	for i, p := range problems {
		msgs[i] = p.Field + ": " + p.Message
	}
	return o, badRequest(problems[0].Field, "%s", strings.Join(msgs, "; "))
}

// viewOf renders a provider, its token masked.
func (s *Server) viewOf(p *offloadingProvider) offloadingView {
	o, h, _ := p.snapshot()
	h.NextCheckAt = s.rechecks.due(p)
	v := offloadingView{URL: o.URL, Status: string(o.Status), Dialect: string(o.Dialect), Hours: o.Hours, Health: h}
	if o.VerifyToken != "" {
		v.VerifyToken = "***"
	}
	return v
}
