package dialog

import "cmp"

// Dialog-state types of internal.currentDialogstate.type, by block kind.
var stateTypes = map[BlockKind]string{
	KindMessage:   "MESSAGE",
	KindCollect:   "COLLECT",
	KindCondition: "CONDITION",
	KindAction:    "ACTION",
}

// SessionView returns the conversation's session as a reader outside Step
// sees it: a shallow copy of c.Session with the read-only "internal"
// namespace built from the conversation now (see RefreshInternal for its
// fields). The engine keeps "internal" in the session only while a Step
// runs: stored between steps it would cost several KiB per conversation,
// so every reader outside Step (session APIs, dumps) goes through here.
// The copy shares the namespaces' values with c.Session: read it, or
// marshal it, under the same lock as the conversation.
func (e *Engine) SessionView(c *Conversation) map[string]any {
	view := make(map[string]any, len(c.Session)+1)
	for k, v := range c.Session {
		view[k] = v
	}
	view[NamespaceInternal] = e.internal(c)
	return view
}

// WithInternal runs f with the "internal" namespace in c.Session, as it is
// during a Step, and removes it afterwards: for rendering templates
// outside Step (agent messages), which may interpolate internal.*.
func (e *Engine) WithInternal(c *Conversation, f func()) {
	e.RefreshInternal(c)
	defer dropInternal(c)
	f()
}

// dropInternal removes the "internal" namespace from the session at the
// end of a Step (see SessionView).
func dropInternal(c *Conversation) { delete(c.Session, NamespaceInternal) }

// RefreshInternal rebuilds the read-only "internal" namespace of the
// session from the conversation, replacing whatever was there (so user
// writes never survive). Step calls it when the session is first read and
// after the state it shows changed, and removes it at the end (see
// SessionView); WithInternal does the same around other code.
//
// Fields: botId, sessionId, version, channel, locale (the conversation's
// locale, else preferredLanguage), preferredLanguage (the user's, else the
// locale's language, else the script's first language), user ({id,
// firstName, lastName, preferredLanguage}, empty fields omitted),
// isPaused, and when known: nlp ({expression, intent:{name,score},
// intents:[{name,score}], entities:[{name,value,raw,score,start,end,
// system}]}, intent omitted when none is above the threshold),
// currentDialogstate and previousDialogstate ({id, name, type} with type
// MESSAGE, COLLECT, CONDITION or ACTION), messageType and messageContent
// (after the first user event), offload (the active offload's payload).
func (e *Engine) RefreshInternal(c *Conversation) {
	if c.Session == nil {
		c.Session = map[string]any{}
	}
	c.Session[NamespaceInternal] = e.internal(c)
}

// internal builds the "internal" namespace of c.
func (e *Engine) internal(c *Conversation) map[string]any {
	lang := e.preferredLanguage(c)
	in := map[string]any{
		"botId":             c.BotID,
		"sessionId":         c.SessionID,
		"version":           c.Version,
		"channel":           c.Channel,
		"preferredLanguage": lang,
		"locale":            cmp.Or(c.Locale, lang),
		"user":              userMap(c.User),
		"isPaused":          c.Paused,
	}
	if c.NLP != nil {
		in["nlp"] = nlpMap(*c.NLP)
	}
	e.putState(in, "currentDialogstate", c.Current)
	e.putState(in, "previousDialogstate", c.Previous)
	if c.MessageType != "" {
		in["messageType"] = c.MessageType
		in["messageContent"] = c.MessageContent
	}
	if c.Offloaded {
		in["offload"] = deepCopy(nonNilMap(c.Offload))
	}
	return in
}

func (e *Engine) preferredLanguage(c *Conversation) string {
	return cmp.Or(c.User.PreferredLanguage, baseLang(c.Locale), e.defaultLang)
}

func (e *Engine) putState(in map[string]any, key, id string) {
	b := e.script.Blocks[id]
	if id == "" || b == nil {
		return
	}
	in[key] = map[string]any{"id": id, "name": b.Name, "type": stateTypes[b.Kind]}
}

func userMap(u User) map[string]any {
	m := map[string]any{}
	for _, f := range [][2]string{
		{"id", u.ID}, {"firstName", u.FirstName}, {"lastName", u.LastName},
		{"preferredLanguage", u.PreferredLanguage},
	} {
		if f[1] != "" {
			m[f[0]] = f[1]
		}
	}
	return m
}

// nlpMap is an NLP result as session JSON values.
func nlpMap(n NLP) map[string]any {
	intents := make([]any, len(n.Intents))
	for i, si := range n.Intents {
		intents[i] = intentMap(si)
	}
	entities := make([]any, len(n.Entities))
	for i, m := range n.Entities {
		entities[i] = map[string]any{
			"name": m.Name, "value": m.Value, "raw": m.Raw, "score": m.Score,
			"start": float64(m.Start), "end": float64(m.End), "system": m.System,
		}
	}
	out := map[string]any{"expression": n.Expression, "intents": intents, "entities": entities}
	if n.Intent != nil {
		out["intent"] = intentMap(*n.Intent)
	}
	return out
}

func intentMap(si ScoredIntent) map[string]any {
	return map[string]any{"name": si.Name, "score": si.Score}
}
