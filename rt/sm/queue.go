package sm

import (
	"context"
	"errors"

	"github.com/asyncgen/asyncgen/internal/ring"
)

// This file is rt.Queue (rt wraps Queue and documents its semantics). The
// other primitives are Ops built in rt; the queue lives here because its
// futures are the hot path of every producer and consumer: implementing
// the await protocol directly spares each start and result the two calls
// an Op makes on the way to its state (Op's own generic method, then the
// dictionary call of S's), and lets a woken task's note and the spare Put
// future be plain field accesses. The hot paths are written so that what
// they call inlines (a wake, ring.TryPush), and Put's resultOwned inlines
// into its method wrapper.

// ErrClosed is the failure of an operation on a closed queue; rt.ErrClosed
// is this error. For rt only.
var ErrClosed = errors.New("rt: closed")

// Queue is rt.Queue's state; see there for the semantics. The zero Queue
// is unbounded and open. For rt only.
type Queue[T any] struct {
	queueCore
	get   queueGet[T] // the future of every Get
	items ring.Ring[T]
	// The last Put future that its await gave back (resultOwned), for the
	// next Put: a task that awaits q.Put(v) directly, in a loop, puts
	// without allocating. One is enough: a task recycles its future and
	// makes the next one in the same step; producers that interleave other
	// waits between the two may allocate again.
	spare *queuePut[T]
}

// queueCore is the part of a Queue that does not depend on T: all that
// the start and revoke of a Get need. They are methods of a type that is
// not generic (getOp), embedded in the future: the itab entry of a method
// of a generic type is a wrapper that calls the shaped body with its
// dictionary, that of an embedded type's method a jump.
type queueCore struct {
	capacity int // 0: unbounded
	closed   bool
	getters  waitList
	putters  waitList
	// The values in the queue that no await of Get was promised yet:
	// getters woken by a Put, or that found a value, each hold one of the
	// others until they take it.
	free int
	// Putters woken (by a Get, or by Close) that have not run yet: each
	// holds a slot.
	putHanded int
}

// queueFloor is the capacity of a queue's buffer that is kept however few
// values it holds. Above it, the buffer halves as it drains (Get), so a
// burst into an unbounded queue does not stay in memory for as long as the
// queue lives.
const queueFloor = 64

// SetCap sets the queue's capacity (0: unbounded); call it before use.
func (q *Queue[T]) SetCap(capacity int) { q.capacity = capacity }

// Len returns the number of values in the queue, including those reserved
// for getters that were woken and have not run yet.
func (q *Queue[T]) Len() int { return q.items.Len() }

// BufCap returns how many values q's buffer holds before it grows (tests).
func (q *Queue[T]) BufCap() int { return q.items.Cap() }

// Put returns a future that puts v when awaited (rt.Queue.Put).
func (q *Queue[T]) Put(v T) Future[struct{}] {
	p := q.spare
	if p == nil {
		return &queuePut[T]{q: q, v: v}
	}
	q.spare = nil
	p.v, p.state = v, putNew
	return p
}

// Get returns the queue's future of every Get (rt.Queue.Get).
func (q *Queue[T]) Get() Future[T] {
	if q.get.q == nil { // the zero Queue
		q.get.q, q.get.c = q, &q.queueCore
	}
	return &q.get
}

// Close closes the queue (rt.Queue.Close). Closing twice is harmless.
func (q *Queue[T]) Close() {
	if q.closed {
		return
	}
	q.closed = true
	l := loopNow()
	l.wakeAll(&q.getters, handoffNote(getClosed))
	q.putHanded += l.wakeAll(&q.putters, tHandoff)
}

// room reports whether a putter may put now: slots held by woken putters
// are not free.
func (q *Queue[T]) room() bool {
	return q.capacity == 0 || q.items.Len()+q.putHanded < q.capacity
}

// queueGet is the future of a queue's Get, shared by all its awaits; the
// note of each await says what it was promised.
type queueGet[T any] struct {
	getOp // start, revoke
	q     *Queue[T]
}

// getOp is the part of queueGet that does not depend on T.
type getOp struct{ c *queueCore }

// Notes of an await of Get.
const (
	getValue  uint8 = iota + 1 // a value is reserved for it (not free)
	getClosed                  // the queue is closed and drained for it
)

