package emulator_test

import (
	"encoding/json"
	"net/http"
	"testing"

	"github.com/chatlayer-emulator/chatlayer-emulator/emulator"
)

func TestConversationDump(t *testing.T) {
	s, _ := shopOnClock(t, emulator.NewManualClock(clockT0))
	startShop(t, s, "conv-1")
	chatShop(t, s, "conv-1", map[string]any{"postbackMessage": map[string]any{"title": "Sign up", "nextDialogstateId": "ask-email"}}, nil)

	var dump struct {
		BotID          string `json:"botId"`
		ConversationID string `json:"conversationId"`
		Version        string `json:"version"`
		ChannelID      string `json:"channelId"`
		State          struct {
			CurrentBlock  string  `json:"currentBlock"`
			PreviousBlock string  `json:"previousBlock"`
			Awaiting      *string `json:"awaiting"`
			Paused        bool    `json:"paused"`
			Offloaded     bool    `json:"offloaded"`
			Started       bool    `json:"started"`
		} `json:"state"`
		Session    map[string]map[string]any `json:"session"`
		History    []struct{ Actor string }  `json:"history"`
		Deliveries []emulator.Delivery       `json:"deliveries"`
	}
	getOK(t, s.URL()+"/_emulator/conversations/shop/conv-1", &dump)
	st := dump.State
	if dump.BotID != "shop" || dump.ConversationID != "conv-1" || dump.Version != "DRAFT" || dump.ChannelID != "shop-channel" {
		t.Errorf("identity = %s %s %s %s", dump.BotID, dump.ConversationID, dump.Version, dump.ChannelID)
	}
	if st.CurrentBlock != "ask-email" || st.PreviousBlock != "introduction" || st.Awaiting == nil || *st.Awaiting != "ask-email" ||
		!st.Started || st.Paused || st.Offloaded {
		t.Errorf("state = %+v, want waiting in ask-email after introduction", st)
	}
	if dump.Session["internal"]["sessionId"] != "conv-1" {
		t.Errorf("session.internal = %v, want sessionId conv-1", dump.Session["internal"])
	}
	if len(dump.History) != 5 || dump.History[0].Actor != "user" || dump.History[4].Actor != "bot" {
		t.Errorf("history = %+v, want 5 entries", dump.History)
	}
	if len(dump.Deliveries) != 3 || dump.Deliveries[0].State != "delivered" {
		t.Errorf("deliveries = %+v, want the 3 bot messages delivered", dump.Deliveries)
	}
	if got, ok := s.Conversation("shop", "DRAFT", "conv-1"); !ok || got.State.CurrentBlock != "ask-email" {
		t.Errorf("Go API: %+v, %v", got.State, ok)
	}
}

func TestConversationDumpErrors(t *testing.T) {
	s, _ := shopOnClock(t, emulator.NewManualClock(clockT0))
	startShop(t, s, "conv-1")
	u := s.URL() + "/_emulator/conversations/shop/"
	wantErrorAt(t, http.MethodGet, u+"nobody", "", "", http.StatusNotFound, "conversationId")
	wantErrorAt(t, http.MethodGet, u+"conv-1?version=LIVE", "", "", http.StatusNotFound, "conversationId")
	wantErrorAt(t, http.MethodGet, u+"conv-1?version=BETA", "", "", http.StatusBadRequest, "version")
	var raw map[string]json.RawMessage
	getOK(t, u+"conv-1?version=DRAFT", &raw)
	if string(raw["state"]) == "" || string(raw["deliveries"]) == "null" {
		t.Errorf("dump = %v", raw)
	}
}
