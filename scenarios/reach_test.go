package scenarios

import (
	"sort"

	"github.com/chatlayer-emulator/chatlayer-emulator/emulator/dialog"
)

// edge is a way from one block to another.
type edge struct{ from, to, via string }

// edges lists where a block can lead: next, rules, fallback, max attempts,
// API errors, and every postback button or quick reply it sends.
func edges(s *dialog.Script, b *dialog.Block) []edge {
	var out []edge
	add := func(g *dialog.GoTo, via string) {
		if g != nil {
			out = append(out, edge{b.ID, g.Block, via})
		}
	}
	add(b.Next, "next")
	add(b.Fallback, "fallback")
	for i := range b.Rules {
		add(&b.Rules[i].GoTo, "rule")
	}
	if b.API != nil {
		add(b.API.OnError, "onError")
	}
	templates := b.Messages
	if c := b.Collect; c != nil {
		add(c.OnMaxAttempts, "onMaxAttempts")
		templates = append(append(append([]dialog.Template(nil), c.Prompt...), c.Invalid...), templates...)
	}
	for _, btn := range buttonsOf(templates) {
		if pb, ok := s.Postbacks[btn.Payload]; ok {
			add(&pb.GoTo, "postback "+btn.Title)
		}
	}
	return out
}

// buttonsOf lists every button and quick reply of some templates.
func buttonsOf(ts []dialog.Template) []dialog.Button {
	var out []dialog.Button
	for _, t := range ts {
		out = append(append(out, t.Replies...), t.Buttons...)
		for _, c := range t.Cards {
			out = append(out, c.Buttons...)
		}
	}
	return out
}

// roots are the blocks a conversation can enter without a go-to: the
// default blocks (introduction, error and offloading outcomes) and the
// targets of intents.
func roots(s *dialog.Script) []string {
	r := DefaultBlockIDs()
	for _, in := range s.Intents {
		r = append(r, in.Block)
	}
	return r
}

// unreachable returns the blocks no root leads to, sorted.
func unreachable(s *dialog.Script) []string {
	seen := map[string]bool{}
	queue := roots(s)
	for len(queue) > 0 {
		id := queue[0]
		queue = queue[1:]
		if seen[id] || s.Blocks[id] == nil {
			continue
		}
		seen[id] = true
		for _, e := range edges(s, s.Blocks[id]) {
			queue = append(queue, e.to)
		}
	}
	var out []string
	for id := range s.Blocks {
		if !seen[id] {
			out = append(out, id)
		}
	}
	sort.Strings(out)
	return out
}

// incoming lists the edges into a block.
func incoming(s *dialog.Script, id string) []edge {
	var out []edge
	for _, b := range s.Blocks {
		for _, e := range edges(s, b) {
			if e.to == id {
				out = append(out, e)
			}
		}
	}
	return out
}
