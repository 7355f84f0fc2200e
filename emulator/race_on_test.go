//go:build race

package emulator

// raceEnabled: the race detector changes what allocates, so allocation
// counts are checked only without it (the README's go test ./... does).
const raceEnabled = true
