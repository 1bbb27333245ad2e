package rt_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/asyncgen/asyncgen/rt"
)

// since is the virtual time elapsed since the start of the Run.
func since() time.Duration {
	return rt.Now().Sub(time.Date(2000, time.January, 1, 0, 0, 0, 0, time.UTC))
}

// Timers fire in deadline order, ties in arming order, each at exactly its
// deadline, and hours of sleeping take no wall time.
func TestVirtualClockJumps(t *testing.T) {
	var tr tracer
	sleeper := func(name string, d time.Duration) *script {
		return newScript(
			await(func() rt.Future[struct{}] { return rt.Sleep(d) }, nil),
			do(func() { tr.log("%s at %v", name, since()) }),
		)
	}
	main := newScript(
		do(func() {
			tr.log("start at %v", since())
			rt.Spawn[int](sleeper("3h", 3*time.Hour))
			rt.Spawn[int](sleeper("1h", time.Hour))
			rt.Spawn[int](sleeper("2h", 2*time.Hour))
			rt.Spawn[int](sleeper("1h again", time.Hour))
		}),
		await(func() rt.Future[struct{}] { return rt.Sleep(24 * time.Hour) }, nil),
		do(func() { tr.log("main at %v", since()) }),
	)
	wall := time.Now()
	run[int](main)
	tr.check(t, "start at 0s", "1h at 1h0m0s", "1h again at 1h0m0s", "2h at 2h0m0s", "3h at 3h0m0s",
		"main at 24h0m0s")
	if d := time.Since(wall); d > time.Second {
		t.Errorf("a day of virtual sleeps took %v of wall time", d)
	}
}

// Time stands still while any task is ready: a task that yields keeps a
// timer from firing until it stops.
func TestVirtualClockStandsStillWhileReady(t *testing.T) {
	var tr tracer
	var steps []step
	for i := range 3 {
		steps = append(steps, await(sleep(0), nil), do(func() { tr.log("spin %d at %v", i, since()) }))
	}
	main := newScript(
		do(func() { rt.Spawn[int](newScript(steps...)) }),
		await(sleep(1), nil),
		do(func() { tr.log("slept at %v", since()) }),
	)
	run[int](main)
	tr.check(t, "spin 0 at 0s", "spin 1 at 0s", "spin 2 at 0s", "slept at 1ms")
}

// A timeout under a virtual clock fires at its deadline exactly; the
// cancelled sleep's cleanup runs at the same instant.
func TestVirtualClockTimeout(t *testing.T) {
	var tr tracer
	slow := newScript(
		deferFn(func() { tr.log("slow defer at %v", since()) }),
		try(func() rt.Future[struct{}] { return rt.Sleep(2 * time.Hour) }, nil, nil),
	)
	main := newScript(await(func() rt.Future[int] { return rt.WithTimeout[int](slow, time.Hour) },
		func(_ int, err error) {
			tr.log("timeout=%v at %v", errors.Is(err, context.DeadlineExceeded), since())
		}))
	run[int](main)
	tr.check(t, "slow defer at 1h0m0s", "timeout=true at 1h0m0s")
}

// With a virtual clock and no timer armed, an idle loop still waits for
// what may come from outside (here the Run context); with nothing outside
// it reports a deadlock (TestDeadlockPanics runs with a virtual clock).
func TestVirtualClockWaitsForOutside(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	var a, b *rt.Task[int]
	var got error
	main := newScript(
		do(func() {
			a = rt.Spawn[int](newScript(await(sleep(0), nil), await(func() rt.Future[int] { return b }, nil)))
			b = rt.Spawn[int](newScript(await(func() rt.Future[int] { return a }, nil)))
			go func() { time.Sleep(10 * time.Millisecond); cancel() }()
		}),
		await(func() rt.Future[int] { return a }, func(_ int, err error) { got = err }),
	)
	rt.RunWith[int](ctx, main, rt.Options{Clock: rt.VirtualClock})
	if !errors.Is(got, context.Canceled) {
		t.Fatalf("the wait ended with %v, want context.Canceled", got)
	}
}

func TestNowOutsideRun(t *testing.T) {
	if d := time.Since(rt.Now()); d < 0 || d > time.Minute {
		t.Fatalf("rt.Now() outside Run is %v away from time.Now()", d)
	}
}

func TestClockString(t *testing.T) {
	for c, want := range map[rt.Clock]string{rt.RealClock: "RealClock", rt.VirtualClock: "VirtualClock", 7: "Clock(7)"} {
		if c.String() != want {
			t.Errorf("%d.String() = %q, want %q", c, c.String(), want)
		}
	}
	expectPanic(t, "", func() { rt.RunWith[int](context.Background(), newScript(), rt.Options{Clock: 7}) })
}
