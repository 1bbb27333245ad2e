package rt

import (
	"context"
	"fmt"
	"time"

	"github.com/asyncgen/asyncgen/rt/sm"
)

// Options configure a loop run by RunWith. The zero Options is what Run
// does: real time and the FIFO schedule.
type Options struct {
	// Clock is what timers measure: RealClock (the default) or
	// VirtualClock.
	Clock Clock

	// Seed, when not zero, runs the loop in seeded schedule mode: at the
	// start of every tick the tasks that are ready are put in an order
	// drawn from the seed instead of FIFO order, so one seed is one
	// interleaving of the tasks, replayed exactly by running the same
	// program with the same seed (with VirtualClock, or without timers:
	// with the real clock, which tick a timer fires in depends on the
	// machine). The rules that do not depend on FIFO order still hold: a
	// tick runs only the tasks ready when it began, an await of a lazy
	// future runs it inline, timers fire in deadline order. Seed 0 is the
	// FIFO schedule.
	Seed uint64
}

// Clock selects the clock of a loop (Options.Clock).
type Clock uint8

const (
	// RealClock is the wall clock (monotonic): Sleep(d) takes d.
	RealClock Clock = iota

	// VirtualClock is a clock that stands still while tasks run and, when
	// no task is ready and only timers are left, jumps at once to the
	// next deadline (trio's autojump clock, tokio's paused time). Sleeps
	// and timeouts take no wall time, timers fire in deadline order as
	// usual, and Now reports the virtual time, which starts at 2000-01-01
	// 00:00 UTC. A task that never waits for a timer keeps time from
	// moving: a loop of Sleep(0) polling for something a timer will do
	// spins forever. Work outside the loop that will post a result
	// (rt.Blocking) holds the clock until it is back.
	VirtualClock
)

func (c Clock) String() string {
	switch c {
	case RealClock:
		return "RealClock"
	case VirtualClock:
		return "VirtualClock"
	}
	return fmt.Sprintf("Clock(%d)", uint8(c))
}

// RunWith is Run with options: a virtual clock and a seeded schedule, for
// deterministic tests of async code (see the package doc).
func RunWith[T any](ctx context.Context, f Future[T], opts Options) (T, error) {
	var so sm.Options
	switch opts.Clock {
	case RealClock:
	case VirtualClock:
		so.Virtual = true
	default:
		panic(fmt.Sprintf("rt.RunWith: unknown %v", opts.Clock))
	}
	so.Seed = opts.Seed
	root := new(Task[T])
	v, err := sm.Run(ctx, &root.task, f, UnhandledFailure, so)
	if pe, ok := err.(*PanicError); ok {
		panic(pe)
	}
	return v, err
}

// Now returns the loop's current time: with VirtualClock the virtual time,
// else time.Now(). Call it from an async body or code it calls; outside a
// running loop it returns time.Now().
func Now() time.Time { return sm.Now() }
