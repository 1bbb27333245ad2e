//go:build asyncgen

package rt

import (
	"fmt"
	"runtime"
	"strings"
)

// In the reference view a body's position is its goroutine's stack: the
// body records it each time it suspends (suspended, called by await), and
// DumpTasks reads it through Where, on the loop, while the body is parked.

// suspended records the stack of the body's goroutine above await.
func (r *refState) suspended() { r.record(4) } // above Callers, record, suspended, await

// beforeDump records where the body that calls DumpTasks (if one does) is,
// as if it suspended there.
func beforeDump() {
	if r := refRunning; r != nil {
		r.record(4) // above Callers, record, beforeDump, DumpTasks
	}
}

// record stores the stack of the calling goroutine, less skip frames.
func (r *refState) record(skip int) {
	if r.where == nil {
		r.where = make([]uintptr, 64)
	}
	r.where = r.where[:cap(r.where)]
	n := runtime.Callers(skip, r.where)
	r.where = r.where[:n]
}

// Where reports the user frames of the stack where the body is suspended,
// from the caller of rt.Await or rt.Try (the body, or a function deferred
// by it) down to the body itself, each as "file:line\tfunction"
// (sm.Positioner).
func (g *goMachine[T]) Where(state int32) string { return g.ref.whereText() }

func (r *refState) whereText() string {
	var b strings.Builder
	frames := runtime.CallersFrames(r.where)
	for {
		f, more := frames.Next()
		if !isRuntimeFrame(f.Function) {
			fmt.Fprintf(&b, "%s:%d\t%s\n", f.File, f.Line, f.Function)
		}
		if f.Entry == r.bodyEntry && f.Func != nil || !more {
			break
		}
	}
	return strings.TrimSuffix(b.String(), "\n")
}

// isRuntimeFrame reports whether fn is a function of the Go runtime or of
// rt (Await, Try, rt.Each's iterator), which DumpTasks leaves out.
func isRuntimeFrame(fn string) bool {
	return strings.HasPrefix(fn, "runtime.") || strings.HasPrefix(fn, "github.com/asyncgen/asyncgen/rt.")
}
