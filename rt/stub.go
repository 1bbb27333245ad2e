//go:build !asyncgen

package rt

import (
	"fmt"
	"iter"
)

// This file is the default view: async bodies have been compiled to state
// machines by asyncgen, so Async, Await, Try and Context are never called.
// Calling them means the code was not generated.

const notGenerated = "asyncgen: rt.%s called in code that was not generated; " +
	"run `go generate` (asyncgen) or build with -tags asyncgen"

// Async makes an async function from body: a lazy future that runs body
// when awaited or spawned. Inside body, Await and Try suspend.
//
// In a normal build Async calls are compiled away by asyncgen; this
// function panics if it is reached.
func Async[T any](body func() (T, error)) Future[T] { panic(fmt.Sprintf(notGenerated, "Async")) }

// Await waits for f and returns its results. It may only be called inside
// an async body (directly, or in a deferred call of one). If f panicked,
// Await re-raises its *PanicError; if the task is cancelled, the error
// satisfies errors.Is(err, context.Canceled).
//
// In a normal build Await calls are compiled away by asyncgen; this
// function panics if it is reached.
func Await[T any](f Future[T]) (T, error) { panic(fmt.Sprintf(notGenerated, "Await")) }

// Try awaits f and returns its value; if f fails, the enclosing async body
// returns that error at once, as a bare return would after setting its
// error result (deferred calls run; recover() does not see it).
//
// In a normal build Try calls are compiled away by asyncgen; this function
// panics if it is reached.
func Try[T any](f Future[T]) T { panic(fmt.Sprintf(notGenerated, "Try")) }

// Generate makes a stream whose values body yields (an async generator).
// Inside body, yield suspends until the consumer asks for the next value;
// it returns false once the stream is closed, and body should then return.
//
// In a normal build Generate calls are compiled away by asyncgen; this
// function panics if it is reached.
func Generate[T any](body func(yield func(T) bool) error) Stream[T] {
	panic(fmt.Sprintf(notGenerated, "Generate"))
}

// Each iterates a stream inside an async body: for v, err := range
// rt.Each(s) awaits s.Next() at each step and ends at io.EOF; a failure is
// delivered once, as err, and ends the loop. Leaving the loop early closes
// the stream.
//
// In a normal build range-over-Each loops are compiled away by asyncgen;
// this function panics if it is reached.
func Each[T any](s Stream[T]) iter.Seq2[T, error] { panic(fmt.Sprintf(notGenerated, "Each")) }
