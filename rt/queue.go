package rt

import (
	"fmt"

	"github.com/asyncgen/asyncgen/internal/ring"
	"github.com/asyncgen/asyncgen/rt/sm"
)

// Queue is a FIFO queue between tasks (asyncio.Queue), bounded or not.
// Put waits while a bounded queue is full, Get while it is empty; waiters
// are served in the order they began to wait.
//
// The wake-ups are asyncio's: a value put while getters wait goes into the
// queue (it counts in Len and toward the capacity) and the first getter is
// woken to take it when it runs; a getter that frees a slot while putters
// wait wakes the first putter, which puts its value when it runs. The
// value and the slot are reserved for the woken task: no newcomer takes
// them first. If the woken task is cancelled before it runs, its Get or
// Put fails with context.Canceled and the value or slot goes to the next
// waiter (or stays in the queue): nothing is lost.
//
// Close ends the queue: Put fails with ErrClosed from then on, waiting
// putters fail too, and Get drains the values left, then fails with
// ErrClosed. The zero Queue is unbounded and open.
type Queue[T any] struct {
	_        noCopy
	get      sm.Op[T, queueGet[T], *queueGet[T]] // the future of every Get
	items    ring.Ring[T]
	capacity int // 0: unbounded
	closed   bool
	getters  sm.Waiters
	putters  sm.Waiters
	// Awaits of Get that were promised a value and have not taken it yet
	// (getters woken by a Put, or that found one): getHanded of the items
	// are theirs.
	getHanded int
	// Putters woken (by a Get, or by Close) that have not run yet: each
	// holds a slot.
	putHanded int
	// Futures of Put that their awaits gave back (Recycle), for the next
	// Puts: compiled code that awaits q.Put(v) directly puts without
	// allocating.
	freePuts []*sm.ReusableOp[struct{}, queuePut[T], *queuePut[T]]
}

// queueFloor is the capacity of a queue's buffer that is kept however few
// values it holds. Above it, the buffer halves as it drains (take), so a
// burst into an unbounded queue does not stay in memory for as long as the
// queue lives.
const queueFloor = 64

// maxFreePuts bounds the futures a queue keeps for reuse.
const maxFreePuts = 16

// NewQueue returns an empty queue holding at most capacity values; 0
// means unbounded.
func NewQueue[T any](capacity int) *Queue[T] {
	if capacity < 0 {
		panic(fmt.Sprintf("rt: NewQueue(%d): negative capacity", capacity))
	}
	q := &Queue[T]{capacity: capacity}
	q.get.S.q = q
	return q
}

// Len returns the number of values in the queue, including those reserved
// for getters that were woken and have not run yet.
func (q *Queue[T]) Len() int { return q.items.Len() }

// Put returns a future that puts v at the back of the queue when awaited,
// waiting while the queue is full. It fails with ErrClosed if the queue
// is closed before v is in. Like every future here it is lazy: nothing
// happens until it is awaited (so `defer rt.Await(q.Put(v))` puts v on
// exit).
//
// The future holds v, so it is allocated, except in compiled code that
// awaits q.Put(v) directly (rt.Await(q.Put(v)), rt.Try(q.Put(v))): the
// await then gives the future back to the queue for the next Put. Like
// every method of Queue, call Put on the loop's goroutine.
func (q *Queue[T]) Put(v T) Future[struct{}] {
	n := len(q.freePuts)
	if n == 0 {
		op := new(sm.ReusableOp[struct{}, queuePut[T], *queuePut[T]])
		op.S = queuePut[T]{q: q, v: v, op: op}
		return op
	}
	op := q.freePuts[n-1]
	q.freePuts[n-1] = nil
	q.freePuts = q.freePuts[:n-1]
	op.S.v = v
	return op
}

// Get returns a future that takes the value at the front of the queue when
// awaited, waiting while the queue is empty. Once the queue is closed and
// drained it fails with ErrClosed. The future is the queue's own (Get does
// not allocate): each await of it takes a value.
func (q *Queue[T]) Get() Future[T] {
	if q.get.S.q == nil { // the zero Queue
		q.get.S.q = q
	}
	return &q.get
}

