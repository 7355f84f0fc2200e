package emulator_test

// Example bodies of Chatlayer's Webhook channel / legacy API page (seed
// 001: https://docs.chatlayer.ai/chatlayer-api/legacy-api), kept in
// testdata/seed001 and compared with what the emulator answers.

import (
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/chatlayer-emulator/chatlayer-emulator/emulator"
	"github.com/chatlayer-emulator/chatlayer-emulator/scenarios"
)

// isoMillis is the form of Chatlayer's times: 2019-11-21T16:48:20.465Z.
var isoMillis = regexp.MustCompile(`^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$`)

// seedFixture reads a JSON body of testdata/seed001.
func seedFixture(t *testing.T, name string) any {
	t.Helper()
	raw, err := os.ReadFile("testdata/seed001/" + name)
	if err != nil {
		t.Fatal(err)
	}
	var v any
	if err := json.Unmarshal(raw, &v); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return v
}

// sameShape reports where got differs from the seed example want: an
// object must have exactly the example's keys, a value the example's JSON
// kind, every item of a non-empty array the shape of the example's first
// item, and __typename the example's value. Other values may differ.
func sameShape(want, got any, path string) []string {
	switch w := want.(type) {
	case map[string]any:
		g, ok := got.(map[string]any)
		if !ok {
			return []string{fmt.Sprintf("%s: got %T, want an object", path, got)}
		}
		return sameKeys(w, g, path)
	case []any:
		g, ok := got.([]any)
		if !ok || len(g) == 0 || len(w) == 0 {
			return []string{fmt.Sprintf("%s: got %v, want a non-empty array like %v", path, got, want)}
		}
		var diffs []string
		for i := range g {
			diffs = append(diffs, sameShape(w[0], g[i], fmt.Sprintf("%s/%d", path, i))...)
		}
		return diffs
	}
	if fmt.Sprintf("%T", want) != fmt.Sprintf("%T", got) {
		return []string{fmt.Sprintf("%s: got %T %v, want %T like %v", path, got, got, want, want)}
	}
	if strings.HasSuffix(path, "/__typename") && got != want {
		return []string{fmt.Sprintf("%s: got %v, want %v", path, got, want)}
	}
	return nil
}

// sameKeys compares two objects' key sets, then their values by shape.
func sameKeys(want, got map[string]any, path string) []string {
	keys := func(m map[string]any) []string {
		out := make([]string, 0, len(m))
		for k := range m {
			out = append(out, k)
		}
		slices.Sort(out)
		return out
	}
	if wk, gk := keys(want), keys(got); !slices.Equal(wk, gk) {
		return []string{fmt.Sprintf("%s: keys %v, want %v", path, gk, wk)}
	}
	var diffs []string
	for k, w := range want {
		diffs = append(diffs, sameShape(w, got[k], path+"/"+k)...)
	}
	slices.Sort(diffs)
	return diffs
}

// trainsBot runs the bot with the intents of the seed's extract example,
// delivering to webhookURL; its "planner" block calls plannerURL (when
// not empty). Its deliveries carry no nlp, like the seed's examples: the
// tests that use it are about message shapes (delivery_nlp_test.go covers
// nlp).
func trainsBot(t *testing.T, webhookURL, plannerURL string) *emulator.Server {
	bot := loadBot(t, "trains.yaml")
	if plannerURL != "" {
		bot.Script.Variables["config"] = map[string]any{"plannerUrl": plannerURL}
	}
	return emulator.RunT(t, emulator.Config{Bots: []*scenarios.Bot{bot}, WebhookURL: webhookURL, Delivery: fastDelivery,
		OmitDeliveryNLP: true})
}

