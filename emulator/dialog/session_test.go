package dialog

import (
	"errors"
	"testing"
)

func testSession() map[string]any {
	return map[string]any{
		"user":  map[string]any{"name": "Ann", "age": 42.0, "score": 4.5, "vip": true, "nothing": nil},
		"order": map[string]any{"items": []any{map[string]any{"name": "Margherita", "qty": 2.0}}, "total": 12.0},
		"plain": "top-level",
		"big":   1e21,
		"obj":   map[string]any{"b": 1.0, "a": "<x>"},
		"éte":   "unicode key",
	}
}

func TestInterpolate(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Hello {user.name}!", "Hello Ann!"},
		{"{plain}", "top-level"},
		{"age {user.age}, score {user.score}, total {order.total}", "age 42, score 4.5, total 12"},
		{"big {big}", "big 1000000000000000000000"},
		{"vip {user.vip}", "vip true"},
		{"null [{user.nothing}]", "null []"},
		{"{order.items[0].name} x{order.items[0].qty}", "Margherita x2"},
		{"{order.items}", `[{"name":"Margherita","qty":2}]`},
		{"{obj}", `{"a":"<x>","b":1}`},
		{"missing {user.nope} and {nope}", "missing {user.nope} and {nope}"},
		{"out of range {order.items[3].name}", "out of range {order.items[3].name}"},
		{"index on a map {user[0]}", "index on a map {user[0]}"},
		{"not a path { user.name } {} {a..b} {.a} {a.} {a[x]} {a[-1]}", "not a path { user.name } {} {a..b} {.a} {a.} {a[x]} {a[-1]}"},
		{`json {"k": 1}`, `json {"k": 1}`},
		{"nested {{user.name}}", "nested {Ann}"},
		{"unclosed {user.name", "unclosed {user.name"},
		{"close first } then {user.name}", "close first } then Ann"},
		{"{éte}", "unicode key"},
		{"no braces", "no braces"},
		{"", ""},
	}
	s := testSession()
	for _, tt := range tests {
		if got := Interpolate(s, tt.in); got != tt.want {
			t.Errorf("Interpolate(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
	if got := Interpolate(nil, "{a}"); got != "{a}" {
		t.Errorf("nil session: %q", got)
	}
}

func TestGetPath(t *testing.T) {
	s := testSession()
	tests := []struct {
		path  string
		want  any
		found bool
	}{
		{"user.name", "Ann", true},
		{"user.nothing", nil, true},
		{"order.items[0].qty", 2.0, true},
		{"order.items[1]", nil, false},
		{"user.name.first", nil, false},
		{"plain", "top-level", true},
		{"", nil, false},
		{"a b", nil, false},
	}
	for _, tt := range tests {
		got, found := GetPath(s, tt.path)
		if found != tt.found || !equalAny(got, tt.want) {
			t.Errorf("GetPath(%q) = %v, %v; want %v, %v", tt.path, got, found, tt.want, tt.found)
		}
	}
}

func equalAny(a, b any) bool { return mustJSON(a) == mustJSON(b) }

func TestSetPath(t *testing.T) {
	s := testSession()
	steps := []struct {
		path    string
		v       any
		wantErr bool
	}{
		{"new.deep.key", "v", false},
		{"order.items[0].name", "Hawaii", false},
		{"order.items[2].name", "Funghi", false},
		{"list[1]", 7.0, false},
		{"user.name.first", "x", true},
		{"user[0]", "x", true},
		{"internal.botId", "x", true},
		{"bad path", "x", true},
		{"far[5000]", "x", true},
	}
	for _, st := range steps {
		err := SetPath(s, st.path, st.v)
		if (err != nil) != st.wantErr {
			t.Errorf("SetPath(%q) error = %v, wantErr %v", st.path, err, st.wantErr)
		}
	}
	assertEqual(t, getPath(s, "new.deep.key"), "v")
	assertJSON(t, s["order"].(map[string]any)["items"], `[{"name":"Hawaii","qty":2},null,{"name":"Funghi"}]`)
	assertEqual(t, s["list"], []any{nil, 7.0})
	assertEqual(t, getPath(s, "user.name"), "Ann")
	if _, ok := s["internal"]; ok {
		t.Error("internal was written")
	}
	if !errors.Is(SetPath(s, "internal", 1.0), ErrReadOnly) {
		t.Error("want ErrReadOnly")
	}
	if SetPath(nil, "a", 1.0) == nil {
		t.Error("nil session: want an error")
	}
}

func TestResolveValue(t *testing.T) {
	s := testSession()
	got := ResolveValue(s, map[string]any{
		"n": "{user.age}", "obj": "{order.items[0]}", "s": "{user.name} ({user.age})",
		"miss": "{nope}", "arr": []any{"{user.vip}", 1.0}, "raw": 3.0,
	})
	assertJSON(t, got, `{"n":42,"obj":{"name":"Margherita","qty":2},"s":"Ann (42)","miss":"{nope}","arr":[true,1],"raw":3}`)
	// The raw value is a copy: changing it leaves the session alone.
	got.(map[string]any)["obj"].(map[string]any)["name"] = "changed"
	assertEqual(t, getPath(s, "order.items[0].name"), "Margherita")
}

func TestFormatValue(t *testing.T) {
	tests := []struct {
		v    any
		want string
	}{
		{12.0, "12"}, {-0.5, "-0.5"}, {3, "3"}, {int64(7), "7"}, {float32(1.5), "1.5"},
		{true, "true"}, {nil, ""}, {"s", "s"}, {[]any{"a", 1.0}, `["a",1]`},
	}
	for _, tt := range tests {
		if got := FormatValue(tt.v); got != tt.want {
			t.Errorf("FormatValue(%#v) = %q, want %q", tt.v, got, tt.want)
		}
	}
}

func TestPostbackID(t *testing.T) {
	id := PostbackID("a", "b")
	// sha1("a\x00b")
	assertEqual(t, id, "4a3dec2d1f8245280855c42db0ee4239f917fdb8")
	assertEqual(t, len(PostbackID()), 40)
	if PostbackID("a", "b") == PostbackID("ab") {
		t.Error("parts must be separated")
	}
}
