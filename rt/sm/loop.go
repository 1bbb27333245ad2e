package sm

import (
	"context"
	"errors"
	"fmt"
	"sync/atomic"
	"time"
)

// loopState is the single-threaded event loop of one rt.Run.
//
// One tick: take the functions posted from other goroutines, move the
// expired timers to the back of the ready queue (deadline order, ties in
// arming order), then run the tasks that were ready when the tick began, in
// FIFO order (in seeded mode, in an order drawn from the seed). Tasks made
// ready during the tick run in the next one.
type loopState struct {
	running *taskCore // the task being stepped
	// A Step of running.current is in progress. (The frame is always
	// running.current: a Step changes it only by starting a child
	// machine, and returns right after. A bool costs no write barrier.)
	stepping bool
	// The ready queue, FIFO; its first roundLeft tasks are what is left
	// of the round in progress.
	ready     readyList
	roundLeft int
	timers    timerHeap
	timerSeq  uint64
	base      time.Time // monotonic origin of timer deadlines
	ctx       context.Context

	vclock  *virtualClock // nil: real time (clock.go)
	shuffle *shuffler     // nil: FIFO; else the seeded schedule (shuffle.go)

	live        []*taskCore            // every task spawned, in spawn order; compacted
	nlive       int                    // how many of live are not done
	unretrieved []*taskCore            // failed tasks that had no joiner when they finished
	exts        map[*taskCore]*taskExt // what only some tasks need (taskCore.sideState)

	// What other goroutines may do: post a function and wake the loop
	// (post.go).
	postState
	external int // sources that may post later (the Run context, ...)

	budget int // steps left in the running task's turn (runBatch)
}

// readyList is the ready queue: a FIFO of tasks linked through their
// wnext. A queued task is parked on no waitList (a wake unparks it first,
// and a task parks only while it runs), so the link is free; tQueued tells
// the two uses apart. Scheduling a task is then a few stores: no index
// arithmetic, no buffer to grow, and no buffer left behind by a burst.
type readyList struct {
	head, tail *taskCore
	n          int
}

// push appends t. tail is meaningful only while head is not nil: pop
// leaves it behind when the list empties (one stale pointer, overwritten
// by the next push, for a store less on every pop that empties the list).
func (r *readyList) push(t *taskCore) {
	if r.head == nil {
		r.head = t
	} else {
		r.tail.wnext = t
	}
	r.tail = t
	r.n++
}

// pop removes the first task; r must not be empty.
func (r *readyList) pop() *taskCore {
	t := r.head
	r.head = t.wnext
	t.wnext = nil
	r.n--
	return t
}

// The running loop. One loop runs at a time in a process: see Run.
var (
	loopBusy atomic.Bool
	theLoop  *loopState
)

func loopNow() *loopState { return theLoop }

// schedule appends t to the ready queue unless it is there already.
func (l *loopState) schedule(t *taskCore) {
	if t.flags&tQueued != 0 {
		return
	}
	t.flags |= tQueued
	l.ready.push(t)
}

// park makes the running task wait on w until a wake.
func (l *loopState) park(w *waitList) {
	w.push(l.running)
}

// wakeAll wakes every task waiting on w, in the order they began, as
// wakeFirst does, and reports how many there were.
func (l *loopState) wakeAll(w *waitList, flags uint32) int {
	n := 0
	for l.wakeFirst(w, flags) {
		n++
	}
	return n
}

func (l *loopState) addTask(t *taskCore) {
	if l.nlive*2 < len(l.live) && len(l.live) >= 64 {
		l.compactLive()
	}
	l.live = append(l.live, t)
	l.nlive++
	l.schedule(t)
}

func (l *loopState) compactLive() {
	k := 0
	for _, t := range l.live {
		if t.flags&tDone == 0 {
			l.live[k] = t
			k++
		}
	}
	clear(l.live[k:])
	l.live = l.live[:k]
}

