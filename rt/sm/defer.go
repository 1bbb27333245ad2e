package sm

import (
	"fmt"
	"runtime/debug"
)

// frameExt is the side state of a frame that defers or panics. Frames that
// do neither never allocate it.
type frameExt struct {
	err      error // the machine's error result
	defers   []deferRec
	awaiting awaitable // the deferred await RunDefers is waiting for
	// The pending panic: raw value (what recover returns) and the stack of
	// the goroutine when it was raised. panicking distinguishes a pending
	// panic from none (Go 1.21+ never recovers a nil value, but a frame
	// can be handed one through SetPanic).
	panicking bool
	panicVal  any
	stack     []byte
}

// deferRec is one deferred call: fn, or an await of aw.
type deferRec struct {
	fn func()
	aw awaitable
}

// setErr sets the machine's error result.
func (f *Frame) setErr(err error) {
	if err != nil {
		f.sideState().err = err
	} else if f.ext != nil {
		f.ext.err = nil
	}
}

// smErr is the machine's error result.
func (f *Frame) smErr() error {
	if f.ext == nil {
		return nil
	}
	return f.ext.err
}

func (f *Frame) sideState() *frameExt {
	if f.ext == nil {
		f.ext = new(frameExt)
	}
	return f.ext
}

// PanicError is a task's unrecovered panic: the value passed to panic and
// the stack of the goroutine that raised it. rt.PanicError is an alias.
//
// Awaiting a future that failed with a *PanicError re-raises the same
// *PanicError in the awaiter (it is never wrapped twice).
type PanicError struct {
	Value any
	Stack []byte
}

func (e *PanicError) Error() string { return fmt.Sprintf("panic: %v", e.Value) }

// Unwrap returns Value if it is an error, so errors.Is and errors.As see
// through a panic with an error value (runtime errors included).
func (e *PanicError) Unwrap() error {
	err, _ := e.Value.(error)
	return err
}

// SetPanic makes v the frame's pending panic, raised with the given stack,
// as if the machine had panicked. For rt only: its reference view records
// the panic that ended a body goroutine before Complete.
func (f *Frame) SetPanic(v any, stack []byte) {
	x := f.sideState()
	if pe, ok := v.(*PanicError); ok {
		stack = pe.Stack
	}
	x.panicking, x.panicVal, x.stack = true, v, stack
}

// recordPanic is the driver's reaction to a panic escaping Step: the panic
// becomes pending and the machine goes to its exit state to unwind.
func (f *Frame) recordPanic(v any) {
	var stack []byte
	if _, ok := v.(*PanicError); !ok {
		stack = debug.Stack()
	}
	f.SetPanic(v, stack)
	f.State = int32(f.exit)
}

func (x *frameExt) clearPanic() {
	x.panicking, x.panicVal, x.stack = false, nil, nil
}

func (x *frameExt) panicError() *PanicError {
	if pe, ok := x.panicVal.(*PanicError); ok {
		return pe
	}
	return &PanicError{Value: x.panicVal, Stack: x.stack}
}

// runDefers pops and runs deferred records LIFO. A deferred await that
// does not complete at once makes it return false; the machine is stepped
// again at its exit state when the await completes and runDefers resumes.
func (f *Frame) runDefers() bool {
	f.flags |= fShielded
	x := f.ext
	if x == nil {
		return true
	}
	if aw := x.awaiting; aw != nil {
		x.awaiting = nil
		x.afterDeferredAwait(aw)
	}
	for n := len(x.defers); n > 0; n = len(x.defers) {
		d := x.defers[n-1]
		x.defers[n-1] = deferRec{}
		x.defers = x.defers[:n-1]
		if d.aw != nil {
			f.flags &^= fInterrupted | fAwaitShield
			if !d.aw.start(f) || !loopNow().spend() {
				x.awaiting = d.aw
				return false
			}
			x.afterDeferredAwait(d.aw)
			continue
		}
		if x.panicking {
			f.runPanicking(d.fn)
		} else {
			d.fn() // a panic here reaches the driver, which resumes unwinding
		}
	}
	return true
}

// afterDeferredAwait applies the outcome of a deferred await: its results
// are dropped, but a panic re-raised by it replaces the pending panic, as a
// panicking deferred call does in Go.
func (x *frameExt) afterDeferredAwait(aw awaitable) {
	if pe, ok := aw.smErr().(*PanicError); ok {
		x.panicking, x.panicVal, x.stack = true, pe, pe.Stack
	}
}

// runPanicking runs fn as a deferred call of a real panic of the pending
// value, so that recover() inside fn behaves as in Go.
func (f *Frame) runPanicking(fn func()) {
	defer f.afterPanickingDefer()
	defer fn()
	panic(f.ext.panicVal)
}

// afterPanickingDefer sees what is left of the panic once fn has run: nil
// means fn recovered it; otherwise the value still panicking (the same one,
// or a new panic raised by fn) stays pending.
func (f *Frame) afterPanickingDefer() {
	r := recover()
	x := f.ext
	if r == nil {
		x.clearPanic()
		return
	}
	if !sameValue(r, x.panicVal) {
		f.SetPanic(r, debug.Stack())
	}
}

// sameValue compares two panic values without panicking on incomparable
// dynamic types (two such values are taken to be different).
func sameValue(a, b any) (same bool) {
	defer func() {
		if recover() != nil {
			same = false
		}
	}()
	return a == b
}
