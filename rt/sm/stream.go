package sm

import (
	"errors"
	"io"
)

// Gen is the stream of an async generator (rt.Generate). Its body runs as
// a task of its own, started by the first Next. Each yield hands a value
// to the Next that waits for it and then waits for the next Next, or for
// Close, which makes the pending yield return false so the body finishes
// and its deferred calls run. Both views use it: generated code builds the
// body as a machine, the reference view as a goroutine machine.
//
// One consumer at a time: Next must not be awaited while another Next of
// the same stream is pending.
type Gen[T any] struct {
	body     Future[struct{}]
	task     Task[struct{}]
	started  bool
	finished bool  // the body returned (or was never started and is closed)
	closing  bool  // Close was called
	err      error // io.EOF, or the body's failure, once finished

	handoff *Leaf[T]    // what the pending Next waits for
	resume  *Leaf[bool] // what the suspended yield waits for
}

// NewGenerator makes the stream whose body is made by body (given the
// stream, for its Yield).
func NewGenerator[T any](body func(g *Gen[T]) Future[struct{}]) *Gen[T] {
	g := &Gen[T]{}
	g.body = body(g)
	return g
}

// IsEOF reports whether a Next failed because the stream ended.
func IsEOF(err error) bool { return err == io.EOF }

// Next returns a future of the next value; io.EOF after the end.
func (g *Gen[T]) Next() Future[T] {
	n := &genNext[T]{g: g}
	n.Bind(n, 2)
	return n
}

// Yield hands v to the pending Next; its future completes with false when
// the stream is closed (or the generator's task cancelled).
func (g *Gen[T]) Yield(v T) Future[bool] {
	y := &genYield[T]{g: g, v: v}
	y.Bind(y, 2)
	return y
}

// Close closes the stream: a generator suspended in yield sees false and
// finishes; the future completes when its deferred calls have run.
// Closing twice, or closing a finished stream, is harmless.
func (g *Gen[T]) Close() Future[struct{}] {
	c := &genClose[T]{g: g}
	c.Bind(c, 2)
	return c
}

// genNext resumes the generator (starting its task the first time) and
// waits for the value it yields or for its end.
type genNext[T any] struct {
	Machine[T]
	g *Gen[T]
}

func (n *genNext[T]) Step() {
	g := n.g
	switch n.State {
	case 0:
		if g.finished {
			var zero T
			n.Return(zero, g.err)
			n.Complete()
			return
		}
		g.handoff = new(Leaf[T])
		if !g.started {
			g.started = true
			Spawn(&g.task, Future[struct{}](newGenRunner(g)))
		} else if g.resume != nil {
			g.resume.Resolve(true, nil)
		}
		n.State = 1
		if !Await(&n.Frame, Future[T](g.handoff)) {
			return
		}
		fallthrough
	case 1:
		n.Return(Outcome(&n.Frame, Future[T](g.handoff)))
		n.State = 2
		fallthrough
	case 2:
		n.Complete()
	}
}

// genYield publishes a value and waits to be resumed.
type genYield[T any] struct {
	Machine[bool]
	g *Gen[T]
	v T
}

func (y *genYield[T]) Step() {
	g := y.g
	switch y.State {
	case 0:
		if g.closing {
			y.Return(false, nil)
			y.Complete()
			return
		}
		g.resume = new(Leaf[bool])
		if g.handoff != nil {
			g.handoff.Resolve(y.v, nil)
		}
		y.State = 1
		if !Await(&y.Frame, Future[bool](g.resume)) {
			return
		}
		fallthrough
	case 1:
		ok, err := Outcome(&y.Frame, Future[bool](g.resume))
		y.Return(ok && err == nil, nil) // cancelled: as if closed
		y.State = 2
		fallthrough
	case 2:
		y.Complete()
	}
}

// genRunner is the generator's task: it runs the body and publishes its
// end (io.EOF, its error, or its panic) to a pending Next.
type genRunner[T any] struct {
	Machine[struct{}]
	g *Gen[T]
}

func newGenRunner[T any](g *Gen[T]) *genRunner[T] {
	r := &genRunner[T]{g: g}
	r.Bind(r, 2)
	return r
}

func (r *genRunner[T]) Step() {
	g := r.g
	switch r.State {
	case 0:
		r.State = 1
		if !Await(&r.Frame, g.body) {
			return
		}
		fallthrough
	case 1:
		_, err := Outcome(&r.Frame, g.body)
		if err == nil {
			err = io.EOF
		}
		g.finished, g.err = true, err
		if g.handoff != nil && !g.handoff.Done() {
			var zero T
			g.handoff.Resolve(zero, err)
		}
		r.State = 2
		fallthrough
	case 2:
		r.Complete()
	}
}

// genClose makes the suspended yield return false and joins the task.
type genClose[T any] struct {
	Machine[struct{}]
	g *Gen[T]
}

func (c *genClose[T]) Step() {
	g := c.g
	switch c.State {
	case 0:
		g.closing = true
		if !g.started {
			g.finished, g.err = true, io.EOF
		}
		if g.finished && !g.started {
			c.Complete()
			return
		}
		if g.resume != nil && !g.resume.Done() {
			g.resume.Resolve(false, nil)
		}
		c.State = 1
		if !Await(&c.Frame, Future[struct{}](&g.task)) {
			return
		}
		fallthrough
	case 1:
		_, err := Outcome(&c.Frame, Future[struct{}](&g.task))
		var pe *PanicError
		if errors.As(err, &pe) {
			c.Throw(err) // a panic while closing reaches the closer
		}
		c.State = 2
		fallthrough
	case 2:
		c.Complete()
	}
}
