package rt

import (
	"context"
	"errors"
	"time"

	"github.com/asyncgen/asyncgen/rt/sm"
)

// WithTimeout runs f as its own task (a *Task is used as is) and returns
// its outcome if it finishes within d. At the deadline f is cancelled, and
// WithTimeout waits for it to finish (its deferred calls run) before
// returning: an error satisfying errors.Is(err, context.DeadlineExceeded)
// if f ended with a cancellation, else f's own outcome (a result that
// arrived wins). WithTimeout owns f: if the awaiter is cancelled, f is
// cancelled too and WithTimeout returns context.Canceled after it
// finished. The timer starts when WithTimeout is awaited.
func WithTimeout[T any](f Future[T], d time.Duration) Future[T] {
	m := &timeout[T]{f: f, d: d}
	m.Bind(m, 3)
	return m
}

type timeout[T any] struct {
	sm.Machine[T]
	f        Future[T]
	d        time.Duration
	inner    *Task[T]
	timer    *Task[struct{}]
	timedOut bool
}

// Step: 0 spawns inner and the timer and joins inner; 1 reads inner (or
// sees the awaiter cancelled, cancels inner and joins it again shielded:
// 2); 3 is the exit state.
func (m *timeout[T]) Step() {
	switch m.State {
	case 0:
		m.inner = Spawn(m.f)
		m.f = nil
		dl := &deadline{sleep: Sleep(m.d), expire: m.expire}
		dl.Bind(dl, 1)
		m.timer = Spawn[struct{}](dl)
		m.State = 1
		if !sm.Await(&m.Frame, m.inner) {
			return
		}
		fallthrough
	case 1:
		v, err := sm.Outcome(&m.Frame, m.inner)
		if !m.inner.Done() { // the awaiter was cancelled
			m.timer.Cancel()
			m.inner.Cancel()
			m.State = 2
			if !sm.AwaitShielded(&m.Frame, m.inner) {
				return
			}
			sm.Outcome(&m.Frame, m.inner)
			m.Throw(context.Canceled)
			break
		}
		m.finish(v, err)
	case 2:
		sm.Outcome(&m.Frame, m.inner)
		m.Throw(context.Canceled)
	}
	m.Complete()
}

// finish sets the results once inner has finished by itself.
func (m *timeout[T]) finish(v T, err error) {
	m.timer.Cancel()
	var pe *PanicError
	if m.timedOut && errors.Is(err, context.Canceled) && !errors.As(err, &pe) {
		m.Throw(context.DeadlineExceeded)
		return
	}
	m.Return(v, err)
}

func (m *timeout[T]) expire() {
	m.timedOut = true
	m.inner.Cancel()
}

// deadline is the timer task of WithTimeout: it sleeps, then calls expire
// unless it was cancelled first. It never fails.
type deadline struct {
	sm.Machine[struct{}]
	sleep  Future[struct{}]
	expire func()
}

func (m *deadline) Step() {
	if m.State == 0 {
		m.State = 1
		if !sm.Await(&m.Frame, m.sleep) {
			return
		}
	}
	if _, err := sm.Outcome(&m.Frame, m.sleep); err == nil {
		m.expire()
	}
	m.Complete()
}

// Shield runs f as its own task (a *Task is used as is), started when
// Shield is awaited, and returns its outcome. Cancelling the awaiter does
// not reach f: the await returns context.Canceled and f runs on.
func Shield[T any](f Future[T]) Future[T] {
	m := &shield[T]{f: f}
	m.Bind(m, 2)
	return m
}

type shield[T any] struct {
	sm.Machine[T]
	f Future[T]
	t *Task[T]
}

func (m *shield[T]) Step() {
	if m.State == 0 {
		m.t = Spawn(m.f)
		m.f = nil
		m.State = 1
		if !sm.Await(&m.Frame, m.t) {
			return
		}
	}
	m.Return(sm.Outcome(&m.Frame, m.t))
	m.Complete()
}
