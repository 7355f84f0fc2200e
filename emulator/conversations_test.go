package emulator_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/chatlayer-emulator/chatlayer-emulator/emulator"
	"github.com/chatlayer-emulator/chatlayer-emulator/scenarios"
)

// pageMeta is the "page" object of v1 lists.
type pageMeta struct {
	Page       int `json:"page"`
	PageSize   int `json:"pageSize"`
	Total      int `json:"total"`
	TotalPages int `json:"totalPages"`
}

// conversationsPage is a page of the conversations list.
type conversationsPage struct {
	Data []struct {
		ID   string `json:"id"`
		User struct {
			SessionID string `json:"sessionId"`
			FirstName string `json:"firstName"`
		} `json:"user"`
		Channel      string    `json:"channel"`
		ChannelID    string    `json:"channelId"`
		Version      string    `json:"version"`
		CreatedAt    time.Time `json:"createdAt"`
		UpdatedAt    time.Time `json:"updatedAt"`
		MessageCount int       `json:"messageCount"`
		Paused       bool      `json:"paused"`
	} `json:"data"`
	Page pageMeta `json:"page"`
}

// messagesPage is a page of a conversation's messages.
type messagesPage struct {
	Data []struct {
		ID        string          `json:"id"`
		Actor     string          `json:"actor"`
		IsIntro   bool            `json:"isIntro"`
		Message   json.RawMessage `json:"message"`
		CreatedAt time.Time       `json:"createdAt"`
	} `json:"data"`
	Page pageMeta `json:"page"`
}

// shopUser sends a v1 user message to the shop bot and waits for its turn.
func shopUser(t *testing.T, s *emulator.Server, conv string, message map[string]any) {
	t.Helper()
	status, body := post(t, s.URL()+"/v1/channels/webhook/shop-channel/messages", "shop-token",
		map[string]any{"conversationId": conv, "user": map[string]any{"id": conv, "firstName": "Ann"}, "message": message})
	if status != http.StatusAccepted {
		t.Fatalf("status %d: %s", status, body)
	}
	s.FlushT(t)
}

var (
	intro = map[string]any{"introMessage": map[string]any{}}
	hello = map[string]any{"textMessage": map[string]any{"text": "hello there"}}
)

func TestListConversationsPaginated(t *testing.T) {
	start := time.Date(2024, 5, 1, 9, 0, 0, 0, time.UTC)
	clock := emulator.NewManualClock(start)
	s := emulator.RunT(t, emulator.Config{Bots: []*scenarios.Bot{loadBot(t, "shop.yaml")}, Clock: clock, Delivery: fastDelivery})
	for i := 1; i <= 7; i++ {
		shopUser(t, s, fmt.Sprintf("c%d", i), intro)
		clock.Advance(time.Minute)
	}
	shopUser(t, s, "c2", hello) // c2 becomes the most recent
	base := s.URL() + "/v1/bots/shop/conversations?version=DRAFT"

	var all conversationsPage
	status, body := v1Call(t, http.MethodGet, base, "shop-token", nil)
	wantJSON(t, status, body, http.StatusOK, &all)
	var order []string
	for _, c := range all.Data {
		order = append(order, c.ID)
	}
	if got, want := fmt.Sprint(order), "[c2 c7 c6 c5 c4 c3 c1]"; got != want {
		t.Errorf("order = %s, want %s", got, want)
	}
	if all.Page != (pageMeta{Page: 1, PageSize: 50, Total: 7, TotalPages: 1}) {
		t.Errorf("page = %+v", all.Page)
	}
	c2 := all.Data[0]
	if c2.User.SessionID != "c2" || c2.User.FirstName != "Ann" || c2.Channel != "webhook" || c2.ChannelID != "shop-channel" ||
		c2.Version != "DRAFT" || !c2.CreatedAt.Equal(start.Add(time.Minute)) || !c2.UpdatedAt.Equal(start.Add(7*time.Minute)) ||
		c2.MessageCount != 5 || c2.Paused {
		t.Errorf("c2 = %+v", c2)
	}

	cases := []struct {
		query string
		ids   string
		meta  pageMeta
	}{
		{"&page=1&pageSize=3", "[c2 c7 c6]", pageMeta{1, 3, 7, 3}},
		{"&page=3&pageSize=3", "[c1]", pageMeta{3, 3, 7, 3}},
		{"&page=4&pageSize=3", "[]", pageMeta{4, 3, 7, 3}},
		{"&pageSize=500", "[c2 c7 c6 c5 c4 c3 c1]", pageMeta{1, 500, 7, 1}},
	}
	for _, c := range cases {
		var p conversationsPage
		status, body := v1Call(t, http.MethodGet, base+c.query, "shop-token", nil)
		wantJSON(t, status, body, http.StatusOK, &p)
		var ids []string
		for _, it := range p.Data {
			ids = append(ids, it.ID)
		}
		if fmt.Sprint(ids) != c.ids && !(c.ids == "[]" && len(ids) == 0) || p.Page != c.meta {
			t.Errorf("%s: ids %v page %+v, want %s %+v", c.query, ids, p.Page, c.ids, c.meta)
		}
	}
	var live conversationsPage
	status, body = v1Call(t, http.MethodGet, s.URL()+"/v1/bots/shop/conversations?version=LIVE", "shop-token", nil)
	wantJSON(t, status, body, http.StatusOK, &live)
	if len(live.Data) != 0 || live.Page.Total != 0 || string(body) != `{"data":[],"page":{"page":1,"pageSize":50,"total":0,"totalPages":0}}` {
		t.Errorf("LIVE: %s", body)
	}

	bad := []struct{ query, field string }{
		{"&page=0", "page"}, {"&page=-1", "page"}, {"&page=x", "page"}, {"&page=+2", "page"},
		{"&pageSize=0", "pageSize"}, {"&pageSize=501", "pageSize"}, {"&pageSize=1.5", "pageSize"},
	}
	for _, b := range bad {
		status, body := v1Call(t, http.MethodGet, base+b.query, "shop-token", nil)
		wantError(t, status, body, http.StatusBadRequest, b.field)
	}
	status, body = v1Call(t, http.MethodGet, s.URL()+"/v1/bots/shop/conversations", "shop-token", nil)
	wantError(t, status, body, http.StatusBadRequest, "version")
}

