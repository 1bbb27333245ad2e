package rt_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"testing"

	"github.com/asyncgen/asyncgen/rt"
)

func TestLazyAndInline(t *testing.T) {
	var tr tracer
	child := newScript(do(func() { tr.log("child runs") }), ret(7, nil))
	main := newScript(
		do(func() { tr.log("main before await") }),
		await(fut[int](child), func(v int, err error) { tr.log("child gave %d %v", v, err) }),
		ret(1, nil),
	)
	tr.log("created")
	v, err := run[int](main)
	tr.check(t, "created", "main before await", "child runs", "child gave 7 <nil>")
	if v != 1 || err != nil {
		t.Fatalf("Run = %v, %v", v, err)
	}
}

func TestFIFOAndTicks(t *testing.T) {
	var tr tracer
	worker := func(name string) *script {
		return newScript(
			do(func() { tr.log("%s 1", name) }),
			await(sleep(0), nil),
			do(func() { tr.log("%s 2", name) }),
			await(sleep(0), nil),
			do(func() { tr.log("%s 3", name) }),
		)
	}
	main := newScript(
		do(func() {
			rt.Spawn[int](worker("a"))
			rt.Spawn[int](worker("b"))
			tr.log("spawned")
		}),
		await(sleep(0), nil),
		do(func() {
			// spawned during a tick: runs in the next one, after a and b.
			rt.Spawn[int](worker("c"))
			tr.log("main")
		}),
		await(sleep(0), nil),
		await(sleep(0), nil),
		await(sleep(0), nil),
	)
	run[int](main)
	tr.check(t, "spawned", "a 1", "b 1", "main", "a 2", "b 2", "c 1", "a 3", "b 3", "c 2", "c 3")
}

func TestTimerOrder(t *testing.T) {
	var tr tracer
	main := newScript(do(func() {
		rt.Spawn[int](newSleeper(&tr, "30", 30, 0))
		rt.Spawn[int](newSleeper(&tr, "10", 10, 0))
		rt.Spawn[int](newSleeper(&tr, "20", 20, 0))
		rt.Spawn[int](newSleeper(&tr, "10b", 10, 0))
	}), await(sleep(50), nil))
	run[int](main)
	tr.check(t, "30 start", "10 start", "20 start", "10b start", "10 end", "10b end", "20 end", "30 end")
}

func TestCancelLevelTriggered(t *testing.T) {
	var tr tracer
	var task *rt.Task[int]
	worker := newScript(
		deferFn(func() { tr.log("defer 1") }),
		deferAwait(func() rt.Future[int] { // shielded cleanup that suspends
			return newScript(
				do(func() { tr.log("cleanup start") }),
				await(sleep(1), func(_ struct{}, err error) { tr.log("cleanup slept: %v", err) }),
				ret(0, nil))
		}),
		await(sleep(1000*3600), func(_ struct{}, err error) {
			tr.log("hour: canceled=%v", errors.Is(err, context.Canceled))
		}),
		await(sleep(0), func(_ struct{}, err error) { tr.log("next await: %v", err) }),
		await(fut(rt.Ready(5)), func(v int, err error) { tr.log("ready await: %v %v", v, err) }),
		ret(3, nil),
	)
	main := newScript(
		do(func() { task = rt.Spawn[int](worker) }),
		await(sleep(0), nil),
		do(func() { tr.log("cancel"); task.Cancel(); task.Cancel() }),
		await(func() rt.Future[int] { return task }, func(v int, err error) {
			tr.log("joined: %v %v done=%v", v, err, task.Done())
		}),
	)
	run[int](main)
	tr.check(t, "cancel",
		"hour: canceled=true",
		"next await: context canceled",
		"ready await: 0 context canceled",
		"cleanup start",
		"cleanup slept: <nil>",
		"defer 1",
		"joined: 3 <nil> done=true")
}

