// Package scenarios reads bots from YAML scenario files and compiles them
// into dialog scripts for the emulator.
//
// A scenario file describes one bot: its settings, Webhook channels, access
// tokens, seed variables, intents, entities and dialog blocks. FORMAT.md
// documents every field; schemas/scenario.schema.json is the formal
// definition. Every problem in a file is reported with its line:
//
//	bots, err := scenarios.Load("scenarios/")   // files or folders
//	if err != nil {
//		log.Fatal(err) // file.yaml:12:7: /blocks/2/next: unknown block "x"
//	}
//
// Demo returns the embedded demo bot the emulator runs by default, and
// Embedded the shipped scenario files.
package scenarios

import (
	"embed"
	"io/fs"
	"sync"

	"github.com/chatlayer-emulator/chatlayer-emulator/emulator/dialog"
)

// Bot is a compiled scenario file: the dialog script plus what the
// emulator needs to serve the bot.
type Bot struct {
	Script       *dialog.Script
	Channels     []Channel // Webhook channels
	AccessTokens []string  // bearer tokens for this bot's v1 API
	Source       string    // file name the bot was read from
	// Offloading is the bot's offloading provider (a zero URL: none).
	Offloading Offloading

	// Positions of the bot id and of each channel id in Source, for
	// errors about duplicates across files.
	idPos      position
	channelPos []position
}

// Channel is a Webhook channel of a bot.
type Channel struct {
	ID          string // in /v1/channels/webhook/{ID}/messages
	URL         string // where bot messages are POSTed; may be empty until set
	VerifyToken string // copied into every delivery
	Version     string // "DRAFT" (default) or "LIVE"
	// OmitNLP (scenario "nlp: false") leaves the nlp object out of the
	// channel's deliveries; by default a bot message that answers a user
	// text carries it (FIDELITY.md "nlp in deliveries").
	OmitNLP bool
}

// demoFile is the embedded demo scenario.
const demoFile = "demo.yaml"

//go:embed demo.yaml examples/*.yaml
var embedded embed.FS

// Embedded returns the shipped scenario files: demo.yaml and
// examples/*.yaml.
func Embedded() fs.FS { return embedded }

var demo = sync.OnceValue(func() *Bot {
	data, err := embedded.ReadFile(demoFile)
	if err != nil {
		panic(err)
	}
	b, err := parse(demoFile, data, false) // the tests validate it against the schema
	if err != nil {
		panic("scenarios: embedded demo is broken: " + err.Error())
	}
	return b
})

// Demo returns the embedded demo bot (bot id "demo", channel "demo", access
// token "demo-token"). It is parsed once; callers must not modify it. It
// panics only if the embedded file is broken, which the package's tests
// rule out.
func Demo() *Bot { return demo() }
