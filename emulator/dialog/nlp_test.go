package dialog

import (
	"math"
	"regexp"
	"testing"
)

// TestExtractWorkedExample checks the example of Extract's documentation.
func TestExtractWorkedExample(t *testing.T) {
	e := New(&Script{Languages: []string{"en"}, IntentThreshold: 0.8, EntityThreshold: 0.7,
		Intents: []Intent{{Name: "order_pizza", Block: "order",
			Expressions: map[string][]string{"en": {"I want to order a pizza"}}}}}, Options{})

	tests := []struct {
		text      string
		score     float64
		wantMatch bool
	}{
		{"I want to order a pizza!", 1, true},
		{"I want to order pizza", 10.0 / 11, true},
		{"I want a pizza", 0.8, false},
		{"pizza", 2.0 / 7, false},
	}
	for _, tt := range tests {
		got := e.Extract("en", tt.text)
		if len(got.Intents) != 1 || math.Abs(got.Intents[0].Score-tt.score) > 1e-12 {
			t.Errorf("%q: intents %+v, want score %v", tt.text, got.Intents, tt.score)
		}
		if (got.Intent != nil) != tt.wantMatch {
			t.Errorf("%q: intent %+v, want match %v", tt.text, got.Intent, tt.wantMatch)
		}
	}
}

func TestExtractIntents(t *testing.T) {
	e := New(testScript(), Options{})
	tests := []struct {
		name, lang, text string
		want             []ScoredIntent
		best             string
	}{
		{"exact, case and punctuation ignored", "en", "HELLO!!", []ScoredIntent{{"greet", 1}}, "greet"},
		{"sorted by score, none above the threshold", "en", "hello there pizza please",
			[]ScoredIntent{{"order_pizza", 2.0 * 2 / 6}, {"greet", 2.0 / 5}}, ""},
		{"requested language", "nl", "Ik wil een pizza bestellen", []ScoredIntent{{"order_pizza", 1}}, "order_pizza"},
		{"base language of a locale", "nl-BE", "ik wil een pizza bestellen", []ScoredIntent{{"order_pizza", 1}}, "order_pizza"},
		{"intent without the language uses the first language", "nl", "hi there", []ScoredIntent{{"greet", 1}}, "greet"},
		{"unknown language uses the first language", "fr", "pizza please", []ScoredIntent{{"order_pizza", 1}}, "order_pizza"},
		{"nothing in common", "en", "weather", []ScoredIntent{}, ""},
		{"empty text", "en", "  ", []ScoredIntent{}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := e.Extract(tt.lang, tt.text)
			assertEqual(t, got.Intents, tt.want)
			best := ""
			if got.Intent != nil {
				best = got.Intent.Name
			}
			assertEqual(t, best, tt.best)
			assertEqual(t, got.Expression, tt.text)
		})
	}
}

func TestExtractIntentOrder(t *testing.T) {
	e := New(&Script{IntentThreshold: 0.5, Intents: []Intent{
		{Name: "b", Expressions: map[string][]string{"en": {"red car"}}},
		{Name: "a", Expressions: map[string][]string{"en": {"red bike"}}},
		{Name: "c", Expressions: map[string][]string{"en": {"red car fast"}}},
	}}, Options{})

	got := e.Extract("en", "red car")
	assertEqual(t, got.Intents, []ScoredIntent{{"b", 1}, {"c", 0.8}, {"a", 0.5}})
	assertEqual(t, got.Intent, &ScoredIntent{"b", 1})
	// Ties are broken by name.
	got = e.Extract("en", "red")
	assertEqual(t, got.Intents, []ScoredIntent{{"a", 2.0 / 3}, {"b", 2.0 / 3}, {"c", 0.5}})
}

func TestExtractEntitiesUnicodeOffsets(t *testing.T) {
	e := New(testScript(), Options{})
	text := "Één 🍕 met SALAMI en extra   cheese, champignöns"
	got := e.Extract("nl", text)
	assertEqual(t, got.Entities, []EntityMatch{
		{Name: "topping", Value: "pepperoni", Raw: "SALAMI", Score: 1, Start: 10, End: 16},
		{Name: "topping", Value: "extra cheese", Raw: "extra   cheese", Score: 1, Start: 20, End: 34},
		{Name: "topping", Value: "mushrooms", Raw: "champignöns", Score: 1, Start: 36, End: 47},
	})
	runes := []rune(text)
	for _, m := range got.Entities {
		if string(runes[m.Start:m.End]) != m.Raw {
			t.Errorf("%s: runes[%d:%d] = %q, raw %q", m.Name, m.Start, m.End, string(runes[m.Start:m.End]), m.Raw)
		}
	}
}

