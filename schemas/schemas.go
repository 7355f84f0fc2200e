// Package schemas holds the JSON Schemas of the emulator's outbound contract
// (what it sends to users' endpoints), of the answers it expects from them,
// and of its own file formats (scenario files).
//
// The schemas are embedded; each is compiled once, on first use, and a Set
// is safe for concurrent use:
//
//	set, err := schemas.Compile()
//	...
//	if err := set.Validate("channel-message", body); err != nil {
//		var ve *schemas.ValidationError
//		errors.As(err, &ve) // ve.Causes: JSON pointer and reason of each failure
//	}
//
// Validate decodes strictly: duplicate object keys and trailing data are
// errors, numbers keep their exact text. Schemas use JSON Schema draft
// 2020-12, except the scenario schema, which is draft-07: it compiles in
// half the time (checking a schema against the 2020-12 meta-schema is
// costly), and it is compiled at every start with scenario files. No
// schema loads anything from the network.
package schemas

import (
	"bytes"
	"embed"
	"fmt"
	"io"
	"io/fs"
	"slices"
	"sort"
	"strings"
	"sync"

	"github.com/santhosh-tekuri/jsonschema/v5"
)

// BaseURL is the common prefix of every schema's $id. Schemas refer to each
// other relative to it, for example "bot-message.schema.json".
const BaseURL = "https://github.com/chatlayer-emulator/chatlayer-emulator/schemas/"

// suffix ends the file name of every embedded schema; the name of a schema
// is its file name without it.
const suffix = ".schema.json"

//go:embed *.schema.json
var files embed.FS

// Set is the set of embedded schemas, by name. Each schema is compiled on
// its first use (a compiled schema never changes), so a process pays only
// for the schemas it validates against. A Set is safe for concurrent use.
type Set struct {
	mu       sync.Mutex // guards compiler and schemas
	compiler *jsonschema.Compiler
	schemas  map[string]*jsonschema.Schema
}

// Names returns the names of the embedded schemas, sorted ("bot-message",
// "channel-message", ...).
func Names() []string {
	entries, err := fs.Glob(files, "*"+suffix)
	if err != nil { // the pattern is constant and valid
		panic(err)
	}
	names := make([]string, 0, len(entries))
	for _, e := range entries {
		names = append(names, strings.TrimSuffix(e, suffix))
	}
	sort.Strings(names)
	return names
}

// FS returns the embedded schema files, for serving or for tools.
func FS() fs.FS { return files }

// Compile compiles every embedded schema. It fails only if an embedded
// schema is broken, which the package's tests rule out.
func Compile() (*Set, error) {
	s, err := newSet()
	if err != nil {
		return nil, err
	}
	for _, name := range Names() {
		if _, err := s.schema(name); err != nil {
			return nil, err
		}
	}
	return s, nil
}

// newSet registers every embedded schema with a compiler, compiling none.
func newSet() (*Set, error) {
	c := jsonschema.NewCompiler()
	c.Draft = jsonschema.Draft2020
	c.LoadURL = func(u string) (io.ReadCloser, error) {
		return nil, fmt.Errorf("schemas: refusing to load %s: only embedded schemas are available", u)
	}
	for _, name := range Names() {
		data, err := files.ReadFile(name + suffix)
		if err != nil {
			return nil, err
		}
		if err := c.AddResource(BaseURL+name+suffix, bytes.NewReader(data)); err != nil {
			return nil, fmt.Errorf("schemas: %s: %w", name, err)
		}
	}
	return &Set{compiler: c, schemas: map[string]*jsonschema.Schema{}}, nil
}

var defaultSet = sync.OnceValues(newSet)

// Default returns the process's shared Set, whose schemas compile on first
// use. It panics if the embedded schemas do not load, which the package's
// tests rule out.
func Default() *Set {
	s, err := defaultSet()
	if err != nil {
		panic(err)
	}
	return s
}

// Has reports whether the set holds a schema of that name.
func (s *Set) Has(name string) bool {
	return slices.Contains(Names(), name)
}

// Validate checks raw JSON bytes against the named schema. The bytes must
// hold exactly one JSON value without duplicate keys. The error is a
// *ValidationError, or a plain error for an unknown schema name.
func (s *Set) Validate(name string, raw []byte) error {
	sch, err := s.schema(name)
	if err != nil {
		return err
	}
	v, cause := decodeStrict(raw)
	if cause != nil {
		return &ValidationError{Schema: name, Causes: []Cause{*cause}}
	}
	return validate(name, sch, v)
}

// ValidateValue checks a decoded JSON value (map[string]any, []any, string,
// float64, json.Number, bool, nil, and Go integers) against the named
// schema. The error is a *ValidationError, or a plain error for an unknown
// schema name or a value that is not JSON.
func (s *Set) ValidateValue(name string, v any) error {
	sch, err := s.schema(name)
	if err != nil {
		return err
	}
	return validate(name, sch, v)
}

// Prepare compiles the named schema now, so that a later validation does
// not wait for it: for a caller that has other work to do meanwhile.
func (s *Set) Prepare(name string) error {
	_, err := s.schema(name)
	return err
}

// schema returns the named schema, compiling it on first use.
func (s *Set) schema(name string) (*jsonschema.Schema, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if sch, ok := s.schemas[name]; ok {
		return sch, nil
	}
	if !slices.Contains(Names(), name) {
		return nil, fmt.Errorf("schemas: unknown schema %q", name)
	}
	sch, err := s.compiler.Compile(BaseURL + name + suffix)
	if err != nil {
		return nil, fmt.Errorf("schemas: compile %s: %w", name, err)
	}
	s.schemas[name] = sch
	return sch, nil
}

// validate runs the schema and converts its error tree.
func validate(name string, sch *jsonschema.Schema, v any) (err error) {
	defer func() {
		// jsonschema panics on values that are not JSON (a struct, a channel).
		if r := recover(); r != nil {
			err = fmt.Errorf("schemas: %s: value is not JSON: %v", name, r)
		}
	}()
	verr := sch.Validate(v)
	if verr == nil {
		return nil
	}
	ve, ok := verr.(*jsonschema.ValidationError)
	if !ok {
		return fmt.Errorf("schemas: %s: %w", name, verr)
	}
	return &ValidationError{Schema: name, Causes: causes(ve, v)}
}
