package rt

import (
	"sync"

	"github.com/asyncgen/asyncgen/rt/sm"
)

// Promise is a future completed by a call, from any goroutine: the way
// into the loop from the outside world (callbacks, other goroutines,
// loop.call_soon_threadsafe). The first Resolve or Reject wins; later ones
// do nothing. Any number of tasks may await its Future.
//
// Resolving takes effect on the loop, through a post: the waiting tasks
// are woken at the start of the loop's next tick (before its timers), in
// the order they began to wait. This is the same whether Resolve is called
// from another goroutine or from a task, so a program's trace does not
// depend on who resolved. From the first await of an unresolved promise
// in a Run until its resolution, that Run does not report a deadlock
// (another goroutine may resolve it), even if the awaiting tasks were
// cancelled since.
//
// The zero Promise is ready to use.
type Promise[T any] struct {
	_  noCopy
	op sm.Op[T, promiseState[T], *promiseState[T]]
}

type promiseState[T any] struct {
	mu     sync.Mutex
	done   bool      // under mu; v and err are final once it is set
	v      T         //
	err    error     //
	poster sm.Poster // under mu: the loop its waiters park on (zero: none)

	waiters sm.Waiters // the loop's only
}

// NewPromise returns an unresolved promise.
func NewPromise[T any]() *Promise[T] { return new(Promise[T]) }

// Future returns the future of the promise's outcome (the same one at
// every call).
func (p *Promise[T]) Future() Future[T] { return &p.op }

// Resolve completes the promise with v, unless it is complete already.
// Safe from any goroutine.
func (p *Promise[T]) Resolve(v T) { p.op.S.complete(v, nil) }

// Reject fails the promise with err, unless it is complete already. Safe
// from any goroutine.
func (p *Promise[T]) Reject(err error) {
	var zero T
	p.op.S.complete(zero, err)
}

func (s *promiseState[T]) complete(v T, err error) {
	s.mu.Lock()
	if s.done {
		s.mu.Unlock()
		return
	}
	s.done, s.v, s.err = true, v, err
	poster := s.poster
	s.poster = sm.Poster{}
	s.mu.Unlock()
	if poster != (sm.Poster{}) {
		// If that loop's Run has ended, nobody waits any more.
		poster.Post(func() {
			sm.ReleaseLoop()
			s.waiters.WakeAll()
		})
	}
}

// Start completes at once if the promise is resolved; else the task parks
// and the loop is held (a source outside may post) until the resolution
// is posted.
func (s *promiseState[T]) Start() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.done {
		return true
	}
	if cur := sm.CurrentPoster(); s.poster != cur {
		s.poster = cur // a first await, or one in a new Run
		sm.HoldLoop()
	}
	s.waiters.Park()
	return false
}

func (s *promiseState[T]) Result() (T, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.v, s.err
}

func (s *promiseState[T]) Revoke() {} // woken by WakeAll: never revoked
