package rt_test

import (
	"context"
	"time"

	"github.com/asyncgen/asyncgen/rt"
)

func ms(n int) time.Duration { return time.Duration(n) * time.Millisecond }

// runOpts are the options run uses: a virtual clock, so that the tests'
// sleeps and timeouts take no wall time; forSeeds sets a seed as well.
var runOpts = rt.Options{Clock: rt.VirtualClock}

func run[T any](f rt.Future[T]) (T, error) { return rt.RunWith(context.Background(), f, runOpts) }

func sleep(d int) func() rt.Future[struct{}] {
	return func() rt.Future[struct{}] { return rt.Sleep(ms(d)) }
}
