package rt_test

import (
	"testing"

	"github.com/asyncgen/asyncgen/rt"
)

// Tests of Queue as hand-written machines (both views run them). Traces
// marked "asyncio" are those of the same program on Python 3.11.

// getter gets one value from q and logs it.
func getter(tr *tracer, q *rt.Queue[int], name string) *script {
	return newScript(await(q.Get, func(v int, err error) {
		if err != nil {
			tr.log("%s: %v", name, err)
			return
		}
		tr.log("%s got %d", name, v)
	}))
}

// putter puts vs into q, logging each put.
func putter(tr *tracer, q *rt.Queue[int], name string, vs ...int) *script {
	var steps []step
	for _, v := range vs {
		steps = append(steps, await(func() rt.Future[struct{}] { return q.Put(v) }, func(_ struct{}, err error) {
			if err != nil {
				tr.log("%s put %d: %v", name, v, err)
				return
			}
			tr.log("%s put %d", name, v)
		}))
	}
	return newScript(steps...)
}

// A value put while a getter waits goes into the queue and counts toward
// its capacity: the next put waits until the woken getter has taken it.
// asyncio prints the same.
func TestQueueWakeOrder(t *testing.T) {
	var tr tracer
	q := rt.NewQueue[int](1)
	var g1, g2, p *rt.Task[int]
	main := newScript(
		do(func() { g1 = rt.Spawn[int](getter(&tr, q, "g1")) }),
		await(sleep(0), nil),
		do(func() { p = rt.Spawn[int](putter(&tr, q, "p", 1, 2, 3)) }),
		await(sleep(0), nil),
		do(func() { tr.log("len %d", q.Len()); g2 = rt.Spawn[int](getter(&tr, q, "g2")) }),
		await(func() rt.Future[int] { return g1 }, nil),
		do(func() { tr.log("len %d", q.Len()) }),
		await(func() rt.Future[int] { return g2 }, nil),
		do(func() { tr.log("len %d", q.Len()) }),
		await(q.Get, func(v int, err error) { tr.log("main got %d", v) }),
		await(func() rt.Future[int] { return p }, nil),
	)
	run[int](main)
	tr.check(t, "p put 1", "len 1", "g1 got 1", "p put 2", "len 1", "g2 got 2", "p put 3", "len 1", "main got 3")
}

// The value put for a woken getter is not taken by a newcomer, which
// waits behind it. (asyncio lets the newcomer take it: the woken getter
// then finds the queue empty and waits again, at the back.)
func TestQueueNoBarging(t *testing.T) {
	var tr tracer
	var q rt.Queue[int] // zero: unbounded
	main := newScript(
		do(func() { rt.Spawn[int](getter(&tr, &q, "g")) }),
		await(sleep(0), nil),
		try(func() rt.Future[struct{}] { return q.Put(1) }, nil, nil),
		do(func() { rt.Spawn[int](putter(&tr, &q, "p", 2)) }),
		await(q.Get, func(v int, err error) { tr.log("main got %d %v", v, err) }),
	)
	run[int](main)
	tr.check(t, "g got 1", "p put 2", "main got 2 <nil>")
}

func TestQueueBoundedProducerConsumer(t *testing.T) {
	var tr tracer
	q := rt.NewQueue[int](2)
	consumer := func(name string, n, d int) *script {
		var steps []step
		for range n {
			steps = append(steps,
				await(q.Get, func(v int, err error) { tr.log("%s got %d", name, v) }),
				await(sleep(d), nil))
		}
		return newScript(steps...)
	}
	main := newScript(
		do(func() {
			rt.Spawn[int](putter(&tr, q, "p", 1, 2, 3, 4, 5, 6))
			rt.Spawn[int](consumer("c1", 3, 10))
			rt.Spawn[int](consumer("c2", 3, 15))
		}),
		await(sleep(100), nil),
	)
	run[int](main)
	// asyncio prints the same.
	tr.check(t, "p put 1", "p put 2", "c1 got 1", "c2 got 2", "p put 3", "p put 4",
		"c1 got 3", "p put 5", "c2 got 4", "p put 6", "c1 got 5", "c2 got 6")
}

