package emulator_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/chatlayer-emulator/chatlayer-emulator/emulator"
)

// myWebhookHandler stands for the webhook under test in the README's
// example: here it takes every message.
var myWebhookHandler = http.HandlerFunc(func(http.ResponseWriter, *http.Request) {})

// TestMyWebhook is the README's "In a Go test" example, word for word
// (TestREADMEGoTestIsCompiled checks it).
func TestMyWebhook(t *testing.T) {
	hook := httptest.NewServer(myWebhookHandler) // your webhook
	defer hook.Close()
	s := emulator.RunT(t, emulator.Config{
		WebhookURL: hook.URL,
		Delivery:   emulator.DeliveryConfig{Backoff: new(time.Millisecond)}, // fast retries
	})

	s.IntroT(t, "demo", "conv-1") // the user opens the conversation
	intro := s.CheckDelivered(t, emulator.DeliveryFilter{Conversation: "conv-1"},
		"Hi! I'm the Chatlayer emulator demo bot.",
		"What would you like to try?")

	mark := s.Mark() // what follows counts from here
	faq, _ := emulator.PayloadOf(intro[1], "FAQ")
	s.ClickT(t, "demo", "conv-1", faq) // or s.ClickTitleT(t, "demo", "conv-1", "FAQ")
	s.CheckDelivered(t, emulator.DeliveryFilter{Conversation: "conv-1", Since: mark},
		"Ask me about our opening hours, prices or where we are.")

	mark = s.Mark()
	s.SayT(t, "demo", "conv-1", "what are your opening hours")
	got := s.WaitDeliveriesT(t, emulator.DeliveryFilter{Conversation: "conv-1", Since: mark}, 1)
	if got[0].Status != http.StatusOK {
		t.Errorf("your webhook answered %d: %s", got[0].Status, got[0].ResponseBody)
	}
}

// TestREADMEGoTestIsCompiled: the first Go block of the README's "In a Go
// test" section is TestMyWebhook's source, so the snippet cannot drift.
func TestREADMEGoTestIsCompiled(t *testing.T) {
	readme, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	_, section, ok := strings.Cut(string(readme), "\n## In a Go test\n")
	_, block, ok2 := strings.Cut(section, "\n```go\n")
	block, _, ok3 := strings.Cut(block, "\n```\n")
	if !ok || !ok2 || !ok3 {
		t.Fatal(`README.md has no "## In a Go test" section with a Go block`)
	}
	if src := funcSource(t, "readme_test.go", "TestMyWebhook"); block != src {
		t.Errorf("README's Go block differs from TestMyWebhook in readme_test.go; README:\n%s\n\nreadme_test.go:\n%s", block, src)
	}
}

// funcSource returns the source text of function name in file.
func funcSource(t *testing.T, file, name string) string {
	t.Helper()
	src, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, file, src, 0)
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range f.Decls {
		if fn, ok := d.(*ast.FuncDecl); ok && fn.Name.Name == name {
			return string(src[fset.Position(fn.Pos()).Offset:fset.Position(fn.End()).Offset])
		}
	}
	t.Fatalf("%s has no func %s", file, name)
	return ""
}
