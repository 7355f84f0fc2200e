package dialog

import "time"

// Conversation is one user's state with one bot version: the session, where
// the user is in the flow, and what the engine waits for. The engine mutates
// it in Step; the caller owns it and must not share it between goroutines
// while Step runs.
type Conversation struct {
	BotID     string
	Version   string // DRAFT or LIVE
	SessionID string // the sender id / conversation id
	Channel   string // channel type, e.g. "webhook"
	ChannelID string
	User      User
	Locale    string // e.g. "en" or "en-us"

	// Session holds user data by namespace ("order" -> {"total": 12}), plus
	// the read-only "internal" namespace the engine maintains, and "sys"
	// for system entities. Values are JSON values (map[string]any, []any,
	// string, float64, bool, nil).
	Session map[string]any

	Started  bool   // the Introduction (or a first intent) has run
	Current  string // current block id
	Previous string // previous block id

	// Awaiting is set while a collect-input block waits for an answer.
	Awaiting *Awaiting
	// Pending is set while the flow is suspended on an API call or offload.
	Pending *Pending

	Paused    bool           // the bot is paused (human handover)
	Offloaded bool           // an offload is active (internal.offload)
	Offload   map[string]any // the payload of the active offload

	// Postbacks issued at run time (API-plugin and agent messages), by
	// opaque payload id. Static buttons resolve through Script.Postbacks.
	Postbacks map[string]Postback
	// Offers are the postback buttons and quick replies of the bot's last
	// reply: every message sent since the user event before it (the
	// bot's, an API plugin's, an agent's, a webview action's), each with
	// its rendered title and its target (a block id when the block
	// exists). A click that names only a title is matched against them
	// (see ResolveTitle).
	Offers []Postback
	// OffersStale says that a user event came after the last message
	// sent: the next message starts a new reply and clears Offers.
	OffersStale bool

	// Counter is the number of bot messages sent since the last user
	// event: the next message's messageCounter is Counter+1.
	Counter int

	// NLP is the result of the last user text (internal.nlp); nil until
	// the first one.
	NLP *NLP
	// MessageType and MessageContent describe the last user event
	// (internal.messageType: "intro", "postback", "text", "location" or
	// "upload"; and internal.messageContent: the text, the clicked
	// button's title, "<lat>,<long>", or the first uploaded file's URL).
	MessageType    string
	MessageContent string

	CreatedAt    time.Time
	LastActivity time.Time
}

// User is what the channel tells about the user.
type User struct {
	ID                string `json:"id,omitempty"`
	FirstName         string `json:"firstName,omitempty"`
	LastName          string `json:"lastName,omitempty"`
	PreferredLanguage string `json:"preferredLanguage,omitempty"`
}

// Awaiting records a collect-input block waiting for an answer.
type Awaiting struct {
	Block    string
	Attempts int // failed attempts so far
}

// Pending records a flow suspended on an outbound call.
type Pending struct {
	Block string // the action block that made the call
	Kind  PendingKind
	// Offload is the interpolated payload of a pending offload request; it
	// becomes Conversation.Offload when the offload opens.
	Offload map[string]any
}

// PendingKind says what a suspended flow waits for.
type PendingKind string

// What a suspended flow can wait for.
const (
	PendingAPI     PendingKind = "api"
	PendingOffload PendingKind = "offload"
)

// NewConversation returns a fresh conversation with an empty session,
// seeded with the script's variables.
func NewConversation(s *Script, version, sessionID string, now time.Time) *Conversation {
	c := &Conversation{
		BotID:        s.BotID,
		Version:      version,
		SessionID:    sessionID,
		Session:      map[string]any{},
		CreatedAt:    now,
		LastActivity: now,
	}
	for ns, v := range s.Variables {
		c.Session[ns] = deepCopy(v)
	}
	return c
}

// deepCopy copies a JSON value so that sessions never share maps or slices.
func deepCopy(v any) any {
	switch t := v.(type) {
	case map[string]any:
		m := make(map[string]any, len(t))
		for k, e := range t {
			m[k] = deepCopy(e)
		}
		return m
	case []any:
		a := make([]any, len(t))
		for i, e := range t {
			a[i] = deepCopy(e)
		}
		return a
	default:
		return v
	}
}

// Input is one event for the engine, with what the channel sent alongside.
type Input struct {
	Event Event
	// User, when non-nil, updates the conversation's user.
	User *User
	// Locale, when set, updates the conversation's locale.
	Locale string
	// SessionData is merged into the session before the event runs. Keys
	// may be dotted paths ("address.zipCode").
	SessionData map[string]any
}

// Event is something that happens to a conversation.
type Event interface{ isEvent() }

// Intro starts the conversation: the Introduction block runs.
type Intro struct{}

// Text is a free-text user message.
type Text struct{ Text string }

// Click is a button or quick-reply click. Payload is what the channel sent:
// an opaque id issued by the engine, or an older JSON-string payload
// ({"nextDialogstateId", "params"|"parameters", ...}). When Payload is empty,
// Target and Set say where to go directly (the v1 postbackMessage form with
// nextDialogstateId and sessionDataToSet). A click with only a Title is
// matched against the offers of the bot's last reply (see ResolveTitle).
type Click struct {
	Payload string
	Title   string
	Target  string
	Set     []Assignment
}

// Location is a location the user shared: latitude and longitude in
// degrees (the caller checks their ranges).
type Location struct{ Lat, Long float64 }

// Upload is a file upload: the URLs of the uploaded files, at least one
// (the caller checks them).
type Upload struct{ URLs []string }

// APIResult is the answer to a CallAPI effect. Err is non-empty when the
// call failed (transport error, timeout, non-2xx, or an answer that is not a
// valid plugin response); the flow then goes to the error block.
type APIResult struct {
	Status int
	Body   []byte
	Err    string
}

// OffloadOutcome is what became of an offload request.
type OffloadOutcome string

// Offload outcomes, each leading to its predefined block.
const (
	OffloadOpened   OffloadOutcome = "opened"
	OffloadClosed   OffloadOutcome = "closed"
	OffloadDisabled OffloadOutcome = "disabled"
)

// OffloadResult is the answer to a RequestOffload effect.
type OffloadResult struct {
	Outcome  OffloadOutcome
	PauseBot bool
	Reason   string
}

// Jump moves the conversation to a block, as the legacy webview action, an
// API plugin's action.nextDialogstate or an agent's go-to action do. Messages
// (in the {type, config} dialect, already decoded) are sent first.
type Jump struct {
	Block    string
	Messages []Template
}

func (Intro) isEvent()         {}
func (Text) isEvent()          {}
func (Click) isEvent()         {}
func (Location) isEvent()      {}
func (Upload) isEvent()        {}
func (APIResult) isEvent()     {}
func (OffloadResult) isEvent() {}
func (Jump) isEvent()          {}

// Effect is something the caller must do after a step.
type Effect interface{ isEffect() }

// Send is a bot message to deliver to the user's channel. Counter is its
// messageCounter: its 1-based position in the bot's reply to one user event.
type Send struct {
	Message Message
	Counter int
}

// CallAPI asks the caller to make an API-plugin call and to feed the answer
// back as an APIResult. The flow is suspended until then.
type CallAPI struct {
	Method  string
	URL     string
	Headers map[string]string
	Body    []byte // nil: no body
}

// RequestOffload asks the caller to offload the conversation to the
// provider and to feed the outcome back as an OffloadResult.
type RequestOffload struct {
	Payload map[string]any
}

func (Send) isEffect()           {}
func (CallAPI) isEffect()        {}
func (RequestOffload) isEffect() {}
