package sm

import (
	"context"
	"math"
)

// Version1 names the protocol; see the package doc.
type Version1 struct{}

// Future is a value that completes once with a T or an error.
// rt.Future is an alias of it. Its methods are unexported: only this
// package (and machines embedding Machine) implement it.
//
// Machines in this package must not declare fields or methods named
// start, result, frame, smErr or resultOwned: they would shadow the promoted
// methods and the machine would no longer be a Future. (Generated code
// lives in other packages, where those unexported names are distinct.)
type Future[T any] interface {
	awaitable
	// result is the whole of Result for fr's await of the future: every
	// implementation begins with cutShort, and passes an error that may be
	// a *PanicError through fr.raise (which re-raises it unless Outcome
	// reads). A read that is no await's passes noAwait. So Result is one
	// call, inlined where the machine awaits.
	result(fr *Frame) (T, error)
}

// awaitable is the part of a future that does not depend on its type.
type awaitable interface {
	// start begins waiting for the future on behalf of fr; see Await.
	start(fr *Frame) bool
	// smErr is the error of a complete future (nil on success); RunDefers
	// uses it to see a deferred await that failed by panicking.
	smErr() error
	// resultOwned is the error of fr's owned await of the future
	// (ResultOwned: the await made the future, of struct{}, and drops it
	// after this read). Only rt.Queue's Put futures do more than read it:
	// they are reused.
	resultOwned(fr *Frame) error
}

// Stepper is a machine: generated code implements Step; frame is promoted
// from the embedded Machine.
type Stepper interface {
	Step()
	frame() *Frame
}

// Frame is the type-independent header of a running machine.
//
// A frame costs 40 bytes on amd64: the resume point, the machine it belongs
// to, the frame that awaits it, and a pointer to side state (deferred calls,
// a pending panic, an error result) allocated only by frames that need it.
type Frame struct {
	// State is the machine's resume point; generated code owns it.
	State int32

	flags  uint16 // fStarted, fDone, ...
	exit   uint16 // the exit state given to Bind
	self   Stepper
	parent *Frame    // the frame awaiting this one inline; nil for a task root
	ext    *frameExt // deferred calls and pending panic; nil until needed
}

// Frame flags.
const (
	fStarted     = 1 << iota // linked to an awaiter or a task: runs, or ran
	fDone                    // Complete was called; the results are final
	fShielded                // unwinding (RunDefers), or started from a shielded await
	fAwaitShield             // the current await ignores cancellation (AwaitShielded)
	fInterrupted             // the current await was cut short by cancellation
	fRevoke                  // ... after a Waiters.Handoff: the Op revokes it
	fOutcome                 // the result is being read by Outcome: raise passes a panic on
)

func (f *Frame) frame() *Frame { return f }

// Machine is embedded first in every generated machine. Its error result
// lives in the frame's side state, which only failing machines allocate.
type Machine[T any] struct {
	v T // first: a zero-size last field would be padded (8 bytes for T struct{})
	Frame
}

// Bind ties the header to the machine that embeds it; exit is the state that
// runs deferred calls and completes. Call once, before the machine is used.
// The exit state must fit in 16 bits.
func (m *Machine[T]) Bind(self Stepper, exit int32) {
	if self.frame() != &m.Frame {
		panic("sm: Bind: self must be the machine that embeds this Machine")
	}
	if exit < 0 || exit > math.MaxUint16 {
		panic("sm: Bind: exit state out of range [0, 65535]")
	}
	m.self = self
	m.exit = uint16(exit)
}

// Return sets the body's results (a return statement); the machine then
// goes to its exit state.
func (m *Machine[T]) Return(v T, err error) {
	m.v = v
	m.setErr(err)
}

// Throw sets the results to the zero T and err (rt.Try's failure path).
func (m *Machine[T]) Throw(err error) {
	var zero T
	m.Return(zero, err)
}

// Results reports the results set so far (named results are copied back).
func (m *Machine[T]) Results() (T, error) { return m.v, m.smErr() }

// RunDefers runs pending deferred calls LIFO; false means one of them is
// awaiting and Step must return (State stays the exit state).
//
// From the first call on the frame is shielded: its awaits, and the awaits
// of every machine they start inline, ignore the task's cancellation.
func (m *Machine[T]) RunDefers() bool { return m.Frame.runDefers() }

// Complete ends the machine with its results, or with its pending panic
// (as a *PanicError: the pending value itself if it is one, so a panic
// re-raised by Result is not wrapped twice). Step must return right after.
func (m *Machine[T]) Complete() {
	if x := m.ext; x != nil {
		if x.panicking {
			var zero T
			m.v, x.err = zero, x.panicError()
		}
		if x.err == nil {
			m.ext = nil
		} else {
			*x = frameExt{err: x.err}
		}
	}
	m.flags |= fDone
}

// start links a lazy machine to its awaiter and makes it the task's current
// frame: the driver steps it next, in the same tick.
func (m *Machine[T]) start(fr *Frame) bool {
	if m.flags&fDone != 0 {
		return true
	}
	if m.flags&fStarted != 0 {
		panic(errAwaitRunning)
	}
	if m.self == nil {
		panic("sm: machine awaited before Bind")
	}
	m.flags |= fStarted
	if fr.flags&(fShielded|fAwaitShield) != 0 {
		m.flags |= fShielded
	}
	m.parent = fr
	loopNow().running.current = &m.Frame
	return false
}

func (m *Machine[T]) result(fr *Frame) (T, error) {
	if fr.cutShort(m) {
		return canceled[T]()
	}
	if m.flags&fDone == 0 {
		panic("sm: result of a machine that has not completed")
	}
	return m.v, fr.raise(m.smErr())
}

