package rt

import (
	"context"
	"errors"

	"github.com/asyncgen/asyncgen/rt/sm"
)

// The combinators are hand-written machines on the sm protocol, shared by
// both views. Gather, Race and Group run each future as a task of its own
// (a member) that reports its outcome to the combinator when it finishes;
// the combinator itself waits on an sm.Leaf resolved when the last member
// has finished. When the awaiter is cancelled, the combinator cancels its
// members and waits for them, shielded, before returning the cancellation.

// member runs f as the root of its own task and calls done with f's
// outcome (a panic as a *PanicError) just before it completes.
type member[T any] struct {
	sm.Machine[T]
	f    Future[T]
	i    int
	done func(i int, v T, err error)
	// keep makes the task fail as f did (Group returns it to the user);
	// otherwise the combinator is the only reader of the outcome.
	keep bool
}

func spawnMember[T any](f Future[T], i int, done func(int, T, error), keep bool) *Task[T] {
	m := &member[T]{f: f, i: i, done: done, keep: keep}
	m.Bind(m, 1)
	return Spawn[T](m)
}

func (m *member[T]) Step() {
	if m.State == 0 {
		m.State = 1
		if !sm.Await(&m.Frame, m.f) {
			return
		}
	}
	v, err := sm.Outcome(&m.Frame, m.f)
	m.f = nil
	m.done(m.i, v, err)
	if !m.keep {
		err = nil
	}
	m.Return(v, err)
	m.Complete()
}

// canceler is a task of any type.
type canceler interface{ Cancel() }

// members is what Gather and Race keep of their members: the member
// tasks, the tasks they were given (which they own), and how many are left.
type members struct {
	tasks []canceler
	left  int
	done  sm.Leaf[struct{}]
}

// start spawns one member per future, in order.
func startMembers[T any](ms *members, fs []Future[T], done func(int, T, error)) {
	ms.left = len(fs)
	for i, f := range fs {
		if t, ok := f.(*Task[T]); ok {
			ms.tasks = append(ms.tasks, t)
		}
		ms.tasks = append(ms.tasks, spawnMember(f, i, done, false))
	}
}

func (ms *members) cancelAll() {
	for _, t := range ms.tasks {
		t.Cancel()
	}
}

// finished counts a member out and resolves done after the last one.
func (ms *members) finished() {
	ms.left--
	if ms.left == 0 {
		ms.done.Resolve(struct{}{}, nil)
	}
}

// waitMembers is the common tail of the combinators' Step: wait for done;
// if the awaiter is cancelled meanwhile, cancel the members and wait again,
// shielded. It reports false when Step must return, and whether the
// awaiter was cancelled. State goes from s to s+1 (first wait) to s+2.
func waitMembers(fr *sm.Frame, ms *members, s int32) (ready, cancelled bool) {
	switch fr.State {
	case s:
		fr.State = s + 1
		if ms.left > 0 && !sm.Await(fr, &ms.done) {
			return false, false
		}
		fallthrough
	case s + 1:
		if ms.left == 0 {
			fr.State = s + 3
			return true, false
		}
		sm.Outcome(fr, &ms.done) // context.Canceled: the awaiter was cancelled
		ms.cancelAll()
		fr.State = s + 2
		if !sm.AwaitShielded(fr, &ms.done) {
			return false, true
		}
		fallthrough
	default:
		cancelled := fr.State == s+2
		sm.Outcome(fr, &ms.done)
		fr.State = s + 3
		return true, cancelled
	}
}

// Gather runs the futures concurrently, each as its own task spawned in
// argument order, and returns their results in that order. The first
// failure cancels the others; Gather returns it once all have finished (a
// panic is re-raised in the awaiter). Gather owns the futures, tasks
// included: if the awaiter is cancelled, they are cancelled too, and
// Gather returns context.Canceled after they have finished.
func Gather[T any](fs ...Future[T]) Future[[]T] {
	g := &gather[T]{fs: fs}
	g.Bind(g, 4)
	return g
}

type gather[T any] struct {
	sm.Machine[[]T]
	fs  []Future[T]
	res []T
	err error
	members
}

func (g *gather[T]) memberDone(i int, v T, err error) {
	g.res[i] = v
	if err != nil && g.err == nil {
		g.err = err
		g.cancelAll()
	}
	g.finished()
}

func (g *gather[T]) Step() {
	if g.State == 0 {
		g.res = make([]T, len(g.fs))
		startMembers(&g.members, g.fs, g.memberDone)
		g.fs = nil
		g.State = 1
	}
	ready, cancelled := waitMembers(&g.Frame, &g.members, 1)
	if !ready {
		return
	}
	switch {
	case cancelled:
		g.Throw(context.Canceled)
	case g.err != nil:
		g.Throw(g.err)
	default:
		g.Return(g.res, nil)
	}
	g.Complete()
}

// errNoFutures is Race's failure with no arguments.
var errNoFutures = errors.New("rt.Race: no futures")

// Race runs the futures concurrently, each as its own task, and returns the
// outcome of the first to finish, success or failure (a panic is re-raised
// in the awaiter). The others are cancelled, and Race returns once all have
// finished. Race owns the futures, tasks included: if the awaiter is
// cancelled, they are cancelled too and Race returns context.Canceled
// after they have finished. Race with no futures fails.
func Race[T any](fs ...Future[T]) Future[T] {
	if len(fs) == 0 {
		return Fail[T](errNoFutures)
	}
	r := &race[T]{fs: fs, winner: -1}
	r.Bind(r, 4)
	return r
}

type race[T any] struct {
	sm.Machine[T]
	fs     []Future[T]
	winner int
	v      T
	err    error
	members
}

func (r *race[T]) memberDone(i int, v T, err error) {
	if r.winner < 0 {
		r.winner, r.v, r.err = i, v, err
		r.cancelAll()
	}
	r.finished()
}

func (r *race[T]) Step() {
	if r.State == 0 {
		startMembers(&r.members, r.fs, r.memberDone)
		r.fs = nil
		r.State = 1
	}
	ready, cancelled := waitMembers(&r.Frame, &r.members, 1)
	if !ready {
		return
	}
	if cancelled {
		r.Throw(context.Canceled)
	} else {
		r.Return(r.v, r.err)
	}
	r.Complete()
}
