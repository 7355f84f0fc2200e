package openapi

import "strings"

// nameMaps are the keys whose values map names (of properties, headers,
// paths, status codes, components) to objects: their own keys are names,
// never keywords, and are kept whatever they are called.
var nameMaps = map[string]bool{
	"properties": true, "patternProperties": true, "headers": true, "paths": true, "responses": true,
	"schemas": true, "parameters": true, "requestBodies": true, "securitySchemes": true, "content": true,
	"encoding": true, "links": true, "variables": true, "mapping": true,
}

// StripForRuntime removes from a decoded document, at every level, the
// keywords validation never reads (descriptions, summaries, examples,
// callbacks, x- extensions), keeping names (see nameMaps). It changes v in
// place and returns it. go generate uses it to write chatlayer.runtime.json.
func StripForRuntime(v any) any { return stripLevel(v, false) }

// stripLevel strips v; names says that v's keys are names.
func stripLevel(v any, names bool) any {
	switch t := v.(type) {
	case map[string]any:
		for k, e := range t {
			if !names && (k == "description" || k == "summary" || k == "example" || k == "examples" || k == "callbacks" || strings.HasPrefix(k, "x-")) {
				delete(t, k)
				continue
			}
			t[k] = stripLevel(e, !names && nameMaps[k])
		}
	case []any:
		for i := range t {
			t[i] = stripLevel(t[i], false)
		}
	}
	return v
}
