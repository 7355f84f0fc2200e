package emulator

import (
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"testing"

	"github.com/chatlayer-emulator/chatlayer-emulator/emulator/dialog"
)

// convertOne decodes one v1 template and converts it; only the block
// "known" exists.
func convertOne(t *testing.T, raw string) (dialog.Template, error) {
	t.Helper()
	var v v1Template
	if err := json.Unmarshal([]byte(raw), &v); err != nil {
		t.Fatalf("decoding %s: %v", raw, err)
	}
	tc := templateConverter{blockExists: func(id string) bool { return id == "known" }}
	list, err := tc.convert([]v1Template{v}, "/sendMessages")
	if err != nil {
		return dialog.Template{}, err
	}
	return list[0], nil
}

func TestConvertTemplates(t *testing.T) {
	goKnown := &dialog.GoTo{Block: "known", Set: []dialog.Assignment{{Path: "a.b", Value: float64(1)}}}
	cases := []struct {
		name, raw string
		want      dialog.Template
	}{
		{"text", `{"textMessageTemplate":{"textMessages":[{"text":"one"},{"text":"two"}]}}`,
			dialog.Template{Kind: dialog.TmplText, Text: "one"}},
		{"button", `{"buttonTemplate":{"textMessages":[{"text":"t"}],"buttons":[{"urlButton":{"title":"U","url":"https://x"}}]}}`,
			dialog.Template{Kind: dialog.TmplButtons, Text: "t", Buttons: []dialog.Button{{Kind: dialog.ButtonURL, Title: "U", URL: "https://x"}}}},
		{"quick reply", `{"quickReplyTemplate":{"textMessages":[{"text":"t"}],"quickReplies":[{"title":"Q","imageUrl":"https://i",` +
			`"payload":{"nextDialogstateId":"known","sessionDataToSet":[{"key":"a.b","value":1}]}}]}}`,
			dialog.Template{Kind: dialog.TmplQuickReplies, Text: "t", Replies: []dialog.Button{
				{Kind: dialog.ButtonPostback, Title: "Q", ImageURL: "https://i", GoTo: goKnown}}}},
		{"attachment image", `{"attachmentTemplate":{"media":{"url":"https://m","type":"image"}}}`,
			dialog.Template{Kind: dialog.TmplImage, URL: "https://m"}},
		{"attachment file", `{"attachmentTemplate":{"media":{"url":"https://m","type":"file"}}}`,
			dialog.Template{Kind: dialog.TmplFile, URL: "https://m"}},
		{"carousel", `{"carouselTemplate":{"elements":[{"title":"A","subTitle":"s","imageUrl":"https://i",` +
			`"buttons":[{"phoneNumberButton":{"title":"Call","phoneNumber":"+32"}}]},{"title":"B"}]}}`,
			dialog.Template{Kind: dialog.TmplCarousel, Cards: []dialog.Card{
				{Title: "A", Subtitle: "s", ImageURL: "https://i", Buttons: []dialog.Button{{Kind: dialog.ButtonPhone, Title: "Call", Phone: "+32"}}},
				{Title: "B"}}}},
		{"list", `{"listTemplate":{"size":"COMPACT","button":{"postBackButton":{"title":"P","payload":{"nextDialogstateId":"known"}}},` +
			`"elements":[{"title":"A","button":{"urlButton":{"title":"U","url":"https://u"}}},{"title":"B"}]}}`,
			dialog.Template{Kind: dialog.TmplList,
				Buttons: []dialog.Button{{Kind: dialog.ButtonPostback, Title: "P", GoTo: &dialog.GoTo{Block: "known"}}},
				Cards: []dialog.Card{
					{Title: "A", Buttons: []dialog.Button{{Kind: dialog.ButtonURL, Title: "U", URL: "https://u"}}},
					{Title: "B"}}}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := convertOne(t, c.raw)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, c.want) {
				t.Errorf("got  %+v\nwant %+v", got, c.want)
			}
		})
	}
}