// startTick begins a round of the loop (see loopState): it runs what
// other goroutines posted, fires the due timers and makes the tasks ready
// now the round's batch.
func (l *loopState) startTick() {
	if l.npost.Load() != 0 {
		l.runPosted()
	}
	if len(l.timers) != 0 {
		l.fireTimers()
	}
	l.roundLeft = l.ready.n
	if l.shuffle != nil {
		l.shuffle.perm(&l.ready)
	}
}

// quietTick reports whether startTick has nothing to do but begin the
// round: nothing posted, no timer armed, FIFO order.
func (l *loopState) quietTick() bool {
	return l.npost.Load() == 0 && len(l.timers) == 0 && l.shuffle == nil
}

// runBatch runs what is left of the round, first the rest of the turn of a
// task whose Step panicked (see runTicks). While until is not done and a
// quiet tick follows (quietTick), it goes on with the next round itself:
// a round that starts with nothing to fire costs no return to runTicks.
// With until oneRound it runs one round.
//
// A task's turn is a trampoline over its chain of machines: runBatch
// steps the current machine; a child started inline is stepped next, a
// completed machine hands control to its parent, and a parked one ends the
// turn. A turn has a budget of stepBudget (tokio's cooperative budget):
// each step and each await that completes without suspending (see spend)
// costs one, and a task that has spent it goes to the back of the ready
// queue, so synchronous chains neither grow the stack nor starve the other
// tasks. The turn is inlined in the round's loop (t is the task whose turn
// is in progress, nil between turns): a resume costs no call but Step.
func (l *loopState) runBatch(until *taskCore) {
	t := l.running
	for {
		if t == nil { // between turns: the next task of the round
			if l.roundLeft == 0 {
				if l.ready.n == 0 || until.flags&tDone != 0 || !l.quietTick() {
					break
				}
				l.roundLeft = l.ready.n // the next round begins (startTick)
			}
			l.roundLeft--
			t = l.ready.pop()
			t.flags &^= tQueued | tHandoff
			if t.flags&tDone != 0 {
				t = nil
				continue
			}
			l.running = t
			l.budget = stepBudget - 1 // the first step's
		} else if l.budget <= 0 { // spent: the turn ends at the back of the queue
			l.schedule(t)
			t = nil
			continue
		} else {
			l.budget--
		}
		fr := t.current
		l.stepping = true
		fr.self.Step()
		l.stepping = false
		switch {
		case t.current != fr: // a child machine was started inline
		case fr.flags&fDone == 0: // parked
			t.checkParked()
			t = nil
		case fr.parent == nil: // the root completed
			t.finish(l)
			t = nil
		default: // back to the parent
			t.current, fr.parent = fr.parent, nil
		}
	}
	l.running = nil
}

// oneRound, as runBatch's until, is done already: the round in progress
// is the last.
var oneRound = &taskCore{flags: tDone}

// A Step that panics fails its machine, not the loop: the panic is
// recorded in the frame and the task goes on with the frame's exit state.
// Recovering costs a deferred call, so it is paid once per runTicks, not
// once per Step: a panic ends runTicks, and the next call picks the round
// up where the panic left it (runBatch).

// runTicks runs rounds until root is done; false if a Step panicked.
func (l *loopState) runTicks(root *taskCore) (done bool) {
	defer l.catchStepPanic()
	l.runBatch(root) // the rest of a round a panic interrupted, if any
	for root.flags&tDone == 0 {
		if l.ready.n == 0 {
			l.wait()
		}
		l.startTick()
		l.runBatch(root)
	}
	return true
}

// finishTick runs the rest of the round; false if a Step panicked.
func (l *loopState) finishTick() (done bool) {
	defer l.catchStepPanic()
	l.runBatch(oneRound)
	return true
}

// catchStepPanic, deferred, recovers a panic of the Step in progress and
// records it in that frame. Any other panic (a deadlock, a protocol
// violation) is not recovered: it ends Run.
func (l *loopState) catchStepPanic() {
	if !l.stepping {
		return
	}
	r := recover()
	if r == nil {
		return // runtime.Goexit
	}
	l.stepping = false
	l.running.current.recordPanic(r)
}

