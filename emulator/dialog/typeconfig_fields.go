package dialog

import "fmt"

// elementList decodes the required elements of a carousel or list.
func elementList(cfg map[string]any, path string) ([]Card, error) {
	arr, err := reqArray(cfg, path, "elements")
	if err != nil {
		return nil, err
	}
	cards := make([]Card, 0, len(arr))
	for i, item := range arr {
		c, err := decodeElement(item, fmt.Sprintf("%s.elements[%d]", path, i))
		if err != nil {
			return nil, err
		}
		cards = append(cards, c)
	}
	return cards, nil
}

func decodeElement(v any, path string) (Card, error) {
	m, err := asObject(v, path)
	if err != nil {
		return Card{}, err
	}
	var c Card
	if c.Title, err = reqString(m, path, "title"); err != nil {
		return Card{}, err
	}
	optional := []struct {
		key string
		dst *string
	}{{"subTitle", &c.Subtitle}, {"imageUrl", &c.ImageURL}, {"webUrl", &c.DefaultURL}}
	for _, f := range optional {
		if *f.dst, err = optString(m, path, f.key); err != nil {
			return Card{}, err
		}
	}
	c.Buttons, err = buttonList(m, path, "buttons", false)
	return c, err
}

// buttonList decodes the buttons under key, which must be a non-empty
// array when need is true.
func buttonList(m map[string]any, path, key string, need bool) ([]Button, error) {
	var arr []any
	var err error
	if need {
		arr, err = reqArray(m, path, key)
	} else {
		arr, err = optArray(m, path, key)
	}
	if err != nil {
		return nil, err
	}
	var out []Button
	for i, item := range arr {
		b, err := decodeButton(item, fmt.Sprintf("%s.%s[%d]", path, key, i))
		if err != nil {
			return nil, err
		}
		out = append(out, b)
	}
	return out, nil
}

func decodeButton(v any, path string) (Button, error) {
	m, err := asObject(v, path)
	if err != nil {
		return Button{}, err
	}
	typ, err := reqString(m, path, "type")
	if err != nil {
		return Button{}, err
	}
	switch ButtonKind(typ) {
	case ButtonPostback:
		return decodePostback(m, path)
	case ButtonURL:
		return titled(m, path, ButtonURL, "url")
	case ButtonPhone:
		return titled(m, path, ButtonPhone, "payload")
	case ButtonShare:
		title, err := optString(m, path, "title")
		return Button{Kind: ButtonShare, Title: title}, err
	}
	return Button{}, &TypeConfigError{Path: path + ".type", Problem: fmt.Sprintf("unknown button type %q", typ)}
}

// titled decodes a URL or call button: a title and one more string.
func titled(m map[string]any, path string, kind ButtonKind, key string) (Button, error) {
	title, err := reqString(m, path, "title")
	if err != nil {
		return Button{}, err
	}
	s, err := reqString(m, path, key)
	if kind == ButtonURL {
		return Button{Kind: kind, Title: title, URL: s}, err
	}
	return Button{Kind: kind, Title: title, Phone: s}, err
}

// decodePostback decodes a title and a payload that is an object
// {nextDialogstateId, params?}, a legacy JSON string, or an opaque id.
func decodePostback(m map[string]any, path string) (Button, error) {
	title, err := reqString(m, path, "title")
	if err != nil {
		return Button{}, err
	}
	b := Button{Kind: ButtonPostback, Title: title}
	p := path + ".payload"
	switch v := m["payload"].(type) {
	case nil:
		return Button{}, required(p)
	case string:
		if pb, ok := ParseLegacyPayload(v); ok {
			g := pb.GoTo
			b.GoTo = &g
		} else if v == "" {
			return Button{}, required(p)
		} else {
			b.Payload = v
		}
		return b, nil
	case map[string]any:
		g, err := decodeGoTo(v, p)
		b.GoTo = &g
		return b, err
	}
	return Button{}, wrongType(p, "an object or a string")
}

// decodeGoTo decodes {nextDialogstateId, params?:[{key, value}]}; the
// block id may be a string or a number (see BlockID).
func decodeGoTo(m map[string]any, path string) (GoTo, error) {
	target, err := reqBlockID(m, path, "nextDialogstateId")
	if err != nil {
		return GoTo{}, err
	}
	params, err := optArray(m, path, "params")
	if err != nil {
		return GoTo{}, err
	}
	g := GoTo{Block: target}
	for i, item := range params {
		p := fmt.Sprintf("%s.params[%d]", path, i)
		kv, err := asObject(item, p)
		if err != nil {
			return GoTo{}, err
		}
		key, err := reqString(kv, p, "key")
		if err != nil {
			return GoTo{}, err
		}
		g.Set = append(g.Set, Assignment{Path: key, Value: kv["value"]})
	}
	return g, nil
}

func asObject(v any, path string) (map[string]any, error) {
	m, ok := v.(map[string]any)
	if !ok {
		return nil, wrongType(path, "an object")
	}
	return m, nil
}

// reqString returns the non-empty string at m[key].
func reqString(m map[string]any, path, key string) (string, error) {
	s, err := optString(m, path, key)
	if err == nil && s == "" {
		err = required(path + "." + key)
	}
	return s, err
}

// reqBlockID returns the non-empty block id at m[key], a string or a
// number (see BlockID).
func reqBlockID(m map[string]any, path, key string) (string, error) {
	id, err := optBlockID(m, path, key)
	if err == nil && id == "" {
		err = required(path + "." + key)
	}
	return id, err
}

// optBlockID returns the block id at m[key], a string or a number (see
// BlockID); "" when absent or null.
func optBlockID(m map[string]any, path, key string) (string, error) {
	v, ok := m[key]
	if !ok || v == nil {
		return "", nil
	}
	id, ok := BlockID(v)
	if !ok {
		return "", wrongType(path+"."+key, "a string or a number")
	}
	return id, nil
}

// optString returns the string at m[key], "" when absent or null.
func optString(m map[string]any, path, key string) (string, error) {
	v, ok := m[key]
	if !ok || v == nil {
		return "", nil
	}
	s, ok := v.(string)
	if !ok {
		return "", wrongType(path+"."+key, "a string")
	}
	return s, nil
}

func reqObject(m map[string]any, path, key string) (map[string]any, error) {
	v, ok := m[key]
	if !ok || v == nil {
		return nil, required(path + "." + key)
	}
	return asObject(v, path+"."+key)
}

func optObject(m map[string]any, path, key string) (map[string]any, error) {
	if v, ok := m[key]; ok && v != nil {
		return asObject(v, path+"."+key)
	}
	return map[string]any{}, nil
}

// reqArray returns the non-empty array at m[key].
func reqArray(m map[string]any, path, key string) ([]any, error) {
	arr, err := optArray(m, path, key)
	if err == nil && len(arr) == 0 {
		err = required(path + "." + key)
	}
	return arr, err
}

func optArray(m map[string]any, path, key string) ([]any, error) {
	v, ok := m[key]
	if !ok || v == nil {
		return nil, nil
	}
	arr, ok := v.([]any)
	if !ok {
		return nil, wrongType(path+"."+key, "an array")
	}
	return arr, nil
}
