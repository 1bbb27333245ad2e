package rt_test

import (
	"testing"

	"github.com/asyncgen/asyncgen/rt"
)

// Tests of Mutex, Semaphore, Event and Cond, as hand-written machines (both
// views run them). The traces were checked against the same programs on
// Python 3.11's asyncio where asyncio has the same rule (see each test).

// logErr logs "name: what err" for an await's outcome.
func logErr[X any](tr *tracer, name, what string) func(X, error) {
	return func(_ X, err error) { tr.log("%s %s %v", name, what, err) }
}

// locker locks mu, holds it across a sleep of hold ms, and unlocks.
func locker(tr *tracer, mu *rt.Mutex, name string, hold int) *script {
	return newScript(
		do(func() { tr.log("%s wants", name) }),
		try(mu.Lock, func(struct{}) { tr.log("%s holds", name) }, func(err error) { tr.log("%s: %v", name, err) }),
		deferFn(func() { tr.log("%s unlocks", name); mu.Unlock() }),
		await(sleep(hold), nil),
	)
}

func TestMutexFIFO(t *testing.T) {
	var tr tracer
	var mu rt.Mutex
	main := newScript(
		do(func() {
			for _, n := range []string{"a", "b", "c"} {
				rt.Spawn[int](locker(&tr, &mu, n, 10))
			}
		}),
		await(sleep(100), nil),
	)
	run[int](main)
	tr.check(t, "a wants", "a holds", "b wants", "c wants",
		"a unlocks", "b holds", "b unlocks", "c holds", "c unlocks")
}

// Unlock hands the lock to the first waiter: the task that unlocked cannot
// take it back by locking again at once (asyncio.Lock since 3.10).
func TestMutexNoBarging(t *testing.T) {
	var tr tracer
	var mu rt.Mutex
	main := newScript(
		try(mu.Lock, nil, nil),
		do(func() { rt.Spawn[int](locker(&tr, &mu, "b", 0)) }),
		await(sleep(0), nil), // b waits
		do(func() { tr.log("main unlocks"); mu.Unlock() }),
		try(mu.Lock, func(struct{}) { tr.log("main holds again") }, nil),
		do(mu.Unlock),
	)
	run[int](main)
	tr.check(t, "b wants", "main unlocks", "b holds", "b unlocks", "main holds again")
}

// HARDCASES 14: a waiter cancelled while it waits leaves the queue; one
// handed the lock and cancelled before it resumes gives it to the next.
func TestMutexCancelledWaiters(t *testing.T) {
	var tr tracer
	var mu rt.Mutex
	var b, c *rt.Task[int]
	main := newScript(
		try(mu.Lock, nil, nil),
		do(func() {
			b = rt.Spawn[int](locker(&tr, &mu, "b", 0))
			c = rt.Spawn[int](locker(&tr, &mu, "c", 0))
			rt.Spawn[int](locker(&tr, &mu, "d", 0))
		}),
		await(sleep(0), nil), // b, c and d wait
		do(func() {
			c.Cancel() // c leaves the queue
			tr.log("main unlocks")
			mu.Unlock() // b is handed the lock...
			b.Cancel()  // ... and cancelled before it resumes: d gets it
		}),
		await(sleep(10), nil),
		try(mu.Lock, func(struct{}) { tr.log("main holds again") }, nil),
	)
	run[int](main)
	tr.check(t, "b wants", "c wants", "d wants", "main unlocks",
		"c: context canceled", "b: context canceled", "d holds", "d unlocks", "main holds again")
}

// An await in a deferred call is shielded: a waiter unwinding after its
// cancellation still gets the lock it is handed.
func TestMutexShieldedWaiterKeepsLock(t *testing.T) {
	var tr tracer
	var mu rt.Mutex
	var b *rt.Task[int]
	main := newScript(
		try(mu.Lock, nil, nil),
		do(func() {
			b = rt.Spawn[int](newScript(
				deferFn(func() { tr.log("b unlocks"); mu.Unlock() }),
				deferAwait(mu.Lock),
				await(sleep(1000), logErr[struct{}](&tr, "b", "sleep")),
			))
		}),
		await(sleep(0), nil),
		do(func() { b.Cancel() }),
		await(sleep(0), nil), // b unwinds, waits for the lock in its defer
		do(func() { tr.log("main unlocks"); mu.Unlock() }),
		await(func() rt.Future[int] { return b }, logErr[int](&tr, "b", "joined")),
	)
	run[int](main)
	tr.check(t, "b sleep context canceled", "main unlocks", "b unlocks", "b joined <nil>")
}

func TestMutexUnlockUnlockedPanics(t *testing.T) {
	expectPanic(t, "Unlock of unlocked Mutex", func() { new(rt.Mutex).Unlock() })
}

func TestSemaphore(t *testing.T) {
	var tr tracer
	sem := rt.NewSemaphore(2)
	worker := func(name string, d int) *script {
		return newScript(
			try(sem.Acquire, func(struct{}) { tr.log("%s in", name) }, func(err error) { tr.log("%s: %v", name, err) }),
			deferFn(func() { tr.log("%s out", name); sem.Release() }),
			await(sleep(d), nil),
		)
	}
	var c *rt.Task[int]
	main := newScript(
		do(func() {
			rt.Spawn[int](worker("a", 10))
			rt.Spawn[int](worker("b", 20))
			c = rt.Spawn[int](worker("c", 10))
			rt.Spawn[int](worker("d", 10))
			rt.Spawn[int](worker("e", 10))
		}),
		await(sleep(5), nil),
		do(func() { c.Cancel() }), // c waits: it leaves the queue
		await(sleep(100), nil),
	)
	run[int](main)
	tr.check(t, "a in", "b in", "c: context canceled", "a out", "d in", "b out", "d out", "e in", "e out")
}

