package rt

import (
	"context"
	"errors"

	"github.com/asyncgen/asyncgen/rt/sm"
)

// Group is a structured set of tasks (asyncio.TaskGroup): Go adds members,
// Wait returns when all of them have finished. The first member that fails
// cancels the others. Wait's error joins the members' own failures (not
// the cancellations the group caused); if a member panicked, Wait re-raises
// the first panic in its awaiter. If Wait's awaiter is cancelled, the
// members are cancelled and Wait returns context.Canceled once they have
// finished. The zero Group is not ready for use: call NewGroup.
type Group struct {
	tasks      []groupTask
	left       int
	cancelling bool
	errs       []error
	panicked   *PanicError
	done       *sm.Leaf[struct{}] // resolved when left drops to 0
}

type groupTask interface {
	Cancel()
	Done() bool
}

// NewGroup returns an empty group.
func NewGroup() *Group { return &Group{done: new(sm.Leaf[struct{}])} }

// Go spawns f as a member of g and returns its task; awaiting the task
// gives f's results as usual. A member added after the group began
// cancelling (a failure, or Wait's awaiter cancelled) is cancelled at once.
func Go[T any](g *Group, f Future[T]) *Task[T] {
	if g.left == 0 && g.done.Done() {
		g.done = new(sm.Leaf[struct{}])
	}
	g.left++
	t := spawnMember(f, 0, func(_ int, _ T, err error) { g.memberDone(err) }, true)
	sm.MarkRetrieved(&t.task) // the group reads every member's outcome
	g.add(t)
	if g.cancelling {
		t.Cancel()
	}
	return t
}

func (g *Group) add(t groupTask) {
	if len(g.tasks) >= 64 && g.left*2 < len(g.tasks) {
		k := 0
		for _, t := range g.tasks {
			if !t.Done() {
				g.tasks[k] = t
				k++
			}
		}
		clear(g.tasks[k:])
		g.tasks = g.tasks[:k]
	}
	g.tasks = append(g.tasks, t)
}

func (g *Group) memberDone(err error) {
	if pe, ok := err.(*PanicError); ok {
		if g.panicked == nil {
			g.panicked = pe
		}
		g.cancel()
	} else if err != nil && !errors.Is(err, context.Canceled) {
		g.errs = append(g.errs, err)
		g.cancel()
	}
	g.left--
	if g.left == 0 {
		g.done.Resolve(struct{}{}, nil)
	}
}

func (g *Group) cancel() {
	if g.cancelling {
		return
	}
	g.cancelling = true
	for _, t := range g.tasks {
		t.Cancel()
	}
}

// Wait returns a future that completes when every member has finished.
func (g *Group) Wait() Future[struct{}] {
	w := &groupWait{g: g}
	w.Bind(w, 3)
	return w
}

type groupWait struct {
	sm.Machine[struct{}]
	g    *Group
	done *sm.Leaf[struct{}]
}

// Step: 0 waits for done; 1 sees it (or the awaiter cancelled: cancel the
// members, wait again shielded: 2); 3 is the exit state.
func (w *groupWait) Step() {
	g := w.g
	cancelled := false
	switch w.State {
	case 0:
		if g.left == 0 {
			break
		}
		w.done = g.done
		w.State = 1
		if !sm.Await(&w.Frame, w.done) {
			return
		}
		fallthrough
	case 1:
		sm.Outcome(&w.Frame, w.done)
		if !w.done.Done() { // the awaiter was cancelled
			g.cancel()
			w.State = 2
			if !sm.AwaitShielded(&w.Frame, w.done) {
				return
			}
			sm.Outcome(&w.Frame, w.done)
			cancelled = true
		}
	case 2:
		sm.Outcome(&w.Frame, w.done)
		cancelled = true
	}
	switch {
	case g.panicked != nil:
		w.Throw(g.panicked)
	case cancelled:
		w.Throw(errors.Join(append([]error{context.Canceled}, g.errs...)...))
	default:
		w.Throw(errors.Join(g.errs...))
	}
	w.Complete()
}
