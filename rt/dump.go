package rt

import (
	"io"
	"runtime"
	"strings"
	"time"

	"github.com/asyncgen/asyncgen/rt/sm"
)

// DumpTasks writes every live task of the running loop to w: the answer to
// "where is my task stuck?". Tasks are numbered in spawn order; each has a
// status (running, runnable, sleep with the time left, join task n, wait;
// cancelled) and its chain of awaits, like a goroutine in a Go traceback:
// the async function suspended innermost first, each followed by the
// source position of the await it is suspended in, up to the function the
// task was spawned with.
//
//	asyncgen: 2 live task(s) at +1s (virtual clock)
//
//	task 1 [join task 2]:
//	main.mainAsync
//		prog.go:24
//
//	task 2 [sleep, 2s left]:
//	main.fetchAsync
//		prog.go:16
//	main.crawlAsync
//		prog.go:31
//
// In the reference view (-tags asyncgen) the positions come from the
// stacks of the bodies' goroutines, with full paths; in the default view
// from the state machines, as the generated code's line directives name
// them. The runtime's own machines (combinators) are shown by name.
//
// DumpTasks may be called from any goroutine. On the loop (from an async
// body or code it calls) it writes at once; from another goroutine it asks
// the loop to write at its next tick and waits for at most a second (a
// loop blocked by a task cannot answer). With no loop running it says so.
// A deadlock reported by Run includes the same dump.
func DumpTasks(w io.Writer) {
	if onLoop() {
		beforeDump()
		sm.Dump(w)
		return
	}
	io.WriteString(w, sm.PostDump(dumpTimeout))
}

// dumpTimeout is how long DumpTasks waits for the loop from another
// goroutine.
var dumpTimeout = time.Second

// onLoop reports whether the caller runs on the loop: the loop's goroutine
// (inside sm.Run) or, in the reference view, the body goroutine holding
// the baton (the only one that runs user code: the others are parked).
func onLoop() bool {
	pcs := make([]uintptr, 64)
	n := runtime.Callers(2, pcs)
	for n == len(pcs) {
		pcs = make([]uintptr, 2*len(pcs))
		n = runtime.Callers(2, pcs)
	}
	frames := runtime.CallersFrames(pcs[:n])
	for {
		f, more := frames.Next()
		if strings.HasPrefix(f.Function, "github.com/asyncgen/asyncgen/rt/sm.Run[") ||
			strings.HasPrefix(f.Function, "github.com/asyncgen/asyncgen/rt.(*goMachine[") && strings.HasSuffix(f.Function, ").main") {
			return true
		}
		if !more {
			return false
		}
	}
}
