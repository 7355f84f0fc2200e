package dialog

// Locations and file uploads: user messages without text. A collect-input
// block of type location or file waits for them; no other block does.

// SessionUploadedFileURL is the top-level session key that holds the URL
// of the user's last uploaded file (the first one of an upload).
const SessionUploadedFileURL = "uploadedFileUrl"

// location handles a shared location (internal.messageContent
// "<lat>,<long>"): it answers a collect-input block waiting for a
// location with {"lat", "long"} (see media).
func (t *turn) location(ev Location) {
	if !t.userEvent(MessageTypeLocation, FormatValue(ev.Lat)+","+FormatValue(ev.Long)) {
		return
	}
	t.media(ValidateLocation, map[string]any{"lat": ev.Lat, "long": ev.Long}, "a location")
}

// upload handles a file upload (internal.messageContent: the first URL):
// the first URL becomes the session's uploadedFileUrl, and answers a
// collect-input block waiting for a file (see media).
func (t *turn) upload(ev Upload) {
	first := ""
	if len(ev.URLs) > 0 {
		first = ev.URLs[0]
	}
	if !t.userEvent(MessageTypeUpload, first) {
		return
	}
	t.c.Session[SessionUploadedFileURL] = first
	t.media(ValidateFile, first, "a file upload")
}

// media routes a location or an upload holding value v: a collect-input
// block waiting for kind stores v and follows Next; one waiting for
// anything else counts an invalid attempt. With no block waiting, it
// starts the conversation (Introduction), or goes to Not understood. NLP
// has no text to score: intents never fire.
func (t *turn) media(kind ValidationType, v any, what string) {
	switch {
	case t.c.Awaiting != nil:
		t.answerMedia(kind, v, what)
	case !t.c.Started:
		t.c.Started = true
		t.run(goTo(BlockIntroduction))
	default:
		t.warn(WarnUnexpectedInput, "", "%s while no collect-input block waits for one: the flow goes to %s", what, BlockNotUnderstood)
		t.run(goTo(BlockNotUnderstood))
	}
}

// answerMedia handles a location or an upload while a collect-input block
// waits.
func (t *turn) answerMedia(kind ValidationType, v any, what string) {
	id := t.c.Awaiting.Block
	b := t.e.script.Blocks[id]
	if b == nil || b.Collect == nil {
		t.c.Awaiting = nil
		t.run(goTo(BlockNotUnderstood))
		return
	}
	if b.Collect.Validation == kind {
		t.collected(b, v)
		return
	}
	t.warn(WarnUnexpectedInput, "", "%s while collect-input block %q waits for %s: counted as an invalid attempt",
		what, id, validationName(b.Collect.Validation))
	t.invalidAttempt(b.Collect)
}

// validationName is how a warning names what a block waits for.
func validationName(v ValidationType) string {
	switch v {
	case ValidateLocation:
		return "a location"
	case ValidateFile:
		return "a file upload"
	case ValidateAny, ValidateNumber, ValidateEmail, ValidateEntity, ValidateRegex:
		return "a text (" + string(v) + ")"
	}
	return "a text"
}
