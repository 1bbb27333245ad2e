package ring

import (
	"slices"
	"testing"
)

// TestRingMatchesSlice drives a Ring and a slice with the same pushes,
// pops and shrinks (wrapping around and growing) and compares them.
func TestRingMatchesSlice(t *testing.T) {
	var r Ring[int]
	var want []int
	next := 0
	check := func(step string) {
		t.Helper()
		var got []int
		for i := range r.Len() {
			got = append(got, r.buf[(r.head+i)&(len(r.buf)-1)])
		}
		if !slices.Equal(got, want) {
			t.Fatalf("%s: ring holds %v, want %v", step, got, want)
		}
	}
	for round := range 200 {
		for i := range round % 37 {
			full := r.Len() == r.Cap()
			switch {
			case i%2 == 0: // TryPush, and Push when full, as rt's queue does
				if r.TryPush(next) == full {
					t.Fatalf("TryPush with %d of %d: %v", r.Len(), r.Cap(), !full)
				}
				if full {
					r.Push(next)
				}
			default:
				r.Push(next)
			}
			want = append(want, next)
			next++
		}
		check("push")
		for range round % 29 {
			if r.Len() == 0 {
				break
			}
			if got := r.Pop(); got != want[0] {
				t.Fatalf("pop: %d, want %d", got, want[0])
			}
			want = want[1:]
		}
		check("pop")
		r.Shrink(8)
		check("shrink")
		if r.Cap() < r.Len() || r.Cap()&(r.Cap()-1) != 0 {
			t.Fatalf("capacity %d for %d values", r.Cap(), r.Len())
		}
	}
}

// TestRingShrink: after a burst the buffer goes back to the floor.
func TestRingShrink(t *testing.T) {
	var r Ring[*int]
	for range 5000 {
		r.Push(new(int))
	}
	for r.Len() > 3 {
		r.Pop()
	}
	r.Shrink(64)
	if r.Cap() != 64 || r.Len() != 3 {
		t.Fatalf("after Shrink(64): cap %d len %d, want 64 and 3", r.Cap(), r.Len())
	}
	r.Shrink(64)
	if r.Cap() != 64 {
		t.Fatalf("second Shrink changed the capacity to %d", r.Cap())
	}
}
