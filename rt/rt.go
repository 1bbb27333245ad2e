// Package rt is the asyncgen runtime: a single-threaded event loop running
// async functions as tasks, with Python asyncio's scheduling rules.
//
// Async bodies are written with Async, Await and Try (see the asyncgen
// command). In a normal build they are compiled to state machines that run
// on the loop without a goroutine per task; with -tags asyncgen the same
// source runs unchanged on the reference view, where each async body is a
// goroutine handed a baton by the same loop, so both views schedule tasks
// in exactly the same order.
//
// The rules (FIFO ready queue, ticks, timers, cancellation, defers and
// panics) are those of the design document, section 4; each function below
// states its own.
//
// One loop runs at a time in a process: Run panics if another Run is
// active, in another goroutine or nested inside an async body. Tasks,
// futures, combinators and synchronisation primitives must be used on the
// loop's goroutine only; other goroutines reach the loop through a
// Promise, and blocking code leaves it through Blocking.
//
// # Deterministic tests
//
// RunWith runs a loop with Options for testing async code:
//
//	rt.RunWith(ctx, f, rt.Options{Clock: rt.VirtualClock, Seed: seed})
//
// With VirtualClock, time stands still while tasks run and jumps to the
// next timer's deadline as soon as every task is waiting and only timers
// are left: sleeps and timeouts take no wall time, fire in deadline order
// as usual, and Now reports the virtual time. A Seed other than zero
// perturbs the schedule: the tasks ready in the same tick run in an order
// drawn from the seed instead of FIFO order. Running a test under many
// seeds explores many interleavings of its tasks, and a seed that fails
// replays exactly (with VirtualClock, every run of a seed is the same
// run):
//
//	for seed := uint64(1); seed <= 1000; seed++ {
//		got, err := rt.RunWith(ctx, Transfer(), rt.Options{Clock: rt.VirtualClock, Seed: seed})
//		if err != nil || got != want {
//			t.Fatalf("seed %d: %v %v", seed, got, err) // replay: run seed alone
//		}
//	}
//
// Both views schedule identically under the same options. Without
// options (Run) the schedule is FIFO and the clock is real.
//
// # Debugging
//
// DumpTasks writes every live task with the chain of awaits it is
// suspended in, as source positions, from any goroutine: the answer to
// "where is my task stuck?". Run's deadlock panic includes the same dump.
package rt

import (
	"context"
	"errors"
	"fmt"
	"os"
	"time"

	"github.com/asyncgen/asyncgen/rt/sm"
)

// Future is a value that completes once with a T or an error. Futures made
// by Async are lazy: creating one runs nothing; awaiting it runs it inline,
// in the awaiter's task, until it first suspends.
type Future[T any] = sm.Future[T]

// PanicError is a task's unrecovered panic: the value passed to panic and
// the stack where it was raised. Awaiting a future that failed with one
// re-raises the same *PanicError in the awaiter; Run re-raises it in its
// caller.
type PanicError = sm.PanicError

// ErrClosed is returned by operations on a closed queue, stream or
// connection.
var ErrClosed = sm.ErrClosed

// UnhandledFailure is called when Run returns, once for every task that
// failed (returned an error other than a cancellation, or panicked) and
// whose result nobody read. The default prints the error, with the stack of
// a panic, to standard error. Set it before Run (tests may collect the
// failures instead).
var UnhandledFailure = func(err error) {
	var pe *PanicError
	if errors.As(err, &pe) {
		fmt.Fprintf(os.Stderr, "asyncgen: task failed and was never awaited: %v\n%s\n", pe, pe.Stack)
		return
	}
	fmt.Fprintf(os.Stderr, "asyncgen: task failed and was never awaited: %v\n", err)
}

// Run runs f as the root task of a new event loop in the calling goroutine
// and returns its results once it has finished. When the root finishes, the
// tasks still running are cancelled, and Run returns only after all of them
// finished (their deferred calls ran). If f panicked, Run re-raises its
// *PanicError. ctx ending cancels the root task.
//
// Only one Run may be active in a process at a time: a nested or
// concurrent Run panics. If tasks are left waiting with nothing ready, no
// timer armed and nothing outside the loop able to wake them (tasks
// awaiting each other), Run panics with a deadlock message.
func Run[T any](ctx context.Context, f Future[T]) (T, error) {
	return RunWith(ctx, f, Options{})
}

// Ready returns a future already complete with v. Awaiting it neither
// suspends nor allocates.
func Ready[T any](v T) Future[T] { return sm.Ready(v) }

// Fail returns a future already failed with err.
func Fail[T any](err error) Future[T] { return sm.Fail[T](err) }

// Sleep returns a future that completes d after it is awaited (futures are
// lazy: the timer starts at the await). Sleep(0), or any d <= 0, yields
// once: the task goes to the back of the ready queue. Timers fire in
// deadline order, ties in the order they were armed. Each await of the
// same future sleeps again.
func Sleep(d time.Duration) Future[struct{}] { return sm.Sleep(d) }

// task lets Task embed sm.Task under an unexported name.
type task[T any] = sm.Task[T]

// Task is a future running on the loop on its own, made by Spawn. A *Task
// is a Future: awaiting it joins it (waits for it to finish and returns its
// results). Cancelling the awaiter does not cancel the task: that await
// returns context.Canceled and the task runs on.
type Task[T any] struct {
	task[T]
}

// Spawn schedules f to run as a new task (asyncio.create_task): it starts
// at the loop's next tick, after the tasks already ready. Spawning a *Task
// returns it unchanged. Spawn must be called while Run is running.
func Spawn[T any](f Future[T]) *Task[T] {
	if t, ok := f.(*Task[T]); ok {
		return t
	}
	t := new(Task[T])
	sm.Spawn(&t.task, f)
	return t
}

// Cancel cancels the task. Cancellation is level-triggered: the await the
// task is suspended in, and every later await in its body, return an error
// satisfying errors.Is(err, context.Canceled); awaits in deferred calls are
// shielded, so cleanup runs. A task cancelled before it first runs still
// runs (its awaits fail at once, its deferred calls run). Cancelling a
// finished task does nothing.
func (t *Task[T]) Cancel() { t.task.Cancel() }

// Done reports whether the task has finished.
func (t *Task[T]) Done() bool { return t.task.Done() }

// Context returns the running task's context: it is cancelled when the task
// is cancelled or finishes, and carries the values of Run's context. Call
// it from an async body, or from code it calls.
func Context() context.Context {
	if !sm.Running() {
		panic("asyncgen: rt.Context called outside a running task")
	}
	return sm.Context(nil)
}
