package schemas

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func compileT(t testing.TB) *Set {
	t.Helper()
	s, err := Compile()
	if err != nil {
		t.Fatalf("Compile: %v", err)
	}
	return s
}

func TestEverySchemaCompiles(t *testing.T) {
	s := compileT(t)
	want := []string{"altabots-answer", "altabots-chat", "altabots-close", "altabots-establish", "altabots-human-close", "altabots-message-receive", "bot-message", "channel-message", "conformance-report", "health-answer", "offload-answer", "offloading-event", "offloading-event-2020", "plugin-response", "scenario", "user-message"}
	if got := Names(); strings.Join(got, ",") != strings.Join(want, ",") {
		t.Fatalf("Names() = %v, want %v", got, want)
	}
	for _, name := range want {
		if !s.Has(name) {
			t.Errorf("compiled set lacks %q", name)
		}
	}
	if Default() != Default() {
		t.Error("Default() compiles more than once")
	}
}

// TestTestdata runs testdata/<schema>/valid/*.json, which must pass, and
// testdata/<schema>/invalid/*.json, which must fail, for every schema.
func TestTestdata(t *testing.T) {
	s := compileT(t)
	for _, name := range Names() {
		for _, kind := range []string{"valid", "invalid"} {
			files, _ := filepath.Glob(filepath.Join("testdata", name, kind, "*.json"))
			if len(files) < 3 {
				t.Errorf("%s/%s: %d cases, want at least 3", name, kind, len(files))
			}
			for _, f := range files {
				t.Run(name+"/"+kind+"/"+filepath.Base(f), func(t *testing.T) {
					raw, err := os.ReadFile(f)
					if err != nil {
						t.Fatal(err)
					}
					checkCase(t, s, name, kind == "valid", raw)
				})
			}
		}
	}
}

func checkCase(t *testing.T, s *Set, name string, valid bool, raw []byte) {
	t.Helper()
	err := s.Validate(name, raw)
	if valid && err != nil {
		t.Fatalf("Validate: %v", err)
	}
	if !valid {
		var ve *ValidationError
		if !errors.As(err, &ve) {
			t.Fatalf("Validate = %v, want a *ValidationError", err)
		}
		t.Logf("rejected as expected: %v", err)
	}
}

func TestValidateCauses(t *testing.T) {
	s := compileT(t)
	tests := []struct {
		name, schema, body string
		want               []Cause
	}{
		{"duplicate key", "health-answer", `{"status":"ok","status":"ok"}`,
			[]Cause{{"/status", `invalid JSON: duplicate key "status"`}}},
		{"nested duplicate key", "channel-message", `{"message":{"text":"a","text":"b"}}`,
			[]Cause{{"/message/text", `invalid JSON: duplicate key "text"`}}},
		{"trailing data", "health-answer", `{"status":"ok"} {}`,
			[]Cause{{"", "invalid JSON: trailing data after the value"}}},
		{"empty", "health-answer", ``,
			[]Cause{{"", "invalid JSON: unexpected EOF"}}},
		{"wrong type", "offload-answer", `{"offloadSuccess":"yes"}`,
			[]Cause{{"/offloadSuccess", "expected boolean, but got string"}}},
		{"counter", "channel-message", `{"senderId":"s","verifyToken":"v","messageCounter":0,"message":{"text":"hi"}}`,
			[]Cause{{"/messageCounter", "must be >= 1 but found 0"}}},
		{"unknown property", "scenario", `{"bot":{"id":"b","nmae":"x"},"blocks":[]}`,
			[]Cause{{"/bot/nmae", `unknown property "nmae"`}}},
		{"false schema", "bot-message", `{"attachment":{"type":"image","payload":{"url":"u"}},"text":"x"}`,
			[]Cause{{"/text", "property not allowed here"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := s.Validate(tt.schema, []byte(tt.body))
			var ve *ValidationError
			if !errors.As(err, &ve) {
				t.Fatalf("Validate = %v, want a *ValidationError", err)
			}
			if !slices.Equal(ve.Causes, tt.want) {
				t.Errorf("causes = %q, want %q", ve.Causes, tt.want)
			}
		})
	}
}

func TestValidateValue(t *testing.T) {
	s := compileT(t)
	if err := s.ValidateValue("health-answer", map[string]any{"status": "ok"}); err != nil {
		t.Errorf("ValidateValue(valid) = %v", err)
	}
	if err := s.ValidateValue("health-answer", map[string]any{"status": "down"}); err == nil {
		t.Error("ValidateValue(invalid) = nil")
	}
	if err := s.ValidateValue("health-answer", struct{}{}); err == nil {
		t.Error("ValidateValue(struct) = nil, want an error")
	}
	if err := s.ValidateValue("no-such-schema", nil); err == nil || !strings.Contains(err.Error(), "unknown schema") {
		t.Errorf("ValidateValue(unknown schema) = %v", err)
	}
}

func TestValidationErrorString(t *testing.T) {
	e := &ValidationError{Schema: "x", Causes: []Cause{{"", "bad"}, {"/a/0", "worse"}}}
	if got, want := e.Error(), "schema x: (root): bad; /a/0: worse"; got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
}

func TestDeepNesting(t *testing.T) {
	s := compileT(t)
	raw := strings.Repeat("[", 10000) + strings.Repeat("]", 10000)
	if err := s.Validate("health-answer", []byte(raw)); err == nil || !strings.Contains(err.Error(), "nested deeper") {
		t.Errorf("Validate(deep) = %v", err)
	}
}

func BenchmarkValidateChannelMessage(b *testing.B) {
	s := compileT(b)
	raw := []byte(`{"senderId":"conv-1","messageCounter":1,"verifyToken":"demo-verify",
		"message":{"text":"What would you like to try?","quick_replies":[
		{"content_type":"text","title":"FAQ","payload":"0123456789abcdef0123456789abcdef01234567"},
		{"content_type":"location"}]}}`)
	b.ReportAllocs()
	for b.Loop() {
		if err := s.Validate("channel-message", raw); err != nil {
			b.Fatal(err)
		}
	}
}

// TestDraft07SchemasKeepNoConstraintBesideRef: draft-07 ignores every
// keyword beside "$ref", so a schema of that draft must wrap such a
// constraint in allOf (annotations may stay).
func TestDraft07SchemasKeepNoConstraintBesideRef(t *testing.T) {
	for _, name := range Names() {
		data, err := files.ReadFile(name + suffix)
		if err != nil {
			t.Fatal(err)
		}
		var doc map[string]any
		if err := json.Unmarshal(data, &doc); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(fmt.Sprint(doc["$schema"]), "draft-07") {
			continue
		}
		walkRefs(doc, "", func(ptr string, obj map[string]any) {
			for k := range obj {
				switch k {
				case "$ref", "description", "title", "$comment":
				default:
					t.Errorf("%s %s: %q beside $ref is ignored in draft-07", name, ptr, k)
				}
			}
		})
	}
}

// walkRefs calls f for every object of v that has a "$ref".
func walkRefs(v any, ptr string, f func(ptr string, obj map[string]any)) {
	switch v := v.(type) {
	case map[string]any:
		if _, ok := v["$ref"]; ok {
			f(ptr, v)
		}
		for k, e := range v {
			walkRefs(e, ptr+"/"+k, f)
		}
	case []any:
		for i, e := range v {
			walkRefs(e, fmt.Sprintf("%s/%d", ptr, i), f)
		}
	}
}
