package dialog

// Message is a bot message in the Messenger-shaped dialect Chatlayer sends
// to Webhook channels and puts in offloading transcripts (docs/CONTRACT.md §3.2).
// Exactly one of these forms is set:
//   - text: Text
//   - quick replies: Text and QuickReplies
//   - button, generic (carousel), list templates and media: Attachment
//   - JSON-builder event: Type "event" and Payload
type Message struct {
	Text         string       `json:"text,omitempty"`
	QuickReplies []QuickReply `json:"quick_replies,omitempty"`
	Attachment   *Attachment  `json:"attachment,omitempty"`
	Type         string       `json:"type,omitempty"`
	// Payload is the event's object; it is an interface so that an empty
	// object is still sent ({"type":"event","payload":{}}).
	Payload any `json:"payload,omitempty"`
}

// QuickReply is one quick reply of a text message.
type QuickReply struct {
	ContentType string `json:"content_type"` // "text" or "location"
	Title       string `json:"title,omitempty"`
	Payload     string `json:"payload,omitempty"`
	ImageURL    string `json:"image_url,omitempty"`
}

// Attachment is a template or media attachment.
type Attachment struct {
	Type    string            `json:"type"` // "template", "image" or "video"
	Payload AttachmentPayload `json:"payload"`
}

// AttachmentPayload is the payload of an attachment. Templates use
// TemplateType with Text/Buttons (button), Elements (generic) or Elements and
// Buttons (list); media use URL and IsReusable.
type AttachmentPayload struct {
	TemplateType string          `json:"template_type,omitempty"`
	Text         string          `json:"text,omitempty"`
	Elements     []Element       `json:"elements,omitempty"`
	Buttons      []MessageButton `json:"buttons,omitempty"`
	URL          string          `json:"url,omitempty"`
	IsReusable   *bool           `json:"is_reusable,omitempty"`
}

// Element is a card of a generic (carousel) or list template. ItemURL
// (opened when the image is clicked) is set on generic elements only.
type Element struct {
	Title         string          `json:"title"`
	Subtitle      string          `json:"subtitle,omitempty"`
	ImageURL      string          `json:"image_url,omitempty"`
	ItemURL       string          `json:"item_url,omitempty"`
	DefaultAction *DefaultAction  `json:"default_action,omitempty"`
	Buttons       []MessageButton `json:"buttons,omitempty"`
}

// DefaultAction is what tapping a card opens.
type DefaultAction struct {
	Type string `json:"type"` // "web_url"
	URL  string `json:"url"`
}

// MessageButton is a button of a template: postback (Payload is the opaque
// id), web_url (URL), phone_number (Payload is the number) or
// element_share (neither). Title is omitted when empty, which only a share
// button can be.
type MessageButton struct {
	Type    string `json:"type"`
	Title   string `json:"title,omitempty"`
	URL     string `json:"url,omitempty"`
	Payload string `json:"payload,omitempty"`
}
