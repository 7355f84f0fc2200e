package dialog

import (
	"strings"
	"testing"
)

func FuzzDecodeTypeConfig(f *testing.F) {
	for _, seed := range []string{
		`[{"type":"text","config":{"textMessages":[{"text":"a"}]}}]`,
		`[{"type":"buttons","config":{"textMessages":[{"text":"a"}],"buttons":[{"type":"postback","title":"x","payload":{"nextDialogstateId":"d","params":[{"key":"k","value":1}]}}]}}]`,
		`[{"type":"quickReplies","config":{"textMessages":[{"text":"a"}],"quickReplies":[{"type":"location"}]}}]`,
		`[{"type":"carousel","config":{"elements":[{"title":"a","buttons":[]}]}}]`,
		`[{"type":"media","config":{"media":{"type":"image","url":"u"}}}]`,
		`[{"type":"event","config":{}}]`, `null`, `[`, `[null]`,
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, raw []byte) {
		ts, err := DecodeTypeConfig(raw)
		if err != nil {
			return
		}
		c := &Conversation{BotID: "b", SessionID: "s", Session: map[string]any{}}
		for _, tm := range ts {
			_ = mustJSON(Render(c, tm))
		}
	})
}

func FuzzInterpolate(f *testing.F) {
	for _, seed := range []string{"Hi {user.name}", "{a[0].b}", "{{x}}", "{", "}{", "{a[99999999]}", "{é.ü}", "{a.}"} {
		f.Add(seed, "a.b[1].c")
	}
	f.Fuzz(func(t *testing.T, s, path string) {
		session := testSession()
		_ = SetPath(session, path, "value")
		out := Interpolate(session, s)
		if !strings.Contains(s, "{") && out != s {
			t.Errorf("Interpolate changed a string without braces: %q -> %q", s, out)
		}
		_, _ = GetPath(session, path)
		_ = ResolveValue(session, []any{s, map[string]any{"k": s}})
	})
}
