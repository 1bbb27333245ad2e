package rt

import "time"

// SetDumpTimeout sets how long DumpTasks waits for a loop from another
// goroutine, and returns a function that restores it.
func SetDumpTimeout(d time.Duration) (restore func()) {
	old := dumpTimeout
	dumpTimeout = d
	return func() { dumpTimeout = old }
}

// QueueCap returns how many values q's buffer holds before it grows.
func QueueCap[T any](q *Queue[T]) int { return q.q.BufCap() }