// TestIntentNameWithSpaces loads intents named as in Chatlayer's example
// ("book train ticket"): a user text that matches one runs its block, and
// both extract answers name it with its spaces.
func TestIntentNameWithSpaces(t *testing.T) {
	rc := newReceiver(t, nil)
	s := trainsBot(t, rc.URL, "")
	status, body := post(t, s.URL()+"/v1/channels/webhook/trains-channel/messages", "trains-token",
		map[string]any{"conversationId": "rider-1", "message": map[string]any{"textMessage": map[string]any{"text": "which train class"}}})
	if status != http.StatusAccepted {
		t.Fatalf("status %d: %s", status, body)
	}
	s.FlushT(t)
	if got := joinBodies(rc.received()); !strings.Contains(got, `"message":{"text":"First or second class?"}`) {
		t.Errorf("deliveries:\n%s\nwant the reply of the block of intent \"define train class\"", got)
	}

	want := `"intent":"book train ticket","query":"book a train ticket","exactMatchedIntent":"book train ticket"`
	expr := map[string]any{"language": "en", "expression": "book a train ticket"}
	_, v1 := v1Call(t, http.MethodPost, s.URL()+"/v1/bots/trains/nlp/extract?version=LIVE", "trains-token", expr)
	_, legacy := post(t, s.URL()+"/api/bots/trains/extract/LIVE?access_token=trains-token", "", expr)
	for _, got := range [][]byte{v1, legacy} {
		if !strings.Contains(string(got), want) {
			t.Errorf("extract = %s\nwant it to contain %s", got, want)
		}
	}
}

// TestSeedLegacyExtract posts the seed's extract request and compares the
// answer with the seed's example response, key by key.
func TestSeedLegacyExtract(t *testing.T) {
	s := trainsBot(t, "", "")
	status, body := post(t, s.URL()+"/api/bots/trains/extract/DRAFT?access_token=trains-token", "",
		map[string]any{"language": "en", "expression": "I'd like a train ticket to Brussels at 1AM tomorrow"})
	var got any
	wantJSON(t, status, body, http.StatusOK, &got)
	for _, d := range sameShape(seedFixture(t, "extract-response.json"), got, "") {
		t.Error(d)
	}
	var res struct {
		Data struct {
			Extract struct {
				Intent             string  `json:"intent"`
				ExactMatchedIntent *string `json:"exactMatchedIntent"`
			} `json:"extract"`
		} `json:"data"`
	}
	json.Unmarshal(body, &res)
	if x := res.Data.Extract; x.Intent != "book train ticket" || x.ExactMatchedIntent != nil {
		t.Errorf("intent %q, exactMatchedIntent %v: want \"book train ticket\" and null", x.Intent, x.ExactMatchedIntent)
	}
}

// TestSeedWebviewCarousel posts the seed's webview example with a carousel
// and reads the history back: every row has the keys of the seed's history
// example, and the carousel is stored exactly as the seed's history shows
// it (its third row holds the same card: webUrl became default_action,
// with no item_url).
func TestSeedWebviewCarousel(t *testing.T) {
	s := trainsBot(t, newReceiver(t, nil).URL, "")
	trainsSay(t, s, "rider-3", "yes")
	req := seedFixture(t, "webview-carousel-request.json").(map[string]any)
	req["botId"], req["senderId"] = "trains", "rider-3"
	trainsWebview(t, s, jsonBody(t, req))

	var got map[string]any
	getOK(t, s.URL()+"/api/bots/trains/history/rider-3?access_token=trains-token", &got)
	want := seedFixture(t, "history-response.json").(map[string]any)
	wantRows, rows := want["rows"].([]any), got["rows"].([]any)
	if len(rows) != 4 {
		t.Fatalf("history rows = %v, want 4: the text, its answer, the carousel, the block's message", rows)
	}
	for i, row := range rows {
		r := row.(map[string]any)
		for _, d := range sameKeys(wantRows[0].(map[string]any), r, fmt.Sprintf("/rows/%d", i)) {
			if !strings.Contains(d, "/message") { // messages differ by kind
				t.Error(d)
			}
		}
		if at, _ := r["createdAt"].(string); !isoMillis.MatchString(at) {
			t.Errorf("/rows/%d/createdAt = %q, want the form of %q", i, at, wantRows[i].(map[string]any)["createdAt"])
		}
	}
	if carousel, seedCarousel := rows[2].(map[string]any)["message"], wantRows[2].(map[string]any)["message"]; !reflect.DeepEqual(carousel, seedCarousel) {
		t.Errorf("carousel message = %v\nwant %v", carousel, seedCarousel)
	}
	var session map[string]any
	getOK(t, s.URL()+"/api/sessionData/trains/rider-3/options?access_token=trains-token", &session)
	if session["example"] != true {
		t.Errorf("session options = %v, want example: true", session)
	}
}
