package genbench

import (
	"context"
	"runtime"
	"testing"
	"time"

	"github.com/asyncgen/asyncgen/internal/peers"
	"github.com/asyncgen/asyncgen/rt"
)

func run[T any](b *testing.B, f rt.Future[T]) {
	if _, err := rt.Run(context.Background(), f); err != nil {
		b.Fatal(err)
	}
}

// BenchmarkResume: one suspension and resume of a generated machine per
// op, beside the floor (a hand-written struct-and-switch machine on a
// hand-written FIFO loop) and a goroutine handing a baton back and forth
// over channels.
func BenchmarkResume(b *testing.B) {
	b.Run("generated", func(b *testing.B) {
		b.ReportAllocs()
		run(b, Yielder(b.N))
	})
	b.Run("switch-loop", func(b *testing.B) {
		peers.SwitchLoop(b.N)
	})
	b.Run("goroutine-handoff", func(b *testing.B) {
		b.ReportAllocs()
		peers.ChanPingPong(b.N)
	})
}

// BenchmarkResumeVsSwitchLoop puts the generated resume and the floor
// side by side more closely than two sub-benchmarks can (see alternate),
// and reports the ratio of their times (x-switch-loop) beside the time per
// generated resume.
func BenchmarkResumeVsSwitchLoop(b *testing.B) {
	generated, hand := alternate(b, 1<<16,
		func(n int) { run(b, Yielder(n)) },
		peers.SwitchLoop)
	b.ReportMetric(float64(generated)/float64(hand), "x-switch-loop")
	b.ReportMetric(float64(generated.Nanoseconds())/float64(b.N), "ns/resume")
}

// alternate runs b.N ops of x and of y in alternating blocks of the given
// size (about a millisecond of each), so that both see the same load on a
// shared machine, and returns the time each took. rt.Run's setup, once per
// block, is under 1% of a block.
func alternate(b *testing.B, block int, x, y func(n int)) (tx, ty time.Duration) {
	for done := 0; done < b.N; done += block {
		n := min(block, b.N-done)
		t0 := time.Now()
		x(n)
		t1 := time.Now()
		y(n)
		tx, ty = tx+t1.Sub(t0), ty+time.Since(t1)
	}
	return tx, ty
}

// BenchmarkResumeDepth: resuming a task suspended 100 async calls deep
// costs what resuming it at depth 1 does.
func BenchmarkResumeDepth(b *testing.B) {
	for _, depth := range []int{1, 100} {
		b.Run(map[int]string{1: "depth1", 100: "depth100"}[depth], func(b *testing.B) {
			b.ReportAllocs()
			run(b, Deep(depth, b.N))
		})
	}
}

// BenchmarkAwaitCompleted: an await of a complete future neither suspends
// nor allocates.
func BenchmarkAwaitCompleted(b *testing.B) {
	b.ReportAllocs()
	done := rt.Ready(1)
	run(b, Completed(done, b.N))
}

// BenchmarkPingPong: a round trip of a value between two generated tasks
// through two queues, beside two goroutines and two unbuffered channels.
func BenchmarkPingPong(b *testing.B) {
	b.Run("generated", func(b *testing.B) {
		b.ReportAllocs()
		run(b, PingPong(b.N))
	})
	b.Run("chan-goroutines", func(b *testing.B) {
		b.ReportAllocs()
		peers.ChanPingPong(b.N)
	})
}

// BenchmarkPingPongVsChannel is BenchmarkPingPong with both sides in
// alternating blocks (see alternate); x-faster is how many times faster
// the generated round trip is than the channel one.
func BenchmarkPingPongVsChannel(b *testing.B) {
	generated, channel := alternate(b, 1<<13,
		func(n int) { run(b, PingPong(n)) },
		peers.ChanPingPong)
	b.ReportMetric(float64(channel)/float64(generated), "x-faster")
	b.ReportMetric(float64(generated.Nanoseconds())/float64(b.N), "ns/round-trip")
}

// TestPutDoesNotAllocate: a generated task that awaits q.Put(v) directly
// gives the future back to the queue, so a round trip allocates nothing
// once the queues are set up.
func TestPutDoesNotAllocate(t *testing.T) {
	allocs := func(n int) float64 {
		return testing.AllocsPerRun(5, func() {
			if _, err := rt.Run(context.Background(), PingPong(n)); err != nil {
				t.Fatal(err)
			}
		})
	}
	if few, many := allocs(10), allocs(10_000); many != few {
		t.Errorf("%v allocations for 10 round trips, %v for 10000", few, many)
	}
}

// BenchmarkParked reports the memory of 1M suspended generated tasks (each
// awaiting one shared promise-like future, with a few live words) beside 1M
// goroutines blocked on a channel.
func BenchmarkParked(b *testing.B) {
	const n = 1 << 20
	b.Run("generated", func(b *testing.B) {
		for range b.N {
			b.ReportMetric(parkedTasks(b, n), "B/task")
		}
	})
	b.Run("goroutines", func(b *testing.B) {
		for range b.N {
			b.ReportMetric(parkedGoroutines(n), "B/task")
		}
	})
}

// parkedTasks is the heap growth per suspended generated task (its
// machine, its task, its place in the gate's waiter list, and the root's
// pointer to it).
func parkedTasks(b *testing.B, n int) float64 {
	var before, after uint64
	before = heap()
	run(b, Parked(n, func() { after = heap() }))
	return float64(after-before) / float64(n)
}

func heap() uint64 {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}

func parkedGoroutines(n int) float64 {
	block := make(chan struct{})
	started := make(chan struct{}, n)
	before := heap()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	stackBefore := ms.StackInuse
	for range n {
		go func() { started <- struct{}{}; <-block }()
	}
	for range n {
		<-started
	}
	after := heap()
	runtime.ReadMemStats(&ms)
	per := float64(after-before+ms.StackInuse-stackBefore) / float64(n)
	close(block)
	return per
}
