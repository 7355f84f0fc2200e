package main

import (
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
)

// manyBots is how many scenario files the many-bots start loads.
const manyBots = 100

// manyTarget is the target for start to ready with 100 files.
var manyTarget = &target{"< 100 ms", func(r row) bool { return r.emu.med < 100 }}

// measureManyStarts starts the emulator on manyBots copies of the pizza
// scenario, n times, against the bare reference binary, and checks once
// that the ready answer lists every bot.
func measureManyStarts(n int, emu, ref binary, logf logFunc) (row, error) {
	dir, err := os.MkdirTemp("", "chatlayer-bench-scenarios-")
	if err != nil {
		return row{}, err
	}
	defer os.RemoveAll(dir)
	if err := writePizzas(dir, manyBots); err != nil {
		return row{}, err
	}
	many := emu
	many.args = append([]string{"--scenarios", dir}, emu.args...)
	if err := checkReadyBots(many, manyBots); err != nil {
		return row{}, err
	}
	var e, r []float64
	for range n {
		de, err := startOnce(many)
		if err != nil {
			return row{}, err
		}
		dr, err := startOnce(ref)
		if err != nil {
			return row{}, err
		}
		e, r = append(e, ms(de)), append(r, ms(dr))
	}
	logf("start to ready with %d scenario files: emulator %.1f ms, reference %.1f ms (medians of %d)",
		manyBots, spreadOf(e).med, spreadOf(r).med, n)
	return newRow(fmt.Sprintf("start to ready, %d scenario files", manyBots), millis, e, r, manyTarget), nil
}

// writePizzas writes n copies of the pizza example with unique bot and
// channel ids and tokens.
func writePizzas(dir string, n int) error {
	src, err := os.ReadFile(filepath.Join("scenarios", "examples", "pizza.yaml"))
	if err != nil {
		return fmt.Errorf("reading the pizza example (run bench inside the repository): %w", err)
	}
	for i := range n {
		id := fmt.Sprintf("pizza%03d", i)
		text := strings.NewReplacer(
			"  id: pizza ", "  id: "+id+" ",
			"{id: pizza,", "{id: "+id+",",
			"pizza-token", id+"-token",
			"pizza-verify", id+"-verify",
		).Replace(string(src))
		if err := os.WriteFile(filepath.Join(dir, id+".yaml"), []byte(text), 0o644); err != nil {
			return err
		}
	}
	return nil
}

// checkReadyBots starts b once and checks that its ready answer lists
// want bots.
func checkReadyBots(b binary, want int) error {
	p, err := start(b)
	if err != nil {
		return err
	}
	defer p.stop()
	resp, err := http.Get("http://" + p.addr + b.readyPath)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	var ready struct {
		Bots []struct {
			ID string `json:"id"`
		} `json:"bots"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&ready); err != nil {
		return fmt.Errorf("ready answer: %w", err)
	}
	if len(ready.Bots) != want {
		return fmt.Errorf("ready answer lists %d bots, want %d", len(ready.Bots), want)
	}
	return nil
}
