package rt_test

import (
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/asyncgen/asyncgen/internal/peers"
	"github.com/asyncgen/asyncgen/rt"
	"github.com/asyncgen/asyncgen/rt/sm"
)

// Benchmarks of the runtime against goroutines doing the same work, in the
// same run. go test -run=^$ -bench=. ./rt

// parker is a task with three live words, parked in a long Sleep.
type parker struct {
	sm.Machine[int]
	a, b, c int
	await   rt.Future[struct{}]
}

func (m *parker) Step() {
	for {
		switch m.State {
		case 0:
			m.a++
			m.await = rt.Sleep(time.Hour)
			m.State = 1
			if !sm.Await(&m.Frame, m.await) {
				return
			}
		case 1:
			_, err := sm.Result(&m.Frame, m.await)
			m.await = nil
			m.Return(m.a+m.b+m.c, err)
			m.State = 2
		case 2:
			m.Complete()
			return
		}
	}
}

const parkedN = 1 << 20

// memInUse is heap plus stacks in use, after a GC.
func memInUse() uint64 {
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return ms.HeapInuse + ms.StackInuse
}

func BenchmarkParked(b *testing.B) {
	b.Run("tasks", func(b *testing.B) {
		var perTask float64
		for range b.N {
			var before uint64
			main := newScript(
				do(func() {
					before = memInUse()
					for i := range parkedN {
						m := &parker{b: i, c: i}
						m.Bind(m, 2)
						rt.Spawn[int](m)
					}
				}),
				await(sleep(0), nil), // every task ran and parked
				do(func() { perTask = float64(memInUse()-before) / parkedN }),
			)
			run[int](main) // Run cancels the parked tasks
		}
		b.ReportMetric(perTask, "B/task")
	})
	b.Run("goroutines", func(b *testing.B) {
		var perTask float64
		for range b.N {
			before := memInUse()
			var started sync.WaitGroup
			release := make(chan struct{})
			sink := make([]int, parkedN)
			started.Add(parkedN)
			for i := range parkedN {
				go func() {
					a, bb, c := i+1, i, i
					started.Done()
					<-release
					sink[i] = a + bb + c
				}()
			}
			started.Wait()
			perTask = float64(memInUse()-before-uint64(8*parkedN)) / parkedN
			close(release)
		}
		b.ReportMetric(perTask, "B/task")
	})
}

// looper awaits f n times (f must be awaitable repeatedly: Sleep, Ready,
// a finished task).
type looper[X any] struct {
	sm.Machine[int]
	n, i int
	f    rt.Future[X]
}

func newLooper[X any](n int, f rt.Future[X]) *looper[X] {
	m := &looper[X]{n: n, f: f}
	m.Bind(m, 2)
	return m
}

func (m *looper[X]) Step() {
	for {
		switch m.State {
		case 0:
			if m.i == m.n {
				m.State = 2
				continue
			}
			m.i++
			m.State = 1
			if !sm.Await(&m.Frame, m.f) {
				return
			}
		case 1:
			sm.Result(&m.Frame, m.f)
			m.State = 0
		case 2:
			m.Complete()
			return
		}
	}
}

// nest awaits nest(d-1) inline; nest(0) awaits inner: a task suspended d
// machines deep.
type nest struct {
	sm.Machine[int]
	d     int
	inner rt.Future[int]
	await rt.Future[int]
}

func newNest(d int, inner rt.Future[int]) *nest {
	m := &nest{d: d, inner: inner}
	m.Bind(m, 2)
	return m
}

func (m *nest) Step() {
	switch m.State {
	case 0:
		m.await = m.inner
		if m.d > 0 {
			m.await = newNest(m.d-1, m.inner)
		}
		m.State = 1
		if !sm.Await(&m.Frame, m.await) {
			return
		}
		fallthrough
	case 1:
		m.Return(sm.Result(&m.Frame, m.await))
		m.Complete()
	}
}

// switchMachine is the bare lower bound: a struct with a state switch
// resumed through an interface, no loop and no runtime at all.
type switchMachine struct {
	state, n int
}

type resumer interface{ resume() bool }

// benchResumer is a variable so that the call cannot be devirtualized.
var benchResumer resumer = &switchMachine{}

