package sm

import "time"

// chanWaker is the portable waker: a channel and a reusable timer, so the
// loop sleeps in the Go scheduler (which sleeps in the kernel when no
// goroutine can run). Linux uses epollWaker unless it cannot be set up.
type chanWaker struct {
	c     chan struct{}
	timer *time.Timer
}

func newChanWaker() *chanWaker { return &chanWaker{c: make(chan struct{}, 1)} }

func (w *chanWaker) sleep(d time.Duration) {
	if d < 0 {
		<-w.c
		return
	}
	if w.timer == nil {
		w.timer = time.NewTimer(d)
	} else {
		w.timer.Reset(d)
	}
	select {
	case <-w.c:
		w.timer.Stop()
	case <-w.timer.C:
	}
}

func (w *chanWaker) wake() {
	select {
	case w.c <- struct{}{}:
	default:
	}
}

func (w *chanWaker) close() {
	if w.timer != nil {
		w.timer.Stop()
	}
}
