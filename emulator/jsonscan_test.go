package emulator

import (
	"strings"
	"testing"
)

// jsonScanCases are bodies around quickScan's edges: each must get the
// same verdict from scanJSON as from the token walk alone.
var jsonScanCases = []string{
	`{}`, `[]`, `"x"`, `1`, `null`, ` {"a":1} `,
	`{"a":1,"b":{"a":2},"c":[{"a":1},{"a":1}]}`,
	`{"a":1,"a":2}`, `{"a":{"b":1,"b":2}}`, `[{"a":1,"a":1}]`,
	`{"a":"{\"a\":1,\"a\":1}"}`, `{"a\u0062":1,"ab":2}`, `{"a\\":1,"a\\":2}`,
	`{"x":[1,2,{"y":[]}],"z":"]}"}`, `{"a":1}{"b":2}`, `{"a":1`, `{"a":1,}`, ``,
	strings.Repeat(`[`, maxJSONDepth) + strings.Repeat(`]`, maxJSONDepth),
	strings.Repeat(`[`, maxJSONDepth+1) + strings.Repeat(`]`, maxJSONDepth+1),
	strings.Repeat(`{"a":`, maxJSONDepth) + `1` + strings.Repeat(`}`, maxJSONDepth),
	manyKeys(maxQuickKeys+5, false), manyKeys(maxQuickKeys+5, true),
	`{"message":{"textMessage":{"text":"hi"}},"conversationId":"c-1","message":{}}`,
}

// manyKeys is an object of n distinct keys, and a repeat of the first
// one when dup.
func manyKeys(n int, dup bool) string {
	var b strings.Builder
	b.WriteString(`{`)
	for i := range n {
		b.WriteString(`"k` + itoa(i) + `":1,`)
	}
	if dup {
		b.WriteString(`"k0":2,`)
	}
	b.WriteString(`"end":0}`)
	return b.String()
}

func TestScanJSONFastPathAgreesWithTokenWalk(t *testing.T) {
	for _, body := range jsonScanCases {
		assertSameScan(t, []byte(body))
	}
}

func TestScanJSONFastPathRefusesFaults(t *testing.T) {
	for _, body := range []string{`{"a":1,"a":2}`, `[{"b":{"c":1,"c":1}}]`, manyKeys(3, true),
		strings.Repeat(`[`, maxJSONDepth+1) + strings.Repeat(`]`, maxJSONDepth+1)} {
		if quickScan([]byte(body)) {
			t.Errorf("quickScan passed %.60q", body)
		}
		if scanJSON([]byte(body)) == nil {
			t.Errorf("scanJSON passed %.60q", body)
		}
	}
}

func TestQuickScanDoesNotAllocate(t *testing.T) {
	if raceEnabled {
		t.Skip("the race detector changes what allocates; go test without -race checks this")
	}
	body := []byte(`{"conversationId":"c-1","user":{"id":"u","firstName":"Ann"},"message":{"textMessage":{"text":"{hi}, [there]"}},"sessionData":{"a.b":[1,2,{"c":true}]}}`)
	if n := testing.AllocsPerRun(100, func() { _ = scanJSON(body) }); n != 0 {
		t.Errorf("scanJSON of a good body allocates %v times, want 0", n)
	}
}

// FuzzScanJSON checks that the fast path never passes a body that the
// token walk refuses, and that scanJSON's verdict is the token walk's.
func FuzzScanJSON(f *testing.F) {
	for _, body := range jsonScanCases {
		f.Add([]byte(body))
	}
	f.Fuzz(func(t *testing.T, body []byte) { assertSameScan(t, body) })
}

func assertSameScan(t *testing.T, body []byte) {
	t.Helper()
	got, want := scanJSON(body), scanTokens(body)
	if (got == nil) != (want == nil) || got != nil && got.Error() != want.Error() {
		t.Errorf("scanJSON(%.80q) = %v, token walk says %v", body, got, want)
	}
}
