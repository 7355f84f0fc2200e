package main

import (
	"syscall"
	"time"
)

// sleepPrecisely blocks the calling thread in nanosleep(2) for d. The
// kernel wakes it within tens of microseconds, where time.Sleep can
// overshoot by up to a millisecond when the process is idle (the runtime
// then waits in epoll_wait, whose timeout is in whole milliseconds). That
// overshoot would count as latency of the paced measurement.
func sleepPrecisely(d time.Duration) {
	if d <= 0 {
		return
	}
	ts := syscall.NsecToTimespec(int64(d))
	for syscall.Nanosleep(&ts, &ts) == syscall.EINTR {
	}
}
