package progen

import (
	"bytes"
	"fmt"
	"os"
	"strconv"
	"strings"
	"sync"
	"testing"
)

var (
	checkerOnce sync.Once
	checker     *Checker
	checkerErr  error
)

func testChecker(t *testing.T) *Checker {
	t.Helper()
	checkerOnce.Do(func() { checker, checkerErr = NewChecker("../..") })
	if checkerErr != nil {
		t.Fatal(checkerErr)
	}
	return checker
}

// TestGeneratedProgramsTypeCheck type-checks many generated functions,
// one program per function so that an error names its seed.
func TestGeneratedProgramsTypeCheck(t *testing.T) {
	c := testChecker(t)
	n := 400
	if s := os.Getenv("PROGEN_CHECK_N"); s != "" {
		n, _ = strconv.Atoi(s)
	}
	for _, opts := range []Options{{}, AvoidKnownBugs()} {
		checkMany(t, c, opts, n)
	}
}

func checkMany(t *testing.T, c *Checker, opts Options, n int) {
	failed := 0
	for seed := int64(1); seed <= int64(n); seed++ {
		p := Generate(opts, seed, 1)
		prog, main, err := p.Source()
		if err == nil {
			err = c.Check(map[string][]byte{"prog.go": prog, "main.go": main})
		}
		if err != nil {
			failed++
			if failed <= 3 {
				t.Errorf("seed %d: %v\n%s", seed, err, numbered(prog))
			}
		}
	}
	if failed > 0 {
		t.Errorf("%d of %d functions do not type-check", failed, n)
	}
}

// TestDeterministic checks that a seed always gives the same program,
// alone or in a batch.
func TestDeterministic(t *testing.T) {
	a, _, err := Generate(Options{}, 100, 5).Source()
	if err != nil {
		t.Fatal(err)
	}
	b, _, _ := Generate(Options{}, 100, 5).Source()
	if !bytes.Equal(a, b) {
		t.Fatal("two generations of the same seeds differ")
	}
	batch := Generate(Options{}, 100, 5).Funcs[2]
	alone := GenerateFunc(Options{}, 102)
	if batch.Name != "f102" || batch.Body.String() != alone.Body.String() || batch.Sig != alone.Sig {
		t.Errorf("f102 differs alone and in a batch")
	}
}

func numbered(src []byte) string {
	var b strings.Builder
	show := false
	for i, l := range strings.Split(string(src), "\n") {
		show = show || strings.Contains(l, "was generated from seed") || strings.HasPrefix(l, "type R")
		if show {
			fmt.Fprintf(&b, "%4d %s\n", i+1, l)
		}
	}
	return b.String()
}
