package sm

import (
	"math/rand/v2"
	"testing"
	"time"
)

// The timer heap fires in deadline order, ties in arming order, through
// random arming and removals (cancellations), and keeps each task's index.
func TestTimerHeap(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	var h timerHeap
	var seq uint64
	check := func() {
		for i := range h {
			if h[i].t.heapIdx != int32(i) {
				t.Fatalf("entry %d has index %d", i, h[i].t.heapIdx)
			}
			if i > 0 && h[i].before(&h[(i-1)/4]) {
				t.Fatalf("entry %d fires before its parent", i)
			}
		}
	}
	for round := range 200 {
		for range rng.IntN(200) {
			seq++
			e := timerEntry{when: int64(rng.IntN(50)), seq: seq, t: &taskCore{}}
			h = append(h, timerEntry{})
			h.up(len(h)-1, e)
		}
		check()
		for range rng.IntN(len(h) + 1) {
			i := rng.IntN(len(h))
			tc := h[i].t
			h.remove(i)
			if tc.heapIdx != -1 {
				t.Fatal("a removed task keeps its index")
			}
			check()
		}
		if round%20 == 19 { // fire everything
			var prev *timerEntry
			for len(h) > 0 {
				e := h[0]
				h.remove(0)
				if prev != nil && e.before(prev) {
					t.Fatalf("fired (%d,%d) after (%d,%d)", e.when, e.seq, prev.when, prev.seq)
				}
				prev = &e
			}
		}
	}
}

// Timer storms (most of the heap due in one tick, fired in bulk) and
// smaller bursts fire in deadline order, ties in arming order.
func TestTimerStorm(t *testing.T) {
	for _, c := range []struct{ short, long int }{{5000, 3000}, {100, 10000}, {3000, 0}} {
		n := c.short + c.long
		isLong := func(i int) bool { return (i*7)%n < c.long } // spread out
		var order []int
		root := newFn(func() Future[struct{}] {
			for i := range n {
				d := 10 * time.Millisecond
				if isLong(i) {
					d = 20 * time.Millisecond
				}
				Spawn(new(Task[struct{}]), newFn(
					func() Future[struct{}] { return Sleep(d) },
					func() Future[struct{}] { order = append(order, i); return nil },
				))
			}
			return Sleep(time.Second)
		})
		runFn(t, Options{Virtual: true}, root)
		var short, long []int // the short sleepers in spawn order, then the long ones
		for i := range n {
			if isLong(i) {
				long = append(long, i)
			} else {
				short = append(short, i)
			}
		}
		want := append(short, long...)
		if len(order) != len(want) {
			t.Fatalf("%v: %d fired, want %d", c, len(order), len(want))
		}
		for i := range want {
			if order[i] != want[i] {
				t.Fatalf("%v: fired #%d is %d, want %d", c, i, order[i], want[i])
			}
		}
	}
}
