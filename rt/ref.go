//go:build asyncgen

package rt

import (
	"errors"
	"reflect"
	"runtime"
	"runtime/debug"

	"github.com/asyncgen/asyncgen/rt/sm"
)

// This file is the reference view: the untransformed DSL runs. Async
// returns a goroutine-backed machine: its Step hands a baton to the body's
// goroutine and blocks until the body suspends in Await or finishes, so
// exactly one goroutine runs at a time and the loop, timers, tasks and
// combinators (shared with the default view) schedule everything in the
// same order as compiled state machines.

// Async makes an async function from body: a lazy future that runs body
// when awaited or spawned. Inside body, Await and Try suspend.
//
// In the reference view (-tags asyncgen) body runs on a goroutine of its
// own, started when the future is first stepped, handed control by the
// event loop one goroutine at a time.
func Async[T any](body func() (T, error)) Future[T] {
	g := &goMachine[T]{body: body}
	g.ref.fr = &g.Frame
	g.ref.bodyEntry = reflect.ValueOf(body).Pointer()
	g.Bind(g, 1)
	return g
}

// Await waits for f and returns its results. It may only be called inside
// an async body (directly, or in a deferred call of one). If f panicked,
// Await re-raises its *PanicError; if the task is cancelled, the error
// satisfies errors.Is(err, context.Canceled). Awaits in deferred calls
// ignore cancellation, so cleanup completes.
func Await[T any](f Future[T]) (T, error) { return await(f) }

// Try awaits f and returns its value; if f fails, the enclosing async body
// returns that error at once, as a bare return would after setting its
// error result (deferred calls run; recover() does not see it: in the
// reference view Try ends the body's goroutine with runtime.Goexit).
func Try[T any](f Future[T]) T {
	v, err := await(f)
	if err != nil {
		refRunning.tryErr = err
		runtime.Goexit()
	}
	return v
}

// refRunning is the body goroutine holding the baton. One loop runs at a
// time in a process and one body goroutine runs at a time in a loop, so a
// single variable is enough; every access is ordered by the baton's
// channel operations.
var refRunning *refState

// refState is the type-independent part of a goroutine machine.
type refState struct {
	fr        *sm.Frame
	bodyEntry uintptr       // entry PC of the body function
	resume    chan struct{} // loop to body: run
	yield     chan struct{} // body to loop: suspended or finished
	started   bool
	finished  bool
	tryErr    error     // the error rt.Try returns with
	lines     lineCalls // awaits seen per line, to tell deferred calls
	where     []uintptr // the stack where the body last suspended (dump_ref.go)
}

type goMachine[T any] struct {
	sm.Machine[T]
	ref  refState
	body func() (T, error)
}

// Step runs the body until it suspends or finishes (state 0), then
// completes the machine (state 1, the exit state).
func (g *goMachine[T]) Step() {
	if g.State == 0 {
		r := &g.ref
		prev := refRunning
		refRunning = r
		if !r.started {
			r.started = true
			r.resume = make(chan struct{})
			r.yield = make(chan struct{})
			go g.main()
		} else {
			r.resume <- struct{}{}
		}
		<-r.yield
		refRunning = prev
		if !r.finished {
			return
		}
		g.State = 1
	}
	g.RunDefers() // the body's defers are real Go defers: none recorded here
	g.Complete()
}

// errGoexit is the failure of a body whose goroutine called runtime.Goexit
// itself (not through Try).
var errGoexit = errors.New("asyncgen: async body called runtime.Goexit")

// main is the body goroutine. A normal return sets the results; Try's
// Goexit fails with its error; a panic (already unwound through the body's
// own defers) becomes the machine's pending panic.
func (g *goMachine[T]) main() {
	r := &g.ref
	var (
		v      T
		err    error
		normal bool
	)
	defer func() {
		if normal {
			g.Return(v, err)
		} else if p := recover(); p != nil {
			g.SetPanic(p, debug.Stack())
		} else if r.tryErr != nil {
			g.Throw(r.tryErr)
		} else {
			g.Throw(errGoexit)
		}
		r.finished = true
		r.yield <- struct{}{}
	}()
	v, err = g.body()
	normal = true
}

// await is Await for Await and Try: it tells deferred calls apart (they are
// shielded), suspends by handing the baton back, and reads the result.
func await[T any](f Future[T]) (T, error) {
	r := refRunning
	if r == nil {
		panic("asyncgen: rt.Await called outside an async body")
	}
	deferred, line := r.inDeferredCall()
	var ok bool
	if deferred {
		ok = sm.AwaitShielded(r.fr, f)
	} else {
		ok = sm.Await(r.fr, f)
	}
	if !ok {
		r.suspended()
		r.yield <- struct{}{}
		<-r.resume
	}
	raised := true
	defer func() {
		if raised && line > 0 {
			r.lines.raised(line)
		}
	}()
	v, err := sm.Result(r.fr, f)
	raised = false
	return v, err
}
