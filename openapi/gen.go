//go:build ignore

// gen writes chatlayer.json, the JSON form of chatlayer.yaml that the
// emulator loads at start (kin-openapi reads JSON faster than YAML):
//
//	go generate ./openapi
package main

import (
	"encoding/json"
	"log"
	"os"

	"gopkg.in/yaml.v3"
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
}
