package rt_test

import (
	"context"
	"slices"
	"testing"

	"github.com/asyncgen/asyncgen/rt"
)

// The deliberately racy example: two tasks increment a shared counter,
// each reading it, awaiting something (a log write, say), then writing
// back what it read plus one. That is a lost update waiting to happen: if
// both read before either writes, the counter ends at 1. Under the FIFO
// schedule it happens not to: b reads and writes one tick ahead of a, so
// a reads after b wrote. Seeded schedules find the interleaving that
// loses b's update, and replay it exactly.
//
// lostUpdate is the program as hand-written machines; lostupdate_ref_test.go
// writes the same program with rt.Async for the reference view.
func lostUpdate(tr *tracer) rt.Future[int] {
	counter := 0
	incr := func(name string, yields int) *script {
		var v int
		var steps []step
		for range yields { // a has something else to do first
			steps = append(steps, await(sleep(0), nil))
		}
		steps = append(steps,
			do(func() { v = counter; tr.log("%s read %d", name, v) }),
			await(sleep(0), nil), // the await between the read and the write
			do(func() { counter = v + 1; tr.log("%s wrote %d", name, counter) }),
		)
		return newScript(steps...)
	}
	var a, b *rt.Task[int]
	return newScript(
		do(func() {
			b = rt.Spawn[int](incr("b", 0))
			a = rt.Spawn[int](incr("a", 1))
		}),
		await(func() rt.Future[int] { return b }, nil),
		await(func() rt.Future[int] { return a }, nil),
		do(func() { tr.log("counter %d", counter) }),
		func(s *script) bool { return ret(counter, nil)(s) },
	)
}

// Under seeds 1..1000 the example loses the update lostUpdateSeeds times,
// first under lostUpdateFirstSeed. The schedule is the loop's, shared by
// both views: each view's test checks it finds these very figures.
const (
	lostUpdateFirstSeed = 3
	lostUpdateSeeds     = 501
)

func TestLostUpdateCaughtBySeed(t *testing.T) {
	testLostUpdate(t, lostUpdate)
}

// testLostUpdate checks that program (the lost update example) is right
// under FIFO, loses the update under some seed of 1..1000 (the first is
// lostUpdateFirstSeed), and that running that seed again replays the same
// trace exactly.
func testLostUpdate(t *testing.T, program func(*tracer) rt.Future[int]) {
	runSeed := func(seed uint64) (int, []string) {
		var tr tracer
		v, err := rt.RunWith(context.Background(), program(&tr), rt.Options{Clock: rt.VirtualClock, Seed: seed})
		if err != nil {
			t.Fatalf("seed %d: %v", seed, err)
		}
		return v, tr.lines
	}
	if v, trace := runSeed(0); v != 2 {
		t.Fatalf("FIFO schedule: counter %d, want 2:\n%q", v, trace)
	}
	found, lost := uint64(0), 0
	var trace []string
	for seed := uint64(1); seed <= 1000; seed++ {
		v, tr := runSeed(seed)
		if v != 2 {
			lost++
			if found == 0 {
				found, trace = seed, tr
			}
		}
	}
	if found == 0 {
		t.Fatal("no seed in 1..1000 loses the update")
	}
	t.Logf("%d seeds of 1000 lose the update; the first is %d:\n%q", lost, found, trace)
	if found != lostUpdateFirstSeed || lost != lostUpdateSeeds {
		t.Errorf("%d seeds lose the update, the first is %d; want %d, %d (the same in both views)",
			lost, found, lostUpdateSeeds, lostUpdateFirstSeed)
	}
	for range 3 {
		if v, again := runSeed(found); v == 2 || !slices.Equal(again, trace) {
			t.Fatalf("seed %d replayed to counter %d:\n%q\nfirst run:\n%q", found, v, again, trace)
		}
	}
	want := []string{"b read 0", "a read 0", "b wrote 1", "a wrote 1", "counter 1"}
	if !slices.Equal(trace, want) {
		t.Errorf("lost update trace %q, want %q", trace, want)
	}
}
