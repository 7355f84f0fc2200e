package main

import (
	"bytes"
	"encoding/json"
	"log"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestHandler(t *testing.T) {
	var out bytes.Buffer
	h := NewHandler("tok", 0, log.New(&out, "", 0))
	cases := []struct {
		name, body string
		status     int
		logged     string
	}{
		{"text", `{"senderId":"c1","message":{"text":"hi"},"messageCounter":1,"verifyToken":"tok"}`, 200, `to c1 #1: {"text":"hi"}`},
		{"wrong token", `{"senderId":"c1","message":{"text":"hi"},"messageCounter":1,"verifyToken":"nope"}`, 401, ""},
		{"event kept, not shown", `{"senderId":"c1","message":{"type":"event","payload":{}},"messageCounter":2,"verifyToken":"tok"}`, 200, ""},
		{"bad body", `{`, 400, ""},
	}
	for _, tc := range cases {
		out.Reset()
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(http.MethodPost, "/webhook", strings.NewReader(tc.body)))
		if rec.Code != tc.status || strings.TrimSpace(out.String()) != tc.logged {
			t.Errorf("%s: status %d, logged %q; want %d, %q", tc.name, rec.Code, out.String(), tc.status, tc.logged)
		}
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/webhook/received", nil))
	var got []Delivery
	if err := json.Unmarshal(rec.Body.Bytes(), &got); err != nil || len(got) != 2 {
		t.Fatalf("received = %s (%v), want the 2 accepted deliveries", rec.Body, err)
	}
	if got[0].SenderID != "c1" || got[0].VerifyToken != "***" || got[1].MessageCounter != 2 {
		t.Errorf("received = %+v", got)
	}
}
