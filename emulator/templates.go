package emulator

// The v1 message templates of sendMessages (FIDELITY.md "Conversation
// actions (Q9)"), converted to dialog templates that the engine renders to
// Messenger-shaped messages. Source: Chatlayer's example repository
// github.com/chatlayerai/chatlayer-examples, offloading-webhook/messaging.js.

import (
	"cmp"
	"errors"
	"fmt"
	"strings"

	"github.com/chatlayer-emulator/chatlayer-emulator/emulator/dialog"
)

// Bounds of the v1 templates.
const (
	maxTemplates    = 50
	maxButtons      = 3
	maxQuickReplies = 13
	maxCarouselSize = 10
	minListSize     = 2
	maxListSize     = 4
)

// v1Template holds exactly one template key.
type v1Template struct {
	TextMessageTemplate *v1TextTemplate       `json:"textMessageTemplate"`
	ButtonTemplate      *v1ButtonTemplate     `json:"buttonTemplate"`
	QuickReplyTemplate  *v1QuickReplyTemplate `json:"quickReplyTemplate"`
	AttachmentTemplate  *v1AttachmentTemplate `json:"attachmentTemplate"`
	CarouselTemplate    *v1CarouselTemplate   `json:"carouselTemplate"`
	ListTemplate        *v1ListTemplate       `json:"listTemplate"`
}

// v1Text is one of textMessages; several are variants, the first is sent.
type v1Text struct {
	Text string `json:"text"`
}

// v1TextTemplate is a text message.
type v1TextTemplate struct {
	TextMessages []v1Text `json:"textMessages"`
}

// v1ButtonTemplate is a text with 1 to 3 buttons.
type v1ButtonTemplate struct {
	TextMessages []v1Text   `json:"textMessages"`
	Buttons      []v1Button `json:"buttons"`
}

// v1QuickReplyTemplate is a text with 1 to 13 quick replies.
type v1QuickReplyTemplate struct {
	TextMessages []v1Text       `json:"textMessages"`
	QuickReplies []v1QuickReply `json:"quickReplies"`
}

// v1QuickReply is a quick reply; a click goes where its payload says.
type v1QuickReply struct {
	Title    string     `json:"title"`
	ImageURL string     `json:"imageUrl"`
	Payload  *v1Payload `json:"payload"`
}

// v1Payload is where a click leads and what it sets first.
type v1Payload struct {
	NextDialogstateID blockRef   `json:"nextDialogstateId"`
	SessionDataToSet  []keyValue `json:"sessionDataToSet"`
}

// v1AttachmentTemplate is a media message.
type v1AttachmentTemplate struct {
	Media *v1Media `json:"media"`
}

// v1Media is an image, a video, an audio or a file by URL.
type v1Media struct {
	URL  string `json:"url"`
	Type string `json:"type"`
}

// v1CarouselTemplate is a generic template of 1 to 10 cards.
type v1CarouselTemplate struct {
	Elements []v1CarouselElement `json:"elements"`
}

// v1CarouselElement is a card with up to 3 buttons.
type v1CarouselElement struct {
	Title    string     `json:"title"`
	SubTitle string     `json:"subTitle"`
	ImageURL string     `json:"imageUrl"`
	Buttons  []v1Button `json:"buttons"`
}

// v1ListTemplate is a list of 2 to 4 elements with an optional button.
// Size (LARGE or COMPACT) is checked but has no Messenger field to go to.
type v1ListTemplate struct {
	Size     string          `json:"size"`
	Button   *v1Button       `json:"button"`
	Elements []v1ListElement `json:"elements"`
}

// v1ListElement is a list item with an optional button.
type v1ListElement struct {
	Title    string    `json:"title"`
	SubTitle string    `json:"subTitle"`
	ImageURL string    `json:"imageUrl"`
	Button   *v1Button `json:"button"`
}

// v1Button holds exactly one button kind.
type v1Button struct {
	URLButton         *v1URLButton      `json:"urlButton"`
	PhoneNumberButton *v1PhoneButton    `json:"phoneNumberButton"`
	PostBackButton    *v1PostbackButton `json:"postBackButton"`
}

// v1URLButton opens a URL.
type v1URLButton struct {
	Title string `json:"title"`
	URL   string `json:"url"`
}

