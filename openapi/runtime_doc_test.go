package openapi

import (
	"bytes"
	"encoding/json"
	"go/format"
	"os"
	"reflect"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/chatlayer-emulator/chatlayer-emulator/openapi/internal/docgen"
)

// decodedRuntime decodes chatlayer.runtime.json as the emulator did before
// runtime_doc.go: with kin-openapi's JSON decoder.
func decodedRuntime(t testing.TB) *openapi3.T {
	t.Helper()
	data, err := os.ReadFile("chatlayer.runtime.json")
	if err != nil {
		t.Fatal(err)
	}
	var doc openapi3.T
	if err := json.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	return &doc
}

// TestRuntimeCodeBuildsTheDecodedDocument: the generated code builds
// exactly what kin-openapi decodes from chatlayer.runtime.json, unexported
// state included, before and after references are resolved.
func TestRuntimeCodeBuildsTheDecodedDocument(t *testing.T) {
	built, decoded := runtimeDocument(), decodedRuntime(t)
	if !reflect.DeepEqual(built, decoded) {
		t.Fatal("runtimeDocument() differs from the decoded chatlayer.runtime.json: run `go generate ./openapi`")
	}
	rb, err := resolve(built)
	if err != nil {
		t.Fatal(err)
	}
	rd, err := resolve(decoded)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(rb, rd) {
		t.Fatal("the resolved documents differ")
	}
}

// TestRuntimeCodeIsGenerated: runtime_doc.go is what go generate writes
// from chatlayer.runtime.json.
func TestRuntimeCodeIsGenerated(t *testing.T) {
	want, err := docgen.Generate("openapi", "runtimeDocument", decodedRuntime(t))
	if err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile("runtime_doc.go")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Error("runtime_doc.go is stale: run `go generate ./openapi`")
	}
	if again, err := format.Source(got); err != nil || !bytes.Equal(again, got) {
		t.Errorf("runtime_doc.go is not gofmt-stable (err %v): CI's gofmt check would fail", err)
	}
}

func BenchmarkRuntimeDocument(b *testing.B) {
	b.Run("generated code", func(b *testing.B) {
		for b.Loop() {
			if _, err := resolve(runtimeDocument()); err != nil {
				b.Fatal(err)
			}
		}
	})
	data, err := os.ReadFile("chatlayer.runtime.json")
	if err != nil {
		b.Fatal(err)
	}
	b.Run("JSON decoding", func(b *testing.B) {
		for b.Loop() {
			if _, err := parse(data); err != nil {
				b.Fatal(err)
			}
		}
	})
}
