package emulator_test

import (
	"bytes"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/chatlayer-emulator/chatlayer-emulator/emulator"
)

// TestBadInput checks that every kind of bad request gets a clear 4xx in
// the one error shape, naming the field at fault where there is one.
func TestBadInput(t *testing.T) {
	s := emulator.RunT(t, emulator.Config{Delivery: fastDelivery})
	const v1 = "/v1/channels/webhook/demo/messages"
	okBody := `{"conversationId":"c1","message":{"textMessage":{"text":"hi"}}}`
	cases := []struct {
		name, method, path, ctype, token, body string
		status                                 int
		field                                  string
	}{
		{"malformed JSON", "POST", v1, "application/json", "demo-token", `{"message":`, 400, "/message"},
		{"trailing data", "POST", v1, "application/json", "demo-token", okBody + `{}`, 400, ""},
		{"duplicate key", "POST", v1, "application/json", "demo-token", `{"conversationId":"a","conversationId":"b","message":{"introMessage":{}}}`, 400, "/conversationId"},
		{"too deep", "POST", v1, "application/json", "demo-token", `{"sessionData":` + strings.Repeat(`{"a":`, 70) + `1` + strings.Repeat(`}`, 70) + `}`, 400, "/sessionData" + strings.Repeat("/a", 63)},
		{"invalid UTF-8", "POST", v1, "application/json", "demo-token", "{\"conversationId\":\"\xff\"}", 400, ""},
		{"wrong type", "POST", v1, "application/json", "demo-token", `{"conversationId":42,"message":{"introMessage":{}}}`, 400, "/conversationId"},
		{"wrong content type", "POST", v1, "text/plain", "demo-token", okBody, 415, "Content-Type"},
		{"no content type", "POST", v1, "", "demo-token", okBody, 415, "Content-Type"},
		{"missing token", "POST", v1, "application/json", "", okBody, 401, "Authorization"},
		{"wrong token", "POST", v1, "application/json", "nope", okBody, 401, "Authorization"},
		{"unknown channel", "POST", "/v1/channels/webhook/nope/messages", "application/json", "demo-token", okBody, 404, "channelId"},
		{"no message", "POST", v1, "application/json", "demo-token", `{"conversationId":"c1"}`, 400, "/message"},
		{"two messages", "POST", v1, "application/json", "demo-token", `{"conversationId":"c1","message":{"introMessage":{},"textMessage":{"text":"x"}}}`, 400, "/message"},
		{"empty text", "POST", v1, "application/json", "demo-token", `{"conversationId":"c1","message":{"textMessage":{"text":"  "}}}`, 400, "/message/textMessage/text"},
		{"no sender", "POST", v1, "application/json", "demo-token", `{"message":{"introMessage":{}}}`, 400, "/conversationId"},
		{"empty postback", "POST", v1, "application/json", "demo-token", `{"conversationId":"c1","message":{"postbackMessage":{}}}`, 400, "/message/postbackMessage"},
		{"body over limit", "POST", v1, "application/json", "demo-token", `{"sessionData":{"x":"` + strings.Repeat("a", 1<<20) + `"}}`, 413, ""},
		{"wrong method", "GET", v1, "", "demo-token", "", 405, ""},
		{"unknown route", "GET", "/v1/nothing", "", "", "", 404, ""},
		{"legacy unknown bot", "POST", "/api/webhookMessage/nope", "application/json", "", `{"text":"hi","sender":{"id":"u"},"verifyToken":"demo-verify"}`, 404, "botId"},
		{"legacy wrong verify token", "POST", "/api/webhookMessage/demo", "application/json", "", `{"text":"hi","sender":{"id":"u"},"verifyToken":"nope"}`, 401, "/verifyToken"},
		{"legacy no sender", "POST", "/api/webhookMessage/demo", "application/json", "", `{"text":"hi","verifyToken":"demo-verify"}`, 400, "/sender"},
		{"legacy no text", "POST", "/api/webhookMessage/demo", "application/json", "", `{"sender":{"id":"u"},"verifyToken":"demo-verify"}`, 400, "/text"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			req, _ := http.NewRequest(tc.method, s.URL()+tc.path, strings.NewReader(tc.body))
			if tc.ctype != "" {
				req.Header.Set("Content-Type", tc.ctype)
			}
			if tc.token != "" {
				req.Header.Set("Authorization", "Bearer "+tc.token)
			}
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != tc.status {
				t.Fatalf("status %d, want %d: %s", resp.StatusCode, tc.status, body)
			}
			if ct := resp.Header.Get("Content-Type"); ct != "application/json; charset=utf-8" {
				t.Errorf("Content-Type %q", ct)
			}
			e := decodeError(t, body)
			if e.StatusCode != tc.status || e.Field != tc.field {
				t.Errorf("error body %+v, want statusCode %d and field %q", e, tc.status, tc.field)
			}
		})
	}
}