func (l *loopState) now() int64 {
	if l.vclock != nil {
		return l.vclock.now
	}
	return int64(time.Since(l.base))
}

func (l *loopState) fireTimers() {
	if len(l.timers) == 0 {
		return
	}
	now := l.now()
	for n := 0; len(l.timers) > 0 && l.timers[0].when <= now; n++ {
		if n == stormMin && l.fireStorm(now) {
			return
		}
		t := l.timers[0].t
		l.timers.remove(0)
		l.schedule(t)
	}
}

// wait blocks until a timer is due or another goroutine posts something.
// With no timer armed and nothing able to post, the tasks left can never
// run again: that is a deadlock, reported as a panic of Run.
func (l *loopState) wait() {
	if l.vclock != nil && l.vclock.idle(l) {
		return
	}
	if len(l.timers) == 0 {
		if l.external == 0 && l.npost.Load() == 0 {
			panic(fmt.Sprintf("asyncgen: deadlock: %d task(s) are waiting, none is ready, "+
				"no timer is armed and nothing outside the loop can wake them\n\n%s", l.nlive, l.dump()))
		}
		l.sleep(-1)
		return
	}
	d := time.Duration(l.timers[0].when - l.now())
	if d <= 0 {
		return
	}
	l.sleep(d)
}

// runUntil runs the loop until root is done.
func (l *loopState) runUntil(root *taskCore) {
	for !l.runTicks(root) {
	}
}

// shutdown cancels every task still running, then runs the loop until all
// have finished (their deferred calls ran). Tasks spawned meanwhile are
// cancelled too.
func (l *loopState) shutdown() {
	for l.nlive > 0 {
		for _, t := range l.live {
			t.cancelTask()
		}
		if l.ready.n == 0 {
			l.wait()
		}
		l.startTick()
		for !l.finishTick() {
		}
	}
}

// reportUnretrieved hands report every failure of a task whose result
// nobody read, except cancellations.
func (l *loopState) reportUnretrieved(report func(error)) {
	for _, t := range l.unretrieved {
		if t.flags&tRetrieved != 0 {
			continue
		}
		err := t.current.smErr()
		if _, isPanic := err.(*PanicError); !isPanic && errors.Is(err, context.Canceled) {
			continue
		}
		if report != nil {
			report(err)
		}
	}
}

// Run runs a loop in the calling goroutine: it spawns f as the task root,
// ticks until root finishes, then cancels the tasks left and runs until
// they finish, and returns root's results (a panic as a *PanicError error;
// rt.Run re-raises it). ctx ending cancels root. Failures of tasks whose
// results were never read are passed to report. opts selects a virtual
// clock and a seeded schedule (clock.go, shuffle.go). For rt only.
//
// One loop runs at a time in a process: a second Run while one runs (in
// another goroutine, or nested inside an async body) panics.
func Run[T any](ctx context.Context, root *Task[T], f Future[T], report func(error), opts Options) (T, error) {
	if !loopBusy.CompareAndSwap(false, true) {
		panic("asyncgen: rt.Run called while another rt.Run is running (nested inside an async body, " +
			"or concurrently in another goroutine); only one event loop may run at a time in a process")
	}
	l := &loopState{
		base: time.Now(),
		ctx:  context.WithoutCancel(ctx),
	}
	l.configure(opts)
	theLoop = l
	dumpable.Store(l)
	defer func() {
		dumpable.Store(nil)
		l.closePosts()
		theLoop = nil
		loopBusy.Store(false)
	}()
	Spawn(root, f)
	if ctx.Done() != nil {
		l.external++
		stop := context.AfterFunc(ctx, func() { l.post(root.Cancel) })
		defer stop()
	}
	l.runUntil(&root.taskCore)
	if ctx.Done() != nil {
		l.external--
	}
	root.flags |= tRetrieved
	l.shutdown()
	l.reportUnretrieved(report)
	return TaskOutcome(root)
}
