package rt_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/asyncgen/asyncgen/rt"
)

func TestRecoverAfterResume(t *testing.T) {
	var tr tracer
	main := newScript(
		deferFn(func() { tr.log("outer defer sees %v", recover()) }),
		deferFn(func() {
			r := recover()
			tr.log("recovered %v", r)
		}),
		await(sleep(1), nil),
		do(func() { panic("after resume") }),
	)
	v, err := run[int](main)
	tr.check(t, "recovered after resume", "outer defer sees <nil>")
	if v != 0 || err != nil {
		t.Fatalf("Run = %v, %v", v, err)
	}
}

func TestPanicReraisedInAwaiter(t *testing.T) {
	var tr tracer
	var first *rt.PanicError
	child := newScript(await(sleep(1), nil), do(func() { panic(errors.New("child boom")) }))
	main := newScript(
		deferFn(func() {
			r := recover()
			pe, ok := r.(*rt.PanicError)
			tr.log("main recovered %T %v", r, ok)
			first = pe
			panic(pe) // re-panic the same *PanicError: not wrapped twice
		}),
		await(fut[int](child), func(int, error) { tr.log("not reached") }),
	)
	defer func() {
		r := recover()
		pe, ok := r.(*rt.PanicError)
		if !ok || pe != first {
			t.Fatalf("Run re-raised %#v, want the child's *PanicError", r)
		}
		if !strings.Contains(string(pe.Stack), "panic_test.go") {
			t.Errorf("stack does not show the panic site:\n%s", pe.Stack)
		}
		if !errors.Is(pe, pe.Value.(error)) || pe.Error() != "panic: child boom" {
			t.Errorf("PanicError = %v", pe)
		}
		tr.check(t, "main recovered *sm.PanicError true")
	}()
	run[int](main)
	t.Fatal("Run returned")
}

func TestPanicDoesNotKillLoop(t *testing.T) {
	var tr tracer
	var bad *rt.Task[int]
	main := newScript(
		do(func() {
			bad = rt.Spawn[int](newScript(await(sleep(0), nil), do(func() { panic("task boom") })))
			rt.Spawn[int](newScript(await(sleep(1), nil), do(func() { tr.log("other task ok") })))
		}),
		await(sleep(5), nil),
		do(func() { tr.log("bad done: %v", bad.Done()) }),
		await(func() rt.Future[int] {
			// Join through a machine that catches the re-raised panic.
			return newScript(
				deferFn(func() { tr.log("join recovered: %v", recover()) }),
				await(func() rt.Future[int] { return bad }, nil),
			)
		}, func(v int, err error) { tr.log("join result %v %v", v, err) }),
	)
	run[int](main)
	tr.check(t, "other task ok", "bad done: true", "join recovered: panic: task boom", "join result 0 <nil>")
}

func TestDeferredPanicReplaces(t *testing.T) {
	var tr tracer
	main := newScript(
		deferFn(func() { tr.log("last sees %v", recover()) }),
		deferFn(func() { panic("second") }),
		do(func() { panic("first") }),
	)
	run[int](main)
	tr.check(t, "last sees second")
}

func TestDeferredAwaitWhilePanicking(t *testing.T) {
	var tr tracer
	main := newScript(
		deferFn(func() { tr.log("recovered %v", recover()) }),
		deferAwait(func() rt.Future[int] {
			return newScript(await(sleep(1), nil), do(func() { tr.log("cleanup done") }))
		}),
		do(func() { panic("pending across suspension") }),
	)
	run[int](main)
	tr.check(t, "cleanup done", "recovered pending across suspension")
}

func TestDefersRunOnceLIFO(t *testing.T) {
	var tr tracer
	var steps []step
	for i := range 3 {
		steps = append(steps, deferFn(func() { tr.log("defer %d", i) }), await(sleep(0), nil))
	}
	steps = append(steps, try(fut(rt.Fail[int](errors.New("try failed"))), func(int) { tr.log("not reached") }, nil))
	v, err := run[int](newScript(steps...))
	tr.log("%v %v", v, err)
	tr.check(t, "defer 2", "defer 1", "defer 0", "0 try failed")
}

// TestPanicMidRound: a Step that panics in the middle of a round fails
// its machine there and then (its deferred calls run in the same turn),
// and the rest of the round runs in order; so does a second panic in the
// same round.
func TestPanicMidRound(t *testing.T) {
	var tr tracer
	task := func(name string, boom bool) rt.Future[int] {
		return newScript(
			deferFn(func() { tr.log("%s defer, recovered %v", name, recover()) }),
			do(func() { tr.log("%s runs", name) }),
			do(func() {
				if boom {
					panic(name + " boom")
				}
			}),
			await(sleep(0), nil),
			do(func() { tr.log("%s resumes", name) }),
		)
	}
	main := newScript(
		do(func() {
			rt.Spawn(task("a", false))
			rt.Spawn(task("b", true))
			rt.Spawn(task("c", false))
			rt.Spawn(task("d", true))
			rt.Spawn(task("e", false))
		}),
		await(sleep(1), nil),
	)
	run[int](main)
	tr.check(t,
		"a runs",
		"b runs", "b defer, recovered b boom",
		"c runs",
		"d runs", "d defer, recovered d boom",
		"e runs",
		"a resumes", "a defer, recovered <nil>",
		"c resumes", "c defer, recovered <nil>",
		"e resumes", "e defer, recovered <nil>",
	)
}
