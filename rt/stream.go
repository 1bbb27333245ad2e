package rt

import (
	"io"

	"github.com/asyncgen/asyncgen/rt/sm"
)

// Stream is an async iterator (Python's async for): Next completes with
// the next value, or fails with io.EOF at the end; Close ends the stream
// early (its generator's pending yield returns false and its deferred
// calls run) and is harmless when repeated. User types may implement it.
//
// Inside an async body, range over rt.Each(s) awaits Next at each step;
// break, return, goto or continue out of the loop closes the stream.
type Stream[T any] interface {
	Next() Future[T]
	Close() Future[struct{}]
}

// Collect reads s to its end and returns every value ([x async for x in
// s]). On a failure it closes s and returns what it read with the error.
func Collect[T any](s Stream[T]) Future[[]T] {
	c := &collector[T]{s: s}
	c.Bind(c, 4)
	return c
}

type collector[T any] struct {
	sm.Machine[[]T]
	s     Stream[T]
	vals  []T
	next  Future[T]
	close Future[struct{}]
	err   error
}

func (c *collector[T]) Step() {
	for {
		switch c.State {
		case 0:
			c.next = c.s.Next()
			c.State = 1
			if !sm.Await(&c.Frame, c.next) {
				return
			}
		case 1:
			v, err := sm.Result(&c.Frame, c.next)
			c.next = nil
			switch {
			case err == io.EOF:
				c.State = 3
			case err != nil:
				c.err = err
				c.State = 2
			default:
				c.vals = append(c.vals, v)
				c.State = 0
			}
		case 2:
			c.close = c.s.Close()
			c.State = 3
			if !sm.AwaitShielded(&c.Frame, c.close) {
				return
			}
		case 3:
			if c.close != nil {
				sm.Outcome(&c.Frame, c.close)
				c.close = nil
			}
			c.Return(c.vals, c.err)
			c.State = 4
		case 4:
			c.Complete()
			return
		}
	}
}
