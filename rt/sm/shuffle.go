package sm

import "math/bits"

// shuffler perturbs the schedule in seeded mode: at the start of each tick
// the batch of tasks that are ready is put in a pseudo-random order drawn
// from the seed (trio's seeded scheduler), so tasks ready in the same tick
// run in any order, and a seed replays its order exactly. Everything else
// is unchanged: a tick still runs only the tasks ready when it began, and
// timers still become ready in deadline order.
//
// The generator is SplitMix64 and the shuffle Fisher-Yates, both written
// out here so that a seed means the same schedule on every Go version.
type shuffler struct {
	state uint64
	batch []*taskCore // perm's scratch
}

func newShuffler(seed uint64) *shuffler { return &shuffler{state: seed} }

// next returns the next 64 pseudo-random bits (SplitMix64).
func (s *shuffler) next() uint64 {
	s.state += 0x9e3779b97f4a7c15
	z := s.state
	z = (z ^ z>>30) * 0xbf58476d1ce4e5b9
	z = (z ^ z>>27) * 0x94d049bb133111eb
	return z ^ z>>31
}

// intn returns a pseudo-random int in [0, n) (Lemire's multiply-shift; the
// bias, below n/2^64, does not matter here).
func (s *shuffler) intn(n int) int {
	hi, _ := bits.Mul64(s.next(), uint64(n))
	return int(hi)
}

// perm shuffles a tick's batch: the whole ready queue.
func (s *shuffler) perm(ready *readyList) {
	b := s.batch[:0]
	for ready.n > 0 {
		b = append(b, ready.pop())
	}
	for i := len(b) - 1; i > 0; i-- {
		j := s.intn(i + 1)
		b[i], b[j] = b[j], b[i]
	}
	for _, t := range b {
		ready.push(t)
	}
	clear(b)
	s.batch = b[:0]
}
