package refbench

import (
	"syscall"
	"time"
)

// processCPU returns the CPU time of the whole test process (every
// thread, the garbage collector's included), the native counterpart of
// the ProcessTime the browser benchmark reads from Chromium.
func processCPU() (time.Duration, bool) {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0, false
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano()), true
}
