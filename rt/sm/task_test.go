package sm

import (
	"strings"
	"testing"
	"time"
	"unsafe"
)

// A task costs 32 bytes: the size class below 48, for a million of them.
func TestTaskCoreSize(t *testing.T) {
	if unsafe.Sizeof(uintptr(0)) != 8 {
		t.Skip("sizes are for 64-bit platforms")
	}
	if got := unsafe.Sizeof(taskCore{}); got != 32 {
		t.Errorf("taskCore is %d bytes, want 32", got)
	}
}

// The ready queue links its tasks through wnext, the link of a parked
// task: cancelling tasks while they are queued (never run, in the middle
// of the queue) must leave the queue whole and its order unchanged, and
// each cancelled task runs with its first await failing.
func TestCancelQueuedTasks(t *testing.T) {
	var trace []string
	task := func(name string) *fnMachine {
		return newFn(
			func() Future[struct{}] { trace = append(trace, name); return Sleep(time.Hour) },
			func() Future[struct{}] { trace = append(trace, name+" woke"); return nil },
		)
	}
	root := newFn(func() Future[struct{}] {
		var tasks [4]*Task[struct{}]
		for i, name := range []string{"a", "b", "c", "d"} {
			tasks[i] = new(Task[struct{}])
			Spawn(tasks[i], task(name))
		}
		tasks[1].Cancel() // queued behind a, linked to c
		tasks[3].Cancel() // the tail
		return Sleep(0)
	})
	runFn(t, Options{Virtual: true}, root)
	want := "a b b woke c d d woke a woke c woke" // a and c: cancelled by Run as it ends
	if got := strings.Join(trace, " "); got != want {
		t.Errorf("trace %q, want %q", got, want)
	}
}

// The side state of a task that was joined lives in the loop until the
// task finishes, not longer.
func TestTaskSideStateReleased(t *testing.T) {
	var left int
	root := newFn(
		func() Future[struct{}] {
			for range 10 {
				child := new(Task[struct{}])
				Spawn(child, newFn(func() Future[struct{}] { return Sleep(0) }))
				Spawn(new(Task[struct{}]), newFn(func() Future[struct{}] { return child }))
			}
			return Sleep(time.Millisecond)
		},
		func() Future[struct{}] { left = len(loopNow().exts); return nil },
	)
	runFn(t, Options{Virtual: true}, root)
	if left != 0 {
		t.Errorf("%d tasks keep side state after they finished", left)
	}
}