// v1PhoneButton calls a number.
type v1PhoneButton struct {
	Title       string `json:"title"`
	PhoneNumber string `json:"phoneNumber"`
}

// v1PostbackButton sends the user to a block.
type v1PostbackButton struct {
	Title   string     `json:"title"`
	Payload *v1Payload `json:"payload"`
}

// templateConverter turns v1 templates into dialog templates. blockExists,
// when set, checks every nextDialogstateId (a block id or name): one that
// names no block is refused when strict, and otherwise accepted with a
// warning added to *unknown (a click on the button then goes where an
// unknown postback goes).
type templateConverter struct {
	blockExists func(idOrName string) bool
	strict      bool
	unknown     *[]Warning
}

// convert checks and converts a sendMessages list; path is its JSON pointer.
func (tc templateConverter) convert(list []v1Template, path string) ([]dialog.Template, error) {
	if len(list) < 1 || len(list) > maxTemplates {
		return nil, badRequest(path, "must hold 1 to %d templates, not %d", maxTemplates, len(list))
	}
	out := make([]dialog.Template, 0, len(list))
	for i, t := range list {
		dt, err := tc.template(t, path+"/"+itoa(i))
		if err != nil {
			return nil, err
		}
		out = append(out, dt)
	}
	return out, nil
}

// template converts the one template of t.
func (tc templateConverter) template(t v1Template, p string) (dialog.Template, error) {
	if n := countSet(t.TextMessageTemplate != nil, t.ButtonTemplate != nil, t.QuickReplyTemplate != nil,
		t.AttachmentTemplate != nil, t.CarouselTemplate != nil, t.ListTemplate != nil); n != 1 {
		return dialog.Template{}, badRequest(p, "must hold exactly one of textMessageTemplate, buttonTemplate, "+
			"quickReplyTemplate, attachmentTemplate, carouselTemplate and listTemplate, not %d", n)
	}
	switch {
	case t.TextMessageTemplate != nil:
		text, err := firstText(t.TextMessageTemplate.TextMessages, p+"/textMessageTemplate/textMessages")
		return dialog.Template{Kind: dialog.TmplText, Text: text}, err
	case t.ButtonTemplate != nil:
		return tc.buttonTemplate(t.ButtonTemplate, p+"/buttonTemplate")
	case t.QuickReplyTemplate != nil:
		return tc.quickReplyTemplate(t.QuickReplyTemplate, p+"/quickReplyTemplate")
	case t.AttachmentTemplate != nil:
		return attachmentTemplate(t.AttachmentTemplate, p+"/attachmentTemplate")
	case t.CarouselTemplate != nil:
		return tc.carouselTemplate(t.CarouselTemplate, p+"/carouselTemplate")
	default:
		return tc.listTemplate(t.ListTemplate, p+"/listTemplate")
	}
}

// countSet counts the true values.
func countSet(set ...bool) int {
	n := 0
	for _, b := range set {
		if b {
			n++
		}
	}
	return n
}

// firstText checks textMessages (at least one, each non-empty) and
// returns the first: several texts are variants, as in the dialog engine.
func firstText(texts []v1Text, p string) (string, error) {
	if len(texts) == 0 {
		return "", badRequest(p, "must hold at least one text")
	}
	for i, t := range texts {
		if strings.TrimSpace(t.Text) == "" {
			return "", badRequest(p+"/"+itoa(i)+"/text", "is required and must not be empty")
		}
	}
	return texts[0].Text, nil
}

// buttonTemplate converts a text with 1 to 3 buttons.
func (tc templateConverter) buttonTemplate(t *v1ButtonTemplate, p string) (dialog.Template, error) {
	text, err := firstText(t.TextMessages, p+"/textMessages")
	if err != nil {
		return dialog.Template{}, err
	}
	buttons, err := tc.buttons(t.Buttons, p+"/buttons", 1)
	return dialog.Template{Kind: dialog.TmplButtons, Text: text, Buttons: buttons}, err
}

