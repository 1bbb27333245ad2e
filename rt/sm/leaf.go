package sm

import "time"

// ready is a future complete with a value.
type ready[T any] struct{ v T }

// Ready returns a future already complete with v. For rt only.
func Ready[T any](v T) Future[T] { return &ready[T]{v} }

func (r *ready[T]) start(*Frame) bool { return true }
func (r *ready[T]) result(fr *Frame) (T, error) {
	if fr.cutShort(r) {
		return canceled[T]()
	}
	return r.v, nil
}
func (r *ready[T]) smErr() error                { return nil }
func (r *ready[T]) resultOwned(fr *Frame) error { return errorOf(r.result(fr)) }

// failed is a future complete with an error.
type failed[T any] struct{ err error }

// Fail returns a future already failed with err. For rt only.
func Fail[T any](err error) Future[T] { return &failed[T]{err} }

func (f *failed[T]) start(*Frame) bool { return true }
func (f *failed[T]) result(fr *Frame) (T, error) {
	if fr.cutShort(f) {
		return canceled[T]()
	}
	var zero T
	return zero, fr.raise(f.err)
}
func (f *failed[T]) smErr() error                { return f.err }
func (f *failed[T]) resultOwned(fr *Frame) error { return errorOf(f.result(fr)) }

// sleep is a lazy timer: the deadline is set when it is awaited, and the
// awaiting task itself is what the timer heap holds.
type sleep struct{ d time.Duration }

// Sleep returns a future that completes d after it is awaited; d <= 0
// yields once (the task goes to the back of the ready queue). Each await of
// the same future sleeps again. For rt only.
func Sleep(d time.Duration) Future[struct{}] {
	if d <= 0 {
		return yieldOnce
	}
	return &sleep{d}
}

// yieldOnce is Sleep(0): it holds no state, so one serves every task.
var yieldOnce = new(yield)

func (s *sleep) start(*Frame) bool {
	l := loopNow()
	l.arm(l.running, s.d)
	return false
}

func (s *sleep) result(fr *Frame) (struct{}, error) {
	if fr.cutShort(s) {
		return canceled[struct{}]()
	}
	return struct{}{}, nil
}
func (s *sleep) smErr() error                { return nil }
func (s *sleep) resultOwned(fr *Frame) error { return errorOf(s.result(fr)) }

// yield is Sleep(d) for d <= 0: the task goes to the back of the ready
// queue. A type of its own, so the commonest await of a busy loop tests
// no duration.
type yield struct{}

func (*yield) start(*Frame) bool {
	l := loopNow()
	l.schedule(l.running)
	return false
}

func (y *yield) result(fr *Frame) (struct{}, error) {
	if fr.cutShort(y) {
		return canceled[struct{}]()
	}
	return struct{}{}, nil
}
func (*yield) smErr() error                  { return nil }
func (y *yield) resultOwned(fr *Frame) error { return errorOf(y.result(fr)) }

// Leaf is a future completed by Resolve; any number of tasks may await it.
// For rt only (combinators, promises, events).
type Leaf[T any] struct {
	waiters waitList
	v       T
	err     error
	done    bool
}

// Resolve completes the leaf and wakes its waiters in the order they began
// to wait; it reports false (and changes nothing) if already complete.
// Call it on the loop's goroutine.
func (f *Leaf[T]) Resolve(v T, err error) bool {
	if f.done {
		return false
	}
	f.v, f.err, f.done = v, err, true
	loopNow().wakeAll(&f.waiters, 0)
	return true
}

// Done reports whether Resolve was called.
func (f *Leaf[T]) Done() bool { return f.done }

func (f *Leaf[T]) start(*Frame) bool {
	if f.done {
		return true
	}
	loopNow().park(&f.waiters)
	return false
}

func (f *Leaf[T]) result(fr *Frame) (T, error) {
	if fr.cutShort(f) {
		return canceled[T]()
	}
	if !f.done {
		panic("sm: result of a leaf that is not resolved")
	}
	return f.v, fr.raise(f.err)
}

func (f *Leaf[T]) smErr() error                { return f.err }
func (f *Leaf[T]) resultOwned(fr *Frame) error { return errorOf(f.result(fr)) }
