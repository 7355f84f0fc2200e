package chatlayeremulator

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// privateRefs are names of the team's working notes, which users do not
// have. They are split so that this file does not name them itself.
var privateRefs = []string{
	"chatlayer-" + "contract", // the working contract reference
	"reliability" + ".md",     // the working reliability notes
	"contract " + "§",         // a section of the working contract reference
	"DOC" + "REPO",            // a source short name of that reference
}

// sectionRef matches a section number such as §2.3.
var sectionRef = regexp.MustCompile(`§(\d+(?:\.\d+)?)`)

// citingFiles returns the module's files that can cite a source (Go code,
// Markdown, JSON and YAML), testdata and .git left out.
func citingFiles(t *testing.T) []string {
	t.Helper()
	var out []string
	err := filepath.WalkDir(".", func(path string, d fs.DirEntry, err error) error {
		switch {
		case err != nil:
			return err
		case d.IsDir() && (d.Name() == "testdata" || d.Name() == ".git"):
			return filepath.SkipDir
		case d.IsDir():
			return nil
		}
		switch filepath.Ext(path) {
		case ".go", ".md", ".json", ".yaml", ".yml":
			out = append(out, path)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// TestCitationsPointAtShippedFiles: the code, docs, schemas and OpenAPI
// document cite what users have (Chatlayer's public pages, FIDELITY.md,
// docs/CONTRACT.md), never the team's working notes, and every section
// number "§n" is a section of docs/CONTRACT.md.
func TestCitationsPointAtShippedFiles(t *testing.T) {
	contract, err := os.ReadFile("docs/CONTRACT.md")
	if err != nil {
		t.Fatal(err)
	}
	files := citingFiles(t)
	if len(files) < 100 {
		t.Fatalf("found only %d files to check: is the walk rooted at the module?", len(files))
	}
	for _, path := range files {
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		for i, line := range strings.Split(string(b), "\n") {
			for _, private := range privateRefs {
				if strings.Contains(line, private) {
					t.Errorf("%s:%d cites %q: the team's working notes, which users do not have", path, i+1, private)
				}
			}
			for _, m := range sectionRef.FindAllStringSubmatch(line, -1) {
				heading := regexp.MustCompile(`(?m)^#{2,3} ` + regexp.QuoteMeta(m[1]) + `\.? `)
				if !heading.Match(contract) {
					t.Errorf("%s:%d cites §%s, which docs/CONTRACT.md does not have", path, i+1, m[1])
				}
			}
		}
	}
}
