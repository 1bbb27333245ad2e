package sm

import (
	"context"
)

// taskCore is the type-independent part of a task: the chain of machines
// it runs (current is the innermost; the root has no parent) and what it
// is parked on. It costs 32 bytes on amd64, the size class below 48: a
// million parked tasks are a million of these. What only some tasks need
// (joiners, a context) is in the loop's exts.
type taskCore struct {
	// The task's links in the ring of the waitList it is parked on; nil
	// when it is not parked on one. While the task is queued (tQueued),
	// wnext links the ready queue instead (readyList) and wprev is nil.
	wnext, wprev *taskCore
	current      *Frame
	flags        uint32
	heapIdx      int32 // index in the timer heap while parked in Sleep, else -1
}

// Task flags.
const (
	tQueued    = 1 << iota // in the ready queue
	tCancelled             // Cancel was called (level-triggered)
	tDone                  // the root machine completed
	tRetrieved             // someone read the task's result
	tHandoff               // woken by Waiters.Handoff and not yet run
	tExt                   // has a taskExt in loopState.exts

	// Bits noteShift and up hold the note of the task's current await
	// (wait.go).
	noteShift = 24
)

// taskExt holds what only some tasks need.
type taskExt struct {
	joiners waitList // tasks awaiting this one
	ctx     context.Context
	cancel  context.CancelFunc
}

// sideState returns the task's taskExt, made on first use.
func (t *taskCore) sideState(l *loopState) *taskExt {
	if t.flags&tExt != 0 {
		return l.exts[t]
	}
	x := new(taskExt)
	if l.exts == nil {
		l.exts = make(map[*taskCore]*taskExt)
	}
	l.exts[t] = x
	t.flags |= tExt
	return x
}

// ext returns the task's taskExt, or nil if it has none.
func (t *taskCore) ext(l *loopState) *taskExt {
	if t.flags&tExt == 0 {
		return nil
	}
	return l.exts[t]
}

// Task is a future run by the loop on its own (rt.Spawn). rt.Task embeds it.
// Once the task is done, current is its root machine, which holds the
// results. For rt only.
type Task[T any] struct {
	taskCore
}

// rootAdapter runs a future that is not a fresh machine as a task root.
type rootAdapter[T any] struct {
	Machine[T]
	f Future[T]
}

func (a *rootAdapter[T]) Step() {
	switch a.State {
	case 0:
		a.State = 1
		if !Await(&a.Frame, a.f) {
			return
		}
		fallthrough
	case 1:
		a.Return(Outcome(&a.Frame, a.f)) // a panic stays a *PanicError failure
		a.f = nil
		a.Complete()
	}
}

// Spawn makes t a task running f and schedules it on the running loop.
// t must be new (zero). For rt only; rt.Spawn is the API.
func Spawn[T any](t *Task[T], f Future[T]) {
	l := loopNow()
	if l == nil {
		panic("asyncgen: rt.Spawn called outside rt.Run (no event loop is running)")
	}
	t.heapIdx = -1
	var root *Machine[T]
	m, ok := f.(interface{ smMachine() *Machine[T] })
	if ok && m.smMachine().flags&fStarted == 0 && m.smMachine().self != nil {
		root = m.smMachine()
	} else {
		a := &rootAdapter[T]{f: f}
		a.Bind(a, 1)
		root = &a.Machine
	}
	root.flags |= fStarted
	t.current = &root.Frame
	l.addTask(&t.taskCore)
}

// Cancel cancels the task (see the package doc); a no-op once it is done.
func (t *Task[T]) Cancel() { t.cancelTask() }

// Done reports whether the task has finished.
func (t *Task[T]) Done() bool { return t.flags&tDone != 0 }

// TaskOutcome returns the results of a finished task (a panic as a
// *PanicError error) and marks them retrieved. For rt only.
func TaskOutcome[T any](t *Task[T]) (T, error) { return t.result(&noAwait) }

func (t *Task[T]) start(fr *Frame) bool {
	if t.flags&tDone != 0 {
		return true
	}
	l := loopNow()
	if l.running == &t.taskCore {
		panic("asyncgen: a task awaits itself")
	}
	l.park(&t.sideState(l).joiners)
	return false
}

func (t *Task[T]) result(fr *Frame) (T, error) {
	if fr.cutShort(t) {
		return canceled[T]()
	}
	if t.flags&tDone == 0 {
		panic("sm: result of a task that has not finished")
	}
	t.flags |= tRetrieved
	v, err := t.current.self.(Future[T]).result(&noAwait)
	return v, fr.raise(err)
}

func (t *Task[T]) resultOwned(fr *Frame) error { return errorOf(t.result(fr)) }

