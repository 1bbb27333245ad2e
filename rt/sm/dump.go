package sm

import (
	"fmt"
	"io"
	"reflect"
	"strings"
	"sync/atomic"
	"time"
)

// Positioner is implemented by a machine that can tell where it is
// suspended, for rt.DumpTasks (see "Positions" in the package doc).
//
// Where returns the source position of the await the machine is suspended
// in at state (the State it set before Await reported false), as
// "file:line" or "file:line:col", or "" if it does not know. It may return
// several lines, innermost first, each a position optionally followed by a
// tab and the name of the function it is in (the machine's type names the
// others): rt's reference view reports a body's stack that way.
type Positioner interface {
	Where(state int32) string
}

// dumpable is the running loop, for DumpTasks called from another
// goroutine (PostDump). Set and cleared by Run.
var dumpable atomic.Pointer[loopState]

// Dump writes every live task of the running loop, in spawn order, with
// its status and its chain of machines from the innermost (the one
// suspended) to the task's root, each with the position Where reports
// (rt.DumpTasks). Call it on the loop's goroutine. For rt only.
func Dump(w io.Writer) {
	l := loopNow()
	if l == nil {
		fmt.Fprintln(w, "asyncgen: no event loop is running")
		return
	}
	io.WriteString(w, l.dump())
}

// PostDump asks the loop running in another goroutine for its Dump: it
// returns the dump, or why there is none. It waits for the loop's next
// tick for at most timeout. For rt only.
func PostDump(timeout time.Duration) string {
	l := dumpable.Load()
	if l == nil {
		return "asyncgen: no event loop is running\n"
	}
	out := make(chan string, 1)
	if !l.post(func() { out <- l.dump() }) {
		return "asyncgen: no event loop is running\n"
	}
	deadline := time.After(timeout)
	poll := time.NewTicker(10 * time.Millisecond)
	defer poll.Stop()
	for {
		select {
		case s := <-out:
			return s
		case <-poll.C:
			if dumpable.Load() != l { // the Run ended: posts were dropped
				return "asyncgen: no event loop is running\n"
			}
		case <-deadline:
			return fmt.Sprintf("asyncgen: the event loop did not answer within %v: a task is blocking it "+
				"(a blocking call inside an async body?)\n", timeout)
		}
	}
}

// dump is Dump's text.
func (l *loopState) dump() string {
	var tasks []*taskCore
	joins := make(map[*taskCore]int) // a task joining task #n
	for _, t := range l.live {
		if t.flags&tDone == 0 {
			tasks = append(tasks, t)
			if x := t.ext(l); x != nil {
				for j := x.joiners.first(); j != nil && j != &x.joiners.s; j = j.wnext {
					joins[j] = len(tasks)
				}
			}
		}
	}
	var b strings.Builder
	clock := ""
	if l.vclock != nil {
		clock = " (virtual clock)"
	}
	fmt.Fprintf(&b, "asyncgen: %d live task(s) at +%v%s\n", len(tasks), l.duration(l.now()), clock)
	for i, t := range tasks {
		fmt.Fprintf(&b, "\ntask %d [%s]:\n", i+1, l.status(t, joins))
		for fr := t.current; fr != nil; fr = fr.parent {
			writeFrame(&b, fr, fr == t.current && t == l.running)
		}
	}
	return b.String()
}

// status says what t is doing, like the header of a goroutine in a Go
// traceback.
func (l *loopState) status(t *taskCore, joins map[*taskCore]int) string {
	var s string
	switch {
	case t == l.running:
		s = "running"
	case t.flags&tQueued != 0:
		s = "runnable"
	case t.heapIdx >= 0:
		s = fmt.Sprintf("sleep, %v left", l.duration(l.timers[t.heapIdx].when-l.now()))
	case joins[t] > 0:
		s = fmt.Sprintf("join task %d", joins[t])
	default:
		s = "wait"
	}
	if t.flags&tCancelled != 0 {
		s += ", cancelled"
	}
	return s
}

// duration is d for a dump: exact with a virtual clock, else rounded to
// the millisecond.
func (l *loopState) duration(d int64) time.Duration {
	if l.vclock != nil {
		return time.Duration(d)
	}
	return time.Duration(d).Round(time.Millisecond)
}

// writeFrame writes one machine of a chain: its name (or those Where
// gives), then its position indented.
func writeFrame(b *strings.Builder, fr *Frame, running bool) {
	name := machineName(fr.self)
	where := ""
	// A running machine's State is not a suspension, except for the
	// reference view's (rt's goMachine), which records its stack when
	// DumpTasks is called from its body.
	if p, ok := fr.self.(Positioner); ok && (!running || isRuntimeMachine(fr.self)) {
		where = p.Where(fr.State)
	}
	switch {
	case running && where == "":
		fmt.Fprintf(b, "%s\n\t(running)\n", name)
	case where != "":
		for _, line := range strings.Split(where, "\n") {
			pos, fn, ok := strings.Cut(line, "\t")
			if !ok {
				fn = name
			}
			fmt.Fprintf(b, "%s\n\t%s\n", fn, pos)
		}
	case isRuntimeMachine(fr.self):
		fmt.Fprintf(b, "%s\n", name)
	case fr.State == int32(fr.exit):
		fmt.Fprintf(b, "%s\n\t(running deferred calls)\n", name)
	default:
		fmt.Fprintf(b, "%s\n\tstate %d (no source position)\n", name, fr.State)
	}
}

// machineName is the name of a machine's type: pkg.Type, without the type
// arguments of the runtime's own generic machines.
func machineName(m Stepper) string {
	t := reflect.TypeOf(m)
	if t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	s := t.String()
	if isRuntimeMachine(m) {
		s, _, _ = strings.Cut(s, "[")
	}
	return s
}

// isRuntimeMachine reports whether m is one of rt's own machines (a
// combinator, a spawn adapter, a generator's runner), which has no source
// position.
func isRuntimeMachine(m Stepper) bool {
	t := reflect.TypeOf(m)
	if t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	p := t.PkgPath()
	return p == "github.com/asyncgen/asyncgen/rt" || p == "github.com/asyncgen/asyncgen/rt/sm"
}
