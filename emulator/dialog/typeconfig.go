package dialog

import (
	"encoding/json"
	"fmt"
)

// TypeConfigError is an error of DecodeTypeConfig: the path of the
// offending field ("messages[1].config.textMessages") and the problem.
type TypeConfigError struct {
	Path    string
	Problem string
}

// Error returns "path: problem".
func (e *TypeConfigError) Error() string { return e.Path + ": " + e.Problem }

func required(path string) error { return &TypeConfigError{Path: path, Problem: "required"} }

func wrongType(path, want string) error {
	return &TypeConfigError{Path: path, Problem: "must be " + want}
}

// DecodeTypeConfig decodes a JSON array of messages in the {type, config}
// dialect of API-plugin answers and the legacy webview call (Chatlayer's
// message structure page,
// https://docs.chatlayer.ai/integrateandcode/chat-message-structure-for-apis)
// into templates:
//
//	text          {textMessages:[{text}, …]}
//	buttons       {textMessages:[…], buttons:[<button>, …]}
//	quickReplies  {textMessages:[…], quickReplies:[{type?, title, imageUrl?, payload}, …]}
//	carousel      {elements:[<element>, …]}
//	list          {elements:[<element>, …], buttons?:[<button>, …]}   (emulator's choice)
//	media         {media:{type:"image"|"video"|"audio"|"attachment", url, isCache?}}
//	image, video, audio, attachment   {url}   (shorthand for media)
//	event         any object: the payload of a {type:"event"} message
//
// where <element> is {title, subTitle?, imageUrl?, webUrl?, buttons?} and
// <button> is {type:"postback", title, payload:{nextDialogstateId,
// params?:[{key, value}]}}, {type:"web_url", title, url},
// {type:"phone_number", title, payload:"<number>"} or
// {type:"element_share", title?}. A quick reply's type is "postback" (the
// default) or "location". A nextDialogstateId may be a string or a number
// (see BlockID).
//
// textMessages holds variants of one text, of which Chatlayer picks one at
// random; the emulator always uses the first. A postback payload object
// becomes a Button with GoTo set (params become Set assignments), so the
// engine issues an opaque id when it renders it; a payload string is kept
// as an opaque id, or decoded when it is a legacy JSON payload. Media type
// "attachment" maps to a "file" attachment. A null document decodes to no
// messages. Errors are *TypeConfigError naming the index and field, for
// example "messages[1].config.textMessages: required".
func DecodeTypeConfig(raw []byte) ([]Template, error) {
	var v any
	if err := json.Unmarshal(raw, &v); err != nil {
		return nil, &TypeConfigError{Path: "messages", Problem: "invalid JSON: " + err.Error()}
	}
	return decodeMessages(v, "messages")
}

