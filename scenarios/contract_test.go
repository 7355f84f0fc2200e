package scenarios

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/chatlayer-emulator/chatlayer-emulator/emulator/dialog"
	"github.com/chatlayer-emulator/chatlayer-emulator/schemas"
)

// TestShippedMessagesMeetContract renders every message of the shipped
// scenarios and checks it against bot-message.schema.json: a scenario that
// passes Parse must never make the emulator send an off-contract message.
func TestShippedMessagesMeetContract(t *testing.T) {
	set := schemas.Default()
	for _, name := range []string{demoFile, "examples/pizza.yaml"} {
		s := parseEmbedded(t, name).Script
		c := dialog.NewConversation(s, VersionDraft, "contract-test", time.Unix(0, 0))
		for id, b := range s.Blocks {
			for i, tmpl := range templatesOf(b) {
				raw, err := json.Marshal(dialog.Render(c, tmpl))
				if err != nil {
					t.Fatal(err)
				}
				if err := set.Validate("bot-message", raw); err != nil {
					t.Errorf("%s: block %s, message %d: %v\n%s", name, id, i, err, raw)
				}
			}
		}
	}
}

// templatesOf lists every message a block can send.
func templatesOf(b *dialog.Block) []dialog.Template {
	out := append([]dialog.Template(nil), b.Messages...)
	if c := b.Collect; c != nil {
		out = append(append(out, c.Prompt...), c.Invalid...)
	}
	return out
}
