package sm

import (
	"sync"
	"sync/atomic"
	"time"
)

// postState is the part of a loop that other goroutines touch: the
// functions they posted, and how they wake the loop when it sleeps.
//
// The loop checks npost, an atomic, once per tick: when nothing was posted
// the tick takes no lock. An idle loop sleeps in the kernel (sleep), in an
// epoll_wait on an eventfd on Linux (waker_linux.go), on a channel and a
// timer elsewhere (waker_other.go); a post wakes it only if it sleeps.
type postState struct {
	mu       sync.Mutex
	posted   []func() // under mu
	closed   bool     // under mu: the Run ended; posts are refused
	npost    atomic.Int32
	sleeping atomic.Bool // the loop is in (or entering) sleep
	waker    waker       // made by the loop's first sleep
	batch    []func()    // loop only: the previous batch, reused
}

// waker is how a loop sleeps until another goroutine wakes it.
type waker interface {
	// sleep blocks until wake is called or d has elapsed (d < 0: no
	// limit). It may return early.
	sleep(d time.Duration)
	// wake makes the current or next sleep return. Any goroutine.
	wake()
	close()
}

// post runs fn on the loop's goroutine at the start of its next tick (in
// the order of the posts) and reports true; false if the Run has ended
// (fn will never run). Safe from any goroutine.
func (l *loopState) post(fn func()) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.closed {
		return false
	}
	l.posted = append(l.posted, fn)
	l.npost.Store(int32(len(l.posted)))
	// Under mu, so that the waker is not closed under our feet.
	if l.sleeping.CompareAndSwap(true, false) {
		l.waker.wake()
	}
	return true
}

// runPosted runs what was posted since the last tick. The caller checked
// npost.
func (l *loopState) runPosted() {
	l.mu.Lock()
	fns := l.posted
	l.posted = l.batch[:0]
	l.npost.Store(0)
	l.mu.Unlock()
	for i, fn := range fns {
		fns[i] = nil
		fn()
	}
	l.batch = fns[:0]
}

// sleep blocks the loop until another goroutine posts, or d has elapsed
// (d < 0: no limit). The store of sleeping and the load of npost here, and
// the store of npost and the swap of sleeping in post, are sequentially
// consistent: either the loop sees the post and does not sleep, or the
// poster sees the loop asleep and wakes it.
func (l *loopState) sleep(d time.Duration) {
	if l.waker == nil {
		l.waker = newWaker()
	}
	l.sleeping.Store(true)
	if l.npost.Load() == 0 {
		l.waker.sleep(d)
	}
	l.sleeping.Store(false)
}

// closePosts ends the loop's life as a post target: later posts are
// refused, pending ones dropped, the waker released.
func (l *loopState) closePosts() {
	l.mu.Lock()
	l.closed = true
	l.posted = nil
	l.npost.Store(0)
	l.mu.Unlock()
	if l.waker != nil {
		l.waker.close()
	}
}

// Poster posts functions to a loop from any goroutine. For rt only.
type Poster struct{ l *loopState }

// CurrentPoster returns the Poster of the running loop. Call it on the
// loop's goroutine (from a task).
func CurrentPoster() Poster {
	l := loopNow()
	if l == nil {
		panic("sm: CurrentPoster called outside a running loop")
	}
	return Poster{l}
}

// Post runs fn on the loop's goroutine at the start of its next tick,
// after what was posted before it, and reports true; it reports false if
// that loop's Run has ended (fn will never run). Safe from any goroutine.
func (p Poster) Post(fn func()) bool { return p.l.post(fn) }

// HoldLoop records a source outside the loop that may post later (a
// Promise someone awaits): while held, an idle loop with no timer sleeps
// until a post instead of reporting a deadlock. Unlike HoldClock it does
// not stop a virtual clock. Call it and ReleaseLoop on the loop's
// goroutine. For rt only.
func HoldLoop() { loopNow().external++ }

// ReleaseLoop undoes one HoldLoop.
func ReleaseLoop() { loopNow().external-- }