// HARDCASES 14: a permit handed to a waiter cancelled before it resumes
// goes to the next waiter.
func TestSemaphoreHandoffCancelled(t *testing.T) {
	var tr tracer
	sem := rt.NewSemaphore(0)
	acquirer := func(name string) *script {
		return newScript(await(sem.Acquire, logErr[struct{}](&tr, name, "acquired")))
	}
	var a *rt.Task[int]
	main := newScript(
		do(func() {
			a = rt.Spawn[int](acquirer("a"))
			rt.Spawn[int](acquirer("b"))
		}),
		await(sleep(0), nil),
		do(func() { sem.Release(); a.Cancel() }),
		await(sleep(0), nil),
		await(sleep(0), nil),
		try(sem.Acquire, func(struct{}) { tr.log("main acquired") }, nil), // no permit left: waits for one
	)
	expectPanic(t, "deadlock", func() { run[int](main) })
	tr.check(t, "a acquired context canceled", "b acquired <nil>")
}

func TestNewSemaphoreNegativePanics(t *testing.T) {
	expectPanic(t, "negative", func() { rt.NewSemaphore(-1) })
}

func TestEvent(t *testing.T) {
	var tr tracer
	var ev rt.Event
	waiter := func(name string) *script {
		return newScript(
			do(func() { tr.log("%s waits", name) }),
			await(ev.Wait, logErr[struct{}](&tr, name, "woke")),
		)
	}
	var b *rt.Task[int]
	main := newScript(
		do(func() {
			rt.Spawn[int](waiter("a"))
			b = rt.Spawn[int](waiter("b"))
			rt.Spawn[int](waiter("c"))
		}),
		await(sleep(10), nil),
		do(func() {
			tr.log("set %v", ev.IsSet())
			ev.Set()
			ev.Clear() // the woken waiters still complete
			b.Cancel() // woken, not resumed: its wait fails
			rt.Spawn[int](waiter("d"))
		}),
		await(sleep(10), nil),
		do(func() { ev.Set(); ev.Set(); tr.log("set %v", ev.IsSet()) }),
		await(ev.Wait, func(struct{}, error) { tr.log("main passes") }),
		await(sleep(0), nil),
	)
	run[int](main)
	tr.check(t, "a waits", "b waits", "c waits", "set false",
		"a woke <nil>", "b woke context canceled", "c woke <nil>", "d waits",
		"set true", "main passes", "d woke <nil>")
}

// Cond.Wait unlocks L while it waits and locks it again before it
// returns, also when it is cancelled; Signal wakes one waiter, Broadcast
// all, in the order they began to wait.
func TestCond(t *testing.T) {
	var tr tracer
	var mu rt.Mutex
	c := rt.NewCond(&mu)
	items := 0
	consumer := func(name string) *script {
		return newScript(
			try(mu.Lock, nil, nil),
			deferFn(func() { tr.log("%s unlocks", name); mu.Unlock() }),
			await(c.Wait, func(_ struct{}, err error) { tr.log("%s woke %v, items %d", name, err, items) }),
		)
	}
	var b *rt.Task[int]
	main := newScript(
		do(func() {
			rt.Spawn[int](consumer("a"))
			b = rt.Spawn[int](consumer("b"))
			rt.Spawn[int](consumer("c"))
			rt.Spawn[int](consumer("d"))
		}),
		await(sleep(0), nil), // all wait, L is free
		try(mu.Lock, nil, nil),
		do(func() { items = 1; c.Signal(); tr.log("main signals") }),
		await(sleep(0), nil), // a waits for L
		do(func() { tr.log("main unlocks"); mu.Unlock() }),
		await(sleep(0), nil),
		do(func() { b.Cancel() }),
		await(sleep(0), nil),
		try(mu.Lock, nil, nil),
		do(func() { items = 2; c.Broadcast(); tr.log("main broadcasts"); mu.Unlock() }),
		await(sleep(10), nil),
	)
	run[int](main)
	tr.check(t, "main signals", "main unlocks", "a woke <nil>, items 1", "a unlocks",
		"b woke context canceled, items 1", "b unlocks",
		"main broadcasts", "c woke <nil>, items 2", "c unlocks", "d woke <nil>, items 2", "d unlocks")
}

func TestCondSignalToCancelledGoesToNext(t *testing.T) {
	var tr tracer
	var mu rt.Mutex
	c := rt.NewCond(&mu)
	waiter := func(name string) *script {
		return newScript(
			try(mu.Lock, nil, nil),
			deferFn(mu.Unlock),
			await(c.Wait, logErr[struct{}](&tr, name, "woke")),
		)
	}
	var a *rt.Task[int]
	main := newScript(
		do(func() {
			a = rt.Spawn[int](waiter("a"))
			rt.Spawn[int](waiter("b"))
		}),
		await(sleep(0), nil),
		do(func() { c.Signal(); a.Cancel() }),
		await(sleep(10), nil),
	)
	run[int](main)
	tr.check(t, "a woke context canceled", "b woke <nil>")
}

func TestCondWaitWithoutLockPanics(t *testing.T) {
	c := rt.NewCond(new(rt.Mutex))
	main := newScript(await(c.Wait, nil))
	expectPanic(t, "without holding L", func() { run[int](main) })
}
