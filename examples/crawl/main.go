// Crawl is the README's example: three fetches run concurrently on rt's
// single-threaded loop, as state machines (default build) or on the
// reference runtime (-tags asyncgen); both print the same trace.
package main

//go:generate go run github.com/asyncgen/asyncgen/cmd/asyncgen

import (
	"context"
	"fmt"

	"github.com/asyncgen/asyncgen/rt"
)

func main() {
	n, err := rt.Run(context.Background(), Crawl([]string{"a.example", "b.example", "c.example"}))
	fmt.Println("total", n, err)
}
