package rt_test

import (
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/asyncgen/asyncgen/internal/peers"
	"github.com/asyncgen/asyncgen/rt"
	"github.com/asyncgen/asyncgen/rt/sm"
)

// Benchmarks of the synchronisation primitives and timers against the Go
// peer doing the same work, in the same run:
//
//	go test -run='^$' -bench='PingPong|EventWaiters|TimersFired' ./rt
//
// The machines below are written as asyncgen generates them (see the sm
// package doc), so the figures are those of compiled async code.

// pinger puts i into out and gets the reply from in, n times (or, as the
// ponger, gets from in and puts the value back into out).
type pinger struct {
	sm.Machine[int]
	n, i    int
	in, out *rt.Queue[int]
	ponger  bool
	put     rt.Future[struct{}]
	get     rt.Future[int]
}

func newPinger(n int, in, out *rt.Queue[int], ponger bool) *pinger {
	m := &pinger{n: n, in: in, out: out, ponger: ponger}
	m.Bind(m, 4)
	return m
}

func (m *pinger) Step() {
	for {
		switch m.State {
		case 0: // for i < n
			if m.i == m.n {
				m.State = 4
				continue
			}
			if m.ponger {
				m.State = 2
				continue
			}
			m.put = m.out.Put(m.i)
			m.State = 1
			if !sm.Await(&m.Frame, m.put) {
				return
			}
		case 1: // pinger: put done; get the reply
			sm.ResultOwned(&m.Frame, m.put) // rt.Await(q.Put(v)) reuses the future

			m.put = nil
			m.get = m.in.Get()
			m.State = 3
			if !sm.Await(&m.Frame, m.get) {
				return
			}
		case 2: // ponger: get
			m.get = m.in.Get()
			m.State = 3
			if !sm.Await(&m.Frame, m.get) {
				return
			}
		case 3:
			v, _ := sm.Result(&m.Frame, m.get)
			m.get = nil
			m.i++
			if !m.ponger {
				m.State = 0
				continue
			}
			m.put = m.out.Put(v)
			m.State = 5
			if !sm.Await(&m.Frame, m.put) {
				return
			}
		case 5: // ponger: put done
			sm.ResultOwned(&m.Frame, m.put)
			m.put = nil
			m.State = 0
		case 4:
			m.Complete()
			return
		}
	}
}

// BenchmarkPingPong: one op is a round trip, a value there and back
// between two tasks through two queues, or between two goroutines through
// two unbuffered channels.
func BenchmarkPingPong(b *testing.B) {
	b.Run("queue-tasks", func(b *testing.B) {
		b.ReportAllocs()
		ping, pong := rt.NewQueue[int](1), rt.NewQueue[int](1)
		main := newScript(
			do(func() { rt.Spawn[int](newPinger(b.N, ping, pong, true)) }),
			await(fut[int](newPinger(b.N, pong, ping, false)), nil),
		)
		run[int](main)
	})
	b.Run("chan-goroutines", func(b *testing.B) {
		b.ReportAllocs()
		peers.ChanPingPong(b.N)
	})
}

// eventWaiter is a task body `rt.Await(ev.Wait())`.
type eventWaiter struct {
	sm.Machine[struct{}]
	ev    *rt.Event
	await rt.Future[struct{}]
}

func (m *eventWaiter) Step() {
	switch m.State {
	case 0:
		m.await = m.ev.Wait()
		m.State = 1
		if !sm.Await(&m.Frame, m.await) {
			return
		}
		fallthrough
	case 1:
		sm.Result(&m.Frame, m.await)
		m.await = nil
		m.Complete()
	}
}

const waitersN = 1 << 20

// BenchmarkEventWaiters: 1M tasks waiting on an Event, or 1M goroutines
// blocked receiving from a channel: the memory each waiter costs (heap
// and stacks in use, after a GC), then the time to wake them all.
func BenchmarkEventWaiters(b *testing.B) {
	b.Run("tasks", func(b *testing.B) {
		var perTask, wakeNs float64
		for range b.N {
			var before uint64
			var ev rt.Event
			var woke time.Time
			main := newScript(
				do(func() {
					before = memInUse()
					for range waitersN {
						m := &eventWaiter{ev: &ev}
						m.Bind(m, 2)
						rt.Spawn[struct{}](m)
					}
				}),
				await(sleep(0), nil), // every task ran and waits
				await(sleep(0), nil), // the loop dropped that tick's batch
				do(func() {
					perTask = float64(memInUse()-before) / waitersN
					woke = time.Now()
					ev.Set()
				}),
				await(sleep(0), nil), // every task ran and finished
				do(func() { wakeNs = float64(time.Since(woke).Nanoseconds()) / waitersN }),
			)
			realRun[int](main)
		}
		b.ReportMetric(perTask, "B/waiter")
		b.ReportMetric(wakeNs, "ns/wake")
	})
	b.Run("goroutines", func(b *testing.B) {
		var perG, wakeNs float64
		for range b.N {
			before := memInUse()
			var started, done sync.WaitGroup
			release := make(chan struct{})
			started.Add(waitersN)
			done.Add(waitersN)
			for range waitersN {
				go func() {
					started.Done()
					<-release
					done.Done()
				}()
			}
			started.Wait()
			perG = float64(memInUse()-before) / waitersN
			woke := time.Now()
			close(release)
			done.Wait()
			wakeNs = float64(time.Since(woke).Nanoseconds()) / waitersN
		}
		b.ReportMetric(perG, "B/waiter")
		b.ReportMetric(wakeNs, "ns/wake")
	})
}

