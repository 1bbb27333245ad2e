//go:build asyncgen

package rt

import (
	"io"
	"iter"
	"reflect"

	"github.com/asyncgen/asyncgen/rt/sm"
)

// Generate makes a stream whose values body yields (an async generator).
// Inside body, yield suspends until the consumer asks for the next value;
// it returns false once the stream is closed, and body should then return.
//
// In the reference view the body runs on a goroutine machine, as a task of
// its own started by the first Next.
func Generate[T any](body func(yield func(T) bool) error) Stream[T] {
	return sm.NewGenerator(func(g *sm.Gen[T]) sm.Future[struct{}] {
		yield := func(v T) bool {
			ok, _ := awaitPlain(g.Yield(v))
			return ok
		}
		m := Async(func() (struct{}, error) { return struct{}{}, body(yield) }).(*goMachine[struct{}])
		m.ref.bodyEntry = reflect.ValueOf(body).Pointer() // awaits are body's, not the wrapper's
		return m
	})
}

// Each iterates a stream inside an async body: for v, err := range
// rt.Each(s) awaits s.Next() at each step and ends at io.EOF; a failure is
// delivered once, as err, and ends the loop. Leaving the loop early
// (break, return, goto, continue of an outer loop) closes the stream.
func Each[T any](s Stream[T]) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		for {
			v, err := awaitPlain(s.Next())
			if err == io.EOF {
				return
			}
			if !yield(v, err) {
				awaitPlain(s.Close())
				return
			}
			if err != nil {
				return
			}
		}
	}
}

// awaitPlain is Await for the runtime's own helpers (a generator's yield,
// Each's steps): they are never deferred calls, so the stack is not
// examined for them.
func awaitPlain[T any](f Future[T]) (T, error) {
	r := refRunning
	if r == nil {
		panic("asyncgen: a stream was used outside an async body")
	}
	if !sm.Await(r.fr, f) {
		r.yield <- struct{}{}
		<-r.resume
	}
	return sm.Result(r.fr, f)
}
