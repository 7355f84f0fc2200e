package emulator_test

// Example bodies of Chatlayer's Webhook channel / legacy API page (seed
// 001: https://docs.chatlayer.ai/chatlayer-api/legacy-api), kept in
// testdata/seed001 and compared with what the emulator answers.

import (
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/chatlayer-emulator/chatlayer-emulator/emulator"
	"github.com/chatlayer-emulator/chatlayer-emulator/scenarios"
)

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
// not empty).
func trainsBot(t *testing.T, webhookURL, plannerURL string) *emulator.Server {
	bot := loadBot(t, "trains.yaml")
	if plannerURL != "" {
		bot.Script.Variables["config"] = map[string]any{"plannerUrl": plannerURL}
	}
	return emulator.RunT(t, emulator.Config{Bots: []*scenarios.Bot{bot}, WebhookURL: webhookURL, Delivery: fastDelivery})
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