// sleeperAt is a task body `rt.Await(rt.Sleep(time.Until(at)))`, then it
// counts itself and the last one notes the time.
type sleeperAt struct {
	sm.Machine[struct{}]
	at    time.Time
	c     *timerCount
	await rt.Future[struct{}]
}

type timerCount struct {
	left  int
	last  time.Time
	fired rt.Event // set by the last
}

func (m *sleeperAt) Step() {
	switch m.State {
	case 0:
		m.await = rt.Sleep(time.Until(m.at))
		m.State = 1
		if !sm.Await(&m.Frame, m.await) {
			return
		}
		fallthrough
	case 1:
		sm.Result(&m.Frame, m.await)
		m.await = nil
		if m.c.left--; m.c.left == 0 {
			m.c.last = time.Now()
			m.c.fired.Set()
		}
		m.Complete()
	}
}

const timersN = 1 << 20

// timersLead is how long after the start of arming the timers are due:
// long enough to arm a million of them.
const timersLead = 1500 * time.Millisecond

// BenchmarkTimersFired: 1M timers armed for the same instant, then fired:
// timers/s is how many fire per second from that instant until the last
// has run its code (a task resumed, a callback or a goroutine woken);
// ns/arm is the cost of arming one (spawning its task or goroutine
// included).
func BenchmarkTimersFired(b *testing.B) {
	report := func(b *testing.B, start, at, last, armed time.Time) {
		b.ReportMetric(float64(timersN)/last.Sub(at).Seconds(), "timers/s")
		b.ReportMetric(float64(armed.Sub(start).Nanoseconds())/timersN, "ns/arm")
		if armed.After(at) {
			b.Logf("arming took %v, longer than the lead %v: timers/s includes arming", armed.Sub(start), timersLead)
		}
	}
	b.Run("tasks", func(b *testing.B) {
		for range b.N {
			c := &timerCount{left: timersN}
			start := time.Now()
			at := start.Add(timersLead)
			var armed time.Time
			main := newScript(
				do(func() {
					for range timersN {
						m := &sleeperAt{at: at, c: c}
						m.Bind(m, 2)
						rt.Spawn[struct{}](m)
					}
				}),
				await(sleep(0), nil), // every task armed its timer
				do(func() { armed = time.Now() }),
				await(c.fired.Wait, nil),
			)
			realRun[int](main)
			report(b, start, at, c.last, armed)
		}
	})
	b.Run("time.AfterFunc", func(b *testing.B) {
		for range b.N {
			var left atomic.Int64
			left.Store(timersN)
			lastc := make(chan time.Time, 1)
			start := time.Now()
			at := start.Add(timersLead)
			for range timersN {
				time.AfterFunc(time.Until(at), func() {
					if left.Add(-1) == 0 {
						lastc <- time.Now()
					}
				})
			}
			armed := time.Now()
			report(b, start, at, <-lastc, armed)
		}
	})
	b.Run("goroutines-sleep", func(b *testing.B) {
		for range b.N {
			var left atomic.Int64
			left.Store(timersN)
			lastc := make(chan time.Time, 1)
			var started sync.WaitGroup
			started.Add(timersN)
			start := time.Now()
			at := start.Add(timersLead)
			for range timersN {
				go func() {
					d := time.Until(at)
					started.Done()
					time.Sleep(d)
					if left.Add(-1) == 0 {
						lastc <- time.Now()
					}
				}()
			}
			started.Wait()
			armed := time.Now()
			report(b, start, at, <-lastc, armed)
		}
	})
}

// opLoop awaits op() n times, calling after() after each.
type opLoop[X any] struct {
	sm.Machine[int]
	n, i  int
	op    func() rt.Future[X]
	after func()
	await rt.Future[X]
}

func newOpLoop[X any](n int, op func() rt.Future[X], after func()) *opLoop[X] {
	m := &opLoop[X]{n: n, op: op, after: after}
	m.Bind(m, 2)
	return m
}

func (m *opLoop[X]) Step() {
	for {
		switch m.State {
		case 0:
			if m.i == m.n {
				m.Complete()
				return
			}
			m.i++
			m.await = m.op()
			m.State = 1
			if !sm.Await(&m.Frame, m.await) {
				return
			}
		case 1:
			sm.Result(&m.Frame, m.await)
			m.await = nil
			if m.after != nil {
				m.after()
			}
			m.State = 0
		}
	}
}

// BenchmarkUncontended: operations that complete at once, in one task:
// an await of Lock and Unlock; an await of Put and one of Get.
func BenchmarkUncontended(b *testing.B) {
	b.Run("mutex", func(b *testing.B) {
		b.ReportAllocs()
		var mu rt.Mutex
		run[int](newOpLoop(b.N, mu.Lock, mu.Unlock))
	})
	b.Run("queue-put-get", func(b *testing.B) {
		b.ReportAllocs()
		q := rt.NewQueue[struct{}](0)
		k := 0
		run[int](newOpLoop(2*b.N, func() rt.Future[struct{}] {
			if k++; k%2 == 1 {
				return q.Put(struct{}{})
			}
			return q.Get()
		}, nil))
	})
}
