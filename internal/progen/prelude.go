package progen

// The prelude: declarations every generated program starts with, in the
// DSL file (so both views compile the same text). Each entry is one
// top-level declaration, so the minimizer can drop the ones a reduced
// program no longer uses.
var prelude = []string{
	`// S is the struct type of generated programs.
type S struct {
	A int
	B string
}`,
	`// trace collects the events of the running function; main prints it.
var trace []string`,
	`// ev records an event.
func ev(a ...any) { trace = append(trace, strings.TrimSuffix(fmt.Sprintln(a...), "\n")) }`,
	`// h is a plain call with a side effect (its event) that returns x.
func h[T any](tag int, x T) T {
	ev("h", tag, x)
	return x
}`,
	`// v records its creation, suspends once when awaited and returns x.
func v[T any](tag int, x T) rt.Future[T] {
	ev("v", tag, x)
	return rt.Async(func() (T, error) {
		rt.Await(rt.Sleep(0))
		ev("v", tag, "resumed")
		return x, nil
	})
}`,
	`// r is a complete future: awaiting it does not suspend.
func r[T any](tag int, x T) rt.Future[T] {
	ev("r", tag, x)
	return rt.Ready(x)
}`,
	`// q suspends once and records nothing (for order-insensitive code).
func q[T any](x T) rt.Future[T] {
	return rt.Async(func() (T, error) {
		rt.Await(rt.Sleep(0))
		return x, nil
	})
}`,
	`// fl is a failed future.
func fl[T any](tag int) rt.Future[T] {
	ev("fl", tag)
	return rt.Fail[T](fmt.Errorf("fail %d", tag))
}`,
	`// fa suspends once, then fails.
func fa[T any](tag int, x T) rt.Future[T] {
	return rt.Async(func() (T, error) {
		ev("fa", tag)
		rt.Await(rt.Sleep(0))
		return x, fmt.Errorf("fail after %d", tag)
	})
}`,
	`// pa suspends once, then panics.
func pa[T any](tag int) rt.Future[T] {
	return rt.Async(func() (T, error) {
		ev("pa", tag)
		rt.Await(rt.Sleep(0))
		panic(fmt.Sprint("panic ", tag))
	})
}`,
	`// u takes the two results of rt.Await as its only argument.
func u[T any](x T, err error) T {
	ev("u", x, err)
	return x
}`,
	`// sum is a variadic plain call.
func sum(tag int, xs ...int) int {
	ev("sum", tag, xs)
	t := 0
	for _, x := range xs {
		t += x
	}
	return t
}`,
	`// vsum is a variadic async call.
func vsum(tag int, xs ...int) rt.Future[int] {
	return rt.Async(func() (int, error) {
		rt.Await(rt.Sleep(0))
		ev("vsum", tag, xs)
		t := 0
		for _, x := range xs {
			t += x
		}
		return t, nil
	})
}`,
	`// cut bounds the length of generated strings.
func cut(s string) string {
	if len(s) > 6 {
		return s[len(s)-6:]
	}
	return s
}`,
	`// seq is a function iterator.
func seq(tag, n int) iter.Seq[int] {
	return func(yield func(int) bool) {
		for i := range n {
			if !yield(i*10 + tag) {
				ev("seq stop", tag)
				return
			}
		}
	}
}`,
	`// ops are callees picked by index.
var ops = []func(int) int{
	func(x int) int { return x + 1 },
	func(x int) int { return x * 2 },
}`,
	`// Get is an async method with a value receiver.
func (s S) Get(tag int) rt.Future[int] {
	return rt.Async(func() (int, error) {
		ev("Get", tag, s.A)
		rt.Await(rt.Sleep(0))
		return s.A, nil
	})
}`,
	`// Add is an async method with a pointer receiver.
func (s *S) Add(tag, d int) rt.Future[int] {
	return rt.Async(func() (int, error) {
		rt.Await(rt.Sleep(0))
		s.A += d
		ev("Add", tag, s.A)
		return s.A, nil
	})
}`,
	`// Show is a plain method with a value receiver (deferred in tests).
func (s S) Show(tag int) { ev("Show", tag, s.A, s.B) }`,
}

// mainTemplate is main.go; %s is the case list.
const mainTemplate = `package main

import (
	"context"
	"fmt"

	"github.com/asyncgen/asyncgen/rt"
)

// cases are the generated async functions, run one by one, each on its
// own loop.
var cases = []struct {
	name string
	f    func() rt.Future[int]
}{
%s}

func main() {
	rt.UnhandledFailure = func(err error) { trace = append(trace, "unhandled: "+err.Error()) }
	for _, c := range cases {
		run(c.name, c.f)
	}
}

// run runs one function and prints its result, its panic if any, and its
// trace.
func run(name string, f func() rt.Future[int]) {
	trace = nil
	defer func() {
		if p := recover(); p != nil {
			if pe, ok := p.(*rt.PanicError); ok {
				p = pe.Value
			}
			fmt.Println(name, "panic:", p)
		}
		for _, e := range trace {
			fmt.Println(name, e)
		}
	}()
	v, err := rt.Run(context.Background(), f())
	fmt.Println(name, "=", v, err)
}
`
