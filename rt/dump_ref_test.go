//go:build asyncgen

package rt_test

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/asyncgen/asyncgen/rt"
)

// In the reference view DumpTasks shows the stacks of the bodies'
// goroutines: each await's file and line, with the function it is in.
func TestRefDumpTasks(t *testing.T) {
	var out bytes.Buffer
	fetch := func(d time.Duration) rt.Future[int] {
		return rt.Async(func() (int, error) {
			rt.Await(rt.Sleep(d)) // dump: fetch
			return 1, nil
		})
	}
	crawl := rt.Async(func() (int, error) {
		return rt.Try(fetch(time.Hour)), nil // dump: crawl
	})
	cleanup := rt.Async(func() (int, error) {
		defer func() {
			rt.Await(rt.Sleep(time.Minute)) // dump: deferred
		}()
		rt.Await(rt.Sleep(time.Hour))
		return 0, nil // dump: cleanup returns
	}) // dump: cleanup ends
	main := rt.Async(func() (int, error) {
		c := rt.Spawn(crawl)
		k := rt.Spawn(cleanup)
		rt.Await(rt.Sleep(time.Millisecond))
		k.Cancel()
		rt.Spawn(rt.Async(func() (int, error) {
			rt.DumpTasks(&out) // dump: dumper
			return 0, nil
		}))
		rt.Await(c) // dump: main
		return 0, nil
	})
	run(main)
	lines := markers(t, "dump_ref_test.go")
	// The names gc gives closures vary with inlining: only their
	// package and test are checked.
	const fn = "github.com/asyncgen/asyncgen/rt_test.TestRefDumpTasks."
	got := out.String()
	var b strings.Builder
	for _, line := range strings.SplitAfter(got, "\n") {
		if strings.HasPrefix(line, fn) {
			line = "FUNC\n"
		}
		// A deferred call runs where its function returns: at the return
		// statement, or (-race) at the closing brace.
		line = strings.Replace(line, lines["cleanup ends"]+"\n", lines["cleanup returns"]+"\n", 1)
		b.WriteString(line)
	}
	want := fmt.Sprintf(`asyncgen: 4 live task(s) at +1ms (virtual clock)

task 1 [join task 2]:
FUNC
	%s

task 2 [sleep, 59m59.999s left]:
FUNC
	%s
FUNC
	%s

task 3 [sleep, 1m0s left, cancelled]:
FUNC
	%s
FUNC
	%s

task 4 [running]:
FUNC
	%s
`, lines["main"], lines["fetch"], lines["crawl"], lines["deferred"], lines["cleanup returns"], lines["dumper"])
	if b.String() != want {
		t.Errorf("DumpTasks wrote:\n%s\nwant (FUNC: a function of this test):\n%s", got, want)
	}
}

// markers maps the text after "// dump: " on each line of the test file
// to the line's path:number.
func markers(t *testing.T, file string) map[string]string {
	t.Helper()
	path, err := filepath.Abs(file)
	if err != nil {
		t.Fatal(err)
	}
	src, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	m := make(map[string]string)
	for i, line := range strings.Split(string(src), "\n") {
		if _, name, ok := strings.Cut(line, "// dump: "); ok {
			m[name] = fmt.Sprintf("%s:%d", path, i+1)
		}
	}
	return m
}
