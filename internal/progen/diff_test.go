package progen

import (
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"
)

// TestDifferential is the bounded slice of the differential fuzzer that CI
// runs: the functions of a fixed seed range, batched into programs, each
// compiled by asyncgen and run in both views; the traces must match.
// Constructs of open bugs (KnownBugs) are avoided, and listed in the log.
//
// ASYNCGEN_FUZZ_LONG=N runs N functions instead (seeds 1..N); for long
// runs use cmd/asyncfuzz, which also minimizes failures.
func TestDifferential(t *testing.T) {
	n, per := 120, 120
	if s := os.Getenv("ASYNCGEN_FUZZ_LONG"); s != "" {
		v, err := strconv.Atoi(s)
		if err != nil || v < 1 {
			t.Fatalf("ASYNCGEN_FUZZ_LONG=%q: want a number of functions", s)
		}
		n, per = v, 200
	}
	h, err := NewHarness("../..")
	if err != nil {
		t.Fatal(err)
	}
	h.Tmp = t.TempDir()
	h.Checker = testChecker(t)
	opts := AvoidKnownBugs()
	var avoided []string
	for k, archive := range KnownBugs {
		if _, err := os.Stat(filepath.Join("..", "..", "testdata", "run", archive+".txtar")); err != nil {
			t.Errorf("KnownBugs[%q] names %s, which is not in testdata/run", k, archive)
		}
		avoided = append(avoided, k+" ("+archive+")")
	}
	sort.Strings(avoided)
	if len(avoided) > 0 {
		t.Logf("avoiding the constructs of open bugs: %s", strings.Join(avoided, ", "))
	}
	cov := NewCoverage()
	for first := int64(1); first <= int64(n); first += int64(per) {
		k := min(per, n-int(first)+1)
		p := Generate(opts, first, k)
		cov.Add(p.Coverage())
		start := time.Now()
		r := h.Run(p)
		t.Logf("seeds %d..%d: %s in %v", first, first+int64(k)-1, r.Kind, time.Since(start).Round(time.Millisecond))
		if r.Kind != OK {
			reportFailure(t, h, p, r)
		}
	}
	if testing.Verbose() {
		var b strings.Builder
		cov.WriteTable(&b)
		t.Log(b.String())
	}
}

// reportFailure prints the failing seeds and, when the failure names a
// function, that function alone if it fails alone too.
func reportFailure(t *testing.T, h *Harness, p *Program, r *Result) {
	t.Helper()
	first, last := p.Funcs[0].Seed, p.Funcs[len(p.Funcs)-1].Seed
	t.Errorf("seeds %d..%d: %s (function %q)\n%s", first, last, r.Describe(), r.Func, r.Detail)
	if r.Func == "" {
		t.Logf("reproduce and minimize: go run ./cmd/asyncfuzz -seed %d -n %d -per-program %d -v", first, last-first+1, last-first+1)
		return
	}
	one := p.Only(r.Func)
	if r1 := h.Run(one); r1.Kind == r.Kind {
		prog, _, _ := one.Source()
		t.Errorf("%s alone fails the same way (reproduce and minimize: go run ./cmd/asyncfuzz -seed %d -n 1 -v):\n%s",
			r.Func, one.Funcs[0].Seed, afterPrelude(prog))
	}
}

// afterPrelude cuts the helper declarations off a program for printing.
func afterPrelude(src []byte) string {
	if loc := firstFuncRE.FindIndex(src); loc != nil {
		return string(src[loc[0]:])
	}
	return string(src)
}

var firstFuncRE = regexp.MustCompile(`(?m)^(type R\d+ |var g\d+ |// f\d+ was generated)`)
