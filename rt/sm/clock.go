package sm

import "time"

// Options select the loop's test modes (rt.Options). The zero Options is
// the default loop: real time, FIFO. For rt only.
type Options struct {
	Virtual bool   // a virtual clock (virtualClock)
	Seed    uint64 // not zero: a seeded schedule (shuffler)
}

// VirtualEpoch is the time at which a virtual clock starts (rt.Now reports
// it at the beginning of a Run with a virtual clock). For rt only.
var VirtualEpoch = time.Date(2000, time.January, 1, 0, 0, 0, 0, time.UTC)

// virtualClock is the loop's clock in virtual mode. Time stands still
// while tasks are ready; when none is, nothing outside the loop has posted
// work and nothing holds the clock, it jumps to the first timer's deadline
// (trio's autojump clock, tokio's paused time). Timers then fire as with
// the real clock, in deadline order, ties in arming order.
type virtualClock struct {
	now   int64 // nanoseconds since the start of the Run
	holds int   // HoldClock minus ReleaseClock
}

// configure applies o to a new loop, before anything runs.
func (l *loopState) configure(o Options) {
	if o.Virtual {
		l.vclock = new(virtualClock)
	}
	if o.Seed != 0 {
		l.shuffle = newShuffler(o.Seed)
	}
}

// idle is wait's first step with a virtual clock; it reports whether it
// handled the wait. With no timer armed it does not: as with the real
// clock, the tasks are deadlocked unless something outside may post.
func (c *virtualClock) idle(l *loopState) bool {
	if len(l.timers) == 0 {
		return false
	}
	posted := l.npost.Load() != 0
	switch {
	case posted:
		// Not idle: the next tick runs what was posted, at this time.
	case c.holds > 0:
		l.sleep(-1) // held: time moves only after the work outside is back
	default:
		c.now = max(c.now, l.timers[0].when)
	}
	return true
}

// HoldClock keeps a virtual clock from jumping until the matching
// ReleaseClock: work is in flight outside the loop (rt.Blocking) and will
// post its result, so the time the loop sees must not run ahead of it.
// While held, an idle loop waits for a post, and counts the work as a
// source that may post (an idle loop is not reported as deadlocked). Call
// both on the loop's goroutine. For rt only.
func HoldClock() {
	l := loopNow()
	l.external++
	if c := l.vclock; c != nil {
		c.holds++
	}
}

// ReleaseClock undoes one HoldClock. For rt only.
func ReleaseClock() {
	l := loopNow()
	if c := l.vclock; c != nil {
		if c.holds == 0 {
			panic("sm: ReleaseClock without HoldClock")
		}
		c.holds--
	}
	l.external--
}

// Now returns the running loop's time: with a virtual clock VirtualEpoch
// plus the virtual time elapsed, else (or outside a loop) time.Now(). Call
// it on the loop's goroutine. For rt only.
func Now() time.Time {
	if l := loopNow(); l != nil && l.vclock != nil {
		return VirtualEpoch.Add(time.Duration(l.vclock.now))
	}
	return time.Now()
}
