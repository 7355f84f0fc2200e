package emulator_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"reflect"
	"strings"
	"testing"

	"github.com/chatlayer-emulator/chatlayer-emulator/emulator"
	"github.com/chatlayer-emulator/chatlayer-emulator/scenarios"
)

// bridge plays a live-agent bridge on one conversation of the shop bot:
// it calls the actions API and reads what the user's webhook received.
type bridge struct {
	*conversationTest
}

// newBridge starts the shop bot with a receiver and opens conv-1 with an
// intro (whose two bot messages it skips).
func newBridge(t *testing.T) *bridge {
	rc := newReceiver(t, nil)
	s := emulator.RunT(t, emulator.Config{Bots: []*scenarios.Bot{loadBot(t, "shop.yaml")}, WebhookURL: rc.URL, Delivery: fastDelivery})
	b := &bridge{&conversationTest{t: t, s: s, rc: rc, conv: "conv-1"}}
	b.send(intro, "", "")
	return b
}

// act posts an actions body and returns the status and answer.
func (b *bridge) act(body any) (int, []byte) {
	b.t.Helper()
	return v1Call(b.t, http.MethodPost, b.s.URL()+"/v1/bots/shop/conversations/"+b.conv+"/actions?version=DRAFT", "shop-token", body)
}

// actOK posts an actions body, checks the answer, waits for the
// deliveries and returns them.
func (b *bridge) actOK(body any, applied string, messages int) [][]byte {
	b.t.Helper()
	status, answer := b.act(body)
	want := fmt.Sprintf(`{"conversationId":%q,"applied":%s,"messages":%d}`, b.conv, applied, messages)
	if status != http.StatusOK || string(answer) != want {
		b.t.Fatalf("actions: %d %s, want 200 %s", status, answer, want)
	}
	b.s.FlushT(b.t)
	got := b.rc.received()[b.seen:]
	b.seen += len(got)
	return got
}

// delivery is the exact webhook body of a message; each %s in message is
// replaced by the next 40-hex postback payload found in got.
func delivery(conv, message string, counter int, got []byte) string {
	var ids []any
	for _, m := range hexPayload.FindAllStringSubmatch(string(got), -1) {
		ids = append(ids, m[1])
	}
	if strings.Count(message, "%s") == len(ids) {
		message = fmt.Sprintf(message, ids...)
	}
	return fmt.Sprintf(`{"senderId":%q,"message":%s,"messageCounter":%d,"verifyToken":"shop-verify"}`, conv, message, counter)
}

// The six templates of the agent bridge test, with the Messenger message
// each becomes (%s: an opaque postback id).
var agentTemplates = []struct {
	name, template, message string
}{
	{"text",
		`{"textMessageTemplate":{"textMessages":[{"text":"Hi, I am Eve from support."},{"text":"Hello, Eve here."}]}}`,
		`{"text":"Hi, I am Eve from support."}`},
	{"button",
		`{"buttonTemplate":{"textMessages":[{"text":"Need more?"}],"buttons":[` +
			`{"urlButton":{"title":"Docs","url":"https://example.com/docs"}},` +
			`{"phoneNumberButton":{"title":"Call us","phoneNumber":"+3212345678"}},` +
			`{"postBackButton":{"title":"Opening hours","payload":{"nextDialogstateId":"hours"}}}]}}`,
		`{"attachment":{"type":"template","payload":{"template_type":"button","text":"Need more?","buttons":[` +
			`{"type":"web_url","title":"Docs","url":"https://example.com/docs"},` +
			`{"type":"phone_number","title":"Call us","payload":"+3212345678"},` +
			`{"type":"postback","title":"Opening hours","payload":"%s"}]}}}`},
	{"quick replies",
		`{"quickReplyTemplate":{"textMessages":[{"text":"How old are you?"}],"quickReplies":[` +
			`{"title":"Adult","imageUrl":"https://example.com/a.png","payload":{"nextDialogstateId":"check-age","sessionDataToSet":[{"key":"signup.age","value":42}]}},` +
			`{"title":"Hours","payload":{"nextDialogstateId":"hours"}}]}}`,
		`{"text":"How old are you?","quick_replies":[` +
			`{"content_type":"text","title":"Adult","payload":"%s","image_url":"https://example.com/a.png"},` +
			`{"content_type":"text","title":"Hours","payload":"%s"}]}`},
	{"attachment",
		`{"attachmentTemplate":{"media":{"url":"https://example.com/cat.png","type":"image"}}}`,
		`{"attachment":{"type":"image","payload":{"url":"https://example.com/cat.png","is_reusable":false}}}`},
	{"carousel",
		`{"carouselTemplate":{"elements":[{"title":"Shoes","subTitle":"Size 42","imageUrl":"https://example.com/s.png",` +
			`"buttons":[{"urlButton":{"title":"Buy","url":"https://example.com/buy"}}]},{"title":"Socks"}]}}`,
		`{"attachment":{"type":"template","payload":{"template_type":"generic","elements":[` +
			`{"title":"Shoes","subtitle":"Size 42","image_url":"https://example.com/s.png","buttons":[{"type":"web_url","title":"Buy","url":"https://example.com/buy"}]},` +
			`{"title":"Socks"}]}}}`},
	{"list",
		`{"listTemplate":{"size":"LARGE","button":{"urlButton":{"title":"All","url":"https://example.com/all"}},"elements":[` +
			`{"title":"One","subTitle":"first","imageUrl":"https://example.com/1.png","button":{"postBackButton":{"title":"Pick","payload":{"nextDialogstateId":"hours"}}}},` +
			`{"title":"Two"}]}}`,
		`{"attachment":{"type":"template","payload":{"template_type":"list","elements":[` +
			`{"title":"One","subtitle":"first","image_url":"https://example.com/1.png","buttons":[{"type":"postback","title":"Pick","payload":"%s"}]},` +
			`{"title":"Two"}],"buttons":[{"type":"web_url","title":"All","url":"https://example.com/all"}]}}}`},
}

