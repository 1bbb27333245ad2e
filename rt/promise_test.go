package rt_test

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/asyncgen/asyncgen/rt"
)

// Tests of Promise and Blocking (both views run them). Those that involve
// other goroutines use the real clock (rt.Run) unless they say otherwise.

func realRun[T any](f rt.Future[T]) (T, error) { return rt.Run(context.Background(), f) }

func TestPromiseFromGoroutine(t *testing.T) {
	p := rt.NewPromise[string]()
	main := newScript(
		do(func() {
			go func() {
				time.Sleep(10 * time.Millisecond)
				p.Resolve("hello")
				p.Resolve("ignored")
				p.Reject(errors.New("ignored"))
			}()
		}),
		await(p.Future, func(v string, err error) {
			if v != "hello" || err != nil {
				t.Errorf("got %q %v", v, err)
			}
		}),
	)
	realRun[int](main) // no deadlock: a source outside may resolve p
	// Later awaits, in another Run, see the outcome at once.
	if v, err := realRun(p.Future()); v != "hello" || err != nil {
		t.Fatalf("second Run: %q %v", v, err)
	}
}

func TestPromiseReject(t *testing.T) {
	var p rt.Promise[int] // the zero Promise is ready
	boom := errors.New("boom")
	p.Reject(boom)
	p.Resolve(1)
	if _, err := run(p.Future()); err != boom {
		t.Fatalf("got %v", err)
	}
}

// Waiters are woken in the order they began to wait, at the start of the
// tick after the resolution, whoever resolved.
func TestPromiseWaitersInOrder(t *testing.T) {
	var tr tracer
	p := rt.NewPromise[int]()
	waiter := func(name string) *script {
		return newScript(await(p.Future, func(v int, err error) { tr.log("%s got %d %v", name, v, err) }))
	}
	main := newScript(
		do(func() {
			rt.Spawn[int](waiter("a"))
			rt.Spawn[int](waiter("b"))
		}),
		await(sleep(0), nil),
		do(func() {
			rt.Spawn[int](newScript(do(func() { tr.log("spawned before resolve") })))
			p.Resolve(7)
			tr.log("resolved")
			rt.Spawn[int](waiter("c")) // resolved by then
		}),
		await(sleep(10), nil),
	)
	run[int](main)
	tr.check(t, "resolved", "spawned before resolve", "c got 7 <nil>", "a got 7 <nil>", "b got 7 <nil>")
}

// A promise does not hold a virtual clock: a timeout on a promise that
// nothing resolves fires at once.
func TestPromiseVirtualTimeout(t *testing.T) {
	p := rt.NewPromise[int]()
	start := time.Now()
	_, err := run(rt.WithTimeout(p.Future(), time.Hour))
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("got %v", err)
	}
	if time.Since(start) > 10*time.Second {
		t.Fatal("the virtual clock waited")
	}
}

// A task cancelled while it waits for a promise stops waiting; Run's
// context ending does it too.
func TestPromiseCancelled(t *testing.T) {
	p := rt.NewPromise[int]()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	_, err := rt.Run(ctx, p.Future())
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("got %v", err)
	}
	p.Resolve(1) // to a loop that has ended: nothing happens
	if v, err := realRun(p.Future()); v != 1 || err != nil {
		t.Fatalf("after: %v %v", v, err)
	}
}

func TestBlocking(t *testing.T) {
	var tr tracer
	ticks := 0
	main := newScript(
		do(func() {
			rt.Spawn[int](newScript(
				await(sleep(1), func(struct{}, error) { ticks++ }),
				await(sleep(1), func(struct{}, error) { ticks++ }),
			))
		}),
		await(func() rt.Future[string] {
			return rt.Blocking(func() (string, error) {
				time.Sleep(30 * time.Millisecond)
				return "done", nil
			})
		}, func(v string, err error) { tr.log("blocking %s %v", v, err) }),
	)
	realRun[int](main)
	tr.check(t, "blocking done <nil>")
	if ticks != 2 {
		t.Errorf("the loop was blocked: %d ticks", ticks)
	}
}

func TestBlockingPanic(t *testing.T) {
	main := newScript(await(func() rt.Future[int] {
		return rt.Blocking(func() (int, error) { panic("in the pool") })
	}, nil))
	expectPanic(t, "in the pool", func() { realRun[int](main) })
}

// Cancelling the awaiter returns at once; fn runs to its end, its results
// dropped.
func TestBlockingCancelled(t *testing.T) {
	release := make(chan struct{})
	finished := make(chan struct{})
	main := newScript(
		await(func() rt.Future[int] {
			return rt.WithTimeout(rt.Blocking(func() (int, error) {
				<-release
				close(finished)
				return 1, nil
			}), 10*time.Millisecond)
		}, func(v int, err error) {
			if !errors.Is(err, context.DeadlineExceeded) {
				t.Errorf("got %v %v", v, err)
			}
		}),
	)
	realRun[int](main)
	close(release)
	<-finished
}

// A Blocking future runs fn once, however often it is awaited.
func TestBlockingAwaitedTwice(t *testing.T) {
	var calls atomic.Int32
	b := rt.Blocking(func() (int, error) { calls.Add(1); return 5, nil })
	main := newScript(
		do(func() { rt.Spawn(b) }),
		await(fut(b), nil),
		await(fut(b), func(v int, err error) {
			if v != 5 || err != nil {
				t.Errorf("got %v %v", v, err)
			}
		}),
	)
	realRun[int](main)
	if n := calls.Load(); n != 1 {
		t.Fatalf("fn ran %d times", n)
	}
}

