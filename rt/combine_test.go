package rt_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/asyncgen/asyncgen/rt"
)

// failAfter sleeps d ms and fails with err; if its sleep is cancelled, it
// logs that and returns the cancellation.
func failAfter(tr *tracer, name string, d int, err error) *script {
	return newScript(
		deferFn(func() { tr.log("%s defer", name) }),
		try(sleep(d), nil, func(e error) { tr.log("%s: %v", name, e) }),
		ret(0, err),
	)
}

func TestGatherOrderAndConcurrency(t *testing.T) {
	var tr tracer
	var start, end time.Time
	main := newScript(do(func() { start = rt.Now() }), await(func() rt.Future[[]int] {
		return rt.Gather[int](newSleeper(&tr, "a", 30, 1), newSleeper(&tr, "b", 10, 2), rt.Ready(3))
	}, func(v []int, err error) { tr.log("gather %v %v", v, err); end = rt.Now() }))
	run[int](main)
	tr.check(t, "a start", "b start", "b end", "a end", "gather [1 2 3] <nil>")
	if d := end.Sub(start); d != ms(30) { // virtual time: exact
		t.Errorf("gather took %v, want 30ms: not concurrent", d)
	}
}

func TestGatherFirstErrorCancelsRest(t *testing.T) {
	var tr tracer
	boom := errors.New("boom")
	var owned *rt.Task[int]
	main := newScript(
		do(func() { owned = rt.Spawn[int](failAfter(&tr, "owned", 1000, nil)) }),
		await(func() rt.Future[[]int] {
			return rt.Gather[int](failAfter(&tr, "slow", 1000, nil), failAfter(&tr, "bad", 1, boom), owned)
		}, func(v []int, err error) { tr.log("gather %v %v owned done=%v", v, err, owned.Done()) }))
	run[int](main)
	tr.check(t, "bad defer", "slow: context canceled", "slow defer", "owned: context canceled", "owned defer",
		"gather [] boom owned done=true")
}

func TestGatherAwaiterCancelled(t *testing.T) {
	var tr tracer
	var gt *rt.Task[[]int]
	main := newScript(
		do(func() {
			gt = rt.Spawn(rt.Gather[int](failAfter(&tr, "x", 1000, nil), failAfter(&tr, "y", 1000, nil)))
		}),
		await(sleep(1), nil),
		do(func() { gt.Cancel() }),
		await(func() rt.Future[[]int] { return gt }, func(v []int, err error) { tr.log("gather %v %v", v, err) }),
	)
	run[int](main)
	tr.check(t, "x: context canceled", "x defer", "y: context canceled", "y defer", "gather [] context canceled")
}

func TestRace(t *testing.T) {
	var tr tracer
	main := newScript(await(func() rt.Future[int] {
		return rt.Race[int](newSleeper(&tr, "slow", 1000, 1), newSleeper(&tr, "fast", 1, 2))
	}, func(v int, err error) { tr.log("race %v %v", v, err) }),
		await(func() rt.Future[int] { return rt.Race[int]() }, func(v int, err error) { tr.log("empty: %v", err) }))
	run[int](main)
	tr.check(t, "slow start", "fast start", "fast end", "slow: context canceled", "race 2 <nil>",
		"empty: rt.Race: no futures")
}

func TestWithTimeout(t *testing.T) {
	var tr tracer
	var start, end time.Time
	main := newScript(
		do(func() { start = rt.Now() }),
		await(func() rt.Future[int] { return rt.WithTimeout[int](failAfter(&tr, "late", 1000, nil), ms(5)) },
			func(v int, err error) { tr.log("late: %v %v", v, errors.Is(err, context.DeadlineExceeded)) }),
		await(func() rt.Future[int] { return rt.WithTimeout[int](newSleeper(&tr, "quick", 1, 7), ms(1000)) },
			func(v int, err error) { tr.log("quick: %v %v", v, err) }),
		// Nested: the outer deadline fires first and is the one reported.
		await(func() rt.Future[int] {
			return rt.WithTimeout(rt.WithTimeout[int](failAfter(&tr, "nested", 1000, nil), ms(500)), ms(5))
		}, func(v int, err error) { tr.log("nested: %v", errors.Is(err, context.DeadlineExceeded)) }),
		do(func() { end = rt.Now() }),
	)
	run[int](main)
	tr.check(t, "late: context canceled", "late defer", "late: 0 true",
		"quick start", "quick end", "quick: 7 <nil>",
		"nested: context canceled", "nested defer", "nested: true")
	if d := end.Sub(start); d != ms(5+1+5) { // virtual time: exact
		t.Errorf("took %v, want 11ms", d)
	}
}

func TestShield(t *testing.T) {
	var tr tracer
	var waiter *rt.Task[int]
	var shielded *rt.Task[int]
	main := newScript(
		do(func() {
			shielded = rt.Spawn[int](newSleeper(&tr, "inner", 5, 9))
			waiter = rt.Spawn[int](newScript(await(func() rt.Future[int] { return rt.Shield[int](shielded) },
				func(v int, err error) { tr.log("waiter: %v %v", v, err) })))
		}),
		await(sleep(1), nil),
		do(func() { waiter.Cancel() }),
		await(sleep(10), nil),
		do(func() { tr.log("inner done=%v", shielded.Done()) }),
	)
	run[int](main)
	tr.check(t, "inner start", "waiter: 0 context canceled", "inner end", "inner done=true")
}

func TestGroup(t *testing.T) {
	var tr tracer
	e1, e2 := errors.New("e1"), errors.New("e2")
	main := newScript(
		await(func() rt.Future[struct{}] {
			g := rt.NewGroup()
			rt.Go[int](g, newSleeper(&tr, "ok", 1, 1))
			rt.Go[int](g, failAfter(&tr, "f1", 2, e1))
			rt.Go[int](g, failAfter(&tr, "f2", 2, e2))
			rt.Go[int](g, failAfter(&tr, "long", 1000, nil))
			return g.Wait()
		}, func(_ struct{}, err error) {
			tr.log("wait: %v e1=%v e2=%v canceled=%v", err != nil, errors.Is(err, e1), errors.Is(err, e2),
				errors.Is(err, context.Canceled))
		}),
		await(func() rt.Future[struct{}] { return rt.NewGroup().Wait() },
			func(_ struct{}, err error) { tr.log("empty: %v", err) }),
	)
	run[int](main)
	tr.check(t, "ok start", "ok end", "f1 defer", "f2 defer", "long: context canceled", "long defer",
		"wait: true e1=true e2=true canceled=false", "empty: <nil>")
}

func TestGroupPanicReraised(t *testing.T) {
	var tr tracer
	main := newScript(
		deferFn(func() { tr.log("recovered %v", recover()) }),
		await(func() rt.Future[struct{}] {
			g := rt.NewGroup()
			rt.Go[int](g, newScript(await(sleep(1), nil), do(func() { panic("member") })))
			rt.Go[int](g, failAfter(&tr, "other", 1000, nil))
			return g.Wait()
		}, nil),
	)
	run[int](main)
	tr.check(t, "other: context canceled", "other defer", "recovered panic: member")
}
