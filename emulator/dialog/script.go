// Package dialog is the pure dialog engine of the emulator: it takes a
// conversation, an event and a time, and returns effects (bot messages to
// deliver, API-plugin calls to make, offloads to request).
//
// It has no net/http, no goroutines and never reads the wall clock: the
// caller passes the time in. Given the same script, conversation, event and
// time it always returns the same effects, which is what makes the emulator
// deterministic under test.
//
// A Script is a compiled bot (the scenarios package builds one from YAML).
// A Conversation is one user's state with one bot version. (*Engine).Step
// advances a conversation by one event.
package dialog

import "regexp"

// Default thresholds, as in Chatlayer's NLP settings and its extract example.
const (
	DefaultIntentThreshold = 0.8
	DefaultEntityThreshold = 0.7
)

// Names of the default blocks every script has. A scenario may define blocks
// with these ids to change their messages; otherwise the compiler adds them
// with default texts.
const (
	BlockIntroduction    = "introduction"
	BlockNotUnderstood   = "not-understood"
	BlockErrorOccurred   = "error-occurred"
	BlockOffloadOpened   = "offloading-opened"
	BlockOffloadClosed   = "offloading-closed"
	BlockOffloadDisabled = "offloading-disabled"
)

// Script is a compiled bot: its blocks, intents, entities and thresholds.
// A Script is immutable once built and safe for concurrent use.
type Script struct {
	BotID     string
	Name      string
	Languages []string // the first one is the default language
	// Thresholds: a score at or below the threshold does not count.
	IntentThreshold float64
	EntityThreshold float64

	Intents  []Intent
	Entities []Entity
	// Blocks by id. Every id a GoTo names exists here.
	Blocks map[string]*Block
	// Variables seeds every new session: namespace -> key -> value
	// (for example the API-plugin base URL of the demo bot).
	Variables map[string]any
	// Postbacks maps the opaque payload ids of the script's static buttons
	// and quick replies to what a click does. Ids are 40 hex characters,
	// derived deterministically from the bot id and the button's position.
	Postbacks map[string]Postback
}

// Intent is a named set of example expressions per language, and the block
// it leads to when a user text matches it above the intent threshold.
type Intent struct {
	Name        string
	Expressions map[string][]string // language -> expressions
	Block       string              // target block id
}

// Entity is a custom entity: a list of values with synonyms, and/or
// regular expressions. Matches are stored in the session by the engine.
type Entity struct {
	Name     string
	Values   []EntityValue
	Patterns []*regexp.Regexp
}

// EntityValue is one canonical value of a list entity and its synonyms.
type EntityValue struct {
	Value    string
	Synonyms []string
}

// BlockKind is the kind of a dialog block.
type BlockKind string

// The block kinds of Chatlayer's flow builder that the emulator runs.
const (
	KindMessage   BlockKind = "message"
	KindCollect   BlockKind = "collect"
	KindCondition BlockKind = "condition"
	KindAction    BlockKind = "action"
)

// Block is one dialog state. Exactly the fields of its Kind are set.
type Block struct {
	ID   string
	Name string
	Kind BlockKind

	// Message: the messages to send, in order.
	Messages []Template

	// Collect: ask, validate, store, re-ask.
	Collect *Collect

	// Condition: ordered rules; the first that holds wins, else Fallback.
	Rules    []Rule
	Fallback *GoTo

	// Action: Set is applied first, then API or Offload (at most one).
	Set     []Assignment
	API     *APICall
	Offload *Offload

	// Next is where the flow continues after this block (message, collect
	// once valid, action once done). Nil ends the turn and waits for the user.
	Next *GoTo
}

// GoTo moves the conversation to a block, setting variables first.
type GoTo struct {
	Block string
	Set   []Assignment
}

// Assignment sets one session variable. Path is a dotted path
// ("order.total", "users[0].name"); Value is any JSON value, and strings are
// interpolated ("{user.firstName}") when applied.
type Assignment struct {
	Path  string
	Value any
}

// ValidationType is how a collect-input block validates an answer.
type ValidationType string

// Validation types of collect-input blocks.
const (
	ValidateAny    ValidationType = "any"
	ValidateNumber ValidationType = "number" // sys.number
	ValidateEmail  ValidationType = "email"  // sys.email
	ValidateEntity ValidationType = "entity" // Collect.Entity names the entity
	ValidateRegex  ValidationType = "regex"  // Collect.Pattern
	// ValidateLocation waits for a Location and stores {"lat", "long"}.
	ValidateLocation ValidationType = "location"
	// ValidateFile waits for an Upload and stores its first URL.
	ValidateFile ValidationType = "file"
)

