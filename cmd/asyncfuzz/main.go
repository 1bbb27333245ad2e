// Command asyncfuzz is the differential fuzzer of asyncgen: it generates
// random async functions (internal/progen), compiles each batch with
// asyncgen, builds and runs it in both views, and compares the traces.
//
// Usage (from the repository root):
//
//	go run ./cmd/asyncfuzz [flags]
//
// Function i of a run comes from seed -seed+i and depends on nothing
// else, so a failure is reproduced by its seed alone
// (go run ./cmd/asyncfuzz -seed S -n 1). Functions are batched into
// programs of -per-program functions (one asyncgen run and two builds per
// batch; each function runs on its own rt.Run loop). When a batch fails
// (the views disagree, asyncgen refuses, crashes or writes code that does
// not build), the failure is minimized, printed and saved to -out as a
// testdata/run archive (want is the reference view's output), and the
// batch is run again without the failing function, so the rest of it is
// still checked.
//
// At the end (and on -v after every batch) it prints the coverage of the
// generated code: how often each statement form and each await position
// appeared; a required one that never did is marked MISSING.
//
// Flags:
//
//	-seed S          first seed (default 1)
//	-n N             number of functions (default 1000)
//	-per-program P   functions per program (default 200)
//	-out DIR         where minimized failures are saved (default asyncfuzz-out)
//	-avoid LIST      comma-separated forms or await positions not to
//	                 generate; "known" (the default) stands for the
//	                 constructs of open bugs (progen.KnownBugs), "none"
//	                 for nothing; names are those of the coverage table
//	-minimize=false  save failures unminimized
//	-min-runs K      harness runs allowed per minimization (default 300)
//	-min-time D      wall time allowed per minimization (default 5m)
//	-timeout D       limit per program run (default 60s)
//	-keep            keep the program modules (printed with -v)
//	-v               log every batch
//
// SIGINT (or SIGTERM) stops the run after the batch in progress, with the
// same report (coverage, seeds checked, failures), so a long run can be
// cut short at any time. It exits 1 if any batch failed. The README's
// "Tests" section shows a long run.
package main

import (
	"flag"
	"fmt"
	"log"
	"os"
	"os/signal"
	"regexp"
	"sort"
	"strings"
	"syscall"
	"time"

	"github.com/asyncgen/asyncgen/internal/progen"
)

func main() {
	seed := flag.Int64("seed", 1, "first seed")
	n := flag.Int("n", 1000, "number of generated async functions")
	per := flag.Int("per-program", 200, "functions per program (per build)")
	out := flag.String("out", "asyncfuzz-out", "directory for minimized failures")
	avoid := flag.String("avoid", "known", "comma-separated statement forms or await positions not to generate; \"known\" stands for progen.KnownBugs, \"none\" for nothing")
	minimize := flag.Bool("minimize", true, "minimize failures")
	minRuns := flag.Int("min-runs", 300, "harness runs allowed per minimization")
	minTime := flag.Duration("min-time", 5*time.Minute, "wall time allowed per minimization")
	optimize := flag.Bool("optimize", false, "build the programs with gc's optimizations (slower builds; the default is -gcflags='-N -l')")
	timeout := flag.Duration("timeout", 60*time.Second, "time limit of one program run")
	keep := flag.Bool("keep", false, "keep the program modules")
	verbose := flag.Bool("v", false, "log every batch")
	flag.Parse()
	log.SetFlags(log.Ltime)
	log.SetPrefix("asyncfuzz: ")
	if *n < 1 || *per < 1 {
		flag.Usage()
		os.Exit(2)
	}
	opts := progen.Options{Avoid: map[string]bool{}}
	for _, a := range strings.Split(*avoid, ",") {
		switch a = strings.TrimSpace(a); a {
		case "", "none":
		case "known":
			for k := range progen.KnownBugs {
				opts.Avoid[k] = true
			}
		default:
			opts.Avoid[a] = true
		}
	}
	var avoided []string
	for a := range opts.Avoid {
		if archive, ok := progen.KnownBugs[a]; ok {
			a += " (" + archive + ")"
		}
		avoided = append(avoided, a)
	}
	sort.Strings(avoided)
	h, err := progen.NewHarness(".")
	if err != nil {
		log.Fatal(err)
	}
	if h.Checker, err = progen.NewChecker("."); err != nil {
		log.Fatal(err)
	}
	h.RunTimeout, h.Keep, h.Optimize = *timeout, *keep, *optimize
	f := &fuzzer{h: h, opts: opts, out: *out, minimize: *minimize, minRuns: *minRuns, minTime: *minTime, verbose: *verbose, cov: progen.NewCoverage()}
	last := *seed + int64(*n) - 1
	log.Printf("seeds %d..%d: %d functions, %d per program, avoiding: %s", *seed, last, *n, *per, strings.Join(avoided, ", "))
	stop := make(chan os.Signal, 1)
	signal.Notify(stop, os.Interrupt, syscall.SIGTERM)
	start := time.Now()
	for s := *seed; s <= last; s += int64(*per) {
		select {
		case <-stop:
			log.Printf("interrupted: seeds %d..%d not run", s, last)
			last = s - 1
		default:
		}
		if s > last {
			break
		}
		k := int(min(int64(*per), last-s+1))
		f.batch(progen.Generate(opts, s, k))
		if !*verbose && f.programs%10 == 0 {
			log.Printf("%d programs, %d functions checked, %d failures (%v)", f.programs, f.checked, len(f.failures), time.Since(start).Round(time.Second))
		}
	}
	fmt.Println()
	f.cov.WriteTable(os.Stdout)
	fmt.Println()
	log.Printf("done: seeds %d..%d, %d functions generated, %d checked in %d programs, %d failures, %v",
		*seed, last, last-*seed+1, f.checked, f.programs, len(f.failures), time.Since(start).Round(time.Second))
	for _, fl := range f.failures {
		log.Printf("  %s", fl)
	}
	if m := f.cov.Missing(); len(m) > 0 {
		log.Printf("never generated: %s", strings.Join(m, ", "))
	}
	if len(f.failures) > 0 {
		os.Exit(1)
	}
}

