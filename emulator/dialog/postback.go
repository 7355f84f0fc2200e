package dialog

import (
	"cmp"
	"crypto/sha1"
	"encoding/hex"
	"encoding/json"
	"sort"
	"strconv"
	"strings"
)

// PostbackID returns the opaque payload id of a button: 40 lower-case hex
// characters, the SHA-1 of parts joined by NUL bytes. The scenario
// compiler uses it for static buttons; the engine, for buttons built at
// run time, uses PostbackID(botID, sessionID, target block, canonical JSON
// of the Set assignments, title).
func PostbackID(parts ...string) string {
	sum := sha1.Sum([]byte(strings.Join(parts, "\x00")))
	return hex.EncodeToString(sum[:])
}

// canonicalSet is the JSON form of assignments hashed into run-time
// postback ids: [{"key":path,"value":value}, …] in their order, object
// keys sorted. Values are hashed unresolved.
func canonicalSet(set []Assignment) string { return compactJSON(params(set)) }

// registerPostback issues the id of a button built at run time and
// records what a click on it does in c.Postbacks.
func registerPostback(c *Conversation, g GoTo, title string) string {
	id := PostbackID(c.BotID, c.SessionID, g.Block, canonicalSet(g.Set), title)
	if c.Postbacks == nil {
		c.Postbacks = map[string]Postback{}
	}
	c.Postbacks[id] = Postback{Title: title, GoTo: GoTo{Block: g.Block, Set: append([]Assignment(nil), g.Set...)}}
	return id
}

// legacyPayload is the union of the two stringified-JSON postback forms
// Chatlayer documented before opaque ids (its legacy API page,
// https://docs.chatlayer.ai/chatlayer-api/legacy-api):
//
//	{"params":[{"key","value"}],"nextDialogstateId","type","caption"}
//	{"title","caption","type","originalTitle","nextDialogstateId",
//	 "parameters":[{"order","key","value"}]}
type legacyPayload struct {
	NextDialogstateID json.RawMessage `json:"nextDialogstateId"`
	Title             string          `json:"title"`
	Caption           string          `json:"caption"`
	OriginalTitle     string          `json:"originalTitle"`
	Params            []legacyParam   `json:"params"`
	Parameters        []legacyParam   `json:"parameters"`
}

type legacyParam struct {
	Order float64 `json:"order"`
	Key   string  `json:"key"`
	Value any     `json:"value"`
}

// ParseLegacyPayload decodes a stringified-JSON postback payload in either
// documented form. ok is false unless s is a JSON object with a non-empty
// nextDialogstateId, a string or a number (whose text as written is the
// block id: 3050 is block "3050", as Chatlayer's own click example
// writes it). Parameters are applied in "order" order, then as listed;
// the title is title, else caption, else originalTitle.
func ParseLegacyPayload(s string) (Postback, bool) {
	s = strings.TrimSpace(s)
	if !strings.HasPrefix(s, "{") {
		return Postback{}, false
	}
	var p legacyPayload
	if err := json.Unmarshal([]byte(s), &p); err != nil {
		return Postback{}, false
	}
	block, ok := BlockIDJSON(p.NextDialogstateID)
	if !ok || block == "" {
		return Postback{}, false
	}
	params := append(append([]legacyParam(nil), p.Params...), p.Parameters...)
	sort.SliceStable(params, func(i, j int) bool { return params[i].Order < params[j].Order })
	set := make([]Assignment, 0, len(params))
	for _, kv := range params {
		if kv.Key != "" {
			set = append(set, Assignment{Path: kv.Key, Value: kv.Value})
		}
	}
	title := cmp.Or(p.Title, p.Caption, p.OriginalTitle)
	return Postback{Title: title, GoTo: GoTo{Block: block, Set: set}}, true
}

// BlockIDJSON reads a block id written in JSON as a string, or as a
// number, whose text as written is the id (3050 is "3050"). ok is false
// for any other JSON value, and for null.
func BlockIDJSON(raw []byte) (id string, ok bool) {
	raw = []byte(strings.TrimSpace(string(raw)))
	if len(raw) == 0 {
		return "", false
	}
	switch c := raw[0]; {
	case c == '"':
		err := json.Unmarshal(raw, &id)
		return id, err == nil
	case c == '-' || '0' <= c && c <= '9':
		var n json.Number
		if json.Unmarshal(raw, &n) != nil {
			return "", false
		}
		return string(raw), true
	}
	return "", false
}

// BlockID reads a block id from a decoded JSON value: a string, or a
// number, as its shortest decimal text (3050 is "3050"). ok is false for
// any other value.
func BlockID(v any) (id string, ok bool) {
	switch t := v.(type) {
	case string:
		return t, true
	case float64:
		return strconv.FormatFloat(t, 'f', -1, 64), true
	case json.Number:
		return t.String(), true
	}
	return "", false
}

// resolvePayload finds what a click payload does: an id issued to this
// conversation, an id of the script's static buttons, or a legacy JSON
// payload, in that order.
func (e *Engine) resolvePayload(c *Conversation, payload string) (Postback, bool) {
	if c != nil {
		if pb, ok := c.Postbacks[payload]; ok {
			return pb, true
		}
	}
	if pb, ok := e.script.Postbacks[payload]; ok {
		return pb, true
	}
	return ParseLegacyPayload(payload)
}

// ParseLegacyText interprets the text of a legacy /api/webhookMessage
// call, where a button click arrives as its payload in text. It returns
// Click{Payload: text} when text is an opaque id known to the conversation
// or the script, or a JSON payload with a nextDialogstateId; Text{Text:
// text} otherwise.
func (e *Engine) ParseLegacyText(c *Conversation, text string) Event {
	if _, ok := e.resolvePayload(c, text); ok {
		return Click{Payload: text}
	}
	return Text{Text: text}
}
