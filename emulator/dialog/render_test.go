package dialog

import "testing"

func TestRender(t *testing.T) {
	runtime := &GoTo{Block: "size", Set: []Assignment{{Path: "pizza.size", Value: "L"}}}
	runtimeID := PostbackID("bot1", "session-1", "size", `[{"key":"pizza.size","value":"L"}]`, "Large Ann")
	postback := Button{Kind: ButtonPostback, Title: "Yes {user.name}", Payload: "0123456789abcdef0123456789abcdef01234567"}
	url := Button{Kind: ButtonURL, Title: "Site", URL: "https://x.test/{user.name}"}
	phone := Button{Kind: ButtonPhone, Title: "Call", Phone: "+32{user.phone}"}
	share, untitled := Button{Kind: ButtonShare, Title: "Share with {user.name}"}, Button{Kind: ButtonShare}
	tests := []struct {
		name string
		tmpl Template
		want string
	}{
		{"text", txt("Hi {user.name}, {missing}"), `{"text":"Hi Ann, {missing}"}`},
		{"quick replies", Template{Kind: TmplQuickReplies, Text: "Size?", Replies: []Button{
			{Kind: ButtonPostback, Title: "Small", Payload: "id-small", ImageURL: "https://x.test/s.png"},
			{Kind: ButtonPostback, Title: "Large {user.name}", GoTo: runtime},
			{Kind: ButtonLocation, Title: "ignored"},
		}}, `{"text":"Size?","quick_replies":[
			{"content_type":"text","title":"Small","payload":"id-small","image_url":"https://x.test/s.png"},
			{"content_type":"text","title":"Large Ann","payload":"` + runtimeID + `"},
			{"content_type":"location"}]}`},
		{"buttons", Template{Kind: TmplButtons, Text: "Pick", Buttons: []Button{postback, url, phone}},
			`{"attachment":{"type":"template","payload":{"template_type":"button","text":"Pick","buttons":[
				{"type":"postback","title":"Yes Ann","payload":"0123456789abcdef0123456789abcdef01234567"},
				{"type":"web_url","title":"Site","url":"https://x.test/Ann"},
				{"type":"phone_number","title":"Call","payload":"+32475"}]}}}`},
		{"share buttons: no payload, no title when none", Template{Kind: TmplButtons, Text: "Tell", Buttons: []Button{share, untitled}},
			`{"attachment":{"type":"template","payload":{"template_type":"button","text":"Tell","buttons":[
				{"type":"element_share","title":"Share with Ann"},{"type":"element_share"}]}}}`},
		{"carousel", Template{Kind: TmplCarousel, Cards: []Card{
			{Title: "Margherita", Subtitle: "{price} EUR", ImageURL: "https://x.test/m.png", DefaultURL: "https://x.test/m", Buttons: []Button{postback}},
			{Title: "Plain"},
		}}, `{"attachment":{"type":"template","payload":{"template_type":"generic","elements":[
			{"title":"Margherita","subtitle":"9.5 EUR","image_url":"https://x.test/m.png",
			 "default_action":{"type":"web_url","url":"https://x.test/m"},
			 "buttons":[{"type":"postback","title":"Yes Ann","payload":"0123456789abcdef0123456789abcdef01234567"}]},
			{"title":"Plain"}]}}}`},
		{"carousel item_url", Template{Kind: TmplCarousel, Cards: []Card{
			{Title: "Lang", ImageURL: "https://x.test/l.png", ItemURL: "https://x.test/{user.name}", Buttons: []Button{share}}}},
			`{"attachment":{"type":"template","payload":{"template_type":"generic","elements":[
				{"title":"Lang","image_url":"https://x.test/l.png","item_url":"https://x.test/Ann",
				 "buttons":[{"type":"element_share","title":"Share with Ann"}]}]}}}`},
		{"no item_url on list elements", Template{Kind: TmplList, Cards: []Card{{Title: "One", ItemURL: "https://x.test/1"}, {Title: "Two"}}},
			`{"attachment":{"type":"template","payload":{"template_type":"list","elements":[{"title":"One"},{"title":"Two"}]}}}`},
		{"list", Template{Kind: TmplList, Cards: []Card{{Title: "One", Subtitle: "1"}, {Title: "Two", Subtitle: "2"}},
			Buttons: []Button{url}},
			`{"attachment":{"type":"template","payload":{"template_type":"list",
				"elements":[{"title":"One","subtitle":"1"},{"title":"Two","subtitle":"2"}],
				"buttons":[{"type":"web_url","title":"Site","url":"https://x.test/Ann"}]}}}`},
		{"image", Template{Kind: TmplImage, URL: "https://x.test/{user.name}.png"},
			`{"attachment":{"type":"image","payload":{"url":"https://x.test/Ann.png","is_reusable":false}}}`},
		{"video", Template{Kind: TmplVideo, URL: "https://x.test/v.mp4"},
			`{"attachment":{"type":"video","payload":{"url":"https://x.test/v.mp4","is_reusable":false}}}`},
		{"audio", Template{Kind: TmplAudio, URL: "https://x.test/a.mp3"},
			`{"attachment":{"type":"audio","payload":{"url":"https://x.test/a.mp3","is_reusable":false}}}`},
		{"file", Template{Kind: TmplFile, URL: "https://x.test/f.pdf"},
			`{"attachment":{"type":"file","payload":{"url":"https://x.test/f.pdf","is_reusable":false}}}`},
		{"event", Template{Kind: TmplEvent, Event: map[string]any{"name": "{user.name}", "price": "{price}", "nested": []any{"x {price}"}}},
			`{"type":"event","payload":{"name":"Ann","price":9.5,"nested":["x 9.5"]}}`},
		{"empty event", Template{Kind: TmplEvent}, `{"type":"event","payload":{}}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := &Conversation{BotID: "bot1", SessionID: "session-1", Session: map[string]any{
				"user": map[string]any{"name": "Ann", "phone": "475"}, "price": 9.5}}
			assertJSON(t, Render(c, tt.tmpl), tt.want)
		})
	}
}

func TestRenderRegistersRuntimePostbacks(t *testing.T) {
	c := &Conversation{BotID: "bot1", SessionID: "s", Session: map[string]any{}}
	g := &GoTo{Block: "b", Set: []Assignment{{Path: "k", Value: 1.0}}}
	m := Render(c, Template{Kind: TmplButtons, Text: "t", Buttons: []Button{{Kind: ButtonPostback, Title: "Go", GoTo: g}}})
	id := m.Attachment.Payload.Buttons[0].Payload
	assertEqual(t, len(id), 40)
	assertEqual(t, c.Postbacks[id], Postback{Title: "Go", GoTo: *g})
	// The same button in the same conversation gets the same id.
	again := Render(c, Template{Kind: TmplButtons, Text: "t", Buttons: []Button{{Kind: ButtonPostback, Title: "Go", GoTo: g}}})
	assertEqual(t, again.Attachment.Payload.Buttons[0].Payload, id)
	assertEqual(t, len(c.Postbacks), 1)
	// Another conversation gets another id.
	other := &Conversation{BotID: "bot1", SessionID: "s2"}
	m2 := Render(other, Template{Kind: TmplButtons, Text: "t", Buttons: []Button{{Kind: ButtonPostback, Title: "Go", GoTo: g}}})
	if m2.Attachment.Payload.Buttons[0].Payload == id {
		t.Error("ids must differ between conversations")
	}
}
