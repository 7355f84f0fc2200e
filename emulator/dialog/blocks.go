package dialog

import (
	"encoding/json"
	"net/url"
	"strings"
)

// enter makes b the current block, runs it, and returns where the flow
// goes next (nil ends the turn):
//
//   - message: sends each template, then follows Next;
//   - collect: follows Next at once when the variable already holds a
//     non-empty value; otherwise sends the prompt and waits for an answer;
//   - condition: the first rule that holds, else Fallback, else Not
//     understood;
//   - action: applies Set, then suspends on an API call or an offload, or
//     follows Next.
func (t *turn) enter(id string, b *Block) *GoTo {
	t.c.Previous, t.c.Current = t.c.Current, id
	t.changed()
	switch b.Kind {
	case KindMessage:
		t.sendAll(b.Messages)
	case KindCollect:
		return t.enterCollect(id, b)
	case KindCondition:
		return t.e.evalCondition(t.session(), b)
	case KindAction:
		return t.enterAction(id, b)
	}
	return b.Next
}

func (t *turn) enterCollect(id string, b *Block) *GoTo {
	col := b.Collect
	if col == nil || nonEmpty(GetPath(t.session(), col.Variable)) {
		return b.Next
	}
	t.sendAll(col.Prompt)
	t.c.Awaiting = &Awaiting{Block: id}
	return nil
}

// enterAction applies the block's assignments, then emits CallAPI or
// RequestOffload and suspends the flow (Pending), or follows Next.
func (t *turn) enterAction(id string, b *Block) *GoTo {
	t.apply(b.Set)
	switch {
	case b.API != nil:
		t.effects = append(t.effects, buildCall(t.session(), b.API))
		t.c.Pending = &Pending{Block: id, Kind: PendingAPI}
		return nil
	case b.Offload != nil:
		payload, _ := ResolveValue(t.session(), nonNilMap(b.Offload.Payload)).(map[string]any)
		t.effects = append(t.effects, RequestOffload{Payload: payload})
		t.c.Pending = &Pending{Block: id, Kind: PendingOffload, Offload: deepCopy(payload).(map[string]any)}
		return nil
	}
	return b.Next
}

func nonNilMap(m map[string]any) map[string]any {
	if m == nil {
		return map[string]any{}
	}
	return m
}

// buildCall turns an API action into a CallAPI effect. The method
// defaults to GET. The URL is interpolated and the interpolated Query is
// appended URL-encoded in sorted key order (after '&' when the URL already
// has a query). Header values are interpolated. Body is resolved with
// ResolveValue ("{order.total}" alone keeps its number type) and encoded
// as JSON; Content-Type defaults to application/json when a body is sent.
func buildCall(session map[string]any, api *APICall) CallAPI {
	call := CallAPI{Method: strings.ToUpper(api.Method), URL: Interpolate(session, api.URL)}
	if call.Method == "" {
		call.Method = "GET"
	}
	if q := encodeQuery(session, api.Query); q != "" {
		sep := "?"
		if strings.Contains(call.URL, "?") {
			sep = "&"
		}
		call.URL += sep + q
	}
	for k, v := range api.Headers {
		if call.Headers == nil {
			call.Headers = map[string]string{}
		}
		call.Headers[k] = Interpolate(session, v)
	}
	if api.Body != nil {
		call.Body = []byte(compactJSON(ResolveValue(session, api.Body)))
		if !hasHeader(call.Headers, "Content-Type") {
			if call.Headers == nil {
				call.Headers = map[string]string{}
			}
			call.Headers["Content-Type"] = "application/json"
		}
	}
	return call
}

// encodeQuery interpolates and encodes query parameters, keys sorted.
func encodeQuery(session map[string]any, q map[string]string) string {
	if len(q) == 0 {
		return ""
	}
	vals := url.Values{}
	for k, v := range q {
		vals.Set(k, Interpolate(session, v))
	}
	return vals.Encode()
}

func hasHeader(h map[string]string, name string) bool {
	for k := range h {
		if strings.EqualFold(k, name) {
			return true
		}
	}
	return false
}

// jsonObject decodes raw as a JSON object.
func jsonObject(raw []byte) (map[string]any, bool) {
	var m map[string]any
	if err := json.Unmarshal(raw, &m); err != nil || m == nil {
		return nil, false
	}
	return m, true
}
