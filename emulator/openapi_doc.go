package emulator

// GET /_emulator/openapi.yaml and /_emulator/openapi.json: the embedded
// OpenAPI document, open like health and ready.

import (
	"net/http"
	"strconv"

	"github.com/chatlayer-emulator/chatlayer-emulator/openapi"
)

// getOpenAPIYAML serves the document as written.
func (s *Server) getOpenAPIYAML(w http.ResponseWriter, _ *http.Request) {
	writeDocument(w, "application/yaml", openapi.YAML())
}

// getOpenAPIJSON serves the document converted to JSON.
func (s *Server) getOpenAPIJSON(w http.ResponseWriter, _ *http.Request) {
	b, err := openapi.JSON()
	if err != nil {
		writeError(w, err)
		return
	}
	writeDocument(w, "application/json; charset=utf-8", b)
}

// writeDocument writes a 200 with the body b.
func writeDocument(w http.ResponseWriter, contentType string, b []byte) {
	w.Header().Set("Content-Type", contentType)
	w.Header().Set("Content-Length", strconv.Itoa(len(b)))
	w.WriteHeader(http.StatusOK)
	w.Write(b)
}
