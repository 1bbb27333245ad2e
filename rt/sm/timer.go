package sm

import "time"

// timerHeap is a binary min-heap of the tasks parked in Sleep, ordered by
// deadline, ties by arming order. Entries are stored inline (no allocation
// per timer); each task keeps its index for O(log n) removal on cancel.
type timerHeap []timerEntry

type timerEntry struct {
	when int64  // deadline, nanoseconds since loopState.base
	seq  uint64 // arming order
	t    *taskCore
}

func (h timerHeap) less(i, j int) bool {
	return h[i].when < h[j].when || h[i].when == h[j].when && h[i].seq < h[j].seq
}

func (h timerHeap) swap(i, j int) {
	h[i], h[j] = h[j], h[i]
	h[i].t.heapIdx = int32(i)
	h[j].t.heapIdx = int32(j)
}

// arm parks t until d from now.
func (l *loopState) arm(t *taskCore, d time.Duration) {
	l.timerSeq++
	h := append(l.timers, timerEntry{when: l.now() + int64(d), seq: l.timerSeq, t: t})
	i := len(h) - 1
	t.heapIdx = int32(i)
	h.up(i)
	l.timers = h
}

// remove deletes entry i and clears its task's index.
func (h *timerHeap) remove(i int) {
	old := *h
	n := len(old) - 1
	old[i].t.heapIdx = -1
	if i != n {
		old[i] = old[n]
		old[i].t.heapIdx = int32(i)
	}
	old[n] = timerEntry{}
	*h = old[:n]
	if i != n {
		if !h.down(i) {
			h.up(i)
		}
	}
}

func (h timerHeap) up(i int) {
	for i > 0 {
		p := (i - 1) / 2
		if !h.less(i, p) {
			return
		}
		h.swap(i, p)
		i = p
	}
}

func (h timerHeap) down(i int) bool {
	start := i
	n := len(h)
	for {
		c := 2*i + 1
		if c >= n {
			break
		}
		if r := c + 1; r < n && h.less(r, c) {
			c = r
		}
		if !h.less(c, i) {
			break
		}
		h.swap(i, c)
		i = c
	}
	return i > start
}
