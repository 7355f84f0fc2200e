package scenarios

import (
	"encoding/json"
	"strings"
)

// The types below mirror scenario.schema.json. A file is decoded into them
// only after it passed the schema, so every field has the right JSON type.

type fileDoc struct {
	Bot          botDoc                    `json:"bot"`
	Channels     channelsDoc               `json:"channels"`
	AccessTokens []string                  `json:"accessTokens"`
	Variables    map[string]map[string]any `json:"variables"`
	Intents      []intentDoc               `json:"intents"`
	Entities     []entityDoc               `json:"entities"`
	Blocks       []blockDoc                `json:"blocks"`
	Offloading   *offloadingDoc            `json:"offloading"`
}

type offloadingDoc struct {
	URL         string `json:"url"`
	VerifyToken string `json:"verifyToken"`
	Status      string `json:"status"`
	Hours       *Hours `json:"hours"`
	Dialect     string `json:"dialect"`
}

type botDoc struct {
	ID        string   `json:"id"`
	Name      string   `json:"name"`
	Languages []string `json:"languages"`
	NLP       struct {
		IntentThreshold *float64 `json:"intentThreshold"`
		EntityThreshold *float64 `json:"entityThreshold"`
	} `json:"nlp"`
}

type channelsDoc struct {
	Webhook []channelDoc `json:"webhook"`
}

type channelDoc struct {
	ID          string `json:"id"`
	URL         string `json:"url"`
	VerifyToken string `json:"verifyToken"`
	Version     string `json:"version"`
	NLP         *bool  `json:"nlp"`
}

type intentDoc struct {
	Name        string              `json:"name"`
	Block       string              `json:"block"`
	Expressions map[string][]string `json:"expressions"`
}

type entityDoc struct {
	Name   string `json:"name"`
	Values []struct {
		Value    string   `json:"value"`
		Synonyms []string `json:"synonyms"`
	} `json:"values"`
	Patterns []string `json:"patterns"`
}

type blockDoc struct {
	ID   string `json:"id"`
	Name string `json:"name"`
	Type string `json:"type"`

	Messages messageList `json:"messages"`
	Next     *gotoDoc    `json:"next"`

	Variable      string      `json:"variable"`
	Prompt        messageList `json:"prompt"`
	Validate      string      `json:"validate"`
	Invalid       messageList `json:"invalid"`
	MaxAttempts   int         `json:"maxAttempts"`
	OnMaxAttempts *gotoDoc    `json:"onMaxAttempts"`
	DisableNLP    bool        `json:"disableNLP"`

	Rules    []ruleDoc `json:"rules"`
	Fallback *gotoDoc  `json:"fallback"`

	Set     map[string]any `json:"set"`
	API     *apiDoc        `json:"api"`
	Offload *struct {
		Payload map[string]any `json:"payload"`
	} `json:"offload"`
}

type ruleDoc struct {
	Variable      string          `json:"variable"`
	Operator      string          `json:"operator"`
	Value         json.RawMessage `json:"value"` // absent: nil
	CaseSensitive bool            `json:"caseSensitive"`
	GoTo          gotoDoc         `json:"goto"`
}

type apiDoc struct {
	Method  string            `json:"method"`
	URL     string            `json:"url"`
	Headers map[string]string `json:"headers"`
	Query   map[string]string `json:"query"`
	Body    json.RawMessage   `json:"body"`
	OnError *gotoDoc          `json:"onError"`
}

// gotoDoc is a block id, or {block, set}. Object reports which form was
// used, so that errors point at /block in the object form.
type gotoDoc struct {
	Block  string
	Set    map[string]any
	Object bool
}

// UnmarshalJSON accepts a block id string or a {block, set} object.
func (g *gotoDoc) UnmarshalJSON(b []byte) error {
	if isJSONString(b) {
		return json.Unmarshal(b, &g.Block)
	}
	var o struct {
		Block string         `json:"block"`
		Set   map[string]any `json:"set"`
	}
	err := json.Unmarshal(b, &o)
	g.Block, g.Set, g.Object = o.Block, o.Set, true
	return err
}

// messageList is a list of messages; a bare string is one text message.
type messageList []messageDoc

// UnmarshalJSON accepts a list of messages, or a bare string as one text message.
func (l *messageList) UnmarshalJSON(b []byte) error {
	if isJSONString(b) {
		var text string
		err := json.Unmarshal(b, &text)
		*l = messageList{{Text: text}}
		return err
	}
	return json.Unmarshal(b, (*[]messageDoc)(l))
}

// messageDoc is one message; a bare string is a text message.
type messageDoc struct {
	Text         string         `json:"text"`
	QuickReplies []replyDoc     `json:"quickReplies"`
	Buttons      *buttonsDoc    `json:"buttons"`
	Carousel     []cardDoc      `json:"carousel"`
	List         *listDoc       `json:"list"`
	Image        string         `json:"image"`
	Video        string         `json:"video"`
	Event        map[string]any `json:"event"`
}

// UnmarshalJSON accepts a bare string (a text message) or a message object.
func (m *messageDoc) UnmarshalJSON(b []byte) error {
	if isJSONString(b) {
		return json.Unmarshal(b, &m.Text)
	}
	type plain messageDoc // without this method
	return json.Unmarshal(b, (*plain)(m))
}

type replyDoc struct {
	Type     string   `json:"type"`
	Title    string   `json:"title"`
	GoTo     *gotoDoc `json:"goto"`
	ImageURL string   `json:"imageUrl"`
}

type buttonsDoc struct {
	Text    string      `json:"text"`
	Buttons []buttonDoc `json:"buttons"`
}

type buttonDoc struct {
	Title string   `json:"title"`
	GoTo  *gotoDoc `json:"goto"`
	URL   string   `json:"url"`
	Phone string   `json:"phone"`
	Share bool     `json:"share"`
}

type cardDoc struct {
	Title    string      `json:"title"`
	Subtitle string      `json:"subtitle"`
	ImageURL string      `json:"imageUrl"`
	URL      string      `json:"url"`
	ItemURL  string      `json:"itemUrl"`
	Buttons  []buttonDoc `json:"buttons"`
}

type listDoc struct {
	Elements []cardDoc   `json:"elements"`
	Buttons  []buttonDoc `json:"buttons"`
}

func isJSONString(b []byte) bool {
	return strings.HasPrefix(strings.TrimSpace(string(b)), `"`)
}
