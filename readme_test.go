// Package chatlayeremulator holds no code: only the tests that keep the
// README's recipes true, where users copy them from, and the citations of
// the shipped files pointing at what users have.
package chatlayeremulator

import (
	"os"
	"regexp"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

// fence is one fenced code block of a Markdown file.
type fence struct {
	lang string // the info string: yaml, sh, …
	line int    // line of the opening fence, from 1
	body string
}

// fences returns the fenced code blocks of markdown, indented ones too
// (inside list items).
func fences(markdown string) []fence {
	var out []fence
	var open *fence
	for i, line := range strings.Split(markdown, "\n") {
		trimmed := strings.TrimSpace(line)
		switch {
		case open == nil && strings.HasPrefix(trimmed, "```"):
			open = &fence{lang: strings.TrimPrefix(trimmed, "```"), line: i + 1}
		case open != nil && trimmed == "```":
			out = append(out, *open)
			open = nil
		case open != nil:
			open.body += line + "\n"
		}
	}
	return out
}

// readmeYAML returns the README's yaml blocks, failing the test when it has
// fewer than the CI recipes it is known to hold.
func readmeYAML(t *testing.T) (readme string, blocks []fence) {
	t.Helper()
	raw, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range fences(string(raw)) {
		if f.lang == "yaml" {
			blocks = append(blocks, f)
		}
	}
	if len(blocks) < 2 {
		t.Fatalf("README has %d yaml blocks, want at least the GitHub Actions and GitLab CI recipes", len(blocks))
	}
	return string(raw), blocks
}

// TestReadmeYAMLParses checks that every yaml block of the README, each a
// file users paste into their CI, is one YAML mapping.
func TestReadmeYAMLParses(t *testing.T) {
	_, blocks := readmeYAML(t)
	for _, b := range blocks {
		var doc map[string]any
		if err := yaml.Unmarshal([]byte(b.body), &doc); err != nil {
			t.Errorf("README.md:%d: the yaml block does not parse: %v", b.line, err)
		} else if len(doc) == 0 {
			t.Errorf("README.md:%d: the yaml block is empty", b.line)
		}
	}
}

// TestReadmeYAMLNamesWhatExists checks that the README's yaml blocks name
// only control routes the emulator serves and environment variables that
// are twins of its flags.
func TestReadmeYAMLNamesWhatExists(t *testing.T) {
	readme, blocks := readmeYAML(t)
	routes := openAPIPaths(t)
	flags := map[string]bool{}
	for _, m := range regexp.MustCompile("(?m)`--([a-z0-9-]+)`").FindAllStringSubmatch(flagTable(readme), -1) {
		flags["CHATLAYER_EMULATOR_"+strings.ToUpper(strings.ReplaceAll(m[1], "-", "_"))] = true
	}
	for _, b := range blocks {
		for _, route := range regexp.MustCompile(`/_emulator/[a-z/]+`).FindAllString(b.body, -1) {
			if !routes[route] {
				t.Errorf("README.md:%d: %s is not a route of openapi/chatlayer.yaml", b.line, route)
			}
		}
		for _, name := range regexp.MustCompile(`CHATLAYER_EMULATOR_[A-Z0-9_]+`).FindAllString(b.body, -1) {
			if !flags[name] {
				t.Errorf("README.md:%d: %s is not the twin of a flag in the README's table", b.line, name)
			}
		}
	}
}

// flagTable returns the rows of the README's flag table.
func flagTable(readme string) string {
	var rows []string
	for _, line := range strings.Split(readme, "\n") {
		if strings.HasPrefix(line, "| `--") {
			rows = append(rows, line)
		}
	}
	return strings.Join(rows, "\n")
}

// openAPIPaths returns the paths of the OpenAPI document.
func openAPIPaths(t *testing.T) map[string]bool {
	t.Helper()
	raw, err := os.ReadFile("openapi/chatlayer.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Paths map[string]any `yaml:"paths"`
	}
	if err := yaml.Unmarshal(raw, &doc); err != nil {
		t.Fatal(err)
	}
	paths := map[string]bool{}
	for p := range doc.Paths {
		paths[p] = true
	}
	return paths
}
