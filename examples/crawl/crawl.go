//go:build asyncgen

package main

import (
	"fmt"
	"time"

	"github.com/asyncgen/asyncgen/rt"
)

// Fetch pretends to download url: it waits d, then returns a body.
func Fetch(url string, d time.Duration) rt.Future[string] {
	return rt.Async(func() (string, error) {
		fmt.Println("fetching", url)
		rt.Await(rt.Sleep(d)) // suspends; nothing is parked
		fmt.Println("fetched", url)
		return "body of " + url, nil
	})
}

// Crawl fetches every url concurrently and returns the total body size.
func Crawl(urls []string) rt.Future[int] {
	return rt.Async(func() (int, error) {
		var tasks []*rt.Task[string]
		for i, u := range urls {
			tasks = append(tasks, rt.Spawn(Fetch(u, time.Duration(len(urls)-i)*10*time.Millisecond)))
		}
		total := 0
		for _, t := range tasks {
			total += len(rt.Try(t)) // joins the task; its error returns from Crawl
		}
		return total, nil
	})
}