func TestCancelBeforeFirstRun(t *testing.T) {
	var tr tracer
	var task *rt.Task[int]
	worker := newScript(
		deferFn(func() { tr.log("defer ran") }),
		await(sleep(0), func(_ struct{}, err error) { tr.log("await: %v", err) }),
		ret(1, nil),
	)
	main := newScript(
		do(func() { task = rt.Spawn[int](worker); task.Cancel() }),
		await(func() rt.Future[int] { return task }, func(v int, err error) { tr.log("joined %v %v", v, err) }),
	)
	run[int](main)
	tr.check(t, "await: context canceled", "defer ran", "joined 1 <nil>")
}

func TestJoinNotCancelledWithAwaiter(t *testing.T) {
	var tr tracer
	var inner *rt.Task[int]
	var outer *rt.Task[int]
	main := newScript(
		do(func() {
			inner = rt.Spawn[int](newSleeper(&tr, "inner", 5, 9))
			outer = rt.Spawn[int](newScript(await(func() rt.Future[int] { return inner },
				func(v int, err error) { tr.log("outer join: %v %v", v, err) })))
		}),
		await(sleep(0), nil),
		do(func() { outer.Cancel() }),
		await(func() rt.Future[int] { return inner }, func(v int, err error) { tr.log("main join: %v %v", v, err) }),
	)
	run[int](main)
	tr.check(t, "inner start", "outer join: 0 context canceled", "inner end", "main join: 9 <nil>")
}

func TestRunCancelsLeftovers(t *testing.T) {
	var tr tracer
	main := newScript(do(func() {
		rt.Spawn[int](newScript(
			deferFn(func() { tr.log("leftover defer") }),
			await(sleep(3600*1000), func(_ struct{}, err error) { tr.log("leftover: %v", err) }),
		))
	}), await(sleep(0), nil), ret(4, nil))
	v, err := run[int](main)
	tr.log("Run: %v %v", v, err)
	tr.check(t, "leftover: context canceled", "leftover defer", "Run: 4 <nil>")
}

func TestRunContextCancelsRoot(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	var tr tracer
	main := newScript(
		do(cancel),
		await(sleep(3600*1000), func(_ struct{}, err error) { tr.log("sleep: %v", err) }),
		ret(1, nil),
	)
	v, err := rt.Run[int](ctx, main)
	tr.check(t, "sleep: context canceled")
	if v != 1 || err != nil {
		t.Fatalf("Run = %v %v", v, err)
	}
}

func TestDeepSynchronousChain(t *testing.T) {
	n := 1_000_000
	if testing.Short() {
		n = 10_000
	}
	v, err := run[int](newChain(n, rt.Ready(0)))
	if v != n+1 || err != nil {
		t.Fatalf("chain = %v, %v", v, err)
	}
}

func TestLongChainDoesNotStarve(t *testing.T) {
	var tr tracer
	main := newScript(
		do(func() {
			rt.Spawn[int](newScript(do(func() { tr.log("other task") })))
		}),
		await(func() rt.Future[int] { return newChain(10_000, rt.Ready(0)) }, func(int, error) { tr.log("chain done") }),
	)
	run[int](main)
	tr.check(t, "other task", "chain done")
}

func TestUnretrievedFailureReported(t *testing.T) {
	var got []string
	old := rt.UnhandledFailure
	rt.UnhandledFailure = func(err error) { got = append(got, err.Error()) }
	defer func() { rt.UnhandledFailure = old }()
	main := newScript(do(func() {
		rt.Spawn[int](newScript(ret(0, errors.New("lost"))))
		rt.Spawn[int](newScript(ret(0, context.Canceled))) // not a failure
		rt.Spawn[int](newScript(do(func() { panic("boom") })))
	}), await(sleep(0), nil))
	run[int](main)
	slices.Sort(got) // reported as the tasks finish: in any order under a seed
	if fmt.Sprint(got) != "[lost panic: boom]" {
		t.Fatalf("reported %q", got)
	}
}
