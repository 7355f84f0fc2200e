package conformance_test

import (
	"bytes"
	"os"
	"strings"
	"testing"

	"github.com/chatlayer-emulator/chatlayer-emulator/conformance"
)

// TestEveryCheckHasAFixAndADocsAnchor keeps the catalogue, its fixes and
// docs/CONFORMANCE.md in step: the HTML report links every failure to
// DocsURL#<id>.
func TestEveryCheckHasAFixAndADocsAnchor(t *testing.T) {
	docs, err := os.ReadFile("../docs/CONFORMANCE.md")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range conformance.Catalogue() {
		if strings.TrimSpace(c.Fix) == "" {
			t.Errorf("%s has no Fix (conformance/fixes.go)", c.ID)
		}
		if !bytes.Contains(docs, []byte(`<a id="`+c.ID+`"></a>`)) {
			t.Errorf(`docs/CONFORMANCE.md has no anchor <a id="%s"></a>`, c.ID)
		}
	}
}
