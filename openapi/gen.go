//go:build ignore

// gen writes chatlayer.json, the JSON form of chatlayer.yaml, and
// chatlayer.runtime.json, the same without what request and response
// validation never reads (descriptions, summaries, examples, callbacks and
// x- extensions), which the emulator loads at start: kin-openapi decodes it
// in half the time of the full document.
//
//	go generate ./openapi
package main

import (
	"encoding/json"
	"log"
	"os"

	"gopkg.in/yaml.v3"

	"github.com/chatlayer-emulator/chatlayer-emulator/openapi"
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
}
