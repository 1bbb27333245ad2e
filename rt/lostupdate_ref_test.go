//go:build asyncgen

package rt_test

import (
	"testing"

	"github.com/asyncgen/asyncgen/rt"
)

// lostUpdateRef is lostUpdate written as a user would (see
// lostupdate_test.go).
func lostUpdateRef(tr *tracer) rt.Future[int] {
	counter := 0
	incr := func(name string, yields int) rt.Future[int] {
		return rt.Async(func() (int, error) {
			for range yields {
				rt.Await(rt.Sleep(0))
			}
			v := counter
			tr.log("%s read %d", name, v)
			rt.Await(rt.Sleep(0))
			counter = v + 1
			tr.log("%s wrote %d", name, counter)
			return 0, nil
		})
	}
	return rt.Async(func() (int, error) {
		b := rt.Spawn(incr("b", 0))
		a := rt.Spawn(incr("a", 1))
		rt.Await(b)
		rt.Await(a)
		tr.log("counter %d", counter)
		return counter, nil
	})
}

func TestRefLostUpdateCaughtBySeed(t *testing.T) {
	testLostUpdate(t, lostUpdateRef)
}