// HARDCASES 14: a getter handed a value and cancelled before it runs does
// not lose it: the next getter gets it, or it stays in the queue.
func TestQueueGetterCancelledAfterHandoff(t *testing.T) {
	var tr tracer
	q := rt.NewQueue[int](0)
	var g1, g2 *rt.Task[int]
	main := newScript(
		do(func() {
			g1 = rt.Spawn[int](getter(&tr, q, "g1"))
			g2 = rt.Spawn[int](getter(&tr, q, "g2"))
			rt.Spawn[int](getter(&tr, q, "g3"))
		}),
		await(sleep(0), nil),
		try(func() rt.Future[struct{}] { return q.Put(1) }, nil, nil), // handed to g1
		do(func() { g1.Cancel() }),                                    // ... which gives it to g2
		await(sleep(0), nil),
		try(func() rt.Future[struct{}] { return q.Put(2) }, nil, nil), // handed to g3
		await(sleep(0), nil),
		try(func() rt.Future[struct{}] { return q.Put(3) }, nil, nil), // nobody waits
		do(func() { tr.log("len %d", q.Len()) }),
		do(func() { g2 = rt.Spawn[int](getter(&tr, q, "g4")) }),
		do(func() { g2.Cancel() }), // cancelled before its first run: takes nothing
		await(sleep(0), nil),
		do(func() { tr.log("len %d", q.Len()) }),
		await(q.Get, func(v int, err error) { tr.log("main got %d", v) }),
	)
	run[int](main)
	tr.check(t, "g1: context canceled", "g2 got 1", "g3 got 2", "len 1", "g4: context canceled", "len 1", "main got 3")
}

// A putter handed a free slot and cancelled before it runs passes the
// slot to the next putter; its own value never enters the queue.
func TestQueuePutterCancelledAfterHandoff(t *testing.T) {
	var tr tracer
	q := rt.NewQueue[int](1)
	var p1 *rt.Task[int]
	main := newScript(
		try(func() rt.Future[struct{}] { return q.Put(0) }, nil, nil), // full
		do(func() {
			p1 = rt.Spawn[int](putter(&tr, q, "p1", 1))
			rt.Spawn[int](putter(&tr, q, "p2", 2))
		}),
		await(sleep(0), nil),
		await(q.Get, func(v int, err error) { tr.log("main got %d", v) }), // p1 is handed the slot
		do(func() { p1.Cancel() }),
		await(sleep(0), nil), // p1 passes the slot to p2
		await(sleep(0), nil),
		do(func() { tr.log("len %d", q.Len()) }),
		await(q.Get, func(v int, err error) { tr.log("main got %d", v) }),
	)
	run[int](main)
	tr.check(t, "main got 0", "p1 put 1: context canceled", "p2 put 2", "len 1", "main got 2")
}

func TestQueueClose(t *testing.T) {
	var tr tracer
	q := rt.NewQueue[int](1)
	main := newScript(
		do(func() {
			rt.Spawn[int](putter(&tr, q, "p", 1, 2)) // 2 waits for room
		}),
		await(sleep(0), nil),
		do(func() { q.Close(); q.Close() }),
		await(q.Get, func(v int, err error) { tr.log("get %d %v", v, err) }),
		await(q.Get, func(v int, err error) { tr.log("get %d %v", v, err) }),
		await(func() rt.Future[struct{}] { return q.Put(3) }, func(_ struct{}, err error) { tr.log("put 3 %v", err) }),
		do(func() {
			rt.Spawn[int](getter(&tr, rt.NewQueue[int](0), "unrelated")).Cancel()
		}),
		await(sleep(0), nil),
	)
	run[int](main)
	tr.check(t, "p put 1", "get 1 <nil>", "get 0 rt: closed", "put 3 rt: closed", "p put 2: rt: closed", "unrelated: context canceled")
}

// Getters waiting when the queue is closed fail with ErrClosed once the
// values left are taken.
func TestQueueCloseWakesGetters(t *testing.T) {
	var tr tracer
	q := rt.NewQueue[int](0)
	main := newScript(
		do(func() {
			rt.Spawn[int](getter(&tr, q, "g1"))
			rt.Spawn[int](getter(&tr, q, "g2"))
			rt.Spawn[int](getter(&tr, q, "g3"))
		}),
		await(sleep(0), nil),
		try(func() rt.Future[struct{}] { return q.Put(7) }, nil, nil),
		do(q.Close),
		await(sleep(0), nil),
	)
	run[int](main)
	tr.check(t, "g1 got 7", "g2: rt: closed", "g3: rt: closed")
}

