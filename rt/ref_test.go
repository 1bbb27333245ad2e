//go:build asyncgen

package rt_test

import (
	"context"
	"errors"
	"testing"

	"github.com/asyncgen/asyncgen/rt"
)

func TestRefInlineAndSpawnOrder(t *testing.T) {
	var tr tracer
	child := func(name string) rt.Future[int] {
		return rt.Async(func() (int, error) {
			tr.log("%s 1", name)
			rt.Await(rt.Sleep(0))
			tr.log("%s 2", name)
			return len(name), nil
		})
	}
	main := rt.Async(func() (int, error) {
		a := rt.Spawn(child("a"))
		b := rt.Spawn(child("bb"))
		tr.log("main inline")
		n := rt.Try(child("ccc"))
		x, err := rt.Await(a)
		y := rt.Try(b)
		tr.log("main %d %d %v %d", n, x, err, y)
		return n + x + y, nil
	})
	v, err := run(main)
	tr.check(t, "main inline", "ccc 1", "a 1", "bb 1", "ccc 2", "a 2", "bb 2", "main 3 1 <nil> 2")
	if v != 6 || err != nil {
		t.Fatalf("Run = %v %v", v, err)
	}
}

func TestRefTryIsNotAPanic(t *testing.T) {
	var tr tracer
	boom := errors.New("boom")
	inner := rt.Async(func() (int, error) {
		defer func() { tr.log("inner defer recover=%v", recover()) }()
		rt.Try(rt.Fail[int](boom))
		tr.log("not reached")
		return 1, nil
	})
	main := rt.Async(func() (int, error) {
		v, err := rt.Await(inner)
		tr.log("main got %v %v", v, err)
		return 2, nil
	})
	run(main)
	tr.check(t, "inner defer recover=<nil>", "main got 0 boom")
}

func TestRefPanicAcrossAwait(t *testing.T) {
	var tr tracer
	var pe *rt.PanicError
	child := rt.Async(func() (int, error) {
		rt.Await(rt.Sleep(ms(1)))
		panic("child boom")
	})
	main := rt.Async(func() (int, error) {
		defer func() {
			r := recover()
			pe = r.(*rt.PanicError)
			tr.log("recovered %v", r)
			panic(r)
		}()
		rt.Await(child)
		return 0, nil
	})
	defer func() {
		if r := recover(); r != pe || pe == nil {
			t.Fatalf("Run raised %v, want %v", r, pe)
		}
		tr.check(t, "recovered panic: child boom")
	}()
	run(main)
	t.Fatal("Run returned")
}

// cleanup is an async close that suspends and reports whether it was
// cancelled.
func cleanup(tr *tracer, name string) rt.Future[int] {
	return rt.Async(func() (int, error) {
		_, err := rt.Await(rt.Sleep(ms(1)))
		tr.log("%s slept: %v", name, err)
		return 0, nil
	})
}

func TestRefDeferredAwaitsAreShielded(t *testing.T) {
	var tr tracer
	hour := func() rt.Future[struct{}] { return rt.Sleep(3600 * ms(1000)) }
	worker := rt.Async(func() (int, error) {
		defer rt.Await(cleanup(&tr, "direct defer"))
		defer func() {
			rt.Await(cleanup(&tr, "closure defer"))
		}()
		for i := 0; i < 2; i++ {
			defer rt.Await(cleanup(&tr, "loop defer"))
		}
		_, err := rt.Await(hour())
		tr.log("hour: %v", errors.Is(err, context.Canceled))
		return rt.Try(rt.Ready(1)), nil
	})
	main := rt.Async(func() (int, error) {
		w := rt.Spawn(worker)
		rt.Await(rt.Sleep(0))
		w.Cancel()
		v, err := rt.Await(w)
		tr.log("joined %v %v", v, err)
		return 0, nil
	})
	run(main)
	tr.check(t, "hour: true",
		"loop defer slept: <nil>", "loop defer slept: <nil>",
		"closure defer slept: <nil>", "direct defer slept: <nil>",
		"joined 0 context canceled")
}

// A deferred call reported at a return statement that itself awaits: the
// return's own await is normal, the deferred one is shielded.
func TestRefDeferredAtAwaitingReturn(t *testing.T) {
	var tr tracer
	var self *rt.Task[int]
	worker := rt.Async(func() (int, error) {
		defer rt.Await(cleanup(&tr, "deferred"))
		self.Cancel()
		return rt.Await(rt.Ready(1))
	})
	main := rt.Async(func() (int, error) {
		self = rt.Spawn(worker)
		v, err := rt.Await(self)
		tr.log("joined %v %v", v, err)
		return 0, nil
	})
	run(main)
	tr.check(t, "deferred slept: <nil>", "joined 0 context canceled")
}

// After a panic raised by an await at line L is recovered, the remaining
// deferred calls are reported at L: they are still deferred calls.
func TestRefDeferredAfterRecoveredAwaitPanic(t *testing.T) {
	var tr tracer
	var self *rt.Task[int]
	bad := rt.Async(func() (int, error) { panic("bad") })
	worker := rt.Async(func() (int, error) {
		defer rt.Await(cleanup(&tr, "deferred"))
		defer func() {
			tr.log("recovered %v", recover())
			self.Cancel()
		}()
		rt.Await(bad)
		return 1, nil
	})
	main := rt.Async(func() (int, error) {
		self = rt.Spawn(worker)
		v, err := rt.Await(self)
		tr.log("joined %v %v", v, err)
		return 0, nil
	})
	run(main)
	tr.check(t, "recovered panic: bad", "deferred slept: <nil>", "joined 0 <nil>")
}

func TestRefContext(t *testing.T) {
	var ctx context.Context
	main := rt.Async(func() (int, error) {
		ctx = rt.Context()
		if ctx.Err() != nil {
			t.Errorf("context ended early: %v", ctx.Err())
		}
		return 0, nil
	})
	run(main)
	if ctx.Err() == nil {
		t.Fatal("task context not cancelled after the task finished")
	}
}

// An await in a defer statement's arguments runs in the body, at the defer
// statement: it is not shielded.
func TestRefAwaitInDeferArgumentsIsNotShielded(t *testing.T) {
	var tr tracer
	var self *rt.Task[int]
	worker := rt.Async(func() (int, error) {
		self.Cancel()
		defer tr.log("deferred with %v", rt.Try(rt.Ready(1)))
		return 1, nil
	})
	main := rt.Async(func() (int, error) {
		self = rt.Spawn(worker)
		v, err := rt.Await(self)
		tr.log("joined %v %v", v, err)
		return 0, nil
	})
	run(main)
	tr.check(t, "joined 0 context canceled")
}
