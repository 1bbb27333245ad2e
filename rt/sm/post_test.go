package sm

import (
	"context"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"
)

// cpuTime is the user and system CPU time of the process so far.
func cpuTime(t *testing.T) time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		t.Skip("getrusage:", err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// An idle loop sleeps in the kernel, woken by a post from another
// goroutine or by its next timer: it does not spin.
func TestIdleLoopSleeps(t *testing.T) {
	const idle = 200 * time.Millisecond
	for _, name := range []string{"post", "timer"} {
		t.Run(name, func(t *testing.T) {
			var back Leaf[struct{}]
			var start time.Time
			var cpu0 time.Duration
			root := newFn(func() Future[struct{}] {
				start, cpu0 = time.Now(), cpuTime(t)
				if name == "timer" {
					return Sleep(idle)
				}
				HoldLoop()
				p := CurrentPoster()
				time.AfterFunc(idle, func() {
					p.Post(func() { ReleaseLoop(); back.Resolve(struct{}{}, nil) })
				})
				return &back
			})
			runFn(t, Options{}, root)
			wall, cpu := time.Since(start), cpuTime(t)-cpu0
			if wall < idle {
				t.Fatalf("woke after %v, before %v", wall, idle)
			}
			if cpu > idle/4 {
				t.Errorf("idle for %v, used %v of CPU: the loop spins", wall, cpu)
			}
		})
	}
}

// Timers have sub-millisecond precision (epoll_pwait2 on Linux) and never
// fire early.
func TestShortSleepPrecision(t *testing.T) {
	const d = 300 * time.Microsecond
	var took []time.Duration
	var start time.Time
	steps := []func() Future[struct{}]{}
	for range 20 {
		steps = append(steps,
			func() Future[struct{}] { start = time.Now(); return Sleep(d) },
			func() Future[struct{}] { took = append(took, time.Since(start)); return nil })
	}
	runFn(t, Options{}, newFn(steps...))
	fast := 0
	for _, x := range took {
		if x < d {
			t.Fatalf("Sleep(%v) took %v", d, x)
		}
		if x < d+700*time.Microsecond {
			fast++
		}
	}
	if fast == 0 {
		t.Logf("no Sleep(%v) took less than 1ms: %v (a busy machine, or no epoll_pwait2)", d, took)
	}
}

// Posts from many goroutines into a busy loop all run, each goroutine's in
// the order it posted them; the loop is woken when it goes idle.
func TestPostFromGoroutines(t *testing.T) {
	const goroutines, posts = 8, 2000
	var next [goroutines]int
	var bad atomic.Int32
	var done Leaf[struct{}]
	left := goroutines * posts
	busy := 0
	root := newFn(func() Future[struct{}] {
		p := CurrentPoster()
		HoldLoop()
		var wg sync.WaitGroup
		for g := range goroutines {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := range posts {
					p.Post(func() {
						if next[g] != i {
							bad.Add(1)
						}
						next[g]++
						if left--; left == 0 {
							ReleaseLoop()
							done.Resolve(struct{}{}, nil)
						}
					})
				}
			}()
		}
		// A task keeps the loop busy while the posts arrive.
		spin := newFn()
		spin.steps = []func() Future[struct{}]{func() Future[struct{}] {
			if !done.Done() {
				busy++
				spin.State-- // again
				return Sleep(0)
			}
			return nil
		}}
		Spawn(new(Task[struct{}]), spin)
		return &done
	})
	runFn(t, Options{}, root)
	if n := bad.Load(); n != 0 {
		t.Fatalf("%d posts ran out of order", n)
	}
	for g, n := range next {
		if n != posts {
			t.Fatalf("goroutine %d: %d of %d posts ran", g, n, posts)
		}
	}
	t.Logf("%d ticks of the busy task", busy)
}

// A post to a loop whose Run has ended is refused.
func TestPostAfterRun(t *testing.T) {
	var p Poster
	runFn(t, Options{}, newFn(func() Future[struct{}] { p = CurrentPoster(); return nil }))
	if p.Post(func() { t.Error("ran") }) {
		t.Fatal("Post after Run reported true")
	}
}

// The cooperative budget (HARDCASES 15): a task whose awaits all complete
// at once yields its turn after stepBudget of them, so a task ready beside
// it runs; each step of the trampoline counts as well.
func TestBudgetYields(t *testing.T) {
	const awaits = 3000
	var trace []int
	i := 0
	ready := Ready(struct{}{})
	looper := newFn()
	looper.steps = []func() Future[struct{}]{func() Future[struct{}] {
		if i == awaits {
			return nil
		}
		i++
		looper.State--
		return ready
	}}
	other := newFn()
	other.steps = []func() Future[struct{}]{func() Future[struct{}] {
		trace = append(trace, i)
		if i == awaits {
			return nil
		}
		other.State--
		return Sleep(0)
	}}
	root := newFn(
		func() Future[struct{}] { Spawn(new(Task[struct{}]), other); return nil },
		func() Future[struct{}] { return looper },
	)
	runFn(t, Options{}, root)
	// The root's first turn (other, spawned, runs in the next tick): its
	// own step, the looper's step (started inline), then 1022 awaits; then
	// a turn is a step and 1023 awaits.
	want := []int{stepBudget - 2, 2*stepBudget - 3, awaits}
	if len(trace) != len(want) {
		t.Fatalf("other ran at %v, want %v", trace, want)
	}
	for k := range want {
		if trace[k] != want[k] {
			t.Fatalf("other ran at %v, want %v", trace, want)
		}
	}
}

// A chain of a million machines completing synchronously neither
// overflows the stack nor starves another task.
func TestDeepSyncChain(t *testing.T) {
	const depth = 1_000_000
	var mk func(n int) Future[struct{}]
	mk = func(n int) Future[struct{}] {
		if n == 0 {
			return Ready(struct{}{})
		}
		return newFn(func() Future[struct{}] { return mk(n - 1) })
	}
	otherRan := false
	root := newFn(
		func() Future[struct{}] {
			Spawn(new(Task[struct{}]), newFn(func() Future[struct{}] { otherRan = true; return nil }))
			return nil
		},
		func() Future[struct{}] { return mk(depth) },
		func() Future[struct{}] {
			if !otherRan {
				t.Error("the other task did not run during the chain")
			}
			return nil
		},
	)
	if _, err := Run[struct{}](context.Background(), new(Task[struct{}]), root, nil, Options{}); err != nil {
		t.Fatal(err)
	}
}