func (m *switchMachine) resume() bool {
	switch m.state {
	case 0:
		m.state = 1
		return true
	default:
		m.n++
		m.state = 0
		return m.n < 1<<62
	}
}

func BenchmarkResume(b *testing.B) {
	b.Run("task-sleep0", func(b *testing.B) {
		b.ReportAllocs()
		run[int](newLooper(b.N, rt.Sleep(0)))
	})
	b.Run("task-sleep0-2tasks", func(b *testing.B) {
		// two tasks alternating: each resume is a switch between tasks.
		b.ReportAllocs()
		main := newScript(do(func() { rt.Spawn[int](newLooper(b.N/2, rt.Sleep(0))) }),
			await(fut[int](newLooper(b.N/2, rt.Sleep(0))), nil))
		run[int](main)
	})
	b.Run("switch-loop", func(b *testing.B) {
		peers.SwitchLoop(b.N)
	})
	b.Run("switch-struct", func(b *testing.B) {
		r := benchResumer
		for range b.N {
			r.resume()
		}
	})
	b.Run("goroutine-handoff", func(b *testing.B) {
		b.ReportAllocs()
		peers.ChanPingPong(b.N)
	})
}

func BenchmarkResumeDepth(b *testing.B) {
	for _, d := range []int{1, 100} {
		b.Run(map[int]string{1: "depth1", 100: "depth100"}[d], func(b *testing.B) {
			b.ReportAllocs()
			run[int](newNest(d-1, newLooper(b.N, rt.Sleep(0))))
		})
	}
}

func BenchmarkAwaitCompleted(b *testing.B) {
	b.Run("ready", func(b *testing.B) {
		b.ReportAllocs()
		run[int](newLooper(b.N, rt.Ready(1))) // Ready allocates once, here
	})
	b.Run("done-task", func(b *testing.B) {
		b.ReportAllocs()
		var done *rt.Task[int]
		main := newScript(
			do(func() { done = rt.Spawn[int](newScript(ret(1, nil))) }),
			await(sleep(0), nil),
			do(func() { b.ResetTimer() }),
			await(func() rt.Future[int] { return newLooper(b.N, rt.Future[int](done)) }, nil),
		)
		run[int](main)
	})
}

func BenchmarkSpawn(b *testing.B) {
	b.Run("task", func(b *testing.B) {
		b.ReportAllocs()
		main := newScript(do(func() {
			for range b.N {
				m := newScript()
				rt.Spawn[int](m)
			}
		}))
		run[int](main)
	})
	b.Run("goroutine", func(b *testing.B) {
		b.ReportAllocs()
		var wg sync.WaitGroup
		for range b.N {
			wg.Add(1)
			go wg.Done()
		}
		wg.Wait()
	})
}

// TestAwaitsDoNotAllocate checks that the cost of a Run does not grow with
// the number of awaits of a completed future (Ready, a finished task) or
// of resumes through Sleep(0): steady-state awaits allocate nothing.
func TestAwaitsDoNotAllocate(t *testing.T) {
	ready := rt.Ready(1)
	futures := map[string]func() rt.Future[int]{
		"ready":  func() rt.Future[int] { return ready },
		"sleep0": func() rt.Future[int] { return newLooper(1, rt.Sleep(0)) },
	}
	for name, mk := range futures {
		allocs := func(n int) float64 {
			return testing.AllocsPerRun(5, func() {
				main := newScript(await(func() rt.Future[int] { return newLooper(n, mk()) }, nil))
				run[int](main)
			})
		}
		if few, many := allocs(10), allocs(10_000); many != few {
			t.Errorf("%s: %v allocations for 10 awaits, %v for 10000", name, few, many)
		}
	}
	allocsJoin := func(n int) float64 {
		return testing.AllocsPerRun(5, func() {
			var done *rt.Task[int]
			main := newScript(
				do(func() { done = rt.Spawn[int](newScript(ret(1, nil))) }),
				await(sleep(0), nil),
				await(func() rt.Future[int] { return newLooper(n, rt.Future[int](done)) }, nil),
			)
			run[int](main)
		})
	}
	if few, many := allocsJoin(10), allocsJoin(10_000); many != few {
		t.Errorf("finished task: %v allocations for 10 awaits, %v for 10000", few, many)
	}
}
