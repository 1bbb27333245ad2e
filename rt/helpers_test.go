package rt_test

import (
	"context"
	"time"

	"github.com/asyncgen/asyncgen/rt"
)

func ms(n int) time.Duration { return time.Duration(n) * time.Millisecond }

func run[T any](f rt.Future[T]) (T, error) { return rt.Run(context.Background(), f) }

func sleep(d int) func() rt.Future[struct{}] {
	return func() rt.Future[struct{}] { return rt.Sleep(ms(d)) }
}
