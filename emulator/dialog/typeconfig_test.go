package dialog

import (
	"errors"
	"testing"
)

func TestDecodeTypeConfig(t *testing.T) {
	yes := &GoTo{Block: "ds-yes", Set: []Assignment{{Path: "answer", Value: "yes"}, {Path: "n", Value: 2.0}}}
	tests := []struct {
		name string
		raw  string
		want []Template
	}{
		{"text uses the first variant", `[{"type":"text","config":{"textMessages":[{"text":"a"},{"text":"b"}]}}]`,
			[]Template{txt("a")}},
		{"buttons", `[{"type":"buttons","config":{"textMessages":[{"text":"Pick"}],"buttons":[
			{"type":"postback","title":"Yes","payload":{"nextDialogstateId":"ds-yes","params":[{"key":"answer","value":"yes"},{"key":"n","value":2}]}},
			{"type":"postback","title":"Opaque","payload":"0123456789abcdef0123456789abcdef01234567"},
			{"type":"postback","title":"Legacy","payload":"{\"nextDialogstateId\":\"ds-no\",\"params\":[]}"},
			{"type":"web_url","title":"Site","url":"https://x.test"},
			{"type":"phone_number","title":"Call","payload":"+3212"},
			{"type":"element_share","title":"Share"},
			{"type":"element_share"}]}}]`,
			[]Template{{Kind: TmplButtons, Text: "Pick", Buttons: []Button{
				{Kind: ButtonPostback, Title: "Yes", GoTo: yes},
				{Kind: ButtonPostback, Title: "Opaque", Payload: "0123456789abcdef0123456789abcdef01234567"},
				{Kind: ButtonPostback, Title: "Legacy", GoTo: &GoTo{Block: "ds-no", Set: []Assignment{}}},
				{Kind: ButtonURL, Title: "Site", URL: "https://x.test"},
				{Kind: ButtonPhone, Title: "Call", Phone: "+3212"},
				{Kind: ButtonShare, Title: "Share"},
				{Kind: ButtonShare},
			}}}},
		{"quick replies", `[{"type":"quickReplies","config":{"textMessages":[{"text":"Where?"}],"quickReplies":[
			{"type":"postback","title":"Here","imageUrl":"https://x.test/i.png","payload":{"nextDialogstateId":"ds-here"}},
			{"title":"Default type","payload":{"nextDialogstateId":"ds-d"}},
			{"type":"location"}]}}]`,
			[]Template{{Kind: TmplQuickReplies, Text: "Where?", Replies: []Button{
				{Kind: ButtonPostback, Title: "Here", ImageURL: "https://x.test/i.png", GoTo: &GoTo{Block: "ds-here"}},
				{Kind: ButtonPostback, Title: "Default type", GoTo: &GoTo{Block: "ds-d"}},
				{Kind: ButtonLocation},
			}}}},
		{"carousel", `[{"type":"carousel","config":{"elements":[
			{"title":"A","subTitle":"a","imageUrl":"https://x.test/a.png","webUrl":"https://x.test/a",
			 "buttons":[{"type":"web_url","title":"Open","url":"https://x.test/a"}]},
			{"title":"B"}]}}]`,
			[]Template{{Kind: TmplCarousel, Cards: []Card{
				{Title: "A", Subtitle: "a", ImageURL: "https://x.test/a.png", DefaultURL: "https://x.test/a",
					Buttons: []Button{{Kind: ButtonURL, Title: "Open", URL: "https://x.test/a"}}},
				{Title: "B"},
			}}}},
		{"list", `[{"type":"list","config":{"elements":[{"title":"A"},{"title":"B"}],
			"buttons":[{"type":"web_url","title":"More","url":"https://x.test"}]}}]`,
			[]Template{{Kind: TmplList, Cards: []Card{{Title: "A"}, {Title: "B"}},
				Buttons: []Button{{Kind: ButtonURL, Title: "More", URL: "https://x.test"}}}}},
		{"media", `[{"type":"media","config":{"media":{"type":"image","url":"https://x.test/i.png","isCache":true}}},
			{"type":"media","config":{"media":{"type":"video","url":"v"}}},
			{"type":"media","config":{"media":{"type":"audio","url":"a"}}},
			{"type":"media","config":{"media":{"type":"attachment","url":"f"}}},
			{"type":"image","config":{"url":"i2"}}]`,
			[]Template{{Kind: TmplImage, URL: "https://x.test/i.png"}, {Kind: TmplVideo, URL: "v"},
				{Kind: TmplAudio, URL: "a"}, {Kind: TmplFile, URL: "f"}, {Kind: TmplImage, URL: "i2"}}},
		{"event", `[{"type":"event","config":{"name":"x","n":1}},{"type":"event"}]`,
			[]Template{{Kind: TmplEvent, Event: map[string]any{"name": "x", "n": 1.0}}, {Kind: TmplEvent, Event: map[string]any{}}}},
		{"empty array", `[]`, []Template{}},
		{"null", `null`, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := DecodeTypeConfig([]byte(tt.raw))
			if err != nil {
				t.Fatal(err)
			}
			assertEqual(t, got, tt.want)
		})
	}
}

