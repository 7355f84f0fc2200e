package dialog

import "fmt"

// PostbackFormat is the form of the payloads the engine puts in the
// postback buttons and quick replies it sends. The zero value is
// PostbackOpaque. Whatever the format, the engine resolves both forms
// when a click sends them back.
type PostbackFormat string

// The postback formats.
const (
	// PostbackOpaque emits opaque ids of 40 lower-case hex characters,
	// Chatlayer's form since 2022 (see PostbackID).
	PostbackOpaque PostbackFormat = "opaque"
	// PostbackJSON emits the stringified JSON of before 2022, in the field
	// order of Chatlayer's legacy "Request format for button click":
	// {"params":[{"key","value"}],"nextDialogstateId","type","caption"},
	// where nextDialogstateId is the target's block id (a JSON string),
	// params are the button's assignments in order with their values as
	// configured (not interpolated), type is "button" or "quickreply", and
	// caption is the rendered title.
	PostbackJSON PostbackFormat = "json"
)

// ParsePostbackFormat returns the format named s; "" is PostbackOpaque.
func ParsePostbackFormat(s string) (PostbackFormat, error) {
	switch f := PostbackFormat(s); f {
	case "":
		return PostbackOpaque, nil
	case PostbackOpaque, PostbackJSON:
		return f, nil
	}
	return "", fmt.Errorf("postback format %q: want opaque or json", s)
}

// String returns the format's name.
func (f PostbackFormat) String() string {
	if f == "" {
		return string(PostbackOpaque)
	}
	return string(f)
}

// Set implements flag.Value.
func (f *PostbackFormat) Set(s string) error {
	v, err := ParsePostbackFormat(s)
	if err != nil {
		return err
	}
	*f = v
	return nil
}

// offerKind is the "type" of a JSON payload: what kind of control the
// user clicked.
type offerKind string

// The kinds of controls that carry a postback payload.
const (
	offerButton     offerKind = "button"
	offerQuickReply offerKind = "quickreply"
)

// paramKV is one assignment in the JSON forms of postbacks.
type paramKV struct {
	Key   string `json:"key"`
	Value any    `json:"value"`
}

// jsonPayload is a PostbackJSON payload, its fields in the documented
// order.
type jsonPayload struct {
	Params            []paramKV `json:"params"`
	NextDialogstateID string    `json:"nextDialogstateId"`
	Type              offerKind `json:"type"`
	Caption           string    `json:"caption"`
}

// params lists assignments as key/value pairs, never nil.
func params(set []Assignment) []paramKV {
	list := make([]paramKV, len(set))
	for i, a := range set {
		list[i] = paramKV{Key: a.Path, Value: a.Value}
	}
	return list
}

// encodeJSONPayload is the PostbackJSON payload of a control of kind
// leading to g, captioned title.
func encodeJSONPayload(g GoTo, kind offerKind, title string) string {
	return compactJSON(jsonPayload{Params: params(g.Set), NextDialogstateID: g.Block, Type: kind, Caption: title})
}

// buttonPostback is what a click on a rendered postback control does,
// with the target block named by its id: the button's GoTo (built at run
// time), else what its payload resolves to. ok is false for a payload
// nobody issued.
func (e *Engine) buttonPostback(c *Conversation, b Button) (GoTo, bool) {
	var g GoTo
	switch {
	case b.GoTo != nil:
		g = *b.GoTo
	case b.Payload != "":
		pb, ok := e.resolvePayload(c, b.Payload)
		if !ok {
			return GoTo{}, false
		}
		g = pb.GoTo
	default:
		return GoTo{}, false
	}
	if id, blk := e.resolve(g.Block); blk != nil {
		g.Block = id
	}
	return g, true
}
