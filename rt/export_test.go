package rt

import "time"

// SetDumpTimeout sets how long DumpTasks waits for a loop from another
// goroutine, and returns a function that restores it.
func SetDumpTimeout(d time.Duration) (restore func()) {
	old := dumpTimeout
	dumpTimeout = d
	return func() { dumpTimeout = old }
}