// quickReplyTemplate converts a text with 1 to 13 quick replies.
func (tc templateConverter) quickReplyTemplate(t *v1QuickReplyTemplate, p string) (dialog.Template, error) {
	text, err := firstText(t.TextMessages, p+"/textMessages")
	if err != nil {
		return dialog.Template{}, err
	}
	if n := len(t.QuickReplies); n < 1 || n > maxQuickReplies {
		return dialog.Template{}, badRequest(p+"/quickReplies", "must hold 1 to %d quick replies, not %d", maxQuickReplies, n)
	}
	out := dialog.Template{Kind: dialog.TmplQuickReplies, Text: text}
	for i, q := range t.QuickReplies {
		qp := p + "/quickReplies/" + itoa(i)
		if err := requireText(q.Title, qp+"/title"); err != nil {
			return dialog.Template{}, err
		}
		g, err := tc.goTo(q.Payload, qp+"/payload")
		if err != nil {
			return dialog.Template{}, err
		}
		out.Replies = append(out.Replies, dialog.Button{Kind: dialog.ButtonPostback, Title: q.Title, ImageURL: q.ImageURL, GoTo: g})
	}
	return out, nil
}

// mediaKinds maps attachmentTemplate media types to template kinds.
var mediaKinds = map[string]dialog.TemplateKind{
	"image": dialog.TmplImage, "video": dialog.TmplVideo, "audio": dialog.TmplAudio, "file": dialog.TmplFile,
}

// attachmentTemplate converts a media message.
func attachmentTemplate(t *v1AttachmentTemplate, p string) (dialog.Template, error) {
	if t.Media == nil {
		return dialog.Template{}, badRequest(p+"/media", "is required")
	}
	if err := requireText(t.Media.URL, p+"/media/url"); err != nil {
		return dialog.Template{}, err
	}
	kind, ok := mediaKinds[t.Media.Type]
	if !ok {
		return dialog.Template{}, badRequest(p+"/media/type", "must be image, video, audio or file, not %q", t.Media.Type)
	}
	return dialog.Template{Kind: kind, URL: t.Media.URL}, nil
}

// carouselTemplate converts 1 to 10 cards with up to 3 buttons each.
func (tc templateConverter) carouselTemplate(t *v1CarouselTemplate, p string) (dialog.Template, error) {
	if n := len(t.Elements); n < 1 || n > maxCarouselSize {
		return dialog.Template{}, badRequest(p+"/elements", "must hold 1 to %d elements, not %d", maxCarouselSize, n)
	}
	out := dialog.Template{Kind: dialog.TmplCarousel}
	for i, el := range t.Elements {
		ep := p + "/elements/" + itoa(i)
		if err := requireText(el.Title, ep+"/title"); err != nil {
			return dialog.Template{}, err
		}
		buttons, err := tc.buttons(el.Buttons, ep+"/buttons", 0)
		if err != nil {
			return dialog.Template{}, err
		}
		out.Cards = append(out.Cards, dialog.Card{Title: el.Title, Subtitle: el.SubTitle, ImageURL: el.ImageURL, Buttons: buttons})
	}
	return out, nil
}

// listTemplate converts 2 to 4 elements, each with an optional button,
// and the list's optional button.
func (tc templateConverter) listTemplate(t *v1ListTemplate, p string) (dialog.Template, error) {
	if t.Size != "" && t.Size != "LARGE" && t.Size != "COMPACT" {
		return dialog.Template{}, badRequest(p+"/size", "must be LARGE or COMPACT, not %q", t.Size)
	}
	if n := len(t.Elements); n < minListSize || n > maxListSize {
		return dialog.Template{}, badRequest(p+"/elements", "must hold %d to %d elements, not %d", minListSize, maxListSize, n)
	}
	out := dialog.Template{Kind: dialog.TmplList}
	var err error
	if out.Buttons, err = tc.optButton(t.Button, p+"/button"); err != nil {
		return dialog.Template{}, err
	}
	for i, el := range t.Elements {
		ep := p + "/elements/" + itoa(i)
		if err := requireText(el.Title, ep+"/title"); err != nil {
			return dialog.Template{}, err
		}
		buttons, err := tc.optButton(el.Button, ep+"/button")
		if err != nil {
			return dialog.Template{}, err
		}
		out.Cards = append(out.Cards, dialog.Card{Title: el.Title, Subtitle: el.SubTitle, ImageURL: el.ImageURL, Buttons: buttons})
	}
	return out, nil
}

