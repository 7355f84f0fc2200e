//go:build !linux

package main

import "time"

// sleepPrecisely is time.Sleep where nanosleep(2) is not at hand; the
// paced measurement's send lag rows show what it costs.
func sleepPrecisely(d time.Duration) { time.Sleep(d) }