func TestConvertTemplateErrors(t *testing.T) {
	const qr = `{"quickReplyTemplate":{"textMessages":[{"text":"t"}],"quickReplies":[%s]}}`
	cases := []struct {
		name, raw, field string
	}{
		{"no key", `{}`, "/sendMessages/0"},
		{"two keys", `{"textMessageTemplate":{"textMessages":[{"text":"t"}]},"listTemplate":{}}`, "/sendMessages/0"},
		{"no texts", `{"textMessageTemplate":{"textMessages":[]}}`, "/sendMessages/0/textMessageTemplate/textMessages"},
		{"blank text", `{"textMessageTemplate":{"textMessages":[{"text":"a"},{"text":" "}]}}`, "/sendMessages/0/textMessageTemplate/textMessages/1/text"},
		{"no buttons", `{"buttonTemplate":{"textMessages":[{"text":"t"}],"buttons":[]}}`, "/sendMessages/0/buttonTemplate/buttons"},
		{"button with two kinds", `{"buttonTemplate":{"textMessages":[{"text":"t"}],"buttons":[{"urlButton":{"title":"U","url":"u"},"phoneNumberButton":{"title":"P","phoneNumber":"1"}}]}}`,
			"/sendMessages/0/buttonTemplate/buttons/0"},
		{"url button without url", `{"buttonTemplate":{"textMessages":[{"text":"t"}],"buttons":[{"urlButton":{"title":"U"}}]}}`,
			"/sendMessages/0/buttonTemplate/buttons/0/urlButton/url"},
		{"phone button without number", `{"buttonTemplate":{"textMessages":[{"text":"t"}],"buttons":[{"phoneNumberButton":{"title":"P"}}]}}`,
			"/sendMessages/0/buttonTemplate/buttons/0/phoneNumberButton/phoneNumber"},
		{"postback without payload", `{"buttonTemplate":{"textMessages":[{"text":"t"}],"buttons":[{"postBackButton":{"title":"P"}}]}}`,
			"/sendMessages/0/buttonTemplate/buttons/0/postBackButton/payload"},
		{"postback without title", `{"buttonTemplate":{"textMessages":[{"text":"t"}],"buttons":[{"postBackButton":{"payload":{"nextDialogstateId":"known"}}}]}}`,
			"/sendMessages/0/buttonTemplate/buttons/0/postBackButton/title"},
		{"quick reply to unknown block", fmt.Sprintf(qr, `{"title":"Q","payload":{"nextDialogstateId":"other"}}`),
			"/sendMessages/0/quickReplyTemplate/quickReplies/0/payload/nextDialogstateId"},
		{"quick reply bad key", fmt.Sprintf(qr, `{"title":"Q","payload":{"nextDialogstateId":"known","sessionDataToSet":[{"key":"","value":1}]}}`),
			"/sendMessages/0/quickReplyTemplate/quickReplies/0/payload/sessionDataToSet/0/key"},
		{"no quick replies", fmt.Sprintf(qr, ``), "/sendMessages/0/quickReplyTemplate/quickReplies"},
		{"no media", `{"attachmentTemplate":{}}`, "/sendMessages/0/attachmentTemplate/media"},
		{"bad media type", `{"attachmentTemplate":{"media":{"url":"u","type":"gif"}}}`, "/sendMessages/0/attachmentTemplate/media/type"},
		{"empty carousel", `{"carouselTemplate":{"elements":[]}}`, "/sendMessages/0/carouselTemplate/elements"},
		{"card without title", `{"carouselTemplate":{"elements":[{"subTitle":"s"}]}}`, "/sendMessages/0/carouselTemplate/elements/0/title"},
		{"list of one", `{"listTemplate":{"elements":[{"title":"A"}]}}`, "/sendMessages/0/listTemplate/elements"},
		{"list size", `{"listTemplate":{"size":"HUGE","elements":[{"title":"A"},{"title":"B"}]}}`, "/sendMessages/0/listTemplate/size"},
		{"list element button", `{"listTemplate":{"elements":[{"title":"A"},{"title":"B","button":{}}]}}`, "/sendMessages/0/listTemplate/elements/1/button"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := convertOne(t, c.raw)
			var e *Error
			if !errors.As(err, &e) || e.Status != 400 || e.Field != c.field {
				t.Errorf("got %v, want a 400 naming %s", err, c.field)
			}
		})
	}
}

func TestConvertTemplateCount(t *testing.T) {
	for _, n := range []int{0, maxTemplates + 1} {
		_, err := templateConverter{}.convert(make([]v1Template, n), "/sendMessages")
		var e *Error
		if !errors.As(err, &e) || e.Field != "/sendMessages" {
			t.Errorf("%d templates: got %v, want a 400 naming /sendMessages", n, err)
		}
	}
}
