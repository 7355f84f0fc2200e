package dialog

import (
	"fmt"
	"slices"
	"strings"
)

// TitleOnly reports whether the click names only a title: no payload, no
// target, and a title that is not blank. Clients that cannot read opaque
// payloads click a button this way.
func (ev Click) TitleOnly() bool {
	return ev.Payload == "" && ev.Target == "" && strings.TrimSpace(ev.Title) != ""
}

// ResolveTitle turns a click that names only its title into the event it
// stands for, matching the title against c.Offers, the postback buttons
// and quick replies of the bot's last reply. Titles match when they are
// equal after trimming white space, under Unicode simple case folding
// ("yes" matches " Yes "). One match, or several that lead to the same
// block with the same assignments, gives a Click with that Target and
// Set, then the click's own Set (and the title sent); no match, or
// matches that differ, give a Text of the title, as if the user had
// typed it (the click's own Set is then dropped). The Warn says which
// (WarnPostbackTitle, WarnPostbackTitleUnmatched or
// WarnPostbackTitleAmbiguous). A click that is not TitleOnly is returned
// as it is, with a zero Warn.
func (e *Engine) ResolveTitle(c *Conversation, ev Click) (Event, Warn) {
	if !ev.TitleOnly() {
		return ev, Warn{}
	}
	match, n := matchTitle(c.Offers, ev.Title)
	switch n {
	case 0:
		return Text{Text: ev.Title}, Warn{Code: WarnPostbackTitleUnmatched, Message: fmt.Sprintf(
			"a click names only its title %q, which no button or quick reply of the bot's last reply has: handled as the text the user typed", ev.Title)}
	case 1:
		set := append(slices.Clip(match.GoTo.Set), ev.Set...)
		return Click{Title: ev.Title, Target: match.GoTo.Block, Set: set}, Warn{Code: WarnPostbackTitle, Message: fmt.Sprintf(
			"a click names only its title %q: matched a button of the bot's last reply, to block %q", ev.Title, match.GoTo.Block)}
	}
	return Text{Text: ev.Title}, Warn{Code: WarnPostbackTitleAmbiguous, Message: fmt.Sprintf(
		"a click names only its title %q, and the buttons or quick replies of the bot's last reply with that title lead to %d different blocks or data: handled as the text the user typed",
		ev.Title, n)}
}

// matchTitle finds the offers whose title matches title; n counts the
// different clicks (target and assignments) among them, and match is the
// first.
func matchTitle(offers []Postback, title string) (match Postback, n int) {
	want := strings.TrimSpace(title)
	var seen []string
	for _, o := range offers {
		if !strings.EqualFold(strings.TrimSpace(o.Title), want) {
			continue
		}
		key := o.GoTo.Block + "\x00" + canonicalSet(o.GoTo.Set)
		if n == 0 {
			match = o
		}
		if !slices.Contains(seen, key) {
			seen, n = append(seen, key), n+1
		}
	}
	return match, n
}