func TestDecodeTypeConfigErrors(t *testing.T) {
	tests := []struct{ raw, want string }{
		{`{`, "messages: invalid JSON: unexpected end of JSON input"},
		{`{}`, "messages: must be an array"},
		{`[1]`, "messages[0]: must be an object"},
		{`[{"config":{}}]`, "messages[0].type: required"},
		{`[{"type":3}]`, "messages[0].type: must be a string"},
		{`[{"type":"gif","config":{}}]`, `messages[0].type: unknown message type "gif"`},
		{`[{"type":"text"}]`, "messages[0].config: required"},
		{`[{"type":"text","config":[]}]`, "messages[0].config: must be an object"},
		{`[{"type":"text","config":{"textMessages":[{"text":"ok"}]}},{"type":"text","config":{}}]`,
			"messages[1].config.textMessages: required"},
		{`[{"type":"text","config":{"textMessages":[]}}]`, "messages[0].config.textMessages: required"},
		{`[{"type":"text","config":{"textMessages":"hi"}}]`, "messages[0].config.textMessages: must be an array"},
		{`[{"type":"text","config":{"textMessages":[{"text":"a"},{}]}}]`, "messages[0].config.textMessages[1].text: required"},
		{`[{"type":"buttons","config":{"textMessages":[{"text":"a"}]}}]`, "messages[0].config.buttons: required"},
		{`[{"type":"buttons","config":{"textMessages":[{"text":"a"}],"buttons":[{"title":"x"}]}}]`,
			"messages[0].config.buttons[0].type: required"},
		{`[{"type":"buttons","config":{"textMessages":[{"text":"a"}],"buttons":[{"type":"share","title":"x"}]}}]`,
			`messages[0].config.buttons[0].type: unknown button type "share"`},
		{`[{"type":"buttons","config":{"textMessages":[{"text":"a"}],"buttons":[{"type":"postback","title":"x"}]}}]`,
			"messages[0].config.buttons[0].payload: required"},
		{`[{"type":"buttons","config":{"textMessages":[{"text":"a"}],"buttons":[{"type":"postback","title":"x","payload":{}}]}}]`,
			"messages[0].config.buttons[0].payload.nextDialogstateId: required"},
		{`[{"type":"buttons","config":{"textMessages":[{"text":"a"}],"buttons":[{"type":"postback","title":"x","payload":{"nextDialogstateId":"d","params":[{"value":1}]}}]}}]`,
			"messages[0].config.buttons[0].payload.params[0].key: required"},
		{`[{"type":"buttons","config":{"textMessages":[{"text":"a"}],"buttons":[{"type":"postback","title":"x","payload":7}]}}]`,
			"messages[0].config.buttons[0].payload: must be an object or a string"},
		{`[{"type":"buttons","config":{"textMessages":[{"text":"a"}],"buttons":[{"type":"web_url","title":"x"}]}}]`,
			"messages[0].config.buttons[0].url: required"},
		{`[{"type":"buttons","config":{"textMessages":[{"text":"a"}],"buttons":[{"type":"phone_number","title":"x"}]}}]`,
			"messages[0].config.buttons[0].payload: required"},
		{`[{"type":"buttons","config":{"textMessages":[{"text":"a"}],"buttons":[{"type":"element_share","title":1}]}}]`,
			"messages[0].config.buttons[0].title: must be a string"},
		{`[{"type":"quickReplies","config":{"textMessages":[{"text":"a"}],"quickReplies":[{"type":"sticker"}]}}]`,
			`messages[0].config.quickReplies[0].type: unknown quick reply type "sticker"`},
		{`[{"type":"quickReplies","config":{"textMessages":[{"text":"a"}],"quickReplies":[{"payload":{"nextDialogstateId":"d"}}]}}]`,
			"messages[0].config.quickReplies[0].title: required"},
		{`[{"type":"carousel","config":{"elements":[{"title":"a","imageUrl":3}]}}]`,
			"messages[0].config.elements[0].imageUrl: must be a string"},
		{`[{"type":"carousel","config":{"elements":[{"subTitle":"a"}]}}]`, "messages[0].config.elements[0].title: required"},
		{`[{"type":"list","config":{"elements":[{"title":"a"}],"buttons":{}}}]`, "messages[0].config.buttons: must be an array"},
		{`[{"type":"media","config":{}}]`, "messages[0].config.media: required"},
		{`[{"type":"media","config":{"media":{"type":"gif","url":"u"}}}]`, `messages[0].config.media.type: unknown media type "gif"`},
		{`[{"type":"media","config":{"media":{"type":"image"}}}]`, "messages[0].config.media.url: required"},
		{`[{"type":"event","config":"x"}]`, "messages[0].config: must be an object"},
	}
	for _, tt := range tests {
		_, err := DecodeTypeConfig([]byte(tt.raw))
		var tce *TypeConfigError
		if !errors.As(err, &tce) {
			t.Errorf("%s: error %v is not a *TypeConfigError", tt.raw, err)
			continue
		}
		if err.Error() != tt.want {
			t.Errorf("%s:\n got  %s\n want %s", tt.raw, err, tt.want)
		}
	}
}
