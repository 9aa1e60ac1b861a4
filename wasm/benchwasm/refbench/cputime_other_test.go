//go:build !linux

package refbench

import "time"

// processCPU reports that the platform's CPU time is not measured here.
func processCPU() (time.Duration, bool) { return 0, false }