// TestAdminToken checks that the control API needs the admin token when
// one is set, except health and ready.
func TestAdminToken(t *testing.T) {
	s := emulator.RunT(t, emulator.Config{AdminToken: "s3cret"})
	cases := []struct {
		method, path, token string
		status              int
	}{
		{"GET", "/_emulator/health", "", 200},
		{"GET", "/_emulator/ready", "", 200},
		{"GET", "/_emulator/deliveries", "", 401},
		{"GET", "/_emulator/deliveries", "wrong", 401},
		{"GET", "/_emulator/deliveries", "s3cret", 200},
		{"GET", "/_emulator/requests", "", 401},
		{"POST", "/_emulator/reset", "", 401},
		{"POST", "/_emulator/reset", "s3cret", 204},
		{"POST", "/_emulator/flush", "s3cret", 204},
	}
	for _, tc := range cases {
		req, _ := http.NewRequest(tc.method, s.URL()+tc.path, nil)
		if tc.token != "" {
			req.Header.Set("Authorization", "Bearer "+tc.token)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != tc.status {
			t.Errorf("%s %s with token %q: status %d, want %d", tc.method, tc.path, tc.token, resp.StatusCode, tc.status)
		}
	}
}

// FuzzInboundDecoders feeds arbitrary bodies to both inbound message
// endpoints: the answer is never a 5xx and never a panic.
func FuzzInboundDecoders(f *testing.F) {
	for _, seed := range []string{
		`{"conversationId":"c1","message":{"textMessage":{"text":"hi"}}}`,
		`{"user":{"id":"u1"},"message":{"postbackMessage":{"payload":"0123456789abcdef0123456789abcdef01234567"}},"sessionData":{"a.b":1}}`,
		`{"conversationId":"c1","message":{"postbackMessage":{"title":"x","nextDialogstateId":"faq","sessionDataToSet":[{"key":"k","value":1}]}}}`,
		`{"conversationId":"c1","message":{"introMessage":{}}}`,
		`{"conversationId":"c1","message":{"locationMessage":{"coordinates":{"lat":51.05,"long":3.72}}}}`,
		`{"conversationId":"c1","message":{"fileUploadMessage":{"urls":["https://files.example/a.png"]}}}`,
		`{"text":"hi","sender":{"id":"u"},"verifyToken":"demo-verify","locale":"en"}`,
		`{"text":"{\"nextDialogstateId\":\"x\",\"params\":[{\"key\":\"a\",\"value\":\"b\"}]}","sender":{"id":"u"},"verifyToken":"demo-verify"}`,
		`[]`, `null`, `{"a":`, "\xff",
	} {
		f.Add([]byte(seed))
	}
	s, err := emulator.New(emulator.Config{})
	if err != nil {
		f.Fatal(err)
	}
	defer s.Close()
	h := s.Handler()
	f.Fuzz(func(t *testing.T, body []byte) {
		for _, path := range []string{"/v1/channels/webhook/demo/messages", "/api/webhookMessage/demo"} {
			req := httptest.NewRequest(http.MethodPost, path, bytes.NewReader(body))
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("Authorization", "Bearer demo-token")
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			if rec.Code >= 500 {
				t.Fatalf("%s answered %d to %q: %s", path, rec.Code, body, rec.Body)
			}
		}
	})
}
