package rt_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/asyncgen/asyncgen/rt"
	"github.com/asyncgen/asyncgen/rt/sm"
)

// This file holds hand-written machines in the shape asyncgen generates
// (see the sm package doc), used to test the runtime without the compiler.

// tracer records a trace of events.
type tracer struct{ lines []string }

func (tr *tracer) log(format string, args ...any) {
	tr.lines = append(tr.lines, fmt.Sprintf(format, args...))
}

// check compares the trace with want. Under a seeded schedule (forSeeds)
// the order of events depends on the seed: the trace must hold the same
// events, in any order.
func (tr *tracer) check(t *testing.T, want ...string) {
	t.Helper()
	got := tr.lines
	if runOpts.Seed != 0 {
		got, want = slices.Sorted(slices.Values(got)), slices.Sorted(slices.Values(want))
	}
	if g, w := strings.Join(got, "\n"), strings.Join(want, "\n"); g != w {
		t.Errorf("trace:\n%s\n\nwant:\n%s", g, w)
	}
}

// sleeper is the doc.go example: sleep d, then return v.
type sleeper struct {
	sm.Machine[int]
	d     int // milliseconds
	v     int
	tr    *tracer
	name  string
	await rt.Future[struct{}]
}

func newSleeper(tr *tracer, name string, d, v int) *sleeper {
	m := &sleeper{tr: tr, name: name, d: d, v: v}
	m.Bind(m, 2)
	return m
}

func (m *sleeper) Step() {
	for {
		switch m.State {
		case 0:
			m.tr.log("%s start", m.name)
			m.await = rt.Sleep(ms(m.d))
			m.State = 1
			if !sm.Await(&m.Frame, m.await) {
				return
			}
		case 1:
			_, err := sm.Result(&m.Frame, m.await)
			m.await = nil
			if err != nil {
				m.tr.log("%s: %v", m.name, err)
				m.Throw(err)
				m.State = 2
				continue
			}
			m.tr.log("%s end", m.name)
			m.Return(m.v, nil)
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

// script is a hand-written machine driven by a list of steps, so that
// tests can write straight-line async code. A step returns false when it
// suspended; the script then resumes by delivering the await's result.
// State 0 runs steps, state 1 is the exit state.
type script struct {
	sm.Machine[int]
	steps   []step
	pc      int
	pending func() // delivers the result of the await we are suspended in
}

type step func(s *script) bool

func newScript(steps ...step) *script {
	s := &script{steps: steps}
	s.Bind(s, 1)
	return s
}

func (s *script) Step() {
	for {
		switch s.State {
		case 0:
			if p := s.pending; p != nil {
				s.pending = nil
				p()
			}
			for s.State == 0 && s.pc < len(s.steps) {
				st := s.steps[s.pc]
				s.pc++
				if !st(s) {
					return
				}
			}
			s.State = 1
		case 1:
			if !s.RunDefers() {
				return
			}
			s.Complete()
			return
		}
	}
}

// do runs plain code.
func do(fn func()) step {
	return func(*script) bool { fn(); return true }
}

// await awaits the future mk makes and hands its results to then.
func await[X any](mk func() rt.Future[X], then func(X, error)) step {
	return func(s *script) bool {
		f := mk()
		deliver := func() {
			v, err := sm.Result(&s.Frame, f)
			if then != nil {
				then(v, err)
			}
		}
		if !sm.Await(&s.Frame, f) {
			s.pending = deliver
			return false
		}
		deliver()
		return true
	}
}

// try is rt.Try: on error, onErr (if any) sees it and the script returns
// it.
func try[X any](mk func() rt.Future[X], then func(X), onErr func(error)) step {
	return func(s *script) bool {
		return await(mk, func(v X, err error) {
			if err == nil {
				if then != nil {
					then(v)
				}
				return
			}
			if onErr != nil {
				onErr(err)
			}
			s.Throw(err)
			s.State = 1
		})(s)
	}
}

// ret is a return statement.
func ret(v int, err error) step {
	return func(s *script) bool {
		s.Return(v, err)
		s.State = 1
		return true
	}
}

// deferFn is a defer statement of fn (fn may call recover).
func deferFn(fn func()) step {
	return func(s *script) bool { s.Defer(fn); return true }
}

// deferAwait is `defer rt.Await(mk())`.
func deferAwait[X any](mk func() rt.Future[X]) step {
	return func(s *script) bool { sm.DeferAwait(&s.Frame, mk()); return true }
}

// fut wraps a future value as a step argument.
func fut[X any](f rt.Future[X]) func() rt.Future[X] { return func() rt.Future[X] { return f } }

// chain awaits chain(n-1) inline and returns its result plus one; chain(0)
// returns 0 at once. It is the deep synchronous await case.
type chain struct {
	sm.Machine[int]
	n     int
	leaf  rt.Future[int] // awaited by chain(0)
	await rt.Future[int]
}

func newChain(n int, leaf rt.Future[int]) *chain {
	m := &chain{n: n, leaf: leaf}
	m.Bind(m, 2)
	return m
}

func (m *chain) Step() {
	for {
		switch m.State {
		case 0:
			if m.n == 0 {
				m.await = m.leaf
			} else {
				m.await = newChain(m.n-1, m.leaf)
			}
			m.State = 1
			if !sm.Await(&m.Frame, m.await) {
				return
			}
		case 1:
			v, err := sm.Result(&m.Frame, m.await)
			m.await = nil
			m.Return(v+1, err)
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
