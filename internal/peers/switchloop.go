package peers

// SwitchLoop is the floor of a resume: n yields of one hand-written state
// machine on a hand-written FIFO loop (handRing). A resume through rt is
// measured against it.
func SwitchLoop(n int) {
	r := &handRing{}
	r.push(&handYielder{n: n})
	for r.n > 0 {
		r.pop().step(r)
	}
}

// The hand-written loop: what a programmer writing state machines by hand
// would run them on. A FIFO ring of machines behind an interface; each is
// a struct with a state switch that puts itself back in the ring to yield
// (what Sleep(0) does), and the loop pops and steps the next one. No
// cancellation, no budget, no panics, no results.
type handMachine interface{ step(r *handRing) }

// handRing is a FIFO of machines; its length is a power of two.
type handRing struct {
	buf     []handMachine
	head, n int
}

func (r *handRing) push(m handMachine) {
	if r.n == len(r.buf) {
		grown := make([]handMachine, max(8, 2*len(r.buf)))
		for i := range r.n {
			grown[i] = r.buf[(r.head+i)&(len(r.buf)-1)]
		}
		r.buf, r.head = grown, 0
	}
	r.buf[(r.head+r.n)&(len(r.buf)-1)] = m
	r.n++
}

func (r *handRing) pop() handMachine {
	m := r.buf[r.head]
	r.buf[r.head] = nil
	r.head = (r.head + 1) & (len(r.buf) - 1)
	r.n--
	return m
}

// handYielder yields n times, like looper awaiting Sleep(0).
type handYielder struct{ state, i, n int }

func (m *handYielder) step(r *handRing) {
	for {
		switch m.state {
		case 0:
			if m.i == m.n {
				return
			}
			m.i++
			m.state = 1
			r.push(m)
			return
		case 1:
			m.state = 0
		}
	}
}
