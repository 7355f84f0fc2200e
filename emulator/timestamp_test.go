package emulator_test

import (
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/chatlayer-emulator/chatlayer-emulator/emulator"
)

// stamped is what a client reads of a history item or conversation: its
// times, as strings.
type stamped struct {
	CreatedAt string `json:"createdAt"`
	UpdatedAt string `json:"updatedAt"`
}

// TestTimestampsHaveMilliseconds checks every time a client reads in the
// history and conversation lists: Chatlayer writes them as JavaScript's
// toISOString does ("2019-11-21T16:48:20.465Z"): in UTC, with exactly three
// fraction digits, cut and not rounded.
func TestTimestampsHaveMilliseconds(t *testing.T) {
	steps := []struct {
		at   time.Time
		want string
	}{
		{time.Date(2019, 11, 21, 17, 48, 20, 465987654, time.FixedZone("CET", 3600)), "2019-11-21T16:48:20.465Z"},
		{time.Date(2019, 11, 21, 16, 49, 0, 0, time.UTC), "2019-11-21T16:49:00.000Z"},
		{time.Date(2019, 11, 21, 16, 50, 1, 460000000, time.UTC), "2019-11-21T16:50:01.460Z"},
	}
	clock := emulator.NewManualClock(steps[0].at)
	s, _ := shopOnClock(t, clock)
	startShop(t, s, "conv-ms") // the intro and 2 bot messages
	for _, st := range steps[1:] {
		clock.Set(st.at)
		chatShop(t, s, "conv-ms", map[string]any{"textMessage": map[string]any{"text": "when are you open"}}, nil)
	}
	// Each later step adds the user's text and the bot's answer.
	want := fmt.Sprint([]string{steps[0].want, steps[0].want, steps[0].want,
		steps[1].want, steps[1].want, steps[2].want, steps[2].want})

	var history, chat struct {
		Rows []stamped `json:"rows"`
	}
	getOK(t, s.URL()+"/api/bots/shop/history/conv-ms?access_token=shop-token", &history)
	getOK(t, s.URL()+"/api/chatMessage/shop?access_token=shop-token", &chat)
	var messages, conversations struct {
		Data []stamped `json:"data"`
	}
	v1Get(t, s.URL()+"/v1/bots/shop/conversations/conv-ms/messages?version=DRAFT", &messages)
	v1Get(t, s.URL()+"/v1/bots/shop/conversations?version=DRAFT", &conversations)
	var dump struct {
		History []stamped `json:"history"`
	}
	getOK(t, s.URL()+"/_emulator/conversations/shop/conv-ms", &dump)

	for name, items := range map[string][]stamped{"legacy history": history.Rows, "chatMessage": chat.Rows,
		"v1 messages": messages.Data, "dump history": dump.History} {
		if got := fmt.Sprint(createdAts(items)); got != want {
			t.Errorf("%s: createdAt %s\nwant %s", name, got, want)
		}
	}
	wantConv := stamped{CreatedAt: steps[0].want, UpdatedAt: steps[2].want}
	if len(conversations.Data) != 1 || conversations.Data[0] != wantConv {
		t.Errorf("v1 conversations = %+v, want one with %+v", conversations.Data, wantConv)
	}
}

// createdAts lists the items' createdAt.
func createdAts(items []stamped) []string {
	out := make([]string, 0, len(items))
	for _, it := range items {
		out = append(out, it.CreatedAt)
	}
	return out
}

// v1Get fetches a v1 URL with the shop bot's token and decodes a 200 answer.
func v1Get(t *testing.T, url string, v any) {
	t.Helper()
	status, body := v1Call(t, http.MethodGet, url, "shop-token", nil)
	wantJSON(t, status, body, http.StatusOK, v)
}
