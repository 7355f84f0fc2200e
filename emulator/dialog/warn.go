package dialog

import "fmt"

// WarningCode names a kind of warning: input the engine accepted although
// Chatlayer's contract does not say it should, or the reason a flow went
// somewhere the bot's author may not expect.
type WarningCode string

// The warnings of the engine and of the emulator around it. Codes are
// stable: tests and tools may match on them.
const (
	// WarnUnknownBlock: a button, a click or an action names a block the
	// bot does not have.
	WarnUnknownBlock WarningCode = "unknown-block"
	// WarnUnknownPostback: a click's payload is no id the conversation or
	// the bot issued, nor a JSON payload naming a block.
	WarnUnknownPostback WarningCode = "unknown-postback"
	// WarnPluginFailed: an API-plugin call failed or its answer could not
	// be used; the flow went to the block's onError or Error occurred.
	WarnPluginFailed WarningCode = "plugin-failed"
	// WarnPluginSessionData: an API-plugin answer's session.data is not
	// an object; it was stored as sent.
	WarnPluginSessionData WarningCode = "plugin-session-data"
	// WarnShortSenderID: a conversation was opened with a sender id
	// shorter than the 32 characters Chatlayer's docs say it should have.
	WarnShortSenderID WarningCode = "short-sender-id"
	// WarnLoop: more than 100 blocks were entered in one step; the flow
	// went to Error occurred.
	WarnLoop WarningCode = "loop-detected"
	// WarnUnexpectedInput: a location or a file upload that no
	// collect-input block waits for: an invalid attempt at the waiting
	// block, or else the flow went to Not understood.
	WarnUnexpectedInput WarningCode = "unexpected-input"
	// WarnPostbackTitle: a click named only its title (no payload, no
	// target), and one button or quick reply of the bot's last reply has
	// that title; the click ran as that control's.
	WarnPostbackTitle WarningCode = "postback-title"
	// WarnPostbackTitleUnmatched: a click named only its title, and no
	// button or quick reply of the bot's last reply has it; the title was
	// handled as a text the user typed.
	WarnPostbackTitleUnmatched WarningCode = "postback-title-unmatched"
	// WarnPostbackTitleAmbiguous: a click named only its title, and
	// controls of the bot's last reply with that title lead to different
	// blocks or set different data; the title was handled as a text.
	WarnPostbackTitleAmbiguous WarningCode = "postback-title-ambiguous"
)

// Warn reports a warning to the caller, which journals it. Field is a JSON
// pointer into what was received ("/action/nextDialogstate"), or empty.
type Warn struct {
	Code    WarningCode
	Field   string
	Message string
}

func (Warn) isEffect() {}

// Options change how an engine treats input that Chatlayer's contract
// does not rule on.
type Options struct {
	// Strict refuses such input instead of accepting it with a Warn
	// effect: an API-plugin answer whose session.data is not an object
	// counts as a failed call.
	Strict bool
	// PostbackFormat is the form of the payloads of the postback buttons
	// and quick replies the engine renders (zero value: PostbackOpaque).
	PostbackFormat PostbackFormat
}

// warn emits a Warn effect.
func (t *turn) warn(code WarningCode, field, format string, args ...any) {
	t.effects = append(t.effects, Warn{Code: code, Field: field, Message: fmt.Sprintf(format, args...)})
}
