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
		{"text", `{"senderId":"c1","message":{"text":"hi"},"messageCounter":1,"verifyToken":"tok"}`, 200,
			`200 {"senderId":"c1","message":{"text":"hi"},"messageCounter":1,"verifyToken":"***"}`},
		{"every field, in the order sent, on one line", "{\n  \"verifyToken\": \"tok\",\n  \"senderId\": \"c1\",\n  \"message\": {\"text\": \"a \\\"quote\\\"\"},\n" +
			"  \"messageCounter\": 2,\n  \"nlp\": {\"intent\": {\"name\": \"faq\", \"score\": 1}}\n}", 200,
			`200 {"verifyToken":"***","senderId":"c1","message":{"text":"a \"quote\""},"messageCounter":2,"nlp":{"intent":{"name":"faq","score":1}}}`},
		{"wrong token, masked too", `{"senderId":"c1","message":{"text":"hi"},"messageCounter":3,"verifyToken":"nope"}`, 401,
			`401 wrong verifyToken: {"senderId":"c1","message":{"text":"hi"},"messageCounter":3,"verifyToken":"***"}`},
		{"event", `{"senderId":"c1","message":{"type":"event","payload":{}},"messageCounter":4,"verifyToken":"tok"}`, 200,
			`200 {"senderId":"c1","message":{"type":"event","payload":{}},"messageCounter":4,"verifyToken":"***"}`},
		{"bad body", `{`, 400, `400 not a delivery (unexpected end of JSON input): {`},
	}
	for _, tc := range cases {
		out.Reset()
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(http.MethodPost, "/webhook", strings.NewReader(tc.body)))
		if rec.Code != tc.status || out.String() != tc.logged+"\n" {
			t.Errorf("%s: status %d, logged %q; want %d, %q", tc.name, rec.Code, out.String(), tc.status, tc.logged)
		}
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/webhook/received", nil))
	var got []Delivery
	if err := json.Unmarshal(rec.Body.Bytes(), &got); err != nil || len(got) != 3 {
		t.Fatalf("received = %s (%v), want the 3 accepted deliveries", rec.Body, err)
	}
	if got[0].SenderID != "c1" || got[0].VerifyToken != "***" || got[1].MessageCounter != 2 || string(got[1].NLP) == "" {
		t.Errorf("received = %+v", got)
	}
	if strings.Contains(rec.Body.String(), "tok\"") {
		t.Errorf("received shows the verify token: %s", rec.Body)
	}
}
