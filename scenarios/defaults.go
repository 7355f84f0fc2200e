package scenarios

import "github.com/chatlayer-emulator/chatlayer-emulator/emulator/dialog"

// defaultTexts are the messages of the default blocks a file does not
// define itself.
var defaultTexts = []struct{ id, name, text string }{
	{dialog.BlockIntroduction, "Introduction", "Hi! How can I help you?"},
	{dialog.BlockNotUnderstood, "Not understood", "Sorry, I didn't understand that."},
	{dialog.BlockErrorOccurred, "Error occurred", "Something went wrong."},
	{dialog.BlockOffloadOpened, "Offloading opened", "Please wait, an agent will be with you shortly."},
	{dialog.BlockOffloadClosed, "Offloading closed", "Our agents are not available right now."},
	{dialog.BlockOffloadDisabled, "Offloading disabled", "Live chat is not available at the moment."},
}

// DefaultBlockIDs returns the ids of the default blocks every compiled
// script has, in a fixed order.
func DefaultBlockIDs() []string {
	ids := make([]string, len(defaultTexts))
	for i, d := range defaultTexts {
		ids[i] = d.id
	}
	return ids
}

// addDefaultBlocks adds the default blocks the script lacks: message
// blocks with one text each, waiting for the user afterwards.
func addDefaultBlocks(s *dialog.Script) {
	for _, d := range defaultTexts {
		if _, ok := s.Blocks[d.id]; ok {
			continue
		}
		s.Blocks[d.id] = &dialog.Block{ID: d.id, Name: d.name, Kind: dialog.KindMessage,
			Messages: []dialog.Template{{Kind: dialog.TmplText, Text: d.text}}}
	}
}
