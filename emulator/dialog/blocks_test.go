package dialog

import (
	"regexp"
	"testing"
)

// collectScript has a collect block "ask" storing order.size, then "thanks".
func collectScript(col Collect) *Script {
	if col.Variable == "" {
		col.Variable = "order.size"
	}
	if col.Prompt == nil {
		col.Prompt = []Template{txt("How many?")}
	}
	return testScript(
		&Block{ID: "ask", Kind: KindCollect, Collect: &col, Next: goTo("thanks")},
		msgBlock("thanks", "", "Got {order.size}."),
		msgBlock("gave-up", "", "Let us stop."),
	)
}

func TestCollectInvalidThenValid(t *testing.T) {
	f := newFixture(collectScript(Collect{Validation: ValidateNumber, Invalid: []Template{txt("Not a number.")}}))
	assertEqual(t, describe(f.step(Jump{Block: "ask"})), []string{"How many?"})
	assertEqual(t, f.c.Awaiting, &Awaiting{Block: "ask"})
	assertEqual(t, f.say("a few"), []string{"Not a number.", "How many?"})
	assertEqual(t, f.c.Awaiting, &Awaiting{Block: "ask", Attempts: 1})
	assertEqual(t, f.say("make it 12 please"), []string{"Got 12."})
	assertEqual(t, f.get(t, "order.size"), 12.0)
	assertEqual(t, f.c.Awaiting, (*Awaiting)(nil))
	assertEqual(t, f.c.Current, "thanks")
}

func TestCollectMaxAttempts(t *testing.T) {
	t.Run("default goes to Not understood", func(t *testing.T) {
		f := newFixture(collectScript(Collect{Validation: ValidateNumber, MaxAttempts: 2}))
		f.step(Jump{Block: "ask"})
		assertEqual(t, f.say("no"), []string{"How many?"})
		assertEqual(t, f.say("still no"), []string{"Sorry, I did not get that."})
		assertEqual(t, f.c.Awaiting, (*Awaiting)(nil))
	})
	t.Run("OnMaxAttempts", func(t *testing.T) {
		f := newFixture(collectScript(Collect{Validation: ValidateNumber, MaxAttempts: 1, OnMaxAttempts: goTo("gave-up")}))
		f.step(Jump{Block: "ask"})
		assertEqual(t, f.say("no"), []string{"Let us stop."})
	})
}

func TestCollectNLPEscape(t *testing.T) {
	f := newFixture(collectScript(Collect{Validation: ValidateAny}))
	f.step(Jump{Block: "ask"})
	assertEqual(t, f.say("hello"), []string{"Hello!"})
	assertEqual(t, f.c.Awaiting, (*Awaiting)(nil))
	assertEqual(t, f.get(t, "order.size"), nil)

	f = newFixture(collectScript(Collect{Validation: ValidateAny, DisableNLP: true}))
	f.step(Jump{Block: "ask"})
	assertEqual(t, f.say("hello"), []string{"Got hello."})
}

func TestCollectSkippedWhenSet(t *testing.T) {
	for _, v := range []any{"large", 3.0, false} {
		f := newFixture(collectScript(Collect{Validation: ValidateAny}))
		f.c.Session["order"] = map[string]any{"size": v}
		assertEqual(t, describe(f.step(Jump{Block: "ask"})), []string{"Got " + FormatValue(v) + "."})
	}
	f := newFixture(collectScript(Collect{Validation: ValidateAny}))
	f.c.Session["order"] = map[string]any{"size": ""}
	assertEqual(t, describe(f.step(Jump{Block: "ask"})), []string{"How many?"})
}

func TestCollectValidation(t *testing.T) {
	tests := []struct {
		name   string
		col    Collect
		answer string
		want   any // nil: invalid
	}{
		{"any", Collect{Validation: ValidateAny}, "whatever", "whatever"},
		{"number", Collect{Validation: ValidateNumber}, "about 4.5 kg", 4.5},
		{"number, negative with thousands", Collect{Validation: ValidateNumber}, "-1,250", -1250.0},
		{"number invalid", Collect{Validation: ValidateNumber}, "mp3", nil},
		{"email", Collect{Validation: ValidateEmail}, "it is Ann.X@example.co.uk!", "Ann.X@example.co.uk"},
		{"email invalid", Collect{Validation: ValidateEmail}, "ann at example", nil},
		{"entity synonym", Collect{Validation: ValidateEntity, Entity: "topping"}, "champignons", "mushrooms"},
		{"entity fuzzy", Collect{Validation: ValidateEntity, Entity: "topping"}, "peperoni", "pepperoni"},
		{"entity invalid", Collect{Validation: ValidateEntity, Entity: "topping"}, "pineapple", nil},
		{"regex", Collect{Validation: ValidateRegex, Pattern: regexp.MustCompile(`^[A-Z]{2}\d{2}$`)}, "BE12", "BE12"},
		{"regex invalid", Collect{Validation: ValidateRegex, Pattern: regexp.MustCompile(`^[A-Z]{2}\d{2}$`)}, "BE123", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(collectScript(tt.col))
			f.step(Jump{Block: "ask"})
			f.say(tt.answer)
			got, _ := GetPath(f.c.Session, "order.size")
			assertEqual(t, got, tt.want)
			assertEqual(t, f.c.Awaiting == nil, tt.want != nil)
		})
	}
}

