package scenarios

import (
	"io/fs"
	"os"
	"path/filepath"
	"testing"
)

// FuzzParse checks that Parse never panics and returns either a bot or an
// error, never both.
func FuzzParse(f *testing.F) {
	seeds, _ := filepath.Glob("testdata/*/*.yaml")
	for _, s := range seeds {
		if data, err := os.ReadFile(s); err == nil {
			f.Add(data)
		}
	}
	for _, name := range []string{demoFile, "examples/pizza.yaml"} {
		if data, err := fs.ReadFile(Embedded(), name); err == nil {
			f.Add(data)
		}
	}
	f.Add([]byte("bot: {id: x}\nblocks: [{id: a, type: message, messages: [{text: t, quickReplies: [{title: q, goto: a}]}]}]"))
	f.Fuzz(func(t *testing.T, data []byte) {
		b, err := Parse("fuzz.yaml", data)
		if (b == nil) == (err == nil) {
			t.Fatalf("Parse = %v, %v: want exactly one of a bot and an error", b, err)
		}
		if b != nil && b.Script.Blocks["introduction"] == nil {
			t.Fatal("compiled script without an introduction block")
		}
	})
}

func BenchmarkParseDemo(b *testing.B) {
	data, err := fs.ReadFile(Embedded(), demoFile)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Parse(demoFile, data); err != nil {
			b.Fatal(err)
		}
	}
}
