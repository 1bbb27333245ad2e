//go:build asyncgen

package genbench

import "github.com/asyncgen/asyncgen/rt"

// Yielder yields n times: each yield is a suspension and a resume through
// the ready queue.
func Yielder(n int) rt.Future[int] {
	return rt.Async(func() (int, error) {
		sum := 0
		for i := range n {
			rt.Await(rt.Sleep(0))
			sum += i
		}
		return sum, nil
	})
}

// Deep awaits itself depth levels down, and the innermost level yields n
// times: each resume should step only the innermost machine.
func Deep(depth, n int) rt.Future[int] {
	return rt.Async(func() (int, error) {
		if depth == 0 {
			return rt.Try(Yielder(n)), nil
		}
		return rt.Try(Deep(depth-1, n)) + 1, nil
	})
}

// Sleeper parks until wake resolves, holding a few live words.
func Sleeper(wake rt.Future[struct{}], id int) rt.Future[int] {
	return rt.Async(func() (int, error) {
		a, b := id, id*2
		rt.Await(wake)
		return a + b, nil
	})
}

// Completed awaits an already complete future n times.
func Completed(f rt.Future[int], n int) rt.Future[int] {
	return rt.Async(func() (int, error) {
		sum := 0
		for range n {
			sum += rt.Try(f)
		}
		return sum, nil
	})
}

// Parked spawns n Sleepers waiting on one gate task, calls measure while
// they are all suspended, then releases them.
func Parked(n int, measure func()) rt.Future[int] {
	return rt.Async(func() (int, error) {
		release := false
		gate := rt.Spawn(rt.Async(func() (struct{}, error) {
			for !release {
				rt.Await(rt.Sleep(0))
			}
			return struct{}{}, nil
		}))
		tasks := make([]*rt.Task[int], n)
		for i := range n {
			tasks[i] = rt.Spawn(Sleeper(gate, i))
		}
		rt.Await(rt.Sleep(0)) // every sleeper runs and parks on the gate
		measure()
		release = true
		total := 0
		for _, t := range tasks {
			total += rt.Try(t)
		}
		return total, nil
	})
}

// PingPong sends 0..n-1 to an echo task through one queue of capacity 1
// and reads each back from another: a round trip is two Puts and two Gets,
// each awaited directly.
func PingPong(n int) rt.Future[int] {
	return rt.Async(func() (int, error) {
		ping, pong := rt.NewQueue[int](1), rt.NewQueue[int](1)
		echo := rt.Spawn(rt.Async(func() (struct{}, error) {
			for range n {
				rt.Try(pong.Put(rt.Try(ping.Get())))
			}
			return struct{}{}, nil
		}))
		sum := 0
		for i := range n {
			rt.Try(ping.Put(i))
			sum += rt.Try(pong.Get())
		}
		rt.Try(echo)
		return sum, nil
	})
}
