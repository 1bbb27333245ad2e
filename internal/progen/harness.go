package progen

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime/debug"
	"strconv"
	"strings"
	"sync"
	"time"

	asyncgen "github.com/asyncgen/asyncgen"
)

// Harness runs generated programs in both views, the way the conformance
// test runs testdata/run: each program is a throwaway module
// (example.com/prog) that requires the asyncgen repository through a
// replace directive and copies its go.sum, built with GOFLAGS=-mod=mod.
//
//	ref  go build -tags asyncgen (the untransformed sources on the
//	     reference runtime); run
//	gen  asyncgen.Generate (in process, panics recovered); go build; run
//
// The two outputs (stdout and exit status) must be equal.
type Harness struct {
	Root       string        // the asyncgen repository
	Tmp        string        // parent of the program modules
	RunTimeout time.Duration // per run of a program (default 60s)
	Keep       bool          // keep the module directories
	Checker    *Checker      // type-checks programs before building
	// Optimize builds the program's package with gc's optimizations. By
	// default it is built with -N -l, which cut the build of a 500-function
	// program from 27 s to 18 s (generated view) and from 12 s to 5 s
	// (reference view) on a 2-core machine: what is under test is asyncgen's
	// lowering, whose evaluation order gc's front end fixes before it
	// optimizes.
	Optimize bool

	gomod string
	goSum []byte
	env   []string
	genMu sync.Mutex // one Generate at a time
}

// Kind classifies the outcome of running a program.
type Kind string

// The outcomes. Every kind but OK is a failure: the generated program
// is expected to build, generate and run identically.
const (
	OK            Kind = "ok"
	Mismatch      Kind = "mismatch"       // the views print different things
	GeneratePanic Kind = "generate-panic" // asyncgen panicked
	GenerateError Kind = "generate-error" // asyncgen refused the program
	GenBuildFail  Kind = "gen-build"      // asyncgen's output does not build
	RefBuildFail  Kind = "ref-build"      // the program does not build: a progen bug
	BothFail      Kind = "both-fail"      // both views crash or hang alike
)

// Result is what running a program gave.
type Result struct {
	Kind     Kind
	Detail   string // the error, or the first differing lines
	Func     string // the function the failure is in, if known
	Ref, Gen Output
	Dir      string // the module (removed unless Keep)
	Times    map[string]time.Duration
}

// Output is one view's run.
type Output struct {
	Stdout []byte
	Exit   string // "" for exit status 0; else the error (killed, exit status 2)
	Stderr []byte
}

// NewHarness prepares to run programs against the repository at root.
// It sets GOFLAGS=-mod=mod, GOWORK=off, GOPROXY=off and
// GOTOOLCHAIN=local in the process environment too, since Generate
// loads packages in process.
func NewHarness(root string) (*Harness, error) {
	root, err := filepath.Abs(root)
	if err != nil {
		return nil, err
	}
	h := &Harness{Root: root, RunTimeout: 60 * time.Second}
	cmd := exec.Command("go", "mod", "edit", "-json")
	cmd.Dir = root
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("go mod edit -json: %v", err)
	}
	var mod struct {
		Go      string
		Require []struct{ Path, Version string }
	}
	if err := json.Unmarshal(out, &mod); err != nil {
		return nil, err
	}
	var b strings.Builder
	fmt.Fprintf(&b, "module example.com/prog\n\ngo %s\n\nrequire github.com/asyncgen/asyncgen v0.0.0\n", mod.Go)
	if len(mod.Require) > 0 {
		b.WriteString("\nrequire (\n")
		for _, r := range mod.Require {
			fmt.Fprintf(&b, "\t%s %s // indirect\n", r.Path, r.Version)
		}
		b.WriteString(")\n")
	}
	fmt.Fprintf(&b, "\nreplace github.com/asyncgen/asyncgen => %s\n", root)
	h.gomod = b.String()
	if h.goSum, err = os.ReadFile(filepath.Join(root, "go.sum")); err != nil && !errors.Is(err, os.ErrNotExist) {
		return nil, err
	}
	flags := strings.TrimSpace(os.Getenv("GOFLAGS") + " -mod=mod")
	for k, v := range map[string]string{"GOFLAGS": flags, "GOWORK": "off", "GOPROXY": "off", "GOTOOLCHAIN": "local"} {
		os.Setenv(k, v)
	}
	h.env = os.Environ()
	return h, nil
}

