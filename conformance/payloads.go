package conformance

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"time"
)

// BotKinds are the bot message kinds (docs/CONTRACT.md §3.2) the suite sends, in
// report order.
var BotKinds = []string{"text", "quick_replies", "button", "generic", "list", "image", "video", "event"}

// UserTypes are the user message types (docs/CONTRACT.md §2.3) the suite sends,
// in report order.
var UserTypes = []string{"intro", "text", "postback", "location", "fileUploadInputResult"}

// epoch is the synthetic clock of generated timestamps: bodies depend only
// on the seed, so two runs with one seed send the same bytes.
var epoch = time.Date(2025, 1, 1, 9, 0, 0, 0, time.UTC)

// words feed generated texts; ASCII only, so that only the unicode check
// sends non-ASCII bytes.
var words = strings.Fields(`order delivery parcel invoice refund account address change
	help agent human status ticket payment card booking flight hotel return window
	price product size colour store opening hours contact email phone thanks please`)

// generator makes seeded ids, texts and messages.
type generator struct {
	rng *rand.Rand
	n   int // timestamps handed out so far
}

// newGenerator seeds a generator.
func newGenerator(seed int64) *generator {
	return &generator{rng: rand.New(rand.NewPCG(uint64(seed), 0x636f6e666f726d))}
}

// id returns prefix followed by 16 random hex digits.
func (g *generator) id(prefix string) string {
	return fmt.Sprintf("%s%016x", prefix, g.rng.Uint64())
}

// opaque returns a 40-hex-digit id, like Chatlayer's postback payloads.
func (g *generator) opaque() string {
	return fmt.Sprintf("%016x%016x%08x", g.rng.Uint64(), g.rng.Uint64(), g.rng.Uint32())
}

// timestamp returns the next synthetic ISO-8601 time with milliseconds.
func (g *generator) timestamp() string {
	g.n++
	return epoch.Add(time.Duration(g.n) * 1500 * time.Millisecond).Format("2006-01-02T15:04:05.000Z")
}

// text returns n random words as a sentence.
func (g *generator) text(n int) string {
	ws := make([]string, n)
	for i := range ws {
		ws[i] = words[g.rng.IntN(len(words))]
	}
	s := strings.Join(ws, " ")
	return strings.ToUpper(s[:1]) + s[1:]
}

// between returns an int in [lo, hi].
func (g *generator) between(lo, hi int) int { return lo + g.rng.IntN(hi-lo+1) }

// obj is a JSON object; encoding/json sorts its keys, so bodies are stable.
type obj = map[string]any

// botMessage returns a bot message of the given kind (docs/CONTRACT.md §3.2).
func (g *generator) botMessage(kind string) obj {
	switch kind {
	case "quick_replies":
		return obj{"text": g.text(5), "quick_replies": g.quickReplies()}
	case "button":
		return attachmentTemplate(obj{"template_type": "button", "text": g.text(6), "buttons": g.buttons(3)})
	case "generic":
		return attachmentTemplate(obj{"template_type": "generic", "elements": g.elements(g.between(1, 3))})
	case "list":
		return attachmentTemplate(obj{"template_type": "list", "elements": g.elements(g.between(2, 4)), "buttons": g.buttons(1)})
	case "image", "video":
		return obj{"attachment": obj{"type": kind, "payload": obj{"url": g.mediaURL(kind), "is_reusable": true}}}
	case "event":
		return obj{"type": "event", "payload": obj{"action": "conformance-probe", "ref": g.id("ev-")}}
	}
	return obj{"text": g.text(g.between(3, 12))}
}

// attachmentTemplate wraps a template payload in an attachment.
func attachmentTemplate(payload obj) obj {
	return obj{"attachment": obj{"type": "template", "payload": payload}}
}

func (g *generator) quickReplies() []any {
	n := g.between(2, 4)
	out := make([]any, n)
	for i := range out {
		out[i] = obj{"content_type": "text", "title": g.text(1), "payload": g.opaque()}
	}
	return out
}