func (m *Machine[T]) resultOwned(fr *Frame) error { return errorOf(m.result(fr)) }

// smMachine lets the runtime find the Machine inside a Future (Spawn makes
// a fresh machine the root of its task instead of wrapping it).
func (m *Machine[T]) smMachine() *Machine[T] { return m }

const errAwaitRunning = "asyncgen: a future from rt.Async was awaited while it is already running " +
	"(awaited twice, or awaited after rt.Spawn); spawn it once and await the *rt.Task instead"

// Await starts waiting for f on behalf of fr. It reports whether f is
// complete now (read it with Result). If not, Step must return; the runtime
// steps the machine again, at its State, when f completes.
//
// If the task is cancelled and fr is not shielded, Await reports true at
// once without starting f, and Result returns context.Canceled.
//
// An await that completes at once costs one step of the task's budget
// (see runBatch): when it is spent, Await reports false with f
// complete, and the task yields its turn before it reads the result.
func Await[T any](fr *Frame, f Future[T]) bool {
	fr.flags &^= fInterrupted | fAwaitShield
	l := loopNow()
	if l.running.flags&tCancelled != 0 && fr.flags&fShielded == 0 {
		fr.flags |= fInterrupted
		return l.spend()
	}
	return f.start(fr) && l.spend()
}

// AwaitShielded is Await ignoring the task's cancellation for this one
// await (and for the machines it starts inline). For rt and generated code
// only: rt's reference view uses it for awaits in deferred calls, and the
// combinators use it to wait for what they cancelled.
func AwaitShielded[T any](fr *Frame, f Future[T]) bool {
	fr.flags &^= fInterrupted
	fr.flags |= fAwaitShield
	if !f.start(fr) {
		return false
	}
	fr.flags &^= fAwaitShield // completed at once: nothing left to shield
	return loopNow().spend()
}

// Result returns the outcome of the await that Await started. It re-raises
// a panic of f as a *rt.PanicError, and reports cancellation of the task.
// It is one call of f's result, which does all of it, so that it inlines.
func Result[T any](fr *Frame, f Future[T]) (T, error) { return f.result(fr) }

// ResultOwned is Result for an await whose future nothing else can reach:
// the await's operand made it (a call the compiler knows keeps no
// reference to its result, such as rt.Queue's Put) and the machine drops
// it right after. The future's memory may then be reused (Queue's Put
// futures are), which spares a one-shot operation its allocation. An
// owned future completes with no value (the compiler marks only Put), so
// ResultOwned is not generic; like Result, it inlines.
func ResultOwned(fr *Frame, f Future[struct{}]) (struct{}, error) {
	return struct{}{}, f.resultOwned(fr)
}

// Outcome is Result without re-raising: a future that failed by panicking
// reports its *PanicError as the error. For rt only (combinators collect
// their members' failures with it).
func Outcome[T any](fr *Frame, f Future[T]) (T, error) {
	fr.flags |= fOutcome
	v, err := f.result(fr)
	fr.flags &^= fOutcome
	return v, err
}

// raise is how a result method passes on an error that may be a
// *PanicError: re-raised for Result, returned for Outcome (and noAwait).
func (fr *Frame) raise(err error) error {
	if err != nil && fr.flags&fOutcome == 0 {
		if pe, ok := err.(*PanicError); ok {
			panic(pe)
		}
	}
	return err
}

// cutShort begins every result method: it reports whether fr's await was
// cut short by cancellation, whose result is then context.Canceled (see
// canceled), and clears the flags the await left. Inlined, it costs a
// test when there are none.
func (fr *Frame) cutShort(f any) bool {
	return fr.flags&(fInterrupted|fAwaitShield) != 0 && fr.cut(f)
}

// cut is cutShort when the await left flags: an Op that handed the task
// something (Waiters.Handoff) takes it back if the await was cut short.
func (fr *Frame) cut(f any) bool {
	if fr.flags&fInterrupted == 0 {
		fr.flags &^= fAwaitShield // a shielded await that completed
		return false
	}
	if fr.flags&fRevoke != 0 {
		f.(revoker).revoke()
	}
	fr.flags &^= fInterrupted | fAwaitShield | fRevoke
	return true
}

// errorOf is the error of a result (a future's resultOwned is its
// result's error).
func errorOf[T any](_ T, err error) error { return err }

// canceled is the result of an await cut short by cancellation.
func canceled[T any]() (T, error) {
	var zero T
	return zero, context.Canceled
}

// noAwait is the frame of a read that is no await's (a task's results, a
// deferred await's error): it is never cut short, and it reads a panic as
// a *PanicError, as Outcome does.
var noAwait = Frame{flags: fOutcome}

// Defer pushes a deferred call that cannot suspend.
func (f *Frame) Defer(fn func()) {
	x := f.sideState()
	x.defers = append(x.defers, deferRec{fn: fn})
}

// DeferAwait pushes a deferred await of fut (run shielded by RunDefers).
func DeferAwait[T any](fr *Frame, fut Future[T]) {
	x := fr.sideState()
	x.defers = append(x.defers, deferRec{aw: fut})
}

// Recover is recover() for code lowered from a deferred function literal
// that awaits: it returns and clears the panic pending in fr.
func Recover(fr *Frame) any {
	x := fr.ext
	if x == nil || !x.panicking {
		return nil
	}
	v := x.panicVal
	x.clearPanic()
	return v
}

// Context returns the context of the task running fr: it is cancelled when
// the task is cancelled or finishes.
func Context(fr *Frame) context.Context {
	return loopNow().running.context()
}

// Running reports whether a task is being stepped on this loop (the caller
// runs inside a task). For rt only.
func Running() bool {
	l := loopNow()
	return l != nil && l.running != nil
}
