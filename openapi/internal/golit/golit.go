// Package golit writes a Go value as Go source: an expression that builds
// an equal value. go generate uses it to turn the decoded OpenAPI document
// into code, so that the emulator builds the document at start instead of
// decoding JSON (kin-openapi's decoder needs about 10 ms for it).
//
// It handles what a decoded kin-openapi document holds: pointers, structs
// (exported fields; a zero field is left out), maps (keys sorted), slices,
// strings, booleans, numbers and interfaces holding those. Types whose
// state is unexported are written by a Special function.
package golit

import (
	"fmt"
	"reflect"
	"sort"
	"strconv"
	"strings"
)

// Special writes v itself and reports true, or reports false to let the
// writer handle v. w writes nested values.
type Special func(w *Writer, v reflect.Value) bool

// Writer writes Go expressions.
type Writer struct {
	b        strings.Builder
	qualify  map[string]string // package path -> package name in the output
	specials []Special
	// PtrFunc names a generic func[T any](T) *T the output defines, used
	// for pointers to non-struct values.
	PtrFunc string
}

// New returns a Writer; qualify maps the package path of every named type
// the value holds to the name it has in the output.
func New(qualify map[string]string, specials ...Special) *Writer {
	return &Writer{qualify: qualify, specials: specials, PtrFunc: "ptr"}
}

// String returns what was written.
func (w *Writer) String() string { return w.b.String() }

// Printf writes formatted text.
func (w *Writer) Printf(format string, a ...any) { fmt.Fprintf(&w.b, format, a...) }

// Value writes an expression of v's type that builds v.
func (w *Writer) Value(v reflect.Value) {
	for _, s := range w.specials {
		if s(w, v) {
			return
		}
	}
	switch v.Kind() {
	case reflect.Pointer:
		w.pointer(v)
	case reflect.Struct:
		w.structLit(v)
	case reflect.Map:
		w.mapLit(v)
	case reflect.Slice:
		w.sliceLit(v)
	case reflect.Interface:
		w.iface(v)
	default:
		w.basic(v)
	}
}

func (w *Writer) pointer(v reflect.Value) {
	switch {
	case v.IsNil():
		w.Printf("nil")
	case v.Elem().Kind() == reflect.Struct, v.Elem().Kind() == reflect.Slice && !v.Elem().IsNil():
		w.Printf("&")
		w.Value(v.Elem())
	default:
		w.Printf("%s[%s](", w.PtrFunc, w.Type(v.Elem().Type()))
		w.Value(v.Elem())
		w.Printf(")")
	}
}

func (w *Writer) structLit(v reflect.Value) {
	t := v.Type()
	w.Printf("%s{", w.Type(t))
	sep := "\n"
	for i := range t.NumField() {
		f := t.Field(i)
		if !f.IsExported() || v.Field(i).IsZero() {
			continue
		}
		w.Printf("%s%s: ", sep, f.Name)
		sep = ""
		w.Value(v.Field(i))
		w.Printf(",\n")
	}
	w.Printf("}")
}

func (w *Writer) mapLit(v reflect.Value) {
	if v.IsNil() {
		w.Printf("%s(nil)", w.Type(v.Type()))
		return
	}
	keys := v.MapKeys()
	sort.Slice(keys, func(i, j int) bool { return fmt.Sprint(keys[i]) < fmt.Sprint(keys[j]) })
	w.Printf("%s{", w.Type(v.Type()))
	if len(keys) > 0 {
		w.Printf("\n")
	}
	for _, k := range keys {
		w.Value(k)
		w.Printf(": ")
		w.Value(v.MapIndex(k))
		w.Printf(",\n")
	}
	w.Printf("}")
}

func (w *Writer) sliceLit(v reflect.Value) {
	if v.IsNil() {
		w.Printf("%s(nil)", w.Type(v.Type()))
		return
	}
	w.Printf("%s{", w.Type(v.Type()))
	if v.Len() > 0 {
		w.Printf("\n")
	}
	for i := range v.Len() {
		w.Value(v.Index(i))
		w.Printf(",\n")
	}
	w.Printf("}")
}

// iface writes the dynamic value of an interface, typed so that the
// interface holds the same type.
func (w *Writer) iface(v reflect.Value) {
	if v.IsNil() {
		w.Printf("nil")
		return
	}
	e := v.Elem()
	switch e.Kind() {
	case reflect.String, reflect.Bool:
		if e.Type().Name() == e.Kind().String() { // untyped constants default to string and bool
			w.basic(e)
			return
		}
	}
	if isBasic(e.Kind()) {
		w.Printf("%s(", w.Type(e.Type()))
		w.basic(e)
		w.Printf(")")
		return
	}
	w.Value(e)
}

func isBasic(k reflect.Kind) bool {
	return k == reflect.String || k == reflect.Bool || k >= reflect.Int && k <= reflect.Float64
}

// basic writes a string, boolean or number literal, converted to v's type
// when it is a named type.
func (w *Writer) basic(v reflect.Value) {
	var lit string
	switch v.Kind() {
	case reflect.String:
		lit = strconv.Quote(v.String())
	case reflect.Bool:
		lit = strconv.FormatBool(v.Bool())
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		lit = strconv.FormatInt(v.Int(), 10)
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		lit = strconv.FormatUint(v.Uint(), 10)
	case reflect.Float32, reflect.Float64:
		lit = strconv.FormatFloat(v.Float(), 'g', -1, 64)
	default:
		panic(fmt.Sprintf("golit: cannot write a %s", v.Type()))
	}
	if t := v.Type(); t.PkgPath() != "" {
		lit = w.Type(t) + "(" + lit + ")"
	}
	w.Printf("%s", lit)
}

// Type writes a type expression for t.
func (w *Writer) Type(t reflect.Type) string {
	if t.Name() != "" {
		if t.PkgPath() == "" {
			return t.Name()
		}
		pkg, ok := w.qualify[t.PkgPath()]
		if !ok {
			panic("golit: no package name for " + t.PkgPath())
		}
		return pkg + "." + t.Name()
	}
	switch t.Kind() {
	case reflect.Pointer:
		return "*" + w.Type(t.Elem())
	case reflect.Slice:
		return "[]" + w.Type(t.Elem())
	case reflect.Map:
		return "map[" + w.Type(t.Key()) + "]" + w.Type(t.Elem())
	case reflect.Interface:
		if t.NumMethod() == 0 {
			return "any"
		}
	}
	panic("golit: cannot name the type " + t.String())
}