func (t *Task[T]) smErr() error {
	t.flags |= tRetrieved
	return t.current.smErr()
}

// stepBudget is how many steps and synchronous awaits a task may make
// before it yields its turn.
const stepBudget = 1024

// spend charges an await that completed without suspending to the running
// task's budget. When the budget is spent, the task is put at the back of
// the ready queue and spend reports false: the await reports that it
// suspended, and the machine reads its result when the task runs again.
func (l *loopState) spend() bool {
	l.budget--
	return l.budget > 0 || l.yieldTurn()
}

// yieldTurn puts the running task at the back of the ready queue; false.
func (l *loopState) yieldTurn() bool {
	l.schedule(l.running)
	return false
}

// checkParked catches a machine that returned from Step while neither
// waiting for anything nor scheduled: it would never run again.
func (t *taskCore) checkParked() {
	if t.flags&tQueued == 0 && t.wnext == nil && t.heapIdx < 0 {
		panic("sm: protocol violation: Step returned without completing and without a pending await")
	}
}

// finish ends the task once its root machine (current) completed: joiners
// are woken FIFO now; a failure nobody will read is kept to be reported.
func (t *taskCore) finish(l *loopState) {
	t.flags |= tDone
	l.nlive--
	hasJoiners := false
	if x := t.ext(l); x != nil {
		delete(l.exts, t)
		t.flags &^= tExt
		if x.cancel != nil {
			x.cancel()
		}
		hasJoiners = !x.joiners.empty()
		l.wakeAll(&x.joiners, 0)
	}
	if !hasJoiners && t.current.smErr() != nil {
		l.unretrieved = append(l.unretrieved, t)
	}
}

// cancelTask sets the task's cancelled flag; if its current frame is
// parked, unshielded, on a leaf or a timer, it is detached, marked
// interrupted and scheduled, so its pending await returns context.Canceled.
// A value already handed to the task (it was woken and is queued) is kept:
// that await completed before the cancellation. Except what Waiters.Handoff
// handed it (a lock, a queued value): the await fails and, when the task
// runs, Outcome has the Op revoke the handoff (wait.go).
func (t *taskCore) cancelTask() {
	if t.flags&(tCancelled|tDone) != 0 {
		return
	}
	t.flags |= tCancelled
	l := loopNow()
	if x := t.ext(l); x != nil && x.cancel != nil {
		x.cancel()
	}
	fr := t.current
	if fr.flags&(fShielded|fAwaitShield) != 0 {
		return
	}
	switch {
	case t.flags&tHandoff != 0: // queued, woken by a Handoff
		t.flags &^= tHandoff
		fr.flags |= fInterrupted | fRevoke
		return // queued already
	case t.flags&tQueued != 0: // its wnext links the ready queue
		return // woken, yielding or never run: later awaits fail
	case t.wnext != nil:
		t.unpark()
	case t.heapIdx >= 0:
		l.timers.remove(int(t.heapIdx))
	default:
		return // running: later awaits fail
	}
	fr.flags |= fInterrupted
	l.schedule(t)
}

func (t *taskCore) context() context.Context {
	x := t.sideState(loopNow())
	if x.ctx == nil {
		x.ctx, x.cancel = context.WithCancel(loopNow().ctx)
		if t.flags&(tCancelled|tDone) != 0 {
			x.cancel()
		}
	}
	return x.ctx
}

// waitList is a FIFO of tasks parked on one thing, linked through the
// tasks themselves (no allocation per wait): a ring of the tasks' links
// and the list's own sentinel, so a task leaves its list in O(1) without
// knowing which list it is in (unpark). The zero waitList is empty; a
// waitList must not be copied once used.
type waitList struct {
	s taskCore // the sentinel: s.wnext is the first task, s.wprev the last
}

// first returns the first task of w, or nil.
func (w *waitList) first() *taskCore {
	if t := w.s.wnext; t != &w.s {
		return t // nil too, before the first push
	}
	return nil
}

func (w *waitList) empty() bool { return w.first() == nil }

func (w *waitList) push(t *taskCore) {
	if w.s.wnext == nil {
		w.s.wnext, w.s.wprev = &w.s, &w.s
	}
	t.wprev, t.wnext = w.s.wprev, &w.s
	w.s.wprev.wnext = t
	w.s.wprev = t
}

// unpark takes t out of the waitList it is parked on.
func (t *taskCore) unpark() {
	t.wprev.wnext = t.wnext
	t.wnext.wprev = t.wprev
	t.wnext, t.wprev = nil, nil
}

// MarkRetrieved records that t's result is read by its owner (a group), so
// a failure is not reported as unawaited. For rt only.
func MarkRetrieved[T any](t *Task[T]) { t.flags |= tRetrieved }