// buttons returns up to n buttons cycling through postback, web_url and
// phone_number.
func (g *generator) buttons(n int) []any {
	out := make([]any, n)
	for i := range out {
		switch i % 3 {
		case 0:
			out[i] = obj{"type": "postback", "title": g.text(2), "payload": g.opaque()}
		case 1:
			out[i] = obj{"type": "web_url", "title": g.text(2), "url": "https://shop.example.com/" + g.id("p-")}
		default:
			out[i] = obj{"type": "phone_number", "title": g.text(1), "payload": fmt.Sprintf("+3232%07d", g.rng.IntN(1e7))}
		}
	}
	return out
}

func (g *generator) elements(n int) []any {
	out := make([]any, n)
	for i := range out {
		out[i] = obj{"title": g.text(3), "subtitle": g.text(6), "image_url": g.mediaURL("image"),
			"default_action": obj{"type": "web_url", "url": "https://shop.example.com/" + g.id("i-")},
			"buttons":        g.buttons(1)}
	}
	return out
}

func (g *generator) mediaURL(kind string) string {
	ext := map[string]string{"image": ".png", "video": ".mp4"}[kind]
	return "https://cdn.example.com/" + g.id("m-") + ext
}

// userMessage returns a user message of the given type (docs/CONTRACT.md §2.3).
func (g *generator) userMessage(typ, sessionID, botID string) obj {
	m := obj{"channelType": "webhook", "messageType": typ, "id": g.id("msg-"), "timestamp": g.timestamp(),
		"sender": obj{"id": sessionID, "botId": botID, "preferredLanguage": "en", "firstname": "Ann"}}
	switch typ {
	case "text":
		m["text"] = g.text(g.between(2, 10))
	case "postback":
		title := g.text(2)
		m["title"], m["text"], m["payload"] = title, title, g.opaque()
		m["parameters"], m["nextDialogstateId"] = []any{}, g.id("ds-")
	case "location":
		m["coordinates"] = obj{"lat": float64(g.rng.IntN(180_000_000))/1e6 - 90, "long": float64(g.rng.IntN(360_000_000))/1e6 - 180}
	case "fileUploadInputResult":
		u := "https://files.example.com/" + g.id("f-") + ".pdf"
		m["urls"], m["data"] = []any{u}, obj{"uploadStatus": "SUCCEEDED", "fileUrl": u}
	}
	return m
}

// item wraps a message in an offloading item {actor, message, timestamp}.
func (g *generator) item(actor string, message obj) obj {
	return obj{"actor": actor, "message": message, "timestamp": g.timestamp()}
}

// conversation holds the ids of one generated conversation.
type conversation struct {
	sessionID, botID, version string
}

// newConversation returns fresh ids; botID and version may be forced.
func (g *generator) newConversation(botID, version string) conversation {
	if botID == "" {
		botID = g.id("bot-")
	}
	if version == "" {
		version = "DRAFT"
	}
	return conversation{sessionID: g.id("conformance-"), botID: botID, version: version}
}

// event returns an offloading event envelope of the given type.
func (g *generator) event(typ string, c conversation) obj {
	return obj{"event": typ, "botId": c.botID, "version": c.version, "sessionId": c.sessionID,
		"channel": "webhook", "timestamp": g.timestamp()}
}

// messagesEvent returns a messages event with the given items.
func (g *generator) messagesEvent(c conversation, items ...any) obj {
	e := g.event("messages", c)
	e["messages"] = items
	return e
}

// transcript returns n alternating user and bot items, starting with an
// intro.
func (g *generator) transcript(c conversation, n int) []any {
	out := make([]any, 0, n)
	for i := range n {
		if i%2 == 0 {
			typ := "text"
			if i == 0 {
				typ = "intro"
			}
			out = append(out, g.item("user", g.userMessage(typ, c.sessionID, c.botID)))
			continue
		}
		out = append(out, g.item("bot", g.botMessage(BotKinds[(i/2)%len(BotKinds)])))
	}
	return out
}

// offloadEvent returns an offload event with a transcript of n items.
func (g *generator) offloadEvent(c conversation, n int) obj {
	e := g.event("offload", c)
	e["payload"] = obj{"department": "support", "priority": "normal", "reason": g.text(3)}
	e["transcript"] = g.transcript(c, n)
	return e
}

// channelMessage returns a Webhook-channel delivery (docs/CONTRACT.md §3.1).
func (g *generator) channelMessage(senderID string, message obj, counter int, token string) obj {
	return obj{"senderId": senderID, "message": message, "messageCounter": counter, "verifyToken": token}
}