// A Put future is one operation: awaiting it again does not put again. A
// Get future is the queue's own: each await of it takes a value.
func TestQueueOpAwaitedTwice(t *testing.T) {
	var tr tracer
	q := rt.NewQueue[int](0)
	put := q.Put(5)
	get := q.Get()
	main := newScript(
		await(fut(put), nil),
		await(fut(put), nil),
		try(func() rt.Future[struct{}] { return q.Put(6) }, nil, nil),
		await(fut(get), func(v int, err error) { tr.log("get %d %v", v, err) }),
		await(fut(get), func(v int, err error) { tr.log("get %d %v", v, err) }),
		do(func() { tr.log("len %d, same future %v", q.Len(), q.Get() == get) }),
	)
	run[int](main)
	tr.check(t, "get 5 <nil>", "get 6 <nil>", "len 0, same future true")
}

// A getter cancelled while it waits takes nothing; its deferred Get
// (shielded) waits for the next value.
func TestQueueGetAgainAfterCancel(t *testing.T) {
	var tr tracer
	q := rt.NewQueue[int](0)
	var g *rt.Task[int]
	main := newScript(
		do(func() {
			g = rt.Spawn[int](newScript(
				deferFn(func() { tr.log("deferred") }),
				deferAwait(q.Get),
				await(q.Get, func(v int, err error) { tr.log("first %d %v", v, err) }),
			))
		}),
		await(sleep(0), nil),
		do(func() { g.Cancel() }),
		await(sleep(0), nil),
		try(func() rt.Future[struct{}] { return q.Put(9) }, nil, nil),
		try(func() rt.Future[struct{}] { return q.Put(10) }, nil, nil),
		await(func() rt.Future[int] { return g }, nil),
		await(q.Get, func(v int, err error) { tr.log("main got %d %v", v, err) }),
	)
	run[int](main)
	tr.check(t, "first 0 context canceled", "deferred", "main got 10 <nil>")
}

func TestNewQueueNegativePanics(t *testing.T) {
	expectPanic(t, "negative", func() { rt.NewQueue[int](-1) })
}

// Many values through a small queue keep their order (the ring buffer
// wraps and grows).
func TestQueueOrderMany(t *testing.T) {
	const n = 1000
	var q rt.Queue[int]
	got := make([]int, 0, n)
	prod := newScript()
	for i := range n {
		prod.steps = append(prod.steps, try(func() rt.Future[struct{}] { return q.Put(i) }, nil, nil))
		if i%7 == 0 {
			prod.steps = append(prod.steps, await(sleep(0), nil))
		}
	}
	cons := newScript()
	for range n {
		cons.steps = append(cons.steps, try(q.Get, func(v int) { got = append(got, v) }, nil))
		cons.steps = append(cons.steps, await(sleep(0), nil))
	}
	main := newScript(
		do(func() { rt.Spawn[int](prod) }),
		await(fut[int](cons), nil),
	)
	if _, err := run[int](main); err != nil {
		t.Fatal(err)
	}
	for i, v := range got {
		if v != i {
			t.Fatalf("got[%d] = %d", i, v)
		}
	}
	if len(got) != n {
		t.Fatalf("got %d values", len(got))
	}
}

// An unbounded queue that took a burst gives the buffer back as it drains:
// it does not keep the burst's memory for as long as it lives.
func TestQueueShrinksAfterBurst(t *testing.T) {
	const burst = 5000
	var q rt.Queue[int]
	var steps []step
	for i := range burst {
		steps = append(steps, try(func() rt.Future[struct{}] { return q.Put(i) }, nil, nil))
	}
	steps = append(steps, do(func() {
		if got := rt.QueueCap(&q); got < burst {
			t.Fatalf("capacity %d after %d puts", got, burst)
		}
	}))
	for range burst {
		steps = append(steps, await(q.Get, nil))
	}
	main := newScript(steps...)
	run[int](main)
	if got := rt.QueueCap(&q); got > 64 {
		t.Errorf("capacity %d after the burst drained, want at most 64", got)
	}
}
