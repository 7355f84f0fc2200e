package golit

import (
	"reflect"
	"testing"
)

type named string

type sample struct {
	Name    string
	Skipped string
	Count   *uint64
	Kind    named
	Tags    []string
	Empty   []string
	Any     map[string]any
	Next    *sample
	hidden  int
}

func TestValueWritesAnExpressionThatBuildsTheValue(t *testing.T) {
	n := uint64(3)
	v := &sample{Name: "a\"b", Count: &n, Kind: "k", Tags: []string{"x"}, Empty: []string{},
		Any: map[string]any{"f": 1.5, "s": "t", "b": true, "n": nil, "l": []any{"x"}}, Next: &sample{Name: "c"}, hidden: 7}
	w := New(map[string]string{reflect.TypeFor[sample]().PkgPath(): "p"})
	w.Value(reflect.ValueOf(v))
	want := `&p.sample{
Name: "a\"b",
Count: ptr[uint64](3),
Kind: p.named("k"),
Tags: []string{
"x",
},
Empty: []string{},
Any: map[string]any{
"b": true,
"f": float64(1.5),
"l": []any{
"x",
},
"n": nil,
"s": "t",
},
Next: &p.sample{
Name: "c",
},
}`
	if got := w.String(); got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
}

func TestTypePanicsOnAnUnknownPackage(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("Type named a type of a package it has no name for")
		}
	}()
	New(nil).Type(reflect.TypeFor[sample]())
}
