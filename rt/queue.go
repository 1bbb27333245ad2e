package rt

import (
	"fmt"

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
	_ noCopy
	q sm.Queue[T] // the state and the futures live in sm: see sm.Queue
}

// NewQueue returns an empty queue holding at most capacity values; 0
// means unbounded.
func NewQueue[T any](capacity int) *Queue[T] {
	if capacity < 0 {
		panic(fmt.Sprintf("rt: NewQueue(%d): negative capacity", capacity))
	}
	q := new(Queue[T])
	q.q.SetCap(capacity)
	return q
}

// Len returns the number of values in the queue, including those reserved
// for getters that were woken and have not run yet.
func (q *Queue[T]) Len() int { return q.q.Len() }

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
func (q *Queue[T]) Put(v T) Future[struct{}] { return q.q.Put(v) }

// Get returns a future that takes the value at the front of the queue when
// awaited, waiting while the queue is empty. Once the queue is closed and
// drained it fails with ErrClosed. The future is the queue's own (Get does
// not allocate): each await of it takes a value.
func (q *Queue[T]) Get() Future[T] { return q.q.Get() }

// Close closes the queue (see Queue). Closing twice is harmless.
func (q *Queue[T]) Close() { q.q.Close() }