// buttons converts a list of at least least and at most 3 buttons.
func (tc templateConverter) buttons(list []v1Button, p string, least int) ([]dialog.Button, error) {
	if len(list) < least || len(list) > maxButtons {
		return nil, badRequest(p, "must hold %d to %d buttons, not %d", least, maxButtons, len(list))
	}
	var out []dialog.Button
	for i, b := range list {
		db, err := tc.button(b, p+"/"+itoa(i))
		if err != nil {
			return nil, err
		}
		out = append(out, db)
	}
	return out, nil
}

// optButton converts an optional single button to a list of zero or one.
func (tc templateConverter) optButton(b *v1Button, p string) ([]dialog.Button, error) {
	if b == nil {
		return nil, nil
	}
	db, err := tc.button(*b, p)
	if err != nil {
		return nil, err
	}
	return []dialog.Button{db}, nil
}

// button converts the one button kind of b.
func (tc templateConverter) button(b v1Button, p string) (dialog.Button, error) {
	if n := countSet(b.URLButton != nil, b.PhoneNumberButton != nil, b.PostBackButton != nil); n != 1 {
		return dialog.Button{}, badRequest(p, "must hold exactly one of urlButton, phoneNumberButton and postBackButton, not %d", n)
	}
	switch {
	case b.URLButton != nil:
		u := b.URLButton
		err := cmp.Or(requireText(u.Title, p+"/urlButton/title"), requireText(u.URL, p+"/urlButton/url"))
		return dialog.Button{Kind: dialog.ButtonURL, Title: u.Title, URL: u.URL}, err
	case b.PhoneNumberButton != nil:
		ph := b.PhoneNumberButton
		err := cmp.Or(requireText(ph.Title, p+"/phoneNumberButton/title"), requireText(ph.PhoneNumber, p+"/phoneNumberButton/phoneNumber"))
		return dialog.Button{Kind: dialog.ButtonPhone, Title: ph.Title, Phone: ph.PhoneNumber}, err
	}
	pb := b.PostBackButton
	if err := requireText(pb.Title, p+"/postBackButton/title"); err != nil {
		return dialog.Button{}, err
	}
	g, err := tc.goTo(pb.Payload, p+"/postBackButton/payload")
	return dialog.Button{Kind: dialog.ButtonPostback, Title: pb.Title, GoTo: g}, err
}

// goTo converts a click payload to a GoTo; the engine issues the opaque
// id when it renders the button.
func (tc templateConverter) goTo(pl *v1Payload, p string) (*dialog.GoTo, error) {
	if pl == nil {
		return nil, badRequest(p, "is required")
	}
	target := string(pl.NextDialogstateID)
	if err := requireText(target, p+"/nextDialogstateId"); err != nil {
		return nil, err
	}
	if err := tc.checkBlock(target, p+"/nextDialogstateId"); err != nil {
		return nil, err
	}
	set, err := assignments(pl.SessionDataToSet, p+"/sessionDataToSet")
	return &dialog.GoTo{Block: target, Set: set}, err
}

// checkBlock refuses (strict) or notes (otherwise) a block that does not
// exist; field is where the body names it.
func (tc templateConverter) checkBlock(id, field string) error {
	if tc.blockExists == nil || tc.blockExists(id) {
		return nil
	}
	if tc.strict || tc.unknown == nil {
		return badRequest(field, "unknown block %q (refused: the emulator runs with --strict)", id)
	}
	*tc.unknown = append(*tc.unknown, Warning{Code: dialog.WarnUnknownBlock, Field: field,
		Message: fmt.Sprintf("a button names unknown block %q: accepted; a click on it goes to %s", id, dialog.BlockNotUnderstood)})
	return nil
}

// assignments converts sessionDataToSet; every key must be a valid
// variable path.
func assignments(kvs []keyValue, p string) ([]dialog.Assignment, error) {
	var out []dialog.Assignment
	for i, kv := range kvs {
		if err := dialog.SetPath(map[string]any{}, kv.Key, nil); err != nil && !errors.Is(err, dialog.ErrReadOnly) {
			return nil, badRequest(p+"/"+itoa(i)+"/key", "must be a variable path such as \"order.id\", not %q", kv.Key)
		}
		out = append(out, dialog.Assignment{Path: kv.Key, Value: kv.Value})
	}
	return out, nil
}

// requireText reports an empty or blank string at p.
func requireText(s, p string) error {
	if strings.TrimSpace(s) == "" {
		return badRequest(p, "is required and must not be empty")
	}
	return nil
}
