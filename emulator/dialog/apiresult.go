package dialog

import (
	"errors"
	"fmt"
	"maps"
	"slices"
)

// pluginAnswer is a decoded API-plugin response (contract §9.2).
type pluginAnswer struct {
	sessions []sessionWrite
	messages []Template
	next     string // action.nextDialogstate, "" when absent
}

// sessionWrite is one {namespace, data} object of the answer's session.
type sessionWrite struct {
	namespace string
	data      map[string]any
}

// apiResult resumes a flow suspended on an API call. A failed call, or an
// answer that is not a valid plugin response, goes to the block's
// API.OnError, else Error occurred. A valid answer is applied in the
// documented order: session (merged into each namespace), then messages
// (sent, so they can interpolate the new data), then action.nextDialogstate
// (a block id or name; unknown goes to Error occurred), else the action
// block's Next. Without a pending API call the result is ignored.
func (t *turn) apiResult(r APIResult) {
	p := t.c.Pending
	if p == nil || p.Kind != PendingAPI {
		return
	}
	t.c.Pending = nil
	b := t.e.script.Blocks[p.Block]
	ans, err := decodeAnswer(r)
	if err != nil {
		t.run(t.onAPIError(b))
		return
	}
	for _, w := range ans.sessions {
		mergeNamespace(t.c.Session, w)
	}
	t.sendAll(ans.messages)
	switch {
	case ans.next != "" && t.e.Block(ans.next) == nil:
		t.run(goTo(BlockErrorOccurred))
	case ans.next != "":
		t.run(goTo(ans.next))
	case b != nil:
		t.run(b.Next)
	}
}

func (t *turn) onAPIError(b *Block) *GoTo {
	if b != nil && b.API != nil && b.API.OnError != nil {
		return b.API.OnError
	}
	return goTo(BlockErrorOccurred)
}

// decodeAnswer validates a whole answer before anything is applied, so a
// broken answer never half-applies. Every field is optional.
func decodeAnswer(r APIResult) (pluginAnswer, error) {
	if r.Err != "" {
		return pluginAnswer{}, errors.New(r.Err)
	}
	m, ok := jsonObject(r.Body)
	if !ok {
		return pluginAnswer{}, errors.New("answer is not a JSON object")
	}
	var ans pluginAnswer
	var err error
	if ans.sessions, err = decodeSessions(m["session"]); err != nil {
		return pluginAnswer{}, err
	}
	if ans.messages, err = decodeMessages(m["messages"], "messages"); err != nil {
		return pluginAnswer{}, err
	}
	ans.next, err = decodeAction(m["action"])
	return ans, err
}

// decodeSessions accepts one {namespace, data} object or an array of them.
func decodeSessions(v any) ([]sessionWrite, error) {
	switch t := v.(type) {
	case nil:
		return nil, nil
	case map[string]any:
		w, err := decodeSessionWrite(t, "session")
		return []sessionWrite{w}, err
	case []any:
		out := make([]sessionWrite, 0, len(t))
		for i, item := range t {
			p := fmt.Sprintf("session[%d]", i)
			m, err := asObject(item, p)
			if err != nil {
				return nil, err
			}
			w, err := decodeSessionWrite(m, p)
			if err != nil {
				return nil, err
			}
			out = append(out, w)
		}
		return out, nil
	}
	return nil, wrongType("session", "an object or an array")
}

func decodeSessionWrite(m map[string]any, path string) (sessionWrite, error) {
	ns, err := optString(m, path, "namespace")
	if err != nil {
		return sessionWrite{}, err
	}
	data, err := optObject(m, path, "data")
	return sessionWrite{namespace: ns, data: data}, err
}

func decodeAction(v any) (string, error) {
	if v == nil {
		return "", nil
	}
	m, err := asObject(v, "action")
	if err != nil {
		return "", err
	}
	return optString(m, "action", "nextDialogstate")
}

// mergeNamespace merges data's keys into the namespace object (replacing
// it when it is not an object). An empty namespace merges at the top
// level. Nothing is written under "internal".
func mergeNamespace(session map[string]any, w sessionWrite) {
	if w.namespace == NamespaceInternal {
		return
	}
	dst := session
	if w.namespace != "" {
		m, ok := session[w.namespace].(map[string]any)
		if !ok {
			m = map[string]any{}
			session[w.namespace] = m
		}
		dst = m
	}
	for _, k := range slices.Sorted(maps.Keys(w.data)) {
		if w.namespace == "" && k == NamespaceInternal {
			continue
		}
		dst[k] = deepCopy(w.data[k])
	}
}
