package scenarios

import (
	"fmt"
	"strings"

	"github.com/chatlayer-emulator/chatlayer-emulator/emulator/dialog"
)

// messages compiles a list of messages found at sc.base+rel.
func (b *blockCompiler) messages(sc scope, rel string, docs messageList) []dialog.Template {
	if len(docs) == 0 {
		return nil
	}
	out := make([]dialog.Template, 0, len(docs))
	for i := range docs {
		out = append(out, b.message(sc, fmt.Sprintf("%s/%d", rel, i), &docs[i]))
	}
	return out
}

// kinds lists the message kinds a message sets; exactly one is allowed
// (quickReplies belongs to text).
func (d *messageDoc) kinds() []string {
	var ks []string
	add := func(set bool, name string) {
		if set {
			ks = append(ks, name)
		}
	}
	add(d.Text != "", "text")
	add(d.Buttons != nil, "buttons")
	add(d.Carousel != nil, "carousel")
	add(d.List != nil, "list")
	add(d.Image != "", "image")
	add(d.Video != "", "video")
	add(d.Event != nil, "event")
	return ks
}

func (b *blockCompiler) message(sc scope, rel string, d *messageDoc) dialog.Template {
	if ks := d.kinds(); len(ks) != 1 {
		b.errorf(sc.base+rel, "a message has exactly one of text, buttons, carousel, list, image, video, event; found %s",
			strings.Join(ks, " and "))
	}
	switch {
	case d.Text != "" && d.QuickReplies != nil:
		return dialog.Template{Kind: dialog.TmplQuickReplies, Text: d.Text,
			Replies: b.replies(sc, rel+"/quickReplies", d.QuickReplies)}
	case d.Text != "":
		return dialog.Template{Kind: dialog.TmplText, Text: d.Text}
	case d.Buttons != nil:
		return dialog.Template{Kind: dialog.TmplButtons, Text: d.Buttons.Text,
			Buttons: b.buttons(sc, rel+"/buttons/buttons", d.Buttons.Buttons)}
	case d.Carousel != nil:
		return dialog.Template{Kind: dialog.TmplCarousel, Cards: b.cards(sc, rel+"/carousel", d.Carousel, true)}
	case d.List != nil:
		return dialog.Template{Kind: dialog.TmplList, Cards: b.cards(sc, rel+"/list/elements", d.List.Elements, false),
			Buttons: b.buttons(sc, rel+"/list/buttons", d.List.Buttons)}
	case d.Image != "":
		return dialog.Template{Kind: dialog.TmplImage, URL: d.Image}
	case d.Video != "":
		return dialog.Template{Kind: dialog.TmplVideo, URL: d.Video}
	}
	return dialog.Template{Kind: dialog.TmplEvent, Event: d.Event}
}

func (b *blockCompiler) replies(sc scope, rel string, docs []replyDoc) []dialog.Button {
	out := make([]dialog.Button, 0, len(docs))
	for i, d := range docs {
		r := fmt.Sprintf("%s/%d", rel, i)
		if d.Type == string(dialog.ButtonLocation) {
			out = append(out, dialog.Button{Kind: dialog.ButtonLocation, Title: d.Title})
			continue
		}
		btn := b.postback(sc, r, d.Title, *d.GoTo) // the schema requires goto here
		btn.ImageURL = d.ImageURL
		out = append(out, btn)
	}
	return out
}

func (b *blockCompiler) buttons(sc scope, rel string, docs []buttonDoc) []dialog.Button {
	if len(docs) == 0 {
		return nil
	}
	out := make([]dialog.Button, 0, len(docs))
	for i, d := range docs {
		out = append(out, b.button(sc, fmt.Sprintf("%s/%d", rel, i), d))
	}
	return out
}

// button compiles a Go to (goto), URL (url), Call (phone) or share
// (share: true) button.
func (b *blockCompiler) button(sc scope, rel string, d buttonDoc) dialog.Button {
	n := 0
	for _, set := range []bool{d.GoTo != nil, d.URL != "", d.Phone != "", d.Share} {
		if set {
			n++
		}
	}
	if n != 1 {
		b.errorf(sc.base+rel, "a button has exactly one of goto, url, phone, share; found %d", n)
	}
	switch {
	case d.GoTo != nil:
		return b.postback(sc, rel, d.Title, *d.GoTo)
	case d.URL != "":
		return dialog.Button{Kind: dialog.ButtonURL, Title: d.Title, URL: d.URL}
	case d.Share:
		return dialog.Button{Kind: dialog.ButtonShare, Title: d.Title}
	}
	return dialog.Button{Kind: dialog.ButtonPhone, Title: d.Title, Phone: d.Phone}
}

// postback compiles a Go to button or quick reply: its payload is the
// opaque id dialog.PostbackID(bot id, block id, pointer inside the block),
// registered in the script's Postbacks.
func (b *blockCompiler) postback(sc scope, rel, title string, g gotoDoc) dialog.Button {
	gt := b.gotoRef(sc.base+rel+"/goto", g)
	id := dialog.PostbackID(b.script.BotID, sc.block, rel)
	b.script.Postbacks[id] = dialog.Postback{Title: title, GoTo: gt}
	return dialog.Button{Kind: dialog.ButtonPostback, Title: title, Payload: id}
}

// cards compiles carousel cards (generic) or list elements; itemUrl is
// for carousel cards only, as Chatlayer documents item_url on generic
// template elements and not on list rows.
func (b *blockCompiler) cards(sc scope, rel string, docs []cardDoc, generic bool) []dialog.Card {
	out := make([]dialog.Card, 0, len(docs))
	for i, d := range docs {
		r := fmt.Sprintf("%s/%d", rel, i)
		if d.ItemURL != "" && !generic {
			b.errorf(sc.base+r+"/itemUrl", "itemUrl is for carousel cards only: list elements have no item_url")
		}
		out = append(out, dialog.Card{Title: d.Title, Subtitle: d.Subtitle, ImageURL: d.ImageURL,
			DefaultURL: d.URL, ItemURL: d.ItemURL, Buttons: b.buttons(sc, r+"/buttons", d.Buttons)})
	}
	return out
}
