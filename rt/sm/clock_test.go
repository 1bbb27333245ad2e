package sm

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"
)

// fnMachine runs its steps in order, awaiting the future each returns
// (nil: nothing to await).
type fnMachine struct {
	Machine[struct{}]
	steps []func() Future[struct{}]
}

func newFn(steps ...func() Future[struct{}]) *fnMachine {
	m := &fnMachine{steps: steps}
	m.Bind(m, int32(len(steps)))
	return m
}

func (m *fnMachine) Step() {
	for int(m.State) < len(m.steps) {
		f := m.steps[m.State]()
		m.State++
		if f != nil && !Await(&m.Frame, f) {
			return
		}
	}
	m.Complete()
}

func runFn(t *testing.T, opts Options, m *fnMachine) {
	t.Helper()
	if _, err := Run[struct{}](context.Background(), new(Task[struct{}]), m, nil, opts); err != nil {
		t.Fatal(err)
	}
}

// While work outside the loop holds the clock, an idle loop waits for it
// instead of jumping to the next deadline.
func TestHoldClock(t *testing.T) {
	for _, hold := range []bool{true, false} {
		var trace []string
		logf := func(format string, args ...any) {
			trace = append(trace, fmt.Sprintf(format, args...)+" at "+Now().Sub(VirtualEpoch).String())
		}
		var back Leaf[struct{}]
		root := newFn(
			func() Future[struct{}] {
				Spawn(new(Task[struct{}]), newFn(
					func() Future[struct{}] { return Sleep(time.Hour) },
					func() Future[struct{}] { logf("slept"); return nil },
				))
				l := loopNow()
				if hold {
					HoldClock()
				} else {
					l.external++ // a source that may post, as HoldClock counts it
				}
				go func() {
					time.Sleep(20 * time.Millisecond) // blocking work
					l.post(func() {
						if hold {
							ReleaseClock()
						} else {
							l.external--
						}
						back.Resolve(struct{}{}, nil)
					})
				}()
				return &back
			},
			func() Future[struct{}] { logf("work back"); return Sleep(2 * time.Hour) },
		)
		runFn(t, Options{Virtual: true}, root)
		want := []string{"work back at 0s", "slept at 1h0m0s"}
		if !hold {
			want = []string{"slept at 1h0m0s", "work back at 1h0m0s"}
		}
		if !slices.Equal(trace, want) {
			t.Errorf("hold=%v: trace %q, want %q", hold, trace, want)
		}
	}
}

func TestReleaseClockWithoutHoldPanics(t *testing.T) {
	m := newFn(func() Future[struct{}] { ReleaseClock(); return nil })
	_, err := Run[struct{}](context.Background(), new(Task[struct{}]), m, nil, Options{Virtual: true})
	if pe, ok := err.(*PanicError); !ok || pe.Value != "sm: ReleaseClock without HoldClock" {
		t.Fatalf("Run = %v, want the panic of ReleaseClock", err)
	}
}

// A seed means the same schedule on every Go version and machine: the
// shuffle is pinned.
func TestShufflePinned(t *testing.T) {
	got := shuffled(1, 8)
	if want := []int{0, 3, 7, 1, 2, 6, 5, 4}; !slices.Equal(got, want) {
		t.Fatalf("seed 1 shuffles 0..7 to %v, want %v", got, want)
	}
	if !slices.Equal(shuffled(1, 8), got) {
		t.Fatal("seed 1 is not deterministic")
	}
}

// Every order of three tasks comes up, about equally often.
func TestShuffleCoversAllOrders(t *testing.T) {
	counts := map[string]int{}
	s := newShuffler(42)
	for range 6000 {
		b := batchOf(3)
		s.perm(b)
		counts[fmt.Sprint(indexes(b))]++
	}
	if len(counts) != 6 {
		t.Fatalf("orders seen: %v", counts)
	}
	for order, n := range counts {
		if n < 800 || n > 1200 {
			t.Errorf("order %s came up %d times in 6000", order, n)
		}
	}
}

func shuffled(seed uint64, n int) []int {
	b := batchOf(n)
	newShuffler(seed).perm(b)
	return indexes(b)
}

// batchOf makes a ready queue of n tasks whose heapIdx is their original
// index.
func batchOf(n int) *readyList {
	b := new(readyList)
	for i := range n {
		b.push(&taskCore{heapIdx: int32(i)})
	}
	return b
}

func indexes(b *readyList) []int {
	var out []int
	for b.n > 0 {
		out = append(out, int(b.pop().heapIdx))
	}
	return out
}
