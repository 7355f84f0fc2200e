package dialog

import "strings"

// Render turns a template into the Messenger-shaped message Chatlayer
// sends to Webhook channels (docs/CONTRACT.md §3.2), as an engine with no script
// and the default options does (see Engine.Render).
func Render(c *Conversation, t Template) Message { return New(nil, Options{}).Render(c, t) }

// Render turns a template into the Messenger-shaped message Chatlayer
// sends to Webhook channels (docs/CONTRACT.md §3.2), interpolating every text,
// title, subtitle, URL and phone number from c.Session (see Interpolate).
//
// Postback payloads follow the engine's Options.PostbackFormat. Opaque
// (the default): a script's static ids are copied unchanged, and a
// postback button or quick reply with GoTo set and no Payload (built at
// run time, for example from an API-plugin answer) gets the id
// PostbackID(c.BotID, c.SessionID, GoTo.Block, canonical JSON of GoTo.Set,
// rendered title), which is registered in c.Postbacks so that a click on
// it resolves. JSON: every postback control whose target is known gets
// the stringified JSON payload described at PostbackJSON.
//
// Each postback control is also recorded in c.Offers, the offers of the
// bot's last reply; the first message rendered after a user event starts
// a new reply and clears them (see Conversation.OffersStale). Render
// therefore mutates c.Postbacks, c.Offers and c.OffersStale, and nothing
// else.
//
// Shapes: text → {text}; quickReplies → {text, quick_replies}; buttons →
// template "button"; carousel → template "generic"; list → template "list"
// with its elements and buttons; image, video, audio and file → an
// attachment of that type with {url, is_reusable:false}; event →
// {type:"event", payload} where strings are resolved with ResolveValue
// (a string that is exactly "{path}" keeps the variable's JSON type). An
// unknown kind renders as a text message.
func (e *Engine) Render(c *Conversation, t Template) Message { return e.render(c, t, nil) }

// render is Render reading the session through session (nil: c.Session),
// called only when a text needs interpolation.
func (e *Engine) render(c *Conversation, t Template, session func() map[string]any) Message {
	if c != nil && c.OffersStale {
		c.Offers, c.OffersStale = nil, false
	}
	r := renderer{e: e, c: c, sess: session}
	switch t.Kind {
	case TmplQuickReplies:
		return Message{Text: r.s(t.Text), QuickReplies: r.replies(t.Replies)}
	case TmplButtons:
		return template(AttachmentPayload{TemplateType: "button", Text: r.s(t.Text), Buttons: r.buttons(t.Buttons)})
	case TmplCarousel:
		return template(AttachmentPayload{TemplateType: "generic", Elements: r.elements(t.Cards, true)})
	case TmplList:
		return template(AttachmentPayload{TemplateType: "list", Elements: r.elements(t.Cards, false), Buttons: r.buttons(t.Buttons)})
	case TmplImage, TmplVideo, TmplAudio, TmplFile:
		reusable := false
		return Message{Attachment: &Attachment{Type: string(t.Kind),
			Payload: AttachmentPayload{URL: r.s(t.URL), IsReusable: &reusable}}}
	case TmplEvent:
		payload, _ := ResolveValue(r.session(), t.Event).(map[string]any)
		if payload == nil {
			payload = map[string]any{} // an event always carries a payload object
		}
		return Message{Type: "event", Payload: payload}
	}
	return Message{Text: r.s(t.Text)}
}

func template(p AttachmentPayload) Message {
	return Message{Attachment: &Attachment{Type: "template", Payload: p}}
}

// renderer renders the parts of one template for one conversation.
type renderer struct {
	e    *Engine
	c    *Conversation
	sess func() map[string]any // nil: c.Session
}

func (r renderer) session() map[string]any {
	switch {
	case r.sess != nil:
		return r.sess()
	case r.c == nil:
		return nil
	}
	return r.c.Session
}

// s interpolates s; the session is read only when s has a placeholder.
func (r renderer) s(s string) string {
	if !strings.Contains(s, "{") {
		return s
	}
	return Interpolate(r.session(), s)
}

func (r renderer) replies(bs []Button) []QuickReply {
	var out []QuickReply
	for _, b := range bs {
		if b.Kind == ButtonLocation {
			out = append(out, QuickReply{ContentType: "location"})
			continue
		}
		title := r.s(b.Title)
		out = append(out, QuickReply{ContentType: "text", Title: title,
			Payload: r.payload(b, title, offerQuickReply), ImageURL: r.s(b.ImageURL)})
	}
	return out
}

// buttons renders template buttons; location buttons exist only as quick
// replies and are dropped here.
func (r renderer) buttons(bs []Button) []MessageButton {
	var out []MessageButton
	for _, b := range bs {
		title := r.s(b.Title)
		switch b.Kind {
		case ButtonLocation:
			continue
		case ButtonURL:
			out = append(out, MessageButton{Type: string(ButtonURL), Title: title, URL: r.s(b.URL)})
		case ButtonPhone:
			out = append(out, MessageButton{Type: string(ButtonPhone), Title: title, Payload: r.s(b.Phone)})
		case ButtonShare:
			out = append(out, MessageButton{Type: string(ButtonShare), Title: title})
		default:
			out = append(out, MessageButton{Type: string(ButtonPostback), Title: title, Payload: r.payload(b, title, offerButton)})
		}
	}
	return out
}

// payload is the payload of a postback control of kind, in the engine's
// format: a JSON payload, or the opaque id (issued now for run-time
// controls). The control is recorded as an offer of the reply.
func (r renderer) payload(b Button, title string, kind offerKind) string {
	g, known := r.e.buttonPostback(r.c, b)
	if known && r.c != nil {
		r.c.Offers = append(r.c.Offers, Postback{Title: title, GoTo: g})
	}
	switch {
	case known && r.e.opts.PostbackFormat == PostbackJSON:
		return encodeJSONPayload(g, kind, title)
	case b.Payload != "" || b.GoTo == nil || r.c == nil:
		return b.Payload
	}
	return registerPostback(r.c, *b.GoTo, title)
}

// elements renders cards; generic says whether they are carousel cards,
// the only ones with an item_url (Chatlayer documents none on list rows).
func (r renderer) elements(cards []Card, generic bool) []Element {
	var out []Element
	for _, c := range cards {
		el := Element{Title: r.s(c.Title), Subtitle: r.s(c.Subtitle), ImageURL: r.s(c.ImageURL),
			Buttons: r.buttons(c.Buttons)}
		if generic {
			el.ItemURL = r.s(c.ItemURL)
		}
		if c.DefaultURL != "" {
			el.DefaultAction = &DefaultAction{Type: "web_url", URL: r.s(c.DefaultURL)}
		}
		out = append(out, el)
	}
	return out
}