func (g *getOp) start(*Frame) bool {
	c := g.c
	t := loopNow().running
	switch {
	case c.free > 0:
		c.free--
		t.setNote(getValue)
		return true
	case c.closed:
		t.setNote(getClosed)
		return true
	}
	c.getters.push(t)
	return false
}

// revoke: a getter was cancelled before it took its value, which goes to
// the next getter or stays at the front of the queue.
func (g *getOp) revoke() {
	if Note() == getClosed {
		return
	}
	c := g.c
	c.free++
	if loopNow().wakeFirst(&c.getters, handoffNote(getValue)) {
		c.free--
	}
}

// result takes the value reserved for the await, and hands the slot it
// frees to the first waiting putter.
func (g *queueGet[T]) result(fr *Frame) (T, error) {
	if fr.cutShort(g) {
		return canceled[T]()
	}
	q := g.q
	if q.closed && Note() == getClosed { // only a closed queue says so
		var zero T
		return zero, ErrClosed
	}
	v := q.items.Pop()
	if q.items.Cap() > queueFloor {
		q.items.Shrink(queueFloor) // give a burst's memory back as it drains
	}
	if t := q.putters.first(); t != nil && !q.closed && q.room() {
		loopNow().wake(t, tHandoff)
		q.putHanded++
	}
	return v, nil
}

func (g *queueGet[T]) smErr() error { return errorOf(g.result(&noAwait)) }

func (g *queueGet[T]) resultOwned(fr *Frame) error { return errorOf(g.result(fr)) }

// queuePut is the future of one Put.
type queuePut[T any] struct {
	q     *Queue[T]
	v     T
	state uint8
}

// States of a Put.
const (
	putNew    uint8 = iota
	putParked       // waiting, or woken and not yet resumed
	putDone
	putClosed // failed with ErrClosed
)

func (p *queuePut[T]) start(*Frame) bool {
	q := p.q
	switch {
	case p.state >= putDone:
		return true
	case q.closed:
		p.state = putClosed
		return true
	case !q.room():
		loopNow().park(&q.putters)
		p.state = putParked
		return false
	}
	if !q.items.TryPush(p.v) {
		q.items.Push(p.v) // full: grows
	}
	var zero T
	p.v, p.state = zero, putDone // do not keep it alive
	// v is the first getter's, if one waits.
	if t := q.getters.first(); t != nil {
		loopNow().wake(t, handoffNote(getValue))
	} else {
		q.free++
	}
	return true
}

func (p *queuePut[T]) result(fr *Frame) (struct{}, error) {
	if p.state != putDone || fr.flags&(fInterrupted|fAwaitShield) != 0 {
		return struct{}{}, p.finish(fr)
	}
	return struct{}{}, nil // in the method's wrapper: finish is not inlined
}

// finish is result for a put that waited or failed, or whose await left
// flags.
func (p *queuePut[T]) finish(fr *Frame) error {
	if fr.cutShort(p) {
		return context.Canceled
	}
	if p.state == putParked { // woken: by a Get (a slot is ours) or by Close
		p.q.putHanded--
		p.state = putNew
		p.start(nil) // into the slot it was handed, or fails if closed
	}
	if p.state == putClosed {
		return ErrClosed
	}
	return nil
}

func (p *queuePut[T]) smErr() error { return p.finish(&noAwait) }

// resultOwned reads the put's error and gives the future back to the
// queue: the await that made it (ResultOwned) drops it, so nothing else
// can reach it.
func (p *queuePut[T]) resultOwned(fr *Frame) error {
	if p.state == putDone {
		// Put at once by the await that made it, which left no flags: one
		// cut short does not start the future, and AwaitShielded clears
		// its flag when the future completes at once.
		p.q.spare = p // v is zero already; Put makes it new
		return nil
	}
	return p.finishOwned(fr)
}

// finishOwned is resultOwned for a put that waited or failed, or whose
// await left flags.
func (p *queuePut[T]) finishOwned(fr *Frame) error {
	if fr.cutShort(p) {
		return context.Canceled // rare: the future is not reused
	}
	err := p.finish(&noAwait)
	var zero T
	p.v = zero
	p.q.spare = p
	return err
}

// revoke: the putter was cancelled before it used its slot, which goes to
// the next putter.
func (p *queuePut[T]) revoke() {
	q := p.q
	q.putHanded--
	p.state = putNew
	if !q.closed && q.room() && loopNow().wakeFirst(&q.putters, tHandoff) {
		q.putHanded++
	}
}
