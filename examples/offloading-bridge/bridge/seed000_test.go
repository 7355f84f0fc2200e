package bridge

import (
	"net/http"
	"os"
	"path/filepath"
	"testing"
)

// TestSeed000Examples sends every example body of Chatlayer's Offloading
// Webhook page (seed 000, kept in the schemas package's testdata) to the
// bridge as it is written: each is taken (200), and the offload example
// gets the answer the page expects.
func TestSeed000Examples(t *testing.T) {
	files, err := filepath.Glob("../../../schemas/testdata/seeds/000-offloading-webhook/*.json")
	if err != nil || len(files) != 9 {
		t.Fatalf("seed 000 examples: %v %v, want 9 files", files, err)
	}
	b := New(Config{VerifyToken: token})
	for _, f := range files {
		raw, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		status, body := call(t, b, http.MethodPost, webhook, string(raw))
		want := ""
		if filepath.Base(f) == "09-offload.json" {
			want = "{\"offloadSuccess\":true,\"pauseBot\":true}\n"
		}
		if status != http.StatusOK || (want != "" && body != want) {
			t.Errorf("%s: %d %q, want 200 %q", filepath.Base(f), status, body, want)
		}
	}
	if _, ok := b.Session("emulator-714a7b79-d674-4a62-a9a9-49581d7451e5"); !ok {
		t.Error("the offload example's session is not recorded")
	}
}
