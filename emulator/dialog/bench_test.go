package dialog

import "testing"

func BenchmarkStep(b *testing.B) {
	s := testScript()
	e := New(s, Options{})
	c := NewConversation(s, "LIVE", "bench", t0)
	c.Started = true
	in := Input{Event: Text{Text: "I want to order a pizza with salami please"}}
	b.ReportAllocs()
	for b.Loop() {
		if effs := e.Step(c, in, t0); len(effs) != 1 {
			b.Fatalf("got %d effects", len(effs))
		}
	}
}

func BenchmarkExtract(b *testing.B) {
	e := New(testScript(), Options{})
	b.ReportAllocs()
	for b.Loop() {
		e.Extract("en", "Ik wil 2 pizza's met extra cheese en champignons, mail ann@example.com")
	}
}
