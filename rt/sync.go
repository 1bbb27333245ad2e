package rt

import (
	"fmt"

	"github.com/asyncgen/asyncgen/rt/sm"
)

// The synchronisation primitives follow asyncio's (Lock, Semaphore, Event,
// Condition) with the rules of DESIGN §4:
//
//   - Waiters are served first come, first served. Unlock and Release hand
//     the lock or the permit to the first waiter directly, so no newcomer
//     can take it first; a woken waiter owns it from that moment.
//   - Nothing is lost to a cancellation: a waiter cancelled while it waits
//     leaves the queue; a waiter cancelled after it was handed the lock,
//     a permit or a value, but before it resumed, fails with
//     context.Canceled and the thing goes to the next waiter (or back).
//     An await in a deferred call is shielded and keeps what it is handed.
//   - An operation that can complete at once does not suspend; the future
//     of Lock, Acquire and Wait is part of the primitive (no allocation).
//
// Each primitive is a state struct implementing sm.OpImpl, used as the
// sm.Op its operation's await reads; both views share them. They belong to
// the loop: use them from tasks, never from other goroutines (Promise is
// the way in from outside).

// Mutex is a lock for tasks (asyncio.Lock): Lock waits while another task
// holds it. It is not tied to a task: any task may Unlock it. The zero
// Mutex is unlocked.
//
//	if _, err := rt.Await(mu.Lock()); err != nil {
//		return err
//	}
//	defer mu.Unlock()
type Mutex struct {
	_  noCopy
	op sm.Op[struct{}, mutexState, *mutexState]
}

type mutexState struct {
	locked  bool
	waiters sm.Waiters
}

// Lock returns a future that completes once the task holds the lock. Each
// await of it locks once. Waiters get the lock in the order they began to
// wait.
func (m *Mutex) Lock() Future[struct{}] { return &m.op }

// Unlock releases the lock: the first waiter, if any, holds it from now
// on. Unlocking a Mutex that is not locked panics.
func (m *Mutex) Unlock() {
	s := &m.op.S
	if !s.locked {
		panic("rt: Unlock of unlocked Mutex")
	}
	s.unlock()
}

func (s *mutexState) unlock() {
	if !s.waiters.Handoff() {
		s.locked = false
	}
}

// Start: the lock is free only when nobody waits (Unlock hands it over).
func (s *mutexState) Start() bool {
	if !s.locked {
		s.locked = true
		return true
	}
	s.waiters.Park()
	return false
}

func (s *mutexState) Result() (struct{}, error) { return struct{}{}, nil }
func (s *mutexState) Revoke()                   { s.unlock() }

// Semaphore holds permits (asyncio.Semaphore): Acquire takes one, waiting
// while there are none; Release returns one. The zero Semaphore has no
// permits.
type Semaphore struct {
	_  noCopy
	op sm.Op[struct{}, semState, *semState]
}

type semState struct {
	n       int
	waiters sm.Waiters
}

// NewSemaphore returns a semaphore with n permits (n >= 0).
func NewSemaphore(n int) *Semaphore {
	if n < 0 {
		panic(fmt.Sprintf("rt: NewSemaphore(%d): negative permits", n))
	}
	s := new(Semaphore)
	s.op.S.n = n
	return s
}

// Acquire returns a future that completes once the task holds a permit.
// Each await of it takes one permit. Waiters get permits in the order
// they began to wait.
func (s *Semaphore) Acquire() Future[struct{}] { return &s.op }

// Release returns a permit: it goes to the first waiter, if any.
func (s *Semaphore) Release() { s.op.S.release() }

func (s *semState) release() {
	if !s.waiters.Handoff() {
		s.n++
	}
}

// Start: permits are left only when nobody waits (Release hands them over).
func (s *semState) Start() bool {
	if s.n > 0 {
		s.n--
		return true
	}
	s.waiters.Park()
	return false
}

func (s *semState) Result() (struct{}, error) { return struct{}{}, nil }
func (s *semState) Revoke()                   { s.release() }