// At most BlockingLimit functions run at once; the others wait their turn.
func TestBlockingPoolBound(t *testing.T) {
	const n = 3 * rt.BlockingLimit
	var running, peak atomic.Int32
	release := make(chan struct{})
	var fs []rt.Future[int]
	for i := range n {
		fs = append(fs, rt.Blocking(func() (int, error) {
			r := running.Add(1)
			for p := peak.Load(); r > p && !peak.CompareAndSwap(p, r); p = peak.Load() {
			}
			if i == 0 {
				<-release // holds a worker until the others queued
			}
			time.Sleep(time.Millisecond)
			running.Add(-1)
			return i, nil
		}))
	}
	go func() {
		time.Sleep(20 * time.Millisecond)
		close(release)
	}()
	got, err := realRun(rt.Gather(fs...))
	if err != nil {
		t.Fatal(err)
	}
	for i, v := range got {
		if v != i {
			t.Fatalf("result %d is %d", i, v)
		}
	}
	if p := peak.Load(); p > rt.BlockingLimit || p < 2 {
		t.Fatalf("peak concurrency %d, limit %d", p, rt.BlockingLimit)
	}
}

// With a virtual clock, time stands still while fn runs: a result that
// takes real time arrives before a virtual timer.
func TestBlockingHoldsVirtualClock(t *testing.T) {
	var tr tracer
	main := newScript(
		do(func() {
			rt.Spawn[int](newScript(await(sleep(1), func(struct{}, error) { tr.log("timer at %v", rt.Now().Sub(rt.Now().Truncate(time.Hour))) })))
		}),
		await(func() rt.Future[int] {
			return rt.Blocking(func() (int, error) { time.Sleep(20 * time.Millisecond); return 1, nil })
		}, func(int, error) { tr.log("blocking back") }),
		await(sleep(5), nil),
	)
	run[int](main)
	tr.check(t, "blocking back", "timer at 1ms")
}

// The stress test: goroutines resolve promises and the pool runs Blocking
// calls while the loop is busy (tasks contend for a lock and a queue) and
// tasks are being cancelled. Every task ends with its promise's value or
// a cancellation, nothing is lost in the queue, and Run returns. Run it
// with -race.
func TestPromiseStress(t *testing.T) {
	const tasks = 2000
	rounds := 3
	if testing.Short() {
		rounds = 1
	}
	for round := range rounds {
		promises := make([]*rt.Promise[int], tasks)
		for i := range promises {
			promises[i] = rt.NewPromise[int]()
		}
		q := rt.NewQueue[int](16)
		var mu rt.Mutex
		got := make([]string, tasks)
		var ts []*rt.Task[int]
		var wg sync.WaitGroup
		rng := rand.New(rand.NewPCG(uint64(round), 1))
		put, taken := 0, 0
		worker := func(i int) *script {
			return newScript(
				try(mu.Lock, nil, nil),
				await(sleep(0), nil),
				do(mu.Unlock),
				await(promises[i].Future, func(v int, err error) {
					if err != nil {
						got[i] = "cancelled"
						return
					}
					got[i] = fmt.Sprint(v)
				}),
				await(func() rt.Future[int] {
					return rt.Blocking(func() (int, error) { return i, nil })
				}, nil),
				try(func() rt.Future[struct{}] { return q.Put(i) }, func(struct{}) { put++ }, nil),
			)
		}
		consumer := newScript()
		consumer.steps = []step{func(s *script) bool {
			return await(q.Get, func(_ int, err error) {
				if err == nil {
					taken++
					s.pc = 0 // again, until the queue is closed
				}
			})(s)
		}}
		canceller := newScript()
		canceller.steps = []step{
			do(func() {
				for range 5 {
					ts[rng.IntN(tasks)].Cancel()
				}
			}),
			func(s *script) bool {
				if rng.IntN(100) != 0 {
					s.pc = 0
				}
				return await(sleep(0), nil)(s)
			},
		}
		main := newScript(
			do(func() {
				for i := range tasks {
					ts = append(ts, rt.Spawn[int](worker(i)))
				}
				rt.Spawn[int](canceller)
				// Resolve from many goroutines, in any order.
				for g := range 8 {
					wg.Add(1)
					go func() {
						defer wg.Done()
						for i := g; i < tasks; i += 8 {
							if rand.IntN(16) == 0 {
								time.Sleep(time.Duration(rand.IntN(100)) * time.Microsecond)
							}
							promises[i].Resolve(i)
						}
					}()
				}
			}),
		)
		for i := range tasks { // join them all
			main.steps = append(main.steps, await(func() rt.Future[int] { return ts[i] }, nil))
		}
		var cons *rt.Task[int]
		main.steps = append([]step{do(func() { cons = rt.Spawn[int](consumer) })}, main.steps...)
		main.steps = append(main.steps,
			do(q.Close),
			await(func() rt.Future[int] { return cons }, nil))
		realRun[int](main)
		wg.Wait()
		n := 0
		for i, g := range got {
			switch g {
			case fmt.Sprint(i):
				n++
			case "cancelled", "": // cancelled while it waited, or before
			default:
				t.Fatalf("task %d got %q", i, g)
			}
		}
		if n < tasks/4 {
			t.Fatalf("only %d of %d tasks got their value", n, tasks)
		}
		if put != taken {
			t.Fatalf("%d values put, %d taken", put, taken)
		}
		t.Logf("round %d: %d of %d tasks got their value, %d through the queue", round, n, tasks, put)
	}
}