func TestConversationMessages(t *testing.T) {
	s := emulator.RunT(t, emulator.Config{Bots: []*scenarios.Bot{loadBot(t, "shop.yaml")}, Delivery: fastDelivery})
	shopUser(t, s, "conv-1", intro)
	shopUser(t, s, "conv-1", hello)
	base := s.URL() + "/v1/bots/shop/conversations/conv-1/messages?version=DRAFT"

	var p messagesPage
	status, body := v1Call(t, http.MethodGet, base, "shop-token", nil)
	wantJSON(t, status, body, http.StatusOK, &p)
	want := []struct {
		actor   string
		isIntro bool
		text    string
	}{
		{"user", true, ""}, {"bot", false, "Welcome to the shop!"}, {"bot", false, "What would you like?"},
		{"user", false, "hello there"}, {"bot", false, "Sorry, I did not get that."},
	}
	if len(p.Data) != len(want) || p.Page != (pageMeta{1, 50, 5, 1}) {
		t.Fatalf("got %s", body)
	}
	for i, w := range want {
		var m struct{ Text, MessageType string }
		json.Unmarshal(p.Data[i].Message, &m)
		if got := p.Data[i]; got.Actor != w.actor || got.IsIntro != w.isIntro || m.Text != w.text || len(got.ID) != 24 {
			t.Errorf("message %d = %+v (%s), want %+v", i, got, got.Message, w)
		}
	}

	var page3 messagesPage
	status, body = v1Call(t, http.MethodGet, base+"&page=3&pageSize=2", "shop-token", nil)
	wantJSON(t, status, body, http.StatusOK, &page3)
	if len(page3.Data) != 1 || page3.Data[0].ID != p.Data[4].ID || page3.Page != (pageMeta{3, 2, 5, 3}) {
		t.Errorf("page 3: %s", body)
	}

	status, body = v1Call(t, http.MethodGet, s.URL()+"/v1/bots/shop/conversations/nobody/messages?version=DRAFT", "shop-token", nil)
	wantError(t, status, body, http.StatusNotFound, "conversationId")
	status, body = v1Call(t, http.MethodGet, s.URL()+"/v1/bots/shop/conversations/conv-1/messages?version=LIVE", "shop-token", nil)
	wantError(t, status, body, http.StatusNotFound, "conversationId")
	status, body = v1Call(t, http.MethodGet, s.URL()+"/v1/bots/shop/conversations/conv-1/messages?version=draft", "shop-token", nil)
	wantError(t, status, body, http.StatusBadRequest, "version")
}