func TestExtractEntities(t *testing.T) {
	e := New(testScript(), Options{})
	tests := []struct {
		name, text string
		want       []EntityMatch
	}{
		{"combining mark", "champigno\u0308ns", []EntityMatch{
			{Name: "topping", Value: "mushrooms", Raw: "champigno\u0308ns", Score: 1, Start: 0, End: 12}}},
		{"fuzzy single token", "pepperonni", []EntityMatch{
			{Name: "topping", Value: "pepperoni", Raw: "pepperonni", Score: 0.9, Start: 0, End: 10}}},
		{"fuzzy below threshold", "peper", []EntityMatch{}},
		{"no partial token", "salamis-ish extracheese", []EntityMatch{
			{Name: "topping", Value: "pepperoni", Raw: "salamis", Score: 1 - 1.0/7, Start: 0, End: 7}}},
		{"pattern and sys.number at the same place, by name", "zip 2000", []EntityMatch{
			{Name: "postcode", Value: "2000", Raw: "2000", Score: 1, Start: 4, End: 8},
			{Name: "sys.number", Value: "2000", Raw: "2000", Score: 1, Start: 4, End: 8, System: true}}},
		{"email", "mail Ann.X@example.co.uk.", []EntityMatch{
			{Name: "sys.email", Value: "Ann.X@example.co.uk", Raw: "Ann.X@example.co.uk", Score: 1, Start: 5, End: 24, System: true}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := e.Extract("en", tt.text)
			if len(got.Entities) != len(tt.want) {
				t.Fatalf("got %+v, want %+v", got.Entities, tt.want)
			}
			for i := range tt.want {
				g, w := got.Entities[i], tt.want[i]
				if math.Abs(g.Score-w.Score) > 1e-12 {
					t.Errorf("score %v, want %v", g.Score, w.Score)
				}
				g.Score = w.Score
				assertEqual(t, g, w)
			}
		})
	}
}

func TestEntityThresholdIsStrict(t *testing.T) {
	s := &Script{Entities: []Entity{{Name: "code", Values: []EntityValue{{Value: "abcd"}}}}}
	s.EntityThreshold = 0.75
	assertEqual(t, New(s, Options{}).Extract("en", "abce").Entities, []EntityMatch{})
	s.EntityThreshold = 0.74
	assertEqual(t, len(New(s, Options{}).Extract("en", "abce").Entities), 1)
}

func TestEntityOverlaps(t *testing.T) {
	s := &Script{EntityThreshold: 0.7, Entities: []Entity{{Name: "city", Values: []EntityValue{
		{Value: "York"}, {Value: "New York", Synonyms: []string{"NYC"}},
	}, Patterns: []*regexp.Regexp{regexp.MustCompile(`New`)}}}}
	got := New(s, Options{}).Extract("en", "from new york to york")
	assertEqual(t, got.Entities, []EntityMatch{
		{Name: "city", Value: "New York", Raw: "new york", Score: 1, Start: 5, End: 13},
		{Name: "city", Value: "York", Raw: "york", Score: 1, Start: 17, End: 21},
	})
}

func TestSysNumber(t *testing.T) {
	tests := []struct {
		text string
		want []string
	}{
		{"42", []string{"42"}},
		{"-3 and 4.5", []string{"-3", "4.5"}},
		{"1,000 euros", []string{"1000"}},
		{"12,345,678.9", []string{"12345678.9"}},
		{"4,5 kg", []string{"4.5"}},
		{"mp3 2nd a1", nil},
		{"call 0470 12", []string{"470", "12"}},
		{"42@example.com ann42@example.com", nil},
		{"version 1.2.3", []string{"1.2"}},
		{"5-3", []string{"5"}},
		{"end.", nil},
		{"7.", []string{"7"}},
		{"non-ASCII digits ٣ are not numbers", nil},
	}
	for _, tt := range tests {
		var got []string
		for _, m := range systemEntities(tt.text) {
			if m.Name == SysNumber {
				got = append(got, m.Value)
			}
		}
		assertEqual(t, got, tt.want)
	}
}

func TestLevenshtein(t *testing.T) {
	tests := []struct {
		a, b string
		want int
	}{
		{"", "", 0}, {"a", "", 1}, {"kitten", "sitting", 3}, {"pizza", "pizzas", 1}, {"één", "een", 2},
	}
	for _, tt := range tests {
		if got := EditDistance([]rune(tt.a), []rune(tt.b)); got != tt.want {
			t.Errorf("EditDistance(%q, %q) = %d, want %d", tt.a, tt.b, got, tt.want)
		}
	}
}
