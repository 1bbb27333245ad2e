package sm

import "context"

// Version1 names the protocol; see the package doc.
type Version1 struct{}

// Future is a value that completes once with a T or an error.
// rt.Future is an alias of it. Its methods are unexported: only this
// package (and machines embedding Machine) implement it.
type Future[T any] interface {
	awaitable
	result() (T, error)
}

// awaitable is the part of a future that does not depend on its type.
type awaitable interface {
	// start begins waiting for the future on behalf of fr; see Await.
	start(fr *Frame) bool
}

// Stepper is a machine: generated code implements Step; frame is promoted
// from the embedded Machine.
type Stepper interface {
	Step()
	frame() *Frame
}

// Frame is the type-independent header of a running machine.
type Frame struct {
	// State is the machine's resume point; generated code owns it.
	State int32
	// unexported runtime fields follow (the runtime owns them).
}

func (f *Frame) frame() *Frame { return f }

// Machine is embedded first in every generated machine.
type Machine[T any] struct {
	Frame
}

// Bind ties the header to the machine that embeds it; exit is the state that
// runs deferred calls and completes. Call once, before the machine is used.
func (m *Machine[T]) Bind(self Stepper, exit int32) { panic("unimplemented") }

// Return sets the body's results (a return statement); the machine then
// goes to its exit state.
func (m *Machine[T]) Return(v T, err error) { panic("unimplemented") }

// Throw sets the results to the zero T and err (rt.Try's failure path).
func (m *Machine[T]) Throw(err error) { panic("unimplemented") }

// Results reports the results set so far (named results are copied back).
func (m *Machine[T]) Results() (T, error) { panic("unimplemented") }

// RunDefers runs pending deferred calls LIFO; false means one of them is
// awaiting and Step must return (State stays the exit state).
func (m *Machine[T]) RunDefers() bool { panic("unimplemented") }

// Complete ends the machine with its results, or with its pending panic.
// Step must return right after.
func (m *Machine[T]) Complete() { panic("unimplemented") }

func (m *Machine[T]) start(fr *Frame) bool { panic("unimplemented") }
func (m *Machine[T]) result() (T, error)   { panic("unimplemented") }

// Await starts waiting for f on behalf of fr. It reports whether f is
// complete now (read it with Result). If not, Step must return; the runtime
// steps the machine again, at its State, when f completes.
func Await[T any](fr *Frame, f Future[T]) bool { panic("unimplemented") }

// Result returns the outcome of the await that Await started. It re-raises
// a panic of f as a *rt.PanicError, and reports cancellation of the task.
func Result[T any](fr *Frame, f Future[T]) (T, error) { panic("unimplemented") }

// Defer pushes a deferred call that cannot suspend.
func (f *Frame) Defer(fn func()) { panic("unimplemented") }

// DeferAwait pushes a deferred await of fut (run shielded by RunDefers).
func DeferAwait[T any](fr *Frame, fut Future[T]) { panic("unimplemented") }

// Recover is recover() for code lowered from a deferred function literal
// that awaits: it returns and clears the panic pending in fr.
func Recover(fr *Frame) any { panic("unimplemented") }

// Context returns the context of the task running fr.
func Context(fr *Frame) context.Context { panic("unimplemented") }
