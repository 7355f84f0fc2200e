package dialog

// Dialog-state types of internal.currentDialogstate.type, by block kind.
var stateTypes = map[BlockKind]string{
	KindMessage:   "MESSAGE",
	KindCollect:   "COLLECT",
	KindCondition: "CONDITION",
	KindAction:    "ACTION",
}

// RefreshInternal rebuilds the read-only "internal" namespace of the
// session from the conversation, replacing whatever was there (so user
// writes never survive). Step calls it after every event; call it after
// changing a conversation directly (pausing it, ending an offload).
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
	lang := e.preferredLanguage(c)
	in := map[string]any{
		"botId":             c.BotID,
		"sessionId":         c.SessionID,
		"version":           c.Version,
		"channel":           c.Channel,
		"preferredLanguage": lang,
		"locale":            firstNonEmpty(c.Locale, lang),
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
	c.Session[NamespaceInternal] = in
}

func (e *Engine) preferredLanguage(c *Conversation) string {
	return firstNonEmpty(c.User.PreferredLanguage, baseLang(c.Locale), e.defaultLang)
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
