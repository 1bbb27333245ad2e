package rt_test

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"github.com/asyncgen/asyncgen/rt"
	"github.com/asyncgen/asyncgen/rt/sm"
)

// posSleeper is the sleeper of the sm doc example as asyncgen would
// generate it with positions: it implements sm.Positioner.
type posSleeper struct {
	sm.Machine[int]
	d     time.Duration
	await rt.Future[struct{}]
}

func newPosSleeper(d time.Duration) *posSleeper {
	m := &posSleeper{d: d}
	m.Bind(m, 2)
	return m
}

func (m *posSleeper) Step() {
	for {
		switch m.State {
		case 0: // fetch.go:11
			m.await = rt.Sleep(m.d)
			m.State = 1
			if !sm.Await(&m.Frame, m.await) {
				return
			}
		case 1: // fetch.go:12
			_, err := sm.Result(&m.Frame, m.await)
			m.await = nil
			m.Return(0, err)
			m.State = 2
		case 2:
			if !m.RunDefers() {
				return
			}
			m.Complete()
			return
		}
	}
}

// Where is what asyncgen emits: the position of the await each resume
// state follows.
func (*posSleeper) Where(state int32) string {
	switch state {
	case 1:
		return "fetch.go:12:3"
	}
	return ""
}

// posCaller awaits its child inline at crawl.go:30.
type posCaller struct {
	sm.Machine[int]
	child rt.Future[int]
}

func newPosCaller(child rt.Future[int]) *posCaller {
	m := &posCaller{child: child}
	m.Bind(m, 2)
	return m
}

func (m *posCaller) Step() {
	switch m.State {
	case 0:
		m.State = 1
		if !sm.Await(&m.Frame, m.child) {
			return
		}
		fallthrough
	case 1:
		m.Return(sm.Result(&m.Frame, m.child))
		m.State = 2
		fallthrough
	case 2:
		m.Complete()
	}
}

func (*posCaller) Where(state int32) string {
	if state == 1 {
		return "crawl.go:30:8"
	}
	return ""
}

func TestDumpTasks(t *testing.T) {
	var out bytes.Buffer
	var sleeping *rt.Task[int]
	main := newScript(
		do(func() {
			sleeping = rt.Spawn[int](newPosCaller(newPosSleeper(time.Hour)))
			rt.Spawn[int](newScript(await(func() rt.Future[int] { return sleeping }, nil)))
			rt.Spawn[[]int](rt.Gather[int](newPosSleeper(2 * time.Hour)))
			cancelled := rt.Spawn[int](newScript(
				deferAwait(func() rt.Future[int] { return newPosSleeper(time.Minute) }),
				await(func() rt.Future[int] { return newPosSleeper(time.Hour) }, nil),
			))
			rt.Spawn[int](newScript(await(sleep(0), nil), do(cancelled.Cancel)))
		}),
		await(sleep(1), nil),
		do(func() {
			rt.Spawn[int](newScript())
			rt.DumpTasks(&out)
		}),
	)
	run[int](main)
	want := `asyncgen: 7 live task(s) at +1ms (virtual clock)

task 1 [running]:
rt_test.script
	(running)

task 2 [sleep, 59m59.999s left]:
rt_test.posSleeper
	fetch.go:12:3
rt_test.posCaller
	crawl.go:30:8

task 3 [join task 2]:
rt_test.script
	state 0 (no source position)

task 4 [wait]:
rt.gather

task 5 [sleep, 59.999s left, cancelled]:
rt_test.posSleeper
	fetch.go:12:3
rt_test.script
	(running deferred calls)

task 6 [sleep, 1h59m59.999s left]:
rt_test.posSleeper
	fetch.go:12:3
rt.member

task 7 [runnable]:
rt_test.script
	state 0 (no source position)
`
	if got := out.String(); got != want {
		t.Errorf("DumpTasks wrote:\n%s\nwant:\n%s", got, want)
	}
}

func TestDumpTasksNoLoop(t *testing.T) {
	var out bytes.Buffer
	rt.DumpTasks(&out)
	if got := out.String(); got != "asyncgen: no event loop is running\n" {
		t.Fatalf("DumpTasks outside Run wrote %q", got)
	}
}

// From another goroutine, DumpTasks has the loop write the dump at its
// next tick.
func TestDumpTasksFromAnotherGoroutine(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	got := make(chan string, 1)
	main := newScript(
		do(func() {
			go func() {
				var out bytes.Buffer
				time.Sleep(10 * time.Millisecond) // the loop sleeps
				rt.DumpTasks(&out)
				got <- out.String()
				cancel()
			}()
		}),
		await(func() rt.Future[int] { return newPosCaller(newPosSleeper(time.Hour)) }, nil),
	)
	rt.RunWith[int](ctx, main, rt.Options{}) // real time: the hour ends with ctx
	s := <-got
	if !strings.HasPrefix(s, "asyncgen: 1 live task(s) at +") || !strings.Contains(s, "\n\ntask 1 [sleep, 59m59.9") ||
		!strings.HasSuffix(s, "s left]:\nrt_test.posSleeper\n\tfetch.go:12:3\nrt_test.posCaller\n\tcrawl.go:30:8\n"+
			"rt_test.script\n\tstate 0 (no source position)\n") {
		t.Errorf("DumpTasks from another goroutine wrote:\n%s", s)
	}
}

// A loop blocked by a task cannot answer: DumpTasks says so.
func TestDumpTasksBlockedLoop(t *testing.T) {
	defer rt.SetDumpTimeout(20 * time.Millisecond)()
	got := make(chan string, 1)
	main := newScript(do(func() {
		go func() {
			var out bytes.Buffer
			rt.DumpTasks(&out)
			got <- out.String()
		}()
		time.Sleep(100 * time.Millisecond) // blocks the loop: test only
	}))
	run[int](main)
	if s := <-got; !strings.HasPrefix(s, "asyncgen: the event loop did not answer within 20ms: a task is blocking it") {
		t.Errorf("DumpTasks wrote %q", s)
	}
}

// Run's deadlock panic shows where the tasks are stuck.
func TestDeadlockDumpsTasks(t *testing.T) {
	var a, b *rt.Task[int]
	main := newScript(do(func() {
		a = rt.Spawn[int](newPosCaller(newScript(await(func() rt.Future[int] { return b }, nil))))
		b = rt.Spawn[int](newPosCaller(newScript(await(func() rt.Future[int] { return a }, nil))))
	}), await(func() rt.Future[int] { return a }, nil))
	expectPanic(t, `no timer is armed and nothing outside the loop can wake them

asyncgen: 3 live task(s) at +0s (virtual clock)

task 1 [join task 2]:
rt_test.script
	state 0 (no source position)

task 2 [join task 3]:
rt_test.script
	state 0 (no source position)
rt_test.posCaller
	crawl.go:30:8

task 3 [join task 2]:
rt_test.script
	state 0 (no source position)
rt_test.posCaller
	crawl.go:30:8
`, func() { run[int](main) })
}