// TestAgentBridge is the acceptance test of the actions API: a live-agent
// bridge sends each v1 template, then all six at once, and the user's
// webhook gets the matching Messenger messages in order; the history lists
// them under actor "agent".
func TestAgentBridge(t *testing.T) {
	b := newBridge(t)
	var sent [][]byte
	for _, tm := range agentTemplates {
		t.Run(tm.name, func(t *testing.T) {
			b.t = t
			got := b.actOK([]byte(`{"sendMessages":[`+tm.template+`]}`), `["sendMessages"]`, 1)
			if len(got) != 1 {
				t.Fatalf("got %d deliveries, want 1:\n%s", len(got), joinBodies(got))
			}
			if want := delivery("conv-1", tm.message, 1, got[0]); string(got[0]) != want {
				t.Errorf("\n got %s\nwant %s", got[0], want)
			}
			sent = append(sent, got...)
		})
	}
	b.t = t
	all := make([]string, len(agentTemplates))
	for i, tm := range agentTemplates {
		all[i] = tm.template
	}
	got := b.actOK([]byte(`{"sendMessages":[`+strings.Join(all, ",")+`]}`), `["sendMessages"]`, 6)
	if len(got) != 6 {
		t.Fatalf("got %d deliveries, want 6:\n%s", len(got), joinBodies(got))
	}
	for i, tm := range agentTemplates {
		if want := delivery("conv-1", tm.message, i+1, got[i]); string(got[i]) != want {
			t.Errorf("all six, message %d (%s):\n got %s\nwant %s", i+1, tm.name, got[i], want)
		}
	}
	sent = append(sent, got...)
	checkAgentHistory(t, b, sent)
}

// checkAgentHistory checks that the history ends with the sent messages,
// in order, under actor "agent".
func checkAgentHistory(t *testing.T, b *bridge, sent [][]byte) {
	t.Helper()
	var p messagesPage
	status, body := v1Call(t, http.MethodGet, b.s.URL()+"/v1/bots/shop/conversations/conv-1/messages?version=DRAFT", "shop-token", nil)
	wantJSON(t, status, body, http.StatusOK, &p)
	if len(p.Data) != 3+len(sent) {
		t.Fatalf("history has %d messages, want %d", len(p.Data), 3+len(sent))
	}
	for i, raw := range sent {
		var d struct{ Message any }
		var h any
		json.Unmarshal(raw, &d)
		item := p.Data[3+i]
		json.Unmarshal(item.Message, &h)
		if item.Actor != "agent" || item.IsIntro || !reflect.DeepEqual(d.Message, h) {
			t.Errorf("history %d: actor %q message %s, want agent %s", 3+i, item.Actor, item.Message, raw)
		}
	}
}

// TestAgentQuickReplyPostback: the user clicks an agent-issued quick reply
// and the bot goes to its nextDialogstateId with sessionDataToSet applied.
func TestAgentQuickReplyPostback(t *testing.T) {
	b := newBridge(t)
	b.actOK(map[string]any{"setSession": map[string]any{"signup.email": "ann@example.com"}}, `["setSession"]`, 0)
	got := b.actOK([]byte(`{"sendMessages":[`+agentTemplates[2].template+`]}`), `["sendMessages"]`, 1)
	ids := hexPayload.FindAllStringSubmatch(string(got[0]), -1)
	if len(ids) != 2 {
		t.Fatalf("want 2 payloads in %s", got[0])
	}
	// check-age leads to adult only if the click set signup.age to 42.
	b.send(map[string]any{"postbackMessage": map[string]any{"payload": ids[0][1]}},
		text("conv-1", "Thanks ann@example.com, you are all set.", 1))
	if age := getSession(t, b.s, "conv-1"); age.Internal.MessageType != "postback" {
		t.Errorf("messageType = %q", age.Internal.MessageType)
	}
	b.send(map[string]any{"postbackMessage": map[string]any{"payload": ids[1][1]}}, text("conv-1", "We are open 9 to 5.", 1))
}