// Collect asks for a value, validates it and stores it in Variable.
type Collect struct {
	Variable   string // dotted path the value is stored under
	Prompt     []Template
	Validation ValidationType
	Entity     string         // for ValidateEntity
	Pattern    *regexp.Regexp // for ValidateRegex
	// Invalid is sent after a failed attempt, then Prompt again.
	Invalid []Template
	// MaxAttempts ends the loop after that many failures (0: never) and
	// goes to OnMaxAttempts (default: the Not understood block).
	MaxAttempts   int
	OnMaxAttempts *GoTo
	// DisableNLP: when false (the default), a text that matches an intent
	// above the threshold leaves the block for that intent, as Chatlayer does.
	DisableNLP bool
}

// Operator compares a session variable in a condition rule.
type Operator string

// Condition operators.
const (
	OpEquals      Operator = "equals"
	OpNotEquals   Operator = "notEquals"
	OpExists      Operator = "exists"
	OpNotExists   Operator = "notExists"
	OpGreaterThan Operator = "greaterThan"
	OpLessThan    Operator = "lessThan"
	OpContains    Operator = "contains"
	OpMatches     Operator = "matches" // Value is a regular expression
)

// Rule is one if-rule of a condition block.
type Rule struct {
	Variable      string
	Operator      Operator
	Value         any
	Pattern       *regexp.Regexp // compiled Value for OpMatches
	CaseSensitive bool
	GoTo          GoTo
}

// APICall is an API-plugin action. Every string (URL, header values, query
// values, strings inside Body) is interpolated from the session.
type APICall struct {
	Method  string // GET, POST or DELETE
	URL     string
	Headers map[string]string
	Query   map[string]string
	Body    any // JSON value; nil sends no body
	// OnError overrides the block the flow goes to when the call fails
	// (default: Error occurred).
	OnError *GoTo
}

// Offload is a "send to offload provider" action and its payload.
type Offload struct {
	Payload map[string]any // strings are interpolated
}

// Postback is what a button or quick-reply click does.
type Postback struct {
	Title string
	GoTo  GoTo
}

// TemplateKind is the kind of a message in a scenario.
type TemplateKind string

// Message kinds: every bot message kind Chatlayer sends to the Webhook channel.
const (
	TmplText         TemplateKind = "text"
	TmplQuickReplies TemplateKind = "quickReplies"
	TmplButtons      TemplateKind = "buttons"
	TmplCarousel     TemplateKind = "carousel"
	TmplList         TemplateKind = "list"
	TmplImage        TemplateKind = "image"
	TmplVideo        TemplateKind = "video"
	TmplEvent        TemplateKind = "event"
	// Audio and file attachments: what the {type, config} media types
	// "audio" and "attachment" map to (Messenger attachment types "audio"
	// and "file").
	TmplAudio TemplateKind = "audio"
	TmplFile  TemplateKind = "file"
)

// Template is a bot message as written in a scenario, before interpolation.
// The engine renders it to a Messenger-shaped Message.
type Template struct {
	Kind    TemplateKind
	Text    string         // text, quickReplies, buttons
	Replies []Button       // quickReplies (Kind of each: postback or location)
	Buttons []Button       // buttons; list (the list's own buttons)
	Cards   []Card         // carousel (generic template) and list elements
	URL     string         // image, video
	Event   map[string]any // event: the JSON-builder payload
}

// ButtonKind is the kind of a button or quick reply.
type ButtonKind string

// Button kinds.
const (
	ButtonPostback ButtonKind = "postback"     // "Go to" button
	ButtonURL      ButtonKind = "web_url"      // URL button
	ButtonPhone    ButtonKind = "phone_number" // Call button
	ButtonLocation ButtonKind = "location"     // location quick reply
	// ButtonShare shares the message it is on (Messenger's element_share):
	// it carries no payload and never comes back to the bot.
	ButtonShare ButtonKind = "element_share"
)

// Button is a button or a quick reply.
type Button struct {
	Kind     ButtonKind
	Title    string // may be empty on a share button only
	URL      string // web_url
	Phone    string // phone_number
	ImageURL string // quick replies only
	// Payload is the opaque id a click sends back (postback buttons); the
	// script's Postbacks map (or the conversation's) resolves it.
	Payload string
	// GoTo is set instead of Payload on buttons built at run time (API-plugin
	// and agent messages): the engine issues an id when it renders the button
	// and registers it in the conversation's Postbacks.
	GoTo *GoTo
}

// Card is an element of a carousel or a list.
type Card struct {
	Title      string
	Subtitle   string
	ImageURL   string
	DefaultURL string // default_action web_url
	ItemURL    string // item_url: carousel (generic template) cards only
	Buttons    []Button
}
