package emulator_test

import (
	"net/http"
	"testing"

	"github.com/chatlayer-emulator/chatlayer-emulator/emulator"
	"github.com/chatlayer-emulator/chatlayer-emulator/emulator/dialog"
	"github.com/chatlayer-emulator/chatlayer-emulator/scenarios"
)

// extractBot is the shop bot with a custom entity "size" (large, or big).
func extractBot(t *testing.T) *emulator.Server {
	bot := loadBot(t, "shop.yaml")
	bot.Script.Entities = append(bot.Script.Entities,
		dialog.Entity{Name: "size", Values: []dialog.EntityValue{{Value: "large", Synonyms: []string{"big"}}}})
	return emulator.RunT(t, emulator.Config{Bots: []*scenarios.Bot{bot}, Delivery: fastDelivery})
}

func TestExtract(t *testing.T) {
	s := extractBot(t)
	cases := []struct {
		name, expression, want string
	}{
		{"exact match", "When are you open?",
			`{"extract":{"score":1,"intent":"opening-hours","query":"When are you open?","exactMatchedIntent":"opening-hours",` +
				`"intents":[{"intent":"opening-hours","score":1}],"entities":[],"intentThreshold":0.8,"entityThreshold":0.7}}`},
		{"above threshold", "what are your hours",
			`{"extract":{"score":0.8888888888888888,"intent":"opening-hours","query":"what are your hours","exactMatchedIntent":null,` +
				`"intents":[{"intent":"opening-hours","score":0.8888888888888888}],"entities":[],"intentThreshold":0.8,"entityThreshold":0.7}}`},
		{"not understood", "open",
			`{"extract":{"score":0.4,"intent":"","query":"open","exactMatchedIntent":null,` +
				`"intents":[{"intent":"opening-hours","score":0.4}],"entities":[],"intentThreshold":0.8,"entityThreshold":0.7}}`},
		{"entities", "a big box to ann@example.com",
			`{"extract":{"score":0,"intent":"","query":"a big box to ann@example.com","exactMatchedIntent":null,"intents":[],"entities":[` +
				`{"name":"size","value":"large","score":1,"startIndex":2,"endIndex":5,"systemEntity":false},` +
				`{"name":"sys.email","value":"ann@example.com","score":1,"startIndex":13,"endIndex":28,"systemEntity":true}],` +
				`"intentThreshold":0.8,"entityThreshold":0.7}}`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			for _, version := range []string{"DRAFT", "LIVE"} {
				status, body := v1Call(t, http.MethodPost, s.URL()+"/v1/bots/shop/nlp/extract?version="+version, "shop-token",
					map[string]any{"language": "en", "expression": c.expression})
				if status != http.StatusOK || string(body) != c.want {
					t.Errorf("%s:\n got %d %s\nwant 200 %s", version, status, body, c.want)
				}
			}
		})
	}
}

func TestLegacyExtract(t *testing.T) {
	s := extractBot(t)
	url := s.URL() + "/api/bots/shop/extract/LIVE?access_token=shop-token"
	status, body := post(t, url, "", map[string]any{"language": "en-US", "expression": "big hours at ann@example.com"})
	want := `{"data":{"extract":{"score":0.18181818181818182,"intent":"","query":"big hours at ann@example.com","exactMatchedIntent":null,` +
		`"intents":[{"intent":"opening-hours","score":0.18181818181818182,"__typename":"ExtractResultIntent"}],"entities":[` +
		`{"name":"size","value":"large","score":1,"startIndex":0,"endIndex":3,"systemEntity":false,"__typename":"ExtractResultEntity"},` +
		`{"name":"sys.email","value":"ann@example.com","score":1,"startIndex":13,"endIndex":28,"systemEntity":true,"__typename":"ExtractResultEntity"}],` +
		`"intentThreshold":0.8,"entityThreshold":0.7,"__typename":"ExtractResult"}}}`
	if status != http.StatusOK || string(body) != want {
		t.Errorf("got %d %s\nwant 200 %s", status, body, want)
	}

	ok := map[string]any{"language": "en", "expression": "hi"}
	errs := []struct {
		name, url string
		body      any
		status    int
		field     string
	}{
		{"no token", "/api/bots/shop/extract/DRAFT", ok, 401, "access_token"},
		{"bad token", "/api/bots/shop/extract/DRAFT?access_token=nope", ok, 401, "access_token"},
		{"unknown bot", "/api/bots/nobot/extract/DRAFT?access_token=shop-token", ok, 404, "botId"},
		{"bad version", "/api/bots/shop/extract/PROD?access_token=shop-token", ok, 400, "version"},
		{"no expression", "/api/bots/shop/extract/DRAFT?access_token=shop-token", map[string]any{"language": "en"}, 400, "/expression"},
		{"unknown language", "/api/bots/shop/extract/DRAFT?access_token=shop-token", map[string]any{"language": "xx", "expression": "hi"}, 400, "/language"},
	}
	for _, e := range errs {
		t.Run(e.name, func(t *testing.T) {
			status, body := post(t, s.URL()+e.url, "", e.body)
			wantError(t, status, body, e.status, e.field)
		})
	}
}

func TestExtractBadRequests(t *testing.T) {
	s := extractBot(t)
	url := s.URL() + "/v1/bots/shop/nlp/extract?version=DRAFT"
	cases := []struct {
		name  string
		body  any
		field string
	}{
		{"no expression", map[string]any{"language": "en"}, "/expression"},
		{"empty expression", map[string]any{"language": "en", "expression": "  "}, "/expression"},
		{"no language", map[string]any{"expression": "hi"}, "/language"},
		{"unknown language", map[string]any{"language": "fr", "expression": "hi"}, "/language"},
		{"language not a string", map[string]any{"language": 1, "expression": "hi"}, "/language"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			status, body := v1Call(t, http.MethodPost, url, "shop-token", c.body)
			wantError(t, status, body, http.StatusBadRequest, c.field)
		})
	}
	status, body := v1Call(t, http.MethodPost, s.URL()+"/v1/bots/shop/nlp/extract", "shop-token", map[string]any{"language": "en", "expression": "hi"})
	wantError(t, status, body, http.StatusBadRequest, "version")
}
