package scenarios

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func TestLoadFolder(t *testing.T) {
	bots, err := Load("testdata/valid")
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, b := range bots {
		ids = append(ids, b.Script.BotID+"@"+filepath.Base(b.Source))
	}
	// Sorted by file name; README.txt and nested/ are not read.
	if got, want := strings.Join(ids, " "), "alpha@alpha.yaml beta@beta.yml"; got != want {
		t.Errorf("bots = %s, want %s", got, want)
	}
	if ch := bots[0].Channels[0]; ch.Version != VersionLive || ch.URL != "http://127.0.0.1:9000/alpha" {
		t.Errorf("alpha channel = %+v", ch)
	}
	if ch := bots[1].Channels[0]; ch.Version != VersionDraft {
		t.Errorf("beta channel version = %q, want the default DRAFT", ch.Version)
	}
}

func TestLoadFilesAndFolders(t *testing.T) {
	bots, err := Load("testdata/valid/beta.yml", "testdata/valid/nested")
	if err != nil {
		t.Fatal(err)
	}
	if len(bots) != 2 || bots[0].Script.BotID != "beta" || bots[1].Script.BotID != "gamma" {
		t.Errorf("bots = %v", bots)
	}
}

func TestLoadDuplicatesAcrossFiles(t *testing.T) {
	_, err := Load("testdata/dup")
	a, b := filepath.Join("testdata", "dup", "a.yaml"), filepath.Join("testdata", "dup", "b.yaml")
	checkErrors(t, err, b, []wantErr{
		{3, 3, "/bot/id", `bot id "same" is also used by ` + a + ":2:3"},
		{7, 7, "/channels/webhook/1/id", `channel id "shared" is also used by ` + a + ":5:7"},
	})
}

func TestLoadReportsEveryFile(t *testing.T) {
	_, err := Load("testdata/invalid/typo.yaml", "testdata/invalid/empty.yaml", "testdata/no-such-file.yaml")
	var errs Errors
	if !errors.As(err, &errs) {
		t.Fatalf("Load = %v, want Errors", err)
	}
	var files []string
	for _, e := range errs {
		files = append(files, filepath.Base(e.File))
	}
	if got, want := strings.Join(files, " "), "empty.yaml typo.yaml typo.yaml no-such-file.yaml"; got != want {
		t.Errorf("files with problems = %s, want %s\n%v", got, want, err)
	}
}

func TestLoadEmptyInput(t *testing.T) {
	if _, err := Load(); err == nil {
		t.Error("Load() = nil error, want one")
	}
	if err := Validate(t.TempDir()); err == nil || !strings.Contains(err.Error(), "no *.yaml or *.yml files") {
		t.Errorf("Validate(empty folder) = %v", err)
	}
}

func TestValidateShippedFiles(t *testing.T) {
	dir := t.TempDir()
	for _, name := range []string{"demo.yaml", "examples/pizza.yaml"} {
		data, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, filepath.Base(name)), data, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	if err := Validate(dir); err != nil {
		t.Errorf("Validate: %v", err)
	}
}

// TestDemoFastPathMatchesParse: Demo skips the schema pass at run time;
// the bot it builds must equal what the full Parse builds.
func TestDemoFastPathMatchesParse(t *testing.T) {
	data, err := os.ReadFile("demo.yaml")
	if err != nil {
		t.Fatal(err)
	}
	full, err := Parse(demoFile, data)
	if err != nil {
		t.Fatalf("Parse(demo.yaml): %v", err)
	}
	if !reflect.DeepEqual(full, Demo()) {
		t.Fatal("Demo() differs from Parse(demo.yaml)")
	}
}

// TestChannelNLPSetting: channels.webhook[].nlp false sets OmitNLP; true
// or absent leaves nlp in the deliveries; another type is refused.
func TestChannelNLPSetting(t *testing.T) {
	b, err := Parse("nlp.yaml", []byte(`
bot: {id: shop}
channels:
  webhook:
    - {id: plain}
    - {id: with, nlp: true}
    - {id: without, nlp: false}
blocks: []
`))
	if err != nil {
		t.Fatal(err)
	}
	for i, want := range []bool{false, false, true} {
		if got := b.Channels[i].OmitNLP; got != want {
			t.Errorf("channel %s: OmitNLP = %v, want %v", b.Channels[i].ID, got, want)
		}
	}
	_, err = Parse("bad.yaml", []byte("bot: {id: shop}\nchannels: {webhook: [{id: c, nlp: \"no\"}]}\nblocks: []\n"))
	checkErrors(t, err, "bad.yaml", []wantErr{{2, 30, "/channels/webhook/0/nlp", "expected boolean"}})
}
