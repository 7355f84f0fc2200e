package emulator

// POST /v1/bots/{botId}/nlp/extract?version= and the legacy
// POST /api/bots/{botId}/extract/{version}?access_token=: the bot's NLP
// on one expression, without touching any conversation.
// Docs: https://docs.chatlayer.ai/chatlayer-api/legacy-api (legacy extract,
// beta); the v1 shape comes from the Botium connector
// (github.com/codeforequity-at/botium-connector-chatlayer; FIDELITY.md
// "v1 REST surface").

import (
	"net/http"
	"strings"

	"github.com/gorilla/mux"

	"github.com/chatlayer-emulator/chatlayer-emulator/emulator/dialog"
)

// extractRequest is the body of both extract calls.
type extractRequest struct {
	Language   *string `json:"language"`
	Expression *string `json:"expression"`
}

// GraphQL type names of the legacy extract answer, as Chatlayer's
// example shows them (https://docs.chatlayer.ai/chatlayer-api/legacy-api).
const (
	typenameExtractResult = "ExtractResult"
	typenameExtractIntent = "ExtractResultIntent"
	typenameExtractEntity = "ExtractResultEntity"
)

// extractResult is the "extract" object. Typename is set on the legacy
// answer only, as Chatlayer's GraphQL-backed example shows.
// ExactMatchedIntent is null when no intent matches exactly.
type extractResult struct {
	Score              float64       `json:"score"`
	Intent             string        `json:"intent"`
	Query              string        `json:"query"`
	ExactMatchedIntent *string       `json:"exactMatchedIntent"`
	Intents            []intentScore `json:"intents"`
	Entities           []entityScore `json:"entities"`
	IntentThreshold    float64       `json:"intentThreshold"`
	EntityThreshold    float64       `json:"entityThreshold"`
	Typename           string        `json:"__typename,omitempty"`
}

// intentScore is one scored intent.
type intentScore struct {
	Intent   string  `json:"intent"`
	Score    float64 `json:"score"`
	Typename string  `json:"__typename,omitempty"`
}

// entityScore is one entity found; indexes are code-point offsets, end
// exclusive.
type entityScore struct {
	Name         string  `json:"name"`
	Value        string  `json:"value"`
	Score        float64 `json:"score"`
	StartIndex   int     `json:"startIndex"`
	EndIndex     int     `json:"endIndex"`
	SystemEntity bool    `json:"systemEntity"`
	Typename     string  `json:"__typename,omitempty"`
}

// v1ExtractResponse wraps the v1 answer.
type v1ExtractResponse struct {
	Extract extractResult `json:"extract"`
}

// legacyExtractResponse wraps the legacy answer in "data".
type legacyExtractResponse struct {
	Data v1ExtractResponse `json:"data"`
}

// postExtract answers the v1 NLP extract. DRAFT and LIVE run the same
// script, so version is only checked.
func (s *Server) postExtract(r *http.Request) (int, any, error) {
	b, err := s.v1Bot(r)
	if err != nil {
		return 0, nil, err
	}
	if _, err := versionParam(r, false); err != nil {
		return 0, nil, err
	}
	res, err := s.extract(r, b)
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, v1ExtractResponse{Extract: res}, nil
}

// postLegacyExtract answers the legacy extract: token in ?access_token=,
// version in the path, the result under data, with GraphQL type names.
func (s *Server) postLegacyExtract(r *http.Request) (int, any, error) {
	b, err := s.extractLegacyBot(r)
	if err != nil {
		return 0, nil, err
	}
	if v := mux.Vars(r)["version"]; v != versionDraft && v != versionLive {
		return 0, nil, badRequest("version", "must be DRAFT or LIVE, not %q", v)
	}
	res, err := s.extract(r, b)
	if err != nil {
		return 0, nil, err
	}
	res.Typename = typenameExtractResult
	for i := range res.Intents {
		res.Intents[i].Typename = typenameExtractIntent
	}
	for i := range res.Entities {
		res.Entities[i].Typename = typenameExtractEntity
	}
	return http.StatusOK, legacyExtractResponse{Data: v1ExtractResponse{Extract: res}}, nil
}

// extractLegacyBot checks ?access_token= (401 when missing), finds the
// bot (404) and checks the token against it (401).
func (s *Server) extractLegacyBot(r *http.Request) (*bot, error) {
	token := r.URL.Query().Get("access_token")
	if token == "" {
		return nil, newError(http.StatusUnauthorized, "access_token", msgBadToken)
	}
	b, err := s.botByID(mux.Vars(r)["botId"])
	if err != nil {
		return nil, err
	}
	if !s.registry().tokenValid(token, b) {
		return nil, newError(http.StatusUnauthorized, "access_token", msgBadToken)
	}
	return b, nil
}

// extract reads the body and runs the bot's NLP on the expression.
func (s *Server) extract(r *http.Request, b *bot) (extractResult, error) {
	var req extractRequest
	if err := readJSON(r, s.cfg.MaxBodyBytes, &req); err != nil {
		return extractResult{}, err
	}
	lang, err := req.check(b.def.Script.Languages)
	if err != nil {
		return extractResult{}, err
	}
	return newExtractResult(b.engine, b.engine.Extract(lang, *req.Expression)), nil
}

// check requires both fields; the language must be one of the bot's
// (case-insensitive; "en-us" counts as "en").
func (req *extractRequest) check(languages []string) (string, error) {
	if req.Language == nil {
		return "", badRequest("/language", "is required")
	}
	if req.Expression == nil || strings.TrimSpace(*req.Expression) == "" {
		return "", badRequest("/expression", "is required and must not be empty")
	}
	lang := *req.Language
	base, _, _ := strings.Cut(strings.ReplaceAll(lang, "_", "-"), "-")
	for _, l := range languages {
		if strings.EqualFold(l, lang) || strings.EqualFold(l, base) {
			return lang, nil
		}
	}
	return "", badRequest("/language", "must be one of the bot's languages %v, not %q", languages, lang)
}

// newExtractResult shapes an NLP result. Scores are not rounded. intent is
// set only above the threshold; score is the best score regardless.
// The engine does not expose its normalisation, so exactMatchedIntent is
// the best intent when its score is exactly 1.0 (see exactMatchedIntent).
func newExtractResult(e *dialog.Engine, n dialog.NLP) extractResult {
	res := extractResult{
		Query: n.Expression, Intents: []intentScore{}, Entities: []entityScore{},
		IntentThreshold: e.Script().IntentThreshold, EntityThreshold: e.Script().EntityThreshold,
		ExactMatchedIntent: exactMatchedIntent(n),
	}
	if len(n.Intents) > 0 {
		res.Score = n.Intents[0].Score
	}
	if n.Intent != nil {
		res.Intent = n.Intent.Name
	}
	for _, si := range n.Intents {
		res.Intents = append(res.Intents, intentScore{Intent: si.Name, Score: si.Score})
	}
	for _, m := range n.Entities {
		res.Entities = append(res.Entities, entityScore{Name: m.Name, Value: m.Value, Score: m.Score,
			StartIndex: m.Start, EndIndex: m.End, SystemEntity: m.System})
	}
	return res
}
