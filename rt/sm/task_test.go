package sm

import (
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

// A burst of spawns grows the ready queue; it gives the memory back as the
// round drains, before the tasks of that round are done running, so a
// million tasks parked by a burst do not also keep its queue.
func TestReadyQueueShrinksAsItDrains(t *testing.T) {
	const burst = 5000
	var capAfter int
	root := newFn(
		func() Future[struct{}] {
			for range burst {
				Spawn(new(Task[struct{}]), newFn())
			}
			return Sleep(0) // back of the queue, behind the burst
		},
		func() Future[struct{}] { capAfter = loopNow().ready.Cap(); return nil },
	)
	runFn(t, Options{}, root)
	if capAfter > readyFloor {
		t.Errorf("ready queue holds %d slots after a burst of %d drained, want at most %d", capAfter, burst, readyFloor)
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