// Run writes the program into a new module and runs it in both views.
func (h *Harness) Run(p *Program) *Result {
	res := &Result{Times: map[string]time.Duration{}}
	prog, main, err := p.Source()
	if err != nil {
		res.Kind, res.Detail = RefBuildFail, err.Error()
		return res
	}
	if h.Checker != nil {
		if err := h.Checker.Check(map[string][]byte{"prog.go": prog, "main.go": main}); err != nil {
			res.Kind, res.Detail = RefBuildFail, err.Error()
			res.Func = funcAtLine(prog, errLine(err.Error(), "prog.go"))
			return res
		}
	}
	dir, err := os.MkdirTemp(h.Tmp, "prog-")
	if err != nil {
		res.Kind, res.Detail = BothFail, err.Error()
		return res
	}
	res.Dir = dir
	if !h.Keep {
		defer os.RemoveAll(dir)
	}
	for name, data := range map[string][]byte{"go.mod": []byte(h.gomod), "go.sum": h.goSum, "prog.go": prog, "main.go": main} {
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o666); err != nil {
			res.Kind, res.Detail = BothFail, err.Error()
			return res
		}
	}
	var wg sync.WaitGroup
	var refErr error
	var refTime time.Duration
	wg.Add(1)
	go func() {
		defer wg.Done()
		t := time.Now()
		refErr = h.goBuild(dir, "ref.bin", "-tags", "asyncgen")
		refTime = time.Since(t)
	}()
	genKind, genErr := h.generate(dir, res)
	if genKind == OK {
		t := time.Now()
		if err := h.goBuild(dir, "gen.bin"); err != nil {
			genKind, genErr = GenBuildFail, err
		}
		res.Times["gen-build"] = time.Since(t)
	}
	wg.Wait()
	res.Times["ref-build"] = refTime
	// Positions in details are relative to the module.
	defer func() { res.Detail = strings.ReplaceAll(res.Detail, dir+string(filepath.Separator), "") }()
	switch {
	case refErr != nil:
		res.Kind, res.Detail = RefBuildFail, refErr.Error()
		res.Func = funcAtLine(prog, errLine(res.Detail, "prog.go"))
		return res
	case genKind != OK:
		res.Kind, res.Detail = genKind, genErr.Error()
		res.Func = funcAtLine(prog, errLine(res.Detail, "prog.go"))
		res.Ref = h.run(dir, "ref.bin")
		return res
	}
	t := time.Now()
	var ro, gout Output
	wg.Add(1)
	go func() {
		defer wg.Done()
		ro = h.run(dir, "ref.bin")
	}()
	gout = h.run(dir, "gen.bin")
	wg.Wait()
	res.Times["run"] = time.Since(t)
	res.Ref, res.Gen = ro, gout
	res.compare()
	return res
}

// generate runs asyncgen.Generate in dir, recovering a panic.
func (h *Harness) generate(dir string, res *Result) (kind Kind, err error) {
	h.genMu.Lock()
	defer h.genMu.Unlock()
	t := time.Now()
	defer func() {
		res.Times["generate"] = time.Since(t)
		if p := recover(); p != nil {
			kind, err = GeneratePanic, fmt.Errorf("panic: %v\n%s", p, debug.Stack())
		}
	}()
	if _, err := asyncgen.Generate(asyncgen.Options{Dir: dir, Lines: true, SourceDeps: true}); err != nil {
		if strings.Contains(err.Error(), "internal error") || strings.Contains(err.Error(), "goroutine ") {
			return GeneratePanic, err // Generate recovered its own panic
		}
		return GenerateError, err
	}
	return OK, nil
}

func (h *Harness) goBuild(dir, out string, args ...string) error {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	build := []string{"build", "-o", out}
	if !h.Optimize {
		build = append(build, "-gcflags=-N -l")
	}
	cmd := exec.CommandContext(ctx, "go", append(append(build, args...), ".")...)
	cmd.Dir = dir
	cmd.Env = h.env
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("go build %s: %v\n%s", strings.Join(args, " "), err, stderr.Bytes())
	}
	return nil
}

