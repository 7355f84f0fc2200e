package emulator

// Loading scenarios at run time: GET and POST /_emulator/scenarios.

import (
	"errors"
	"mime"
	"net/http"
	"strings"

	"github.com/chatlayer-emulator/chatlayer-emulator/scenarios"
)

// Fixed texts of the scenario endpoints.
const (
	msgScenarioType = "Content-Type must be application/yaml, application/x-yaml, text/yaml or text/plain"
	scenarioSource  = "control-api" // the file name of a posted scenario, in errors and Source
)

// Modes of POST /_emulator/scenarios.
const (
	modeAdd     = "add"     // add the bot, or replace the bot with its id
	modeReplace = "replace" // the bot becomes the only bot
)

// scenariosResponse lists the loaded bots.
type scenariosResponse struct {
	Bots []scenarioBot `json:"bots"`
}

// scenarioBot is a loaded bot and the file it came from.
type scenarioBot struct {
	ID     string `json:"id"`
	Name   string `json:"name"`
	Source string `json:"source"`
}

// getScenarios lists the loaded bots.
func (s *Server) getScenarios(*http.Request) (int, any, error) {
	return http.StatusOK, listScenarios(s.registry()), nil
}

// listScenarios lists a registry's bots by id.
func listScenarios(reg *registry) scenariosResponse {
	resp := scenariosResponse{Bots: []scenarioBot{}}
	for _, id := range reg.botIDs() {
		def := reg.bots[id].def
		resp.Bots = append(resp.Bots, scenarioBot{ID: id, Name: def.Script.Name, Source: def.Source})
	}
	return resp
}

// postScenarios loads the scenario file of the body (?mode=add, the
// default, or replace) and answers the bots now loaded. New turns of
// existing conversations run the new script.
func (s *Server) postScenarios(r *http.Request) (int, any, error) {
	mode := r.URL.Query().Get("mode")
	if mode == "" {
		mode = modeAdd
	}
	if mode != modeAdd && mode != modeReplace {
		return 0, nil, badRequest("mode", "must be add or replace, not %q", mode)
	}
	def, err := s.readScenario(r)
	if err != nil {
		return 0, nil, err
	}
	reg, err := s.swapBots(def, mode == modeReplace)
	if err != nil {
		return 0, nil, err
	}
	s.checkProviders(reg, def.Script.BotID)
	return http.StatusOK, listScenarios(reg), nil
}

// readScenario reads and compiles the YAML body; every problem of the file
// goes into one 400.
func (s *Server) readScenario(r *http.Request) (*scenarios.Bot, error) {
	mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	switch {
	case err != nil:
		return nil, newError(http.StatusUnsupportedMediaType, "Content-Type", msgScenarioType)
	case mt != "application/yaml" && mt != "application/x-yaml" && mt != "text/yaml" && mt != "text/plain":
		return nil, newError(http.StatusUnsupportedMediaType, "Content-Type", msgScenarioType)
	}
	body, err := readBody(r, s.cfg.MaxBodyBytes)
	if err != nil {
		return nil, err
	}
	def, err := scenarios.Parse(scenarioSource, body)
	if err != nil {
		return nil, scenarioError(err)
	}
	return def, nil
}

// scenarioError turns a parse error into a 400 listing every problem
// ("file:line:col: field: message", joined by "; "), naming the first
// problem's field.
func scenarioError(err error) error {
	var errs scenarios.Errors
	if !errors.As(err, &errs) || len(errs) == 0 {
		return badRequest("", "%v", err)
	}
	msgs := make([]string, len(errs))
	for i, e := range errs {
		msgs[i] = e.Error()
	}
	return badRequest(errs[0].Field, "%s", strings.Join(msgs, "; "))
}

// swapBots builds a registry with def added to (or replacing) the current
// bots and swaps it in atomically; a concurrent swap makes it start over.
func (s *Server) swapBots(def *scenarios.Bot, replace bool) (*registry, error) {
	for {
		old := s.registry()
		cfg := s.cfg
		cfg.Bots = []*scenarios.Bot{def}
		if !replace {
			cfg.Bots = otherBots(old, def.Script.BotID, def)
		}
		reg, err := newRegistry(cfg)
		if err != nil {
			return nil, badRequest("", "%v", err)
		}
		reg.adoptProviders(old)
		if s.reg.CompareAndSwap(old, reg) {
			return reg, nil
		}
	}
}

// otherBots returns the registry's bots by id, but for the bot with the
// given id, then def.
func otherBots(reg *registry, id string, def *scenarios.Bot) []*scenarios.Bot {
	var out []*scenarios.Bot
	for _, other := range reg.botIDs() {
		if other != id {
			out = append(out, reg.bots[other].def)
		}
	}
	return append(out, def)
}
