package schemas

import (
	"os"
	"path/filepath"
	"slices"
	"testing"
)

// seed000 holds the example bodies of Chatlayer's Offloading Webhook page
// (https://docs.chatlayer.ai/integrations/human-offloading-live-chat/offloading-webhook,
// examples of 2021-11-15), in the page's order.
const seed000 = "testdata/seeds/000-offloading-webhook"

// TestSeed000OffloadingExamples: every example event of Chatlayer's own
// offloading-webhook page is a valid offloading event, so that the schema
// never refuses what Chatlayer documents it sends.
func TestSeed000OffloadingExamples(t *testing.T) {
	s := compileT(t)
	want := []string{
		"01-messages-bot-text.json", "02-messages-bot-quick-replies.json", "03-messages-bot-carousel.json",
		"04-messages-user-intro.json", "05-messages-user-text.json", "06-messages-user-upload.json",
		"07-messages-user-location.json", "08-messages-user-postback.json", "09-offload.json",
	}
	files, _ := filepath.Glob(filepath.Join(seed000, "*.json"))
	var names []string
	for _, f := range files {
		names = append(names, filepath.Base(f))
	}
	if !slices.Equal(names, want) {
		t.Fatalf("examples = %q, want %q", names, want)
	}
	for _, name := range want {
		t.Run(name, func(t *testing.T) {
			raw, err := os.ReadFile(filepath.Join(seed000, name))
			if err != nil {
				t.Fatal(err)
			}
			if err := s.Validate("offloading-event", raw); err != nil {
				t.Errorf("Chatlayer's own example is refused: %v", err)
			}
		})
	}
}