func (h *Harness) run(dir, bin string) Output {
	timeout := h.RunTimeout
	if timeout == 0 {
		timeout = 60 * time.Second
	}
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, filepath.Join(dir, bin))
	cmd.Dir = dir
	cmd.Env = append(h.env, "GOTRACEBACK=single")
	var o, e bytes.Buffer
	cmd.Stdout, cmd.Stderr = &o, &e
	err := cmd.Run()
	out := Output{Stdout: o.Bytes(), Stderr: e.Bytes()}
	switch {
	case ctx.Err() != nil:
		out.Exit = fmt.Sprintf("killed after %v (a hang?)", timeout)
	case err != nil:
		out.Exit = err.Error()
	}
	return out
}

// compare classifies two completed runs.
func (r *Result) compare() {
	if bytes.Equal(r.Ref.Stdout, r.Gen.Stdout) && r.Ref.Exit == r.Gen.Exit {
		if r.Ref.Exit != "" {
			r.Kind = BothFail
			r.Detail = "both views failed alike: " + r.Ref.Exit + "\n" + tail(r.Ref.Stderr, 20)
			r.Func = lastFunc(r.Ref.Stdout)
			return
		}
		r.Kind = OK
		return
	}
	r.Kind = Mismatch
	rl, gl := lines(r.Ref.Stdout), lines(r.Gen.Stdout)
	i := 0
	for i < len(rl) && i < len(gl) && rl[i] == gl[i] {
		i++
	}
	var b strings.Builder
	fmt.Fprintf(&b, "first difference at output line %d\n", i+1)
	at := func(l []string) string {
		if i < len(l) {
			return l[i]
		}
		return "(end of output)"
	}
	fmt.Fprintf(&b, "  ref: %s\n  gen: %s\n", at(rl), at(gl))
	if r.Ref.Exit != r.Gen.Exit {
		fmt.Fprintf(&b, "  ref exit: %q, gen exit: %q\n", r.Ref.Exit, r.Gen.Exit)
		if r.Gen.Exit != "" {
			b.WriteString("gen stderr:\n" + tail(r.Gen.Stderr, 30))
		}
		if r.Ref.Exit != "" {
			b.WriteString("ref stderr:\n" + tail(r.Ref.Stderr, 30))
		}
	}
	r.Detail = b.String()
	for _, l := range []string{at(rl), at(gl)} {
		if f, _, ok := strings.Cut(l, " "); ok && strings.HasPrefix(f, "f") {
			r.Func = f
			break
		}
	}
	if r.Func == "" {
		// A crash: the function that was running printed nothing yet.
		r.Func = nextFunc(r.Ref.Stdout, r.Gen.Stdout)
	}
}

func lines(b []byte) []string {
	s := strings.TrimSuffix(string(b), "\n")
	if s == "" {
		return nil
	}
	return strings.Split(s, "\n")
}

func tail(b []byte, n int) string {
	l := lines(b)
	if len(l) > n {
		l = l[len(l)-n:]
	}
	return strings.Join(l, "\n") + "\n"
}

// lastFunc is the function whose output came last.
func lastFunc(out []byte) string {
	l := lines(out)
	if len(l) == 0 {
		return ""
	}
	f, _, _ := strings.Cut(l[len(l)-1], " ")
	return f
}

// nextFunc guesses the function that crashed: unknown here (main.go
// prints a function's lines after it ends); the minimizer falls back to
// bisection over the functions.
func nextFunc(ref, gen []byte) string { return "" }

var posRE = regexp.MustCompile(`(?m)([\w./-]*prog\.go):(\d+):(\d+)`)

// errLine returns the line of the first position in file named in msg.
func errLine(msg, file string) int {
	for _, m := range posRE.FindAllStringSubmatch(msg, -1) {
		if filepath.Base(m[1]) == file {
			n, _ := strconv.Atoi(m[2])
			return n
		}
	}
	return 0
}

// funcAtLine returns the generated function whose text holds line, by the
// marker comment each function starts with.
func funcAtLine(src []byte, line int) string {
	if line <= 0 {
		return ""
	}
	name := ""
	for i, l := range lines(src) {
		if i+1 > line {
			break
		}
		if rest, ok := strings.CutPrefix(l, "// "); ok {
			if f, _, ok := strings.Cut(rest, " was generated from seed"); ok {
				name = f
			}
		}
	}
	return name
}
