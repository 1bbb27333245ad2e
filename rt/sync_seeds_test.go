package rt_test

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/asyncgen/asyncgen/rt"
)

// TestPrimitivesUnderSeeds checks, under many schedules (seeded mode,
// virtual clock), what must hold whatever the order of the tasks: with
// producers, consumers and lockers cancelled at random moments, every
// value put is taken once or is still in the queue (HARDCASES 14: nothing
// is lost, nothing is taken twice), at most one task holds the Mutex and
// at most n hold a permit of the Semaphore, and the run ends.
func TestPrimitivesUnderSeeds(t *testing.T) {
	n := min(*seedsFlag, 300)
	if testing.Short() {
		n = min(n, 30)
	}
	forSeeds(t, n, testPrimitivesInvariants)
}

func testPrimitivesInvariants(t *testing.T) {
	const producers, consumers, perProducer, lockers, permits = 4, 4, 30, 6, 2
	rng := rand.New(rand.NewPCG(runOpts.Seed, 7))
	q := rt.NewQueue[int](3)
	var mu rt.Mutex
	sem := rt.NewSemaphore(permits)
	put := map[int]bool{}  // values whose Put succeeded
	taken := map[int]int{} // value -> times taken
	holders, inSem := 0, 0 // current holders of mu, of permits
	var scripts []*script  // spawned by main
	var tasks []*rt.Task[int]
	spawn := func(s *script) { scripts = append(scripts, s) }
	for p := range producers {
		var steps []step
		for i := range perProducer {
			v := p*1000 + i
			steps = append(steps,
				try(func() rt.Future[struct{}] { return q.Put(v) }, func(struct{}) { put[v] = true }, nil),
				await(sleep(rng.IntN(3)), nil))
		}
		spawn(newScript(steps...))
	}
	for range consumers {
		c := newScript()
		c.steps = []step{func(s *script) bool {
			return await(q.Get, func(v int, err error) {
				if err == nil {
					taken[v]++
					s.pc = 0 // again, until cancelled or closed
				}
			})(s)
		}}
		spawn(c)
	}
	for range lockers {
		spawn(newScript(
			try(mu.Lock, func(struct{}) {
				if holders++; holders > 1 {
					t.Errorf("%d tasks hold the mutex", holders)
				}
			}, nil),
			deferFn(func() { holders--; mu.Unlock() }),
			await(sleep(rng.IntN(3)), nil),
		))
		spawn(newScript(
			try(sem.Acquire, func(struct{}) {
				if inSem++; inSem > permits {
					t.Errorf("%d tasks hold a permit", inSem)
				}
			}, nil),
			deferFn(func() { inSem--; sem.Release() }),
			await(sleep(rng.IntN(3)), nil),
		))
	}
	main := newScript(do(func() {
		for _, s := range scripts {
			tasks = append(tasks, rt.Spawn[int](s))
		}
	}))
	for range 12 { // cancel tasks at random moments
		main.steps = append(main.steps,
			await(sleep(rng.IntN(3)), nil),
			do(func() { tasks[rng.IntN(len(tasks))].Cancel() }))
	}
	main.steps = append(main.steps,
		await(sleep(5), nil),
		do(q.Close)) // puts still waiting fail (all the consumers may be cancelled)
	for i := range producers {
		main.steps = append(main.steps, await(func() rt.Future[int] { return tasks[i] }, nil))
	}
	main.steps = append(main.steps, await(sleep(10), nil)) // consumers drain what they can
	run[int](main)
	left := map[int]bool{}
	drain := newScript()
	drain.steps = []step{func(s *script) bool {
		return await(q.Get, func(v int, err error) {
			if err == nil {
				left[v] = true
				s.pc = 0
			}
		})(s)
	}}
	run[int](drain)
	for v := range put {
		if taken[v] == 0 && !left[v] {
			t.Errorf("value %d was put and is lost", v)
		}
	}
	for v, n := range taken {
		if n > 1 {
			t.Errorf("value %d was taken %d times", v, n)
		}
		if !put[v] {
			t.Errorf("value %d was taken but its Put failed", v)
		}
	}
	if holders != 0 || inSem != 0 {
		t.Errorf("after the run: %d hold the mutex, %d a permit", holders, inSem)
	}
	if testing.Verbose() && runOpts.Seed == 1 {
		fmt.Printf("seed 1: %d put, %d taken, %d left\n", len(put), len(taken), len(left))
	}
}