// Close closes the queue (see Queue). Closing twice is harmless.
func (q *Queue[T]) Close() {
	if q.closed {
		return
	}
	q.closed = true
	q.getters.HandoffAllNote(getClosed)
	q.putHanded += q.putters.HandoffAll()
}

// room reports whether a putter may put now: slots held by woken putters
// are not free.
func (q *Queue[T]) room() bool {
	return q.capacity == 0 || q.items.Len()+q.putHanded < q.capacity
}

// add puts v in and hands it to the first waiting getter.
func (q *Queue[T]) add(v T) {
	q.items.Push(v)
	if q.getters.HandoffNote(getValue) {
		q.getHanded++
	}
}

// take removes the front value and hands the slot to the first waiting
// putter.
func (q *Queue[T]) take() T {
	v := q.items.Pop()
	if q.items.Cap() > queueFloor {
		q.items.Shrink(queueFloor) // give a burst's memory back as it drains
	}
	if !q.closed && q.room() && q.putters.Handoff() {
		q.putHanded++
	}
	return v
}

// A one-shot operation's progress (queuePut, blockingOp).
const (
	opNew    uint8 = iota
	opParked       // waiting, or woken and not yet resumed
	opDone
	opClosed // failed with ErrClosed
)

// queueGet is the state of a queue's Get future, shared by all its awaits;
// the note of each await says what it was promised.
type queueGet[T any] struct{ q *Queue[T] }

// Notes of an await of Get.
const (
	getValue  uint8 = iota + 1 // a value is reserved for it (getHanded)
	getClosed                  // the queue is closed and drained for it
)

func (g *queueGet[T]) Start() bool {
	q := g.q
	switch {
	case q.items.Len() > q.getHanded:
		q.getHanded++
		sm.SetNote(getValue)
		return true
	case q.closed:
		sm.SetNote(getClosed)
		return true
	}
	q.getters.Park()
	return false
}

func (g *queueGet[T]) Result() (T, error) {
	if sm.Note() == getClosed {
		var zero T
		return zero, ErrClosed
	}
	q := g.q
	q.getHanded--
	return q.take(), nil
}

// Revoke: a getter was cancelled before it took its value, which goes to
// the next getter or stays at the front of the queue.
func (g *queueGet[T]) Revoke() {
	if sm.Note() == getClosed {
		return
	}
	q := g.q
	q.getHanded--
	if q.items.Len() > q.getHanded && q.getters.HandoffNote(getValue) {
		q.getHanded++
	}
}

type queuePut[T any] struct {
	q     *Queue[T]
	op    *sm.ReusableOp[struct{}, queuePut[T], *queuePut[T]] // the future holding this state (Recycle gives it back)
	v     T
	state uint8
}

func (p *queuePut[T]) Start() bool {
	if p.state == opDone || p.state == opClosed {
		return true
	}
	q := p.q
	switch {
	case q.closed:
		p.state = opClosed
		return true
	case q.room():
		q.add(p.v)
		var zero T
		p.v, p.state = zero, opDone
		return true
	}
	q.putters.Park()
	p.state = opParked
	return false
}

func (p *queuePut[T]) Result() (struct{}, error) {
	if p.state == opParked { // woken: by a Get (a slot is ours) or by Close
		q := p.q
		q.putHanded--
		if q.closed {
			p.state = opClosed
		} else {
			q.add(p.v)
			var zero T
			p.v, p.state = zero, opDone // do not keep it alive
		}
	}
	if p.state == opClosed {
		return struct{}{}, ErrClosed
	}
	return struct{}{}, nil
}

// Recycle gives the future back to the queue once the await that made it
// (ResultOwned) has read its result: nothing else can reach it.
func (p *queuePut[T]) Recycle() {
	q := p.q
	if len(q.freePuts) == maxFreePuts {
		return
	}
	if p.state != opDone { // a put that completed dropped v already
		var zero T
		p.v = zero
	}
	p.state = opNew
	q.freePuts = append(q.freePuts, p.op)
}

// Revoke: the putter was cancelled before it used its slot, which goes to
// the next putter.
func (p *queuePut[T]) Revoke() {
	q := p.q
	q.putHanded--
	p.state = opNew
	if !q.closed && q.room() && q.putters.Handoff() {
		q.putHanded++
	}
}