func TestCondition(t *testing.T) {
	session := map[string]any{
		"user": map[string]any{"name": "Ann", "age": 42.0, "ageText": "42", "empty": "", "null": nil,
			"tags": []any{"vip", "Gold", 3.0}, "flag": true},
		"limit": 40.0,
	}
	tests := []struct {
		name string
		rule Rule
		want bool
	}{
		{"equals ignores case", Rule{Variable: "user.name", Operator: OpEquals, Value: "ann"}, true},
		{"equals case sensitive", Rule{Variable: "user.name", Operator: OpEquals, Value: "ann", CaseSensitive: true}, false},
		{"equals number vs string", Rule{Variable: "user.age", Operator: OpEquals, Value: "42"}, true},
		{"equals bool", Rule{Variable: "user.flag", Operator: OpEquals, Value: true}, true},
		{"equals interpolated value", Rule{Variable: "user.ageText", Operator: OpEquals, Value: "{user.age}"}, true},
		{"equals missing is empty", Rule{Variable: "user.nope", Operator: OpEquals, Value: ""}, true},
		{"notEquals", Rule{Variable: "user.name", Operator: OpNotEquals, Value: "Bob"}, true},
		{"notEquals same", Rule{Variable: "user.name", Operator: OpNotEquals, Value: "ANN"}, false},
		{"exists", Rule{Variable: "user.name", Operator: OpExists}, true},
		{"exists empty string", Rule{Variable: "user.empty", Operator: OpExists}, false},
		{"exists null", Rule{Variable: "user.null", Operator: OpExists}, false},
		{"notExists missing", Rule{Variable: "user.nope", Operator: OpNotExists}, true},
		{"notExists present", Rule{Variable: "user.age", Operator: OpNotExists}, false},
		{"greaterThan", Rule{Variable: "user.age", Operator: OpGreaterThan, Value: 41.0}, true},
		{"greaterThan string number", Rule{Variable: "user.ageText", Operator: OpGreaterThan, Value: "9"}, true},
		{"greaterThan variable", Rule{Variable: "user.age", Operator: OpGreaterThan, Value: "{limit}"}, true},
		{"greaterThan equal", Rule{Variable: "user.age", Operator: OpGreaterThan, Value: 42.0}, false},
		{"greaterThan non-numeric", Rule{Variable: "user.name", Operator: OpGreaterThan, Value: 1.0}, false},
		{"lessThan", Rule{Variable: "user.age", Operator: OpLessThan, Value: "100"}, true},
		{"lessThan missing", Rule{Variable: "user.nope", Operator: OpLessThan, Value: 1.0}, false},
		{"contains substring", Rule{Variable: "user.name", Operator: OpContains, Value: "N"}, true},
		{"contains substring case sensitive", Rule{Variable: "user.name", Operator: OpContains, Value: "N", CaseSensitive: true}, false},
		{"contains array element", Rule{Variable: "user.tags", Operator: OpContains, Value: "gold"}, true},
		{"contains array number", Rule{Variable: "user.tags", Operator: OpContains, Value: 3.0}, true},
		{"contains array missing element", Rule{Variable: "user.tags", Operator: OpContains, Value: "silver"}, false},
		{"contains on a number", Rule{Variable: "user.age", Operator: OpContains, Value: "4"}, false},
		{"matches pattern", Rule{Variable: "user.name", Operator: OpMatches, Pattern: regexp.MustCompile(`^A`)}, true},
		{"matches value ignoring case", Rule{Variable: "user.name", Operator: OpMatches, Value: "^a.n$"}, true},
		{"matches missing", Rule{Variable: "user.nope", Operator: OpMatches, Value: ".*"}, false},
		{"matches bad regexp", Rule{Variable: "user.name", Operator: OpMatches, Value: "("}, false},
		{"unknown operator", Rule{Variable: "user.name", Operator: "like", Value: "Ann"}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := ruleHolds(session, &tt.rule); got != tt.want {
				t.Errorf("ruleHolds = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestConditionBlock(t *testing.T) {
	cond := &Block{ID: "check", Kind: KindCondition, Rules: []Rule{
		{Variable: "age", Operator: OpLessThan, Value: 18.0, GoTo: GoTo{Block: "minor"}},
		{Variable: "age", Operator: OpLessThan, Value: 65.0, GoTo: GoTo{Block: "adult", Set: []Assignment{{Path: "group", Value: "adult"}}}},
	}}
	s := testScript(cond, msgBlock("minor", "", "minor"), msgBlock("adult", "", "adult {group}"), msgBlock("senior", "", "senior"))
	tests := []struct {
		age      any
		fallback *GoTo
		want     []string
	}{
		{10.0, nil, []string{"minor"}},
		{"30", nil, []string{"adult adult"}},
		{70.0, goTo("senior"), []string{"senior"}},
		{70.0, nil, []string{"Sorry, I did not get that."}},
	}
	for _, tt := range tests {
		cond.Fallback = tt.fallback
		f := newFixture(s)
		f.c.Session["age"] = tt.age
		assertEqual(t, describe(f.step(Jump{Block: "check"})), tt.want)
	}
}

func TestActionSet(t *testing.T) {
	s := testScript(&Block{ID: "set", Kind: KindAction, Set: []Assignment{
		{Path: "order.total", Value: 12.5},
		{Path: "order.copy", Value: "{order.total}"},
		{Path: "order.label", Value: "Total: {order.total} EUR"},
		{Path: "order.items[1].name", Value: "{user.name}"},
		{Path: "internal.botId", Value: "hacked"},
	}, Next: goTo("done")}, msgBlock("done", "", "{order.label} / {order.copy} / {order.items[1].name}"))
	f := newFixture(s)
	f.c.Session["user"] = map[string]any{"name": "Ann"}
	assertEqual(t, describe(f.step(Jump{Block: "set"})), []string{"Total: 12.5 EUR / 12.5 / Ann"})
	assertEqual(t, f.get(t, "order.copy"), 12.5)
	assertEqual(t, f.get(t, "order.items"), []any{nil, map[string]any{"name": "Ann"}})
	assertEqual(t, f.get(t, "internal.botId"), "bot1")
}
