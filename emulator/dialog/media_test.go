package dialog

import "testing"

var (
	ghent   = Location{Lat: 51.05, Long: 3.72}
	receipt = Upload{URLs: []string{"https://files.example/receipt.pdf", "https://files.example/back.png"}}
)

func TestCollectLocation(t *testing.T) {
	f := newFixture(collectScript(Collect{Validation: ValidateLocation}))
	f.step(Jump{Block: "ask"})
	assertEqual(t, describe(f.step(ghent)), []string{`Got {"lat":51.05,"long":3.72}.`})
	assertEqual(t, f.get(t, "order.size"), map[string]any{"lat": 51.05, "long": 3.72})
	assertEqual(t, f.get(t, "internal.messageType"), "location")
	assertEqual(t, f.get(t, "internal.messageContent"), "51.05,3.72")
	assertEqual(t, f.c.Awaiting, (*Awaiting)(nil))
}

func TestCollectFile(t *testing.T) {
	f := newFixture(collectScript(Collect{Validation: ValidateFile}))
	f.step(Jump{Block: "ask"})
	assertEqual(t, describe(f.step(receipt)), []string{"Got https://files.example/receipt.pdf."})
	assertEqual(t, f.get(t, "order.size"), "https://files.example/receipt.pdf")
	assertEqual(t, f.get(t, "uploadedFileUrl"), "https://files.example/receipt.pdf")
	assertEqual(t, f.get(t, "internal.messageType"), "upload")
	assertEqual(t, f.get(t, "internal.messageContent"), "https://files.example/receipt.pdf")
}

// TestCollectWrongKind: what a collect-input block does with an answer of
// another kind than it waits for.
func TestCollectWrongKind(t *testing.T) {
	tests := []struct {
		name   string
		col    Collect
		answer Event
		want   []string
	}{
		{"location at a file block", Collect{Validation: ValidateFile}, ghent, []string{"warn unexpected-input", "No.", "How many?"}},
		{"upload at a location block", Collect{Validation: ValidateLocation}, receipt, []string{"warn unexpected-input", "No.", "How many?"}},
		{"upload at an any block", Collect{Validation: ValidateAny}, receipt, []string{"warn unexpected-input", "No.", "How many?"}},
		{"location at a number block", Collect{Validation: ValidateNumber}, ghent, []string{"warn unexpected-input", "No.", "How many?"}},
		{"text at a location block", Collect{Validation: ValidateLocation}, Text{Text: "Ghent"}, []string{"No.", "How many?"}},
		{"text at a file block", Collect{Validation: ValidateFile}, Text{Text: "here it is"}, []string{"No.", "How many?"}},
		{"intent leaves a location block", Collect{Validation: ValidateLocation}, Text{Text: "hello"}, []string{"Hello!"}},
		{"intent with NLP disabled", Collect{Validation: ValidateFile, DisableNLP: true}, Text{Text: "hello"}, []string{"No.", "How many?"}},
		{"last attempt", Collect{Validation: ValidateLocation, MaxAttempts: 1, OnMaxAttempts: goTo("gave-up")}, receipt,
			[]string{"warn unexpected-input", "Let us stop."}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.col.Invalid = []Template{txt("No.")}
			f := newFixture(collectScript(tt.col))
			f.step(Jump{Block: "ask"})
			assertEqual(t, describe(f.step(tt.answer)), tt.want)
			assertEqual(t, f.get(t, "order.size"), nil)
		})
	}
}

func TestMediaOutsideCollect(t *testing.T) {
	for _, ev := range []Event{ghent, receipt} {
		f := newFixture(testScript())
		assertEqual(t, describe(f.step(ev)), []string{"Welcome!"})
		assertEqual(t, f.c.Started, true)
		effs := f.step(ev)
		assertEqual(t, describe(effs), []string{"warn unexpected-input", "Sorry, I did not get that."})
		if w := effs[0].(Warn); w.Message == "" {
			t.Errorf("warning without a message: %+v", w)
		}
	}
}

func TestMediaWhilePaused(t *testing.T) {
	f := newFixture(collectScript(Collect{Validation: ValidateFile}))
	f.step(Jump{Block: "ask"})
	f.c.Paused = true
	assertEqual(t, describe(f.step(receipt)), []string{})
	assertEqual(t, f.get(t, "uploadedFileUrl"), nil)
	assertEqual(t, f.get(t, "internal.messageType"), "upload")
	assertEqual(t, f.c.Awaiting, &Awaiting{Block: "ask"})
}

func TestUploadSetsUploadedFileURL(t *testing.T) {
	f := newFixture(testScript())
	f.step(Intro{})
	f.step(receipt)
	assertEqual(t, f.get(t, SessionUploadedFileURL), "https://files.example/receipt.pdf")
	f.step(Upload{URLs: []string{"https://files.example/second.png"}})
	assertEqual(t, f.get(t, SessionUploadedFileURL), "https://files.example/second.png")
}