// Event is a flag tasks can wait for (asyncio.Event). The zero Event is
// clear.
type Event struct {
	_  noCopy
	op sm.Op[struct{}, eventState, *eventState]
}

type eventState struct {
	set     bool
	waiters sm.Waiters
}

// Set sets the flag and wakes every waiting task, in the order they began
// to wait. A waiter woken by Set completes even if the flag is cleared
// before it runs.
func (e *Event) Set() {
	s := &e.op.S
	if s.set {
		return
	}
	s.set = true
	s.waiters.HandoffAll()
}

// Clear clears the flag: later waits wait for the next Set.
func (e *Event) Clear() { e.op.S.set = false }

// IsSet reports whether the flag is set.
func (e *Event) IsSet() bool { return e.op.S.set }

// Wait returns a future that completes when the flag is set (at once if it
// is set now).
func (e *Event) Wait() Future[struct{}] { return &e.op }

func (s *eventState) Start() bool {
	if s.set {
		return true
	}
	s.waiters.Park()
	return false
}

func (s *eventState) Result() (struct{}, error) { return struct{}{}, nil }
func (s *eventState) Revoke()                   {}

// Cond is a condition variable over a Mutex (asyncio.Condition, sync.Cond):
// tasks wait with L held until another task signals. As with sync.Cond, a
// waiter re-checks its condition in a loop: Wait may also return after a
// Signal meant for a waiter that was cancelled.
type Cond struct {
	_  noCopy
	L  *Mutex
	op sm.Op[struct{}, condState, *condState]
}

type condState struct{ waiters sm.Waiters }

// NewCond returns a condition variable over m.
func NewCond(m *Mutex) *Cond { return &Cond{L: m} }

// Wait returns a future that, when awaited with L held, unlocks L, waits
// for Signal or Broadcast, and locks L again before it completes. It locks
// L again even when the task is cancelled (the wait then fails with
// context.Canceled), so a deferred Unlock stays right. Awaiting it without
// L held panics.
func (c *Cond) Wait() Future[struct{}] {
	w := &condWait{c: c}
	w.Bind(w, 3)
	return w
}

// Signal wakes the first waiting task, if any. If that task is cancelled
// before it resumes, the signal goes to the next waiter.
func (c *Cond) Signal() { c.op.S.waiters.Handoff() }

// Broadcast wakes every waiting task, in the order they began to wait.
func (c *Cond) Broadcast() { c.op.S.waiters.HandoffAll() }

func (s *condState) Start() bool {
	s.waiters.Park()
	return false
}

func (s *condState) Result() (struct{}, error) { return struct{}{}, nil }
func (s *condState) Revoke()                   { s.waiters.Handoff() }

// condWait is the machine of Cond.Wait: 0 unlocks L and waits for a
// signal; 1 locks L again, shielded; 2 completes with the wait's outcome;
// 3 is the exit state.
type condWait struct {
	sm.Machine[struct{}]
	c   *Cond
	err error
}

func (w *condWait) Step() {
	c := w.c
	switch w.State {
	case 0:
		if !c.L.op.S.locked {
			panic("rt: Cond.Wait awaited without holding L")
		}
		c.L.Unlock()
		w.State = 1
		if !sm.Await(&w.Frame, &c.op) {
			return
		}
		fallthrough
	case 1:
		_, w.err = sm.Outcome(&w.Frame, &c.op)
		w.State = 2
		if !sm.AwaitShielded(&w.Frame, c.L.Lock()) {
			return
		}
		fallthrough
	case 2:
		sm.Outcome(&w.Frame, c.L.Lock())
		w.Throw(w.err)
	}
	w.Complete()
}

// noCopy makes go vet's copylocks check report copies of the primitives
// (their waiters are linked through the tasks: a copy would corrupt them).
// It is the first field: a zero-size last field would be padded.
type noCopy struct{}

func (*noCopy) Lock()   {}
func (*noCopy) Unlock() {}
