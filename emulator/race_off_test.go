//go:build !race

package emulator

// raceEnabled: see race_on_test.go.
const raceEnabled = false
