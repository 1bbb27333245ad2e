package rt_test

import (
	"context"
	"strings"
	"sync"
	"testing"

	"github.com/asyncgen/asyncgen/rt"
)

// A task woken with a result and cancelled before it resumes keeps the
// result: the await completed before the cancellation. (Under a seeded
// schedule, main may also run before x in the tick where x finishes: then
// w's join is cancelled.)
func TestCancelAfterWakeKeepsValue(t *testing.T) {
	var tr tracer
	var x, w *rt.Task[int]
	var xDone, wJoined bool
	main := newScript(
		do(func() {
			x = rt.Spawn[int](newScript(await(sleep(0), nil), ret(42, nil)))
			w = rt.Spawn[int](newScript(
				await(func() rt.Future[int] { return x }, func(v int, err error) { tr.log("w joined %v %v", v, err) }),
				await(sleep(0), func(_ struct{}, err error) { tr.log("w next: %v", err) }),
			))
		}),
		await(sleep(0), nil), // x parks in Sleep(0), w joins x
		await(sleep(0), nil), // x finishes (w woken) in the tick where main runs next
		do(func() { xDone, wJoined = x.Done(), len(tr.lines) > 0; tr.log("cancel w"); w.Cancel() }),
		await(func() rt.Future[int] { return w }, nil),
	)
	run[int](main)
	switch {
	case wJoined || runOpts.Seed == 0 && !xDone:
		t.Fatalf("at the cancel x done=%v, w resumed=%v; want x done (FIFO), w not resumed", xDone, wJoined)
	case xDone: // w was woken with x's value: it keeps it
		tr.check(t, "cancel w", "w joined 42 <nil>", "w next: context canceled")
	default:
		tr.check(t, "cancel w", "w joined 0 context canceled", "w next: context canceled")
	}
}

func expectPanic(t *testing.T, substr string, fn func()) {
	t.Helper()
	defer func() {
		t.Helper()
		r := recover()
		if r == nil {
			t.Fatalf("no panic, want one containing %q", substr)
		}
		if s := panicString(r); !strings.Contains(s, substr) {
			t.Fatalf("panic %q, want one containing %q", s, substr)
		}
	}()
	fn()
}

func panicString(r any) string {
	if pe, ok := r.(*rt.PanicError); ok {
		return panicString(pe.Value)
	}
	if s, ok := r.(string); ok {
		return s
	}
	return ""
}

func TestDeadlockPanics(t *testing.T) {
	var a, b *rt.Task[int]
	main := newScript(do(func() {
		a = rt.Spawn[int](newScript(await(sleep(0), nil), await(func() rt.Future[int] { return b }, nil)))
		b = rt.Spawn[int](newScript(await(func() rt.Future[int] { return a }, nil)))
	}), await(func() rt.Future[int] { return a }, nil))
	expectPanic(t, "deadlock", func() { run[int](main) })
	// The loop is released: another Run works.
	if v, err := run[int](newScript(ret(1, nil))); v != 1 || err != nil {
		t.Fatalf("Run after a deadlock = %v %v", v, err)
	}
}

func TestNestedRunPanics(t *testing.T) {
	main := newScript(do(func() { run[int](newScript()) }))
	expectPanic(t, "another rt.Run is running", func() { run[int](main) })
}

func TestConcurrentRunPanics(t *testing.T) {
	started, release := make(chan struct{}), make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		rt.Run[int](context.Background(), newScript(do(func() {
			close(started)
			<-release // blocks the loop: test only
		})))
	}()
	<-started
	expectPanic(t, "another rt.Run is running", func() { run[int](newScript()) })
	close(release)
	wg.Wait()
}

func TestSpawnOutsideRunPanics(t *testing.T) {
	expectPanic(t, "outside rt.Run", func() { rt.Spawn[int](newScript()) })
}

func TestAwaitRunningMachinePanics(t *testing.T) {
	child := newScript(await(sleep(1), nil))
	main := newScript(
		do(func() { rt.Spawn[int](child) }),
		await(sleep(0), nil),
		await(fut[int](child), nil),
	)
	expectPanic(t, "already running", func() { run[int](main) })
}
