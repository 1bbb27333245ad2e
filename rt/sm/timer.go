package sm

import (
	"slices"
	"time"
)

// timerHeap is a 4-ary min-heap of the tasks parked in Sleep, ordered by
// deadline, ties by arming order. Entries are stored inline (no allocation
// per timer); each task keeps its index for O(log n) removal on cancel.
// Sifting moves a hole rather than swapping, so each level writes one
// entry and one task's index: with a million timers armed, firing one
// touches about ten tasks (a binary heap with swaps touches forty).
type timerHeap []timerEntry

type timerEntry struct {
	when int64  // deadline, nanoseconds since loopState.base
	seq  uint64 // arming order
	t    *taskCore
}

// before reports whether e fires before f.
func (e *timerEntry) before(f *timerEntry) bool {
	return e.when < f.when || e.when == f.when && e.seq < f.seq
}

// arm parks t until d from now.
func (l *loopState) arm(t *taskCore, d time.Duration) {
	l.timerSeq++
	e := timerEntry{when: l.now() + int64(d), seq: l.timerSeq, t: t}
	l.timers = append(l.timers, timerEntry{})
	l.timers.up(len(l.timers)-1, e)
}

// remove deletes entry i and clears its task's index.
func (h *timerHeap) remove(i int) {
	old := *h
	n := len(old) - 1
	old[i].t.heapIdx = -1
	last := old[n]
	old[n] = timerEntry{}
	*h = old[:n]
	if i == n {
		return
	}
	if i > 0 && last.before(&old[(i-1)/4]) {
		h.up(i, last)
	} else {
		h.down(i, last)
	}
}

// up places e at the hole i or above it.
func (h timerHeap) up(i int, e timerEntry) {
	for i > 0 {
		p := (i - 1) / 4
		if !e.before(&h[p]) {
			break
		}
		h.set(i, h[p])
		i = p
	}
	h.set(i, e)
}

// down places e at the hole i or below it.
func (h timerHeap) down(i int, e timerEntry) {
	n := len(h)
	for {
		c := 4*i + 1
		if c >= n {
			break
		}
		m := c // the first child to fire
		for j := c + 1; j < min(c+4, n); j++ {
			if h[j].before(&h[m]) {
				m = j
			}
		}
		if !h[m].before(&e) {
			break
		}
		h.set(i, h[m])
		i = m
	}
	h.set(i, e)
}

func (h timerHeap) set(i int, e timerEntry) {
	h[i] = e
	e.t.heapIdx = int32(i)
}

// A timer storm (a million tasks that slept the same duration from the same
// tick) makes most of the heap due at once. Popping the due entries one by
// one costs O(log n) each, with a cache miss on a task per level; past
// stormMin pops in a tick, fireTimers looks at how many are due, and if it
// is most of the heap takes them in bulk: the due entries are the top of
// the heap (a parent fires no later than its children), found in O(due),
// sorted (already in order when they were armed in order), and the rest
// re-heapified in O(rest).
const stormMin = 64

// due returns the indices of the entries due by now, found breadth-first
// from the root, in buf.
func (h timerHeap) due(now int64, buf []int32) []int32 {
	buf = append(buf[:0], 0)
	for k := 0; k < len(buf); k++ {
		c := 4*int(buf[k]) + 1
		for j := c; j < min(c+4, len(h)); j++ {
			if h[j].when <= now {
				buf = append(buf, int32(j))
			}
		}
	}
	return buf
}

// takeAll removes the entries due by now, which are most of the heap, and
// appends them to out in firing order. Their tasks' indices are left for
// the caller to clear (it touches the tasks anyway).
func (h *timerHeap) takeAll(now int64, out []timerEntry) []timerEntry {
	old := *h
	k := 0 // the entries not due, compacted to the front
	start := len(out)
	for _, e := range old {
		if e.when <= now {
			out = append(out, e)
		} else {
			old[k] = e
			k++
		}
	}
	clear(old[k:])
	*h = old[:k]
	for i := range old[:k] {
		old[i].t.heapIdx = int32(i)
	}
	for i := (k - 2) / 4; i >= 0 && k > 1; i-- {
		h.down(i, old[i])
	}
	slices.SortFunc(out[start:], func(a, b timerEntry) int {
		if a.before(&b) {
			return -1
		}
		return 1
	})
	return out
}

// Scratch space of fireStorm: one loop runs at a time.
var (
	stormIdx     []int32
	stormEntries []timerEntry
)

// fireStorm schedules every timer due by now, in order, if they are most
// of the heap (timer.go, stormMin), and reports whether it did.
func (l *loopState) fireStorm(now int64) bool {
	idx := l.timers.due(now, stormIdx)
	stormIdx = idx[:0]
	if 2*len(idx) < len(l.timers) {
		return false
	}
	due := l.timers.takeAll(now, slices.Grow(stormEntries[:0], len(idx)))
	for i, e := range due {
		e.t.heapIdx = -1
		l.schedule(e.t)
		due[i] = timerEntry{}
	}
	stormEntries = due[:0]
	if cap(stormEntries) > 1<<16 { // a storm's worth: do not keep it
		stormIdx, stormEntries = nil, nil
	}
	return true
}