type fuzzer struct {
	h        *progen.Harness
	opts     progen.Options
	out      string
	minimize bool
	minRuns  int
	minTime  time.Duration
	verbose  bool
	cov      *progen.Coverage
	programs int
	checked  int
	failures []string
}

// batch runs one program; on a failure it minimizes and saves it, then
// runs the batch again without the failing function (at most 5 times).
func (f *fuzzer) batch(p *progen.Program) {
	f.cov.Add(p.Coverage())
	for attempt := 0; attempt < 5 && len(p.Funcs) > 0; attempt++ {
		t := time.Now()
		r := f.h.Run(p)
		f.programs++
		first, lastSeed := p.Funcs[0].Seed, p.Funcs[len(p.Funcs)-1].Seed
		if f.verbose {
			log.Printf("seeds %d..%d (%d functions): %s in %v %v %s", first, lastSeed, len(p.Funcs), r.Kind,
				time.Since(t).Round(time.Millisecond), roundTimes(r.Times), r.Dir)
		}
		if r.Kind == progen.OK {
			f.checked += len(p.Funcs)
			return
		}
		culprit := f.failure(p, r)
		if culprit == "" {
			log.Printf("seeds %d..%d: could not isolate the failure; skipping the batch", first, lastSeed)
			return
		}
		var rest []*progen.Func
		for _, fn := range p.Funcs {
			if fn.Name != culprit {
				rest = append(rest, fn)
			}
		}
		p = &progen.Program{Prelude: p.Prelude, Funcs: rest}
	}
}

// failure reports, minimizes and saves a failure; it returns the name of
// the function that fails ("" if unknown).
func (f *fuzzer) failure(p *progen.Program, r *progen.Result) string {
	log.Printf("FAILURE in seeds %d..%d: %s (function %q)\n%s", p.Funcs[0].Seed, p.Funcs[len(p.Funcs)-1].Seed, r.Describe(), r.Func, indent(r.Detail, 30))
	small, sr := p, r
	if f.minimize {
		m := &progen.Minimizer{H: f.h, MaxRuns: f.minRuns, Deadline: f.minTime, Logf: func(format string, a ...any) {
			if f.verbose {
				log.Printf("  minimize: "+format, a...)
			}
		}}
		small, sr = m.Minimize(p, r)
	} else if r.Func != "" {
		small = p.Only(r.Func)
	}
	culprit := ""
	if len(small.Funcs) == 1 {
		culprit = small.Funcs[0].Name
	}
	desc := fmt.Sprintf("%s (seed %v): %s", culprit, seedOf(small), sr.Describe())
	if path, err := progen.Save(f.out, small, sr); err != nil {
		log.Printf("saving: %v", err)
	} else {
		desc += " -> " + path
	}
	f.failures = append(f.failures, desc)
	if prog, _, err := small.Source(); err == nil {
		log.Printf("minimized program (%s):\n%s", desc, indent(string(afterPrelude(prog)), 200))
	}
	return culprit
}

func seedOf(p *progen.Program) any {
	if len(p.Funcs) == 1 {
		return p.Funcs[0].Seed
	}
	var s []int64
	for _, fn := range p.Funcs {
		s = append(s, fn.Seed)
	}
	return s
}

// afterPrelude cuts the helper declarations off a program for printing.
func afterPrelude(src []byte) []byte {
	if loc := firstFuncRE.FindIndex(src); loc != nil {
		return src[loc[0]:]
	}
	return src
}

var firstFuncRE = regexp.MustCompile(`(?m)^(type R\d+ |var g\d+ |// f\d+ was generated)`)

func indent(s string, maxLines int) string {
	ls := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(ls) > maxLines {
		ls = append(ls[:maxLines], fmt.Sprintf("... (%d more lines)", len(ls)-maxLines))
	}
	return "\t" + strings.Join(ls, "\n\t")
}

func roundTimes(m map[string]time.Duration) string {
	var parts []string
	for _, k := range []string{"generate", "ref-build", "gen-build", "run"} {
		if d, ok := m[k]; ok {
			parts = append(parts, fmt.Sprintf("%s %v", k, d.Round(10*time.Millisecond)))
		}
	}
	return "(" + strings.Join(parts, ", ") + ")"
}
