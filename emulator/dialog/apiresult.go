package dialog

import (
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
)

// pluginAnswer is a decoded API-plugin response (Chatlayer's API plugin page:
// https://docs.chatlayer.ai/integrateandcode/custom-back-end-integrations).
type pluginAnswer struct {
	sessions []sessionWrite
	messages []Template
	next     string // action.nextDialogstate, "" when absent
}

// sessionWrite is one {namespace, data} object of the answer's session.
// data is an object (merged into the namespace), or, leniently, any other
// JSON value (stored as the namespace's value); path locates it in the
// answer for warnings.
type sessionWrite struct {
	namespace string
	data      any
	path      string
}

// apiResult resumes a flow suspended on an API call. A failed call, or an
// answer that is not a valid plugin response, goes to the block's
// API.OnError, else Error occurred. A valid answer is applied in the
// documented order: session (merged into each namespace), then messages
// (sent, so they can interpolate the new data), then action.nextDialogstate
// (a block id or name, or a number naming a block id; unknown goes to
// Error occurred), else the action block's Next. Every way to the error
// blocks is reported with a Warn effect saying why. Without a pending API
// call the result is ignored.
func (t *turn) apiResult(r APIResult) {
	p := t.c.Pending
	if p == nil || p.Kind != PendingAPI {
		return
	}
	t.c.Pending = nil
	b := t.e.script.Blocks[p.Block]
	ans, err := t.e.decodeAnswer(r)
	if err != nil {
		g := t.onAPIError(b)
		t.warn(WarnPluginFailed, "", "API call of block %q: %v: the flow goes to %s", p.Block, err, g.Block)
		t.run(g)
		return
	}
	for _, w := range ans.sessions {
		t.writeSession(w)
	}
	t.sendAll(ans.messages)
	switch {
	case ans.next != "" && t.e.Block(ans.next) == nil:
		t.warn(WarnUnknownBlock, "/action/nextDialogstate", "API answer of block %q names unknown block %q: the flow goes to %s",
			p.Block, ans.next, BlockErrorOccurred)
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

// writeSession applies one session write: an object is merged into its
// namespace; any other value replaces the namespace (a warning says so),
// or is dropped when the write names no namespace.
func (t *turn) writeSession(w sessionWrite) {
	if m, ok := w.data.(map[string]any); ok {
		mergeNamespace(t.c.Session, w.namespace, m)
		return
	}
	if w.namespace == "" || w.namespace == NamespaceInternal {
		t.warn(WarnPluginSessionData, pointer(w.path), "API answer's %s is not an object and names no writable namespace: not stored", w.path)
		return
	}
	t.warn(WarnPluginSessionData, pointer(w.path), "API answer's %s is not an object: stored as sent under %q", w.path, w.namespace)
	t.c.Session[w.namespace] = deepCopy(w.data)
}

// decodeAnswer validates a whole answer before anything is applied, so a
// broken answer never half-applies. Every field is optional.
func (e *Engine) decodeAnswer(r APIResult) (pluginAnswer, error) {
	if r.Err != "" {
		return pluginAnswer{}, errors.New(r.Err)
	}
	m, ok := jsonObject(r.Body)
	if !ok {
		return pluginAnswer{}, errors.New("answer is not a JSON object")
	}
	var ans pluginAnswer
	var err error
	if ans.sessions, err = decodeSessions(m["session"], e.opts.Strict); err != nil {
		return pluginAnswer{}, err
	}
	if ans.messages, err = decodeMessages(m["messages"], "messages"); err != nil {
		return pluginAnswer{}, err
	}
	ans.next, err = decodeAction(m["action"])
	return ans, err
}

// decodeSessions accepts one {namespace, data} object or an array of them.
func decodeSessions(v any, strict bool) ([]sessionWrite, error) {
	switch t := v.(type) {
	case nil:
		return nil, nil
	case map[string]any:
		w, err := decodeSessionWrite(t, "session", strict)
		return []sessionWrite{w}, err
	case []any:
		out := make([]sessionWrite, 0, len(t))
		for i, item := range t {
			p := fmt.Sprintf("session[%d]", i)
			m, err := asObject(item, p)
			if err != nil {
				return nil, err
			}
			w, err := decodeSessionWrite(m, p, strict)
			if err != nil {
				return nil, err
			}
			out = append(out, w)
		}
		return out, nil
	}
	return nil, wrongType("session", "an object or an array")
}

// decodeSessionWrite reads {namespace, data}. data may be any JSON value
// unless strict, which requires an object (or no data).
func decodeSessionWrite(m map[string]any, path string, strict bool) (sessionWrite, error) {
	ns, err := optString(m, path, "namespace")
	if err != nil {
		return sessionWrite{}, err
	}
	w := sessionWrite{namespace: ns, data: m["data"], path: path + ".data"}
	if _, isObject := w.data.(map[string]any); !isObject && (w.data == nil || strict) {
		w.data, err = optObject(m, path, "data")
	}
	return w, err
}

// pointer turns a decoder path ("session[0].data") into a JSON pointer
// ("/session/0/data").
func pointer(path string) string {
	r := strings.NewReplacer("[", "/", "]", "", ".", "/")
	return "/" + r.Replace(path)
}

func decodeAction(v any) (string, error) {
	if v == nil {
		return "", nil
	}
	m, err := asObject(v, "action")
	if err != nil {
		return "", err
	}
	return optBlockID(m, "action", "nextDialogstate")
}

// mergeNamespace merges data's keys into the namespace object (replacing
// it when it is not an object). An empty namespace merges at the top
// level. Nothing is written under "internal".
func mergeNamespace(session map[string]any, namespace string, data map[string]any) {
	if namespace == NamespaceInternal {
		return
	}
	dst := session
	if namespace != "" {
		m, ok := session[namespace].(map[string]any)
		if !ok {
			m = map[string]any{}
			session[namespace] = m
		}
		dst = m
	}
	for _, k := range slices.Sorted(maps.Keys(data)) {
		if namespace == "" && k == NamespaceInternal {
			continue
		}
		dst[k] = deepCopy(data[k])
	}
}
