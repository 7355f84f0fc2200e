package scenarios

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"

	"github.com/chatlayer-emulator/chatlayer-emulator/schemas"
)

// Load reads scenario files. Each path is a file, or a folder whose *.yaml
// and *.yml files are read (not recursively, in name order). Bot ids and
// channel ids must be unique across all files. The error, if any, is an
// Errors with every problem of every file.
func Load(paths ...string) ([]*Bot, error) {
	files, errs := expand(paths)
	var bots []*Bot
	for i, r := range parseAll(files) {
		if r.err != nil {
			errs = append(errs, asErrors(files[i], r.err)...)
			continue
		}
		bots = append(bots, r.bot)
	}
	errs = append(errs, duplicates(bots)...)
	if err := errs.err(); err != nil {
		return nil, err
	}
	return bots, nil
}

// Validate checks scenario files as Load does and returns only the error,
// for the validate subcommand.
func Validate(paths ...string) error {
	_, err := Load(paths...)
	return err
}

// expand turns files and folders into a list of files.
func expand(paths []string) ([]string, Errors) {
	var files []string
	var errs Errors
	if len(paths) == 0 {
		errs = append(errs, &Error{Message: "no scenario files given"})
	}
	for _, p := range paths {
		fi, err := os.Stat(p)
		switch {
		case err != nil:
			errs = append(errs, &Error{File: p, Message: osMessage(err)})
		case fi.IsDir():
			found, err := scenarioFiles(p)
			if err != nil {
				errs = append(errs, &Error{File: p, Message: osMessage(err)})
			}
			files = append(files, found...)
		default:
			files = append(files, p)
		}
	}
	return files, errs
}

// scenarioFiles lists the *.yaml and *.yml files of a folder, sorted.
func scenarioFiles(dir string) ([]string, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	var files []string
	for _, e := range entries {
		ext := strings.ToLower(filepath.Ext(e.Name()))
		if e.Type().IsRegular() && (ext == ".yaml" || ext == ".yml") {
			files = append(files, filepath.Join(dir, e.Name()))
		}
	}
	if len(files) == 0 {
		return nil, fmt.Errorf("no *.yaml or *.yml files")
	}
	sort.Strings(files)
	return files, nil
}

func osMessage(err error) string {
	if pe, ok := err.(*fs.PathError); ok {
		return pe.Err.Error()
	}
	return err.Error()
}

// parsed is the outcome of parsing one file.
type parsed struct {
	bot *Bot
	err error
}

// parseAll parses the files on as many goroutines as there are CPUs and
// returns the outcomes in file order, in two passes: every file is read
// and decoded, then validated and compiled. The scenario schema compiles
// meanwhile on its own goroutine, so that no worker waits for it while
// files are left to decode. Every goroutine has ended when it returns.
func parseAll(files []string) []parsed {
	var compiled sync.WaitGroup
	compiled.Go(func() { _ = schemas.Default().Prepare(schemaName) }) // an error shows in the validation
	decoded := make([]decodedFile, len(files))
	eachFile(len(files), func(i int) { decoded[i] = decodeFile(files[i]) })
	compiled.Wait()
	out := make([]parsed, len(files))
	eachFile(len(files), func(i int) {
		if d := decoded[i]; d.err != nil {
			out[i].err = d.err
		} else {
			out[i].bot, out[i].err = d.p.finish(d.v, true)
		}
	})
	return out
}

// decodedFile is a file after the first pass of parseAll.
type decodedFile struct {
	p   *parser
	v   any   // the document as a JSON value
	err error // the file could not be read or decoded
}

// decodeFile reads and decodes one scenario file.
func decodeFile(name string) decodedFile {
	data, err := os.ReadFile(name)
	if err != nil {
		return decodedFile{err: &Error{File: name, Message: osMessage(err)}}
	}
	p := &parser{file: name}
	v, ok := p.decode(data)
	if !ok {
		return decodedFile{err: p.errs.err()}
	}
	return decodedFile{p: p, v: v}
}

// eachFile runs f(0) … f(n-1) on as many goroutines as there are CPUs and
// returns when every call has returned.
func eachFile(n int, f func(i int)) {
	next := make(chan int)
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), n) {
		wg.Go(func() {
			for i := range next {
				f(i)
			}
		})
	}
	for i := range n {
		next <- i
	}
	close(next)
	wg.Wait()
}

// asErrors flattens an error of Parse into Errors.
func asErrors(file string, err error) Errors {
	switch e := err.(type) {
	case Errors:
		return e
	case *Error:
		return Errors{e}
	}
	return Errors{{File: file, Message: err.Error()}}
}

// duplicates reports bot ids and channel ids used by more than one file.
func duplicates(bots []*Bot) Errors {
	var errs Errors
	botSeen := map[string]*Bot{}
	chanSeen := map[string]*Bot{}
	for _, b := range bots {
		if first, dup := botSeen[b.Script.BotID]; dup {
			errs = append(errs, dupError(b, "/bot/id", b.idPos, "bot id", b.Script.BotID, first, first.idPos))
		} else {
			botSeen[b.Script.BotID] = b
		}
		for i, ch := range b.Channels {
			first, dup := chanSeen[ch.ID]
			switch {
			case !dup:
				chanSeen[ch.ID] = b
			case first != b: // duplicates inside one file are Parse's
				errs = append(errs, dupError(b, fmt.Sprintf("/channels/webhook/%d/id", i), b.channelPos[i],
					"channel id", ch.ID, first, first.channelPosOf(ch.ID)))
			}
		}
	}
	return errs
}

func dupError(b *Bot, field string, at position, what, id string, first *Bot, firstAt position) *Error {
	return &Error{File: b.Source, Line: at.Line, Column: at.Column, Field: field,
		Message: fmt.Sprintf("%s %q is also used by %s:%d:%d", what, id, first.Source, firstAt.Line, firstAt.Column)}
}

// channelPosOf is the position of a channel id in the bot's file.
func (b *Bot) channelPosOf(id string) position {
	for i, ch := range b.Channels {
		if ch.ID == id && i < len(b.channelPos) {
			return b.channelPos[i]
		}
	}
	return position{}
}