// decodeMessages decodes an already parsed {type, config} message array.
func decodeMessages(v any, path string) ([]Template, error) {
	if v == nil {
		return nil, nil
	}
	arr, ok := v.([]any)
	if !ok {
		return nil, wrongType(path, "an array")
	}
	out := make([]Template, 0, len(arr))
	for i, item := range arr {
		t, err := decodeMessage(item, fmt.Sprintf("%s[%d]", path, i))
		if err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, nil
}

func decodeMessage(v any, path string) (Template, error) {
	m, err := asObject(v, path)
	if err != nil {
		return Template{}, err
	}
	typ, err := reqString(m, path, "type")
	if err != nil {
		return Template{}, err
	}
	if typ == "event" {
		cfg, err := optObject(m, path, "config")
		return Template{Kind: TmplEvent, Event: cfg}, err
	}
	cfg, err := reqObject(m, path, "config")
	if err != nil {
		return Template{}, err
	}
	if dec, ok := messageDecoders[typ]; ok {
		return dec(cfg, path+".config")
	}
	if kind, ok := mediaKinds[typ]; ok {
		url, err := reqString(cfg, path+".config", "url")
		return Template{Kind: kind, URL: url}, err
	}
	return Template{}, &TypeConfigError{Path: path + ".type", Problem: fmt.Sprintf("unknown message type %q", typ)}
}

// messageDecoders decode the config of each structured message type.
var messageDecoders = map[string]func(map[string]any, string) (Template, error){
	"text":         decodeText,
	"buttons":      decodeButtons,
	"quickReplies": decodeQuickReplies,
	"carousel":     decodeCarousel,
	"list":         decodeList,
	"media":        decodeMedia,
}

// mediaKinds maps media types to template kinds.
var mediaKinds = map[string]TemplateKind{
	"image":      TmplImage,
	"video":      TmplVideo,
	"audio":      TmplAudio,
	"attachment": TmplFile,
	"file":       TmplFile,
}

func decodeText(cfg map[string]any, path string) (Template, error) {
	text, err := textMessages(cfg, path)
	return Template{Kind: TmplText, Text: text}, err
}

// textMessages validates every {text} variant and returns the first.
func textMessages(cfg map[string]any, path string) (string, error) {
	arr, err := reqArray(cfg, path, "textMessages")
	if err != nil {
		return "", err
	}
	var first string
	for i, item := range arr {
		p := fmt.Sprintf("%s.textMessages[%d]", path, i)
		m, err := asObject(item, p)
		if err != nil {
			return "", err
		}
		s, err := reqString(m, p, "text")
		if err != nil {
			return "", err
		}
		if i == 0 {
			first = s
		}
	}
	return first, nil
}

func decodeButtons(cfg map[string]any, path string) (Template, error) {
	text, err := textMessages(cfg, path)
	if err != nil {
		return Template{}, err
	}
	buttons, err := buttonList(cfg, path, "buttons", true)
	return Template{Kind: TmplButtons, Text: text, Buttons: buttons}, err
}

func decodeQuickReplies(cfg map[string]any, path string) (Template, error) {
	text, err := textMessages(cfg, path)
	if err != nil {
		return Template{}, err
	}
	arr, err := reqArray(cfg, path, "quickReplies")
	if err != nil {
		return Template{}, err
	}
	t := Template{Kind: TmplQuickReplies, Text: text}
	for i, item := range arr {
		b, err := decodeQuickReply(item, fmt.Sprintf("%s.quickReplies[%d]", path, i))
		if err != nil {
			return Template{}, err
		}
		t.Replies = append(t.Replies, b)
	}
	return t, nil
}

func decodeQuickReply(v any, path string) (Button, error) {
	m, err := asObject(v, path)
	if err != nil {
		return Button{}, err
	}
	typ, err := optString(m, path, "type")
	if err != nil {
		return Button{}, err
	}
	switch typ {
	case "location":
		return Button{Kind: ButtonLocation}, nil
	case "", "postback":
		b, err := decodePostback(m, path)
		if err != nil {
			return Button{}, err
		}
		b.ImageURL, err = optString(m, path, "imageUrl")
		return b, err
	}
	return Button{}, &TypeConfigError{Path: path + ".type", Problem: fmt.Sprintf("unknown quick reply type %q", typ)}
}

func decodeCarousel(cfg map[string]any, path string) (Template, error) {
	cards, err := elementList(cfg, path)
	return Template{Kind: TmplCarousel, Cards: cards}, err
}

func decodeList(cfg map[string]any, path string) (Template, error) {
	cards, err := elementList(cfg, path)
	if err != nil {
		return Template{}, err
	}
	buttons, err := buttonList(cfg, path, "buttons", false)
	return Template{Kind: TmplList, Cards: cards, Buttons: buttons}, err
}

func decodeMedia(cfg map[string]any, path string) (Template, error) {
	media, err := reqObject(cfg, path, "media")
	if err != nil {
		return Template{}, err
	}
	p := path + ".media"
	typ, err := reqString(media, p, "type")
	if err != nil {
		return Template{}, err
	}
	kind, ok := mediaKinds[typ]
	if !ok {
		return Template{}, &TypeConfigError{Path: p + ".type", Problem: fmt.Sprintf("unknown media type %q", typ)}
	}
	url, err := reqString(media, p, "url")
	return Template{Kind: kind, URL: url}, err
}
