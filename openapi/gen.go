//go:build ignore

// gen writes chatlayer.json, the JSON form of chatlayer.yaml;
// chatlayer.runtime.json, the same without what request and response
// validation never reads (descriptions, summaries, examples, callbacks and
// x- extensions); and runtime_doc.go, Go code that builds
// chatlayer.runtime.json as kin-openapi decodes it, which the emulator
// runs at start instead of decoding the JSON (under 1 ms instead of about
// 10).
//
//	go generate ./openapi
package main

import (
	"encoding/json"
	"log"
	"os"

	"github.com/getkin/kin-openapi/openapi3"
	"gopkg.in/yaml.v3"

	"github.com/chatlayer-emulator/chatlayer-emulator/openapi"
	"github.com/chatlayer-emulator/chatlayer-emulator/openapi/internal/docgen"
)

func main() {
	data, err := os.ReadFile("chatlayer.yaml")
	if err != nil {
		log.Fatal(err)
	}
	var v any
	if err := yaml.Unmarshal(data, &v); err != nil {
		log.Fatal(err)
	}
	out, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		log.Fatal(err)
	}
	if err := os.WriteFile("chatlayer.json", append(out, '\n'), 0o644); err != nil {
		log.Fatal(err)
	}
	runtime, err := json.Marshal(openapi.StripForRuntime(v))
	if err != nil {
		log.Fatal(err)
	}
	if err := os.WriteFile("chatlayer.runtime.json", append(runtime, '\n'), 0o644); err != nil {
		log.Fatal(err)
	}
	var doc openapi3.T
	if err := json.Unmarshal(runtime, &doc); err != nil {
		log.Fatal(err)
	}
	src, err := docgen.Generate("openapi", "runtimeDocument", &doc)
	if err != nil {
		log.Fatal(err)
	}
	if err := os.WriteFile("runtime_doc.go", src, 0o644); err != nil {
		log.Fatal(err)
	}
}
