package asyncgen_test

// The conformance harness: every program in testdata/run runs in both views
// and must print exactly its archive's want.
//
// An archive testdata/run/NAME.txtar holds:
//
//	a comment            what the program checks (HARDCASES item, DESIGN construct)
//	-- prog.go --        the DSL, with //go:build asyncgen (more .go files may follow)
//	-- main.go --        func main, built in both views
//	-- want --           the exact expected stdout
//	-- original.py --    (optional) the Python asyncio program it translates
//	-- prog_async.go.golden --  the generator's output for prog.go
//
// For each archive the test makes a throwaway module (example.com/prog,
// requiring this repository through a replace directive) and checks, each as
// its own subtest:
//
//	ref  go build -tags asyncgen; run: stdout == want
//	gen  asyncgen (no arguments) writes prog_async.go; the output is
//	     gofmt-clean, carries the generated-code header and matches its
//	     golden section; go vet; go build; run: stdout == want
//	det  asyncgen run again in a fresh copy writes byte-identical files
//
// Flags and environment:
//
//	-update            rewrite the golden sections from the generator's output
//	                   (every other byte of the archive is kept)
//	ASYNCGEN_VIEWS=ref only the reference view (while the compiler is being
//	                   written); ASYNCGEN_VIEWS=gen only the generated one.
//	                   The default runs ref, gen and det.
//
// Cases run in parallel, at most two at a time (the machine has two cores);
// every go command shares the build cache.

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"go/ast"
	"go/format"
	"go/parser"
	"go/token"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"golang.org/x/tools/txtar"
)

var update = flag.Bool("update", false, "rewrite the prog_async.go.golden sections of testdata/run/*.txtar from the generator's output")

// Time limits for the child processes: a program that deadlocks must fail
// its case, not hang the suite.
const (
	buildTimeout = 5 * time.Minute
	runTimeout   = 30 * time.Second
)

// The harness's global state, set up once by TestMain.
var (
	repoRoot    string // absolute path of this module
	modRequires string // the repository's go.mod require lines, for the case modules
	goDirective string // the repository's go version
	goSum       []byte // the repository's go.sum
	asyncgenBin string // the built generator ("" if its build failed)
	asyncgenErr error  // why the generator could not be built
	views       viewSet
	caseSlots   = make(chan struct{}, 2) // cases that may run at once
)

// viewSet says which checks run; see ASYNCGEN_VIEWS.
type viewSet struct{ ref, gen bool }

func TestMain(m *testing.M) {
	flag.Parse()
	os.Exit(testMain(m))
}

func testMain(m *testing.M) int {
	var err error
	if views, err = parseViews(os.Getenv("ASYNCGEN_VIEWS")); err != nil {
		fmt.Fprintln(os.Stderr, "conformance:", err)
		return 2
	}
	if err := loadRepo(); err != nil {
		fmt.Fprintln(os.Stderr, "conformance:", err)
		return 2
	}
	tmp, err := os.MkdirTemp("", "asyncgen-conformance-")
	if err != nil {
		fmt.Fprintln(os.Stderr, "conformance:", err)
		return 2
	}
	defer os.RemoveAll(tmp)
	if views.gen {
		asyncgenBin, asyncgenErr = buildGenerator(tmp)
	}
	return m.Run()
}

// parseViews reads ASYNCGEN_VIEWS: a comma-separated subset of ref and gen.
func parseViews(s string) (viewSet, error) {
	if strings.TrimSpace(s) == "" {
		return viewSet{ref: true, gen: true}, nil
	}
	var v viewSet
	for _, f := range strings.Split(s, ",") {
		switch strings.TrimSpace(f) {
		case "ref":
			v.ref = true
		case "gen":
			v.gen = true
		default:
			return v, fmt.Errorf("ASYNCGEN_VIEWS=%q: want a comma-separated list of ref and gen", s)
		}
	}
	return v, nil
}

// loadRepo records what each case module copies from this repository: its
// location, its requirements and its go.sum, so that the case modules build
// offline without editing their go.mod.
func loadRepo() error {
	wd, err := os.Getwd()
	if err != nil {
		return err
	}
	repoRoot = wd
	out, err := exec.Command("go", "mod", "edit", "-json").Output()
	if err != nil {
		return fmt.Errorf("go mod edit -json: %v", err)
	}
	var mod struct {
		Go      string
		Require []struct{ Path, Version string }
	}
	if err := json.Unmarshal(out, &mod); err != nil {
		return fmt.Errorf("go mod edit -json: %v", err)
	}
	goDirective = mod.Go
	var b strings.Builder
	for _, r := range mod.Require {
		fmt.Fprintf(&b, "\t%s %s // indirect\n", r.Path, r.Version)
	}
	modRequires = b.String()
	goSum, err = os.ReadFile("go.sum")
	if errors.Is(err, os.ErrNotExist) {
		err = nil
	}
	return err
}

// buildGenerator builds cmd/asyncgen into dir.
func buildGenerator(dir string) (string, error) {
	bin := filepath.Join(dir, "asyncgen")
	if runtime.GOOS == "windows" {
		bin += ".exe"
	}
	cmd := exec.Command("go", "build", "-o", bin, "./cmd/asyncgen")
	cmd.Env = goEnv(false)
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("go build ./cmd/asyncgen: %v\n%s", err, out)
	}
	return bin, nil
}

// goEnv is the environment of every child process: offline, no workspace,
// the local toolchain; modMod adds -mod=mod (the fallback when a case
// module's requirements are incomplete).
func goEnv(modMod bool) []string {
	flags := os.Getenv("GOFLAGS")
	if modMod {
		flags = strings.TrimSpace(flags + " -mod=mod")
	}
	return append(os.Environ(), "GOWORK=off", "GOPROXY=off", "GOTOOLCHAIN=local", "GOFLAGS="+flags)
}

func TestConformance(t *testing.T) {
	paths, err := filepath.Glob(filepath.Join("testdata", "run", "*.txtar"))
	if err != nil {
		t.Fatal(err)
	}
	if len(paths) == 0 {
		t.Fatal("no archives in testdata/run")
	}
	for _, path := range paths {
		name := strings.TrimSuffix(filepath.Base(path), ".txtar")
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			caseSlots <- struct{}{}
			defer func() { <-caseSlots }()
			c := loadCase(t, path)
			if views.ref {
				t.Run("ref", c.checkRef)
			}
			if views.gen {
				t.Run("gen", c.checkGen)
				if c.gen != nil { // the generator ran, whatever failed after
					t.Run("det", c.checkDeterminism)
				}
			}
		})
	}
}

// A conformanceCase is one archive of testdata/run.
type conformanceCase struct {
	path    string         // the archive
	data    []byte         // its bytes, as read
	archive *txtar.Archive // parsed
	want    []byte         // the want section
	sources []txtar.File   // the files written into the case module
	golden  map[string][]byte
	gen     map[string][]byte // the generator's output, once checkGen ran
}

// loadCase reads and checks the shape of an archive.
func loadCase(t *testing.T, path string) *conformanceCase {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	c := &conformanceCase{path: path, data: data, archive: txtar.Parse(data), golden: map[string][]byte{}}
	if len(bytes.TrimSpace(c.archive.Comment)) == 0 {
		t.Errorf("%s: the archive has no comment saying what it checks", path)
	}
	seen := map[string]bool{}
	haveWant := false
	for _, f := range c.archive.Files {
		if seen[f.Name] {
			t.Fatalf("%s: section %q appears twice", path, f.Name)
		}
		seen[f.Name] = true
		switch {
		case f.Name == "want":
			c.want, haveWant = f.Data, true
		case strings.HasSuffix(f.Name, ".golden"):
			c.golden[strings.TrimSuffix(f.Name, ".golden")] = f.Data
		case strings.HasSuffix(f.Name, ".py"):
			// The Python original: documentation only.
		case f.Name == "go.mod" || f.Name == "go.sum":
			t.Fatalf("%s: the harness writes %s itself", path, f.Name)
		default:
			c.sources = append(c.sources, f)
		}
	}
	if !haveWant {
		t.Fatalf("%s: no want section", path)
	}
	return c
}

// writeModule makes a fresh case module holding the archive's sources.
func (c *conformanceCase) writeModule(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	gomod := fmt.Sprintf("module example.com/prog\n\ngo %s\n\nrequire github.com/asyncgen/asyncgen v0.0.0\n", goDirective)
	if modRequires != "" {
		gomod += "\nrequire (\n" + modRequires + ")\n"
	}
	gomod += fmt.Sprintf("\nreplace github.com/asyncgen/asyncgen => %s\n", repoRoot)
	files := map[string][]byte{"go.mod": []byte(gomod), "go.sum": goSum}
	for _, f := range c.sources {
		files[f.Name] = f.Data
	}
	for name, data := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o777); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, data, 0o666); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// checkRef runs the untransformed sources on the reference runtime.
func (c *conformanceCase) checkRef(t *testing.T) {
	dir := c.writeModule(t)
	bin := c.build(t, dir, "asyncgen")
	c.runAndCompare(t, dir, bin)
}

// checkGen runs the generator, checks its output against the golden
// sections, then vets, builds and runs the generated program.
func (c *conformanceCase) checkGen(t *testing.T) {
	if asyncgenBin == "" {
		t.Fatalf("the generator is unavailable, so the generated view cannot run:\n%v", asyncgenErr)
	}
	dir := c.writeModule(t)
	c.gen = c.generate(t, dir)
	c.checkGenerated(t)
	if *update {
		c.updateGolden(t)
	} else {
		c.compareGolden(t)
	}
	if _, stderr, err := c.goCmd(dir, "vet", "."); err != nil {
		t.Fatalf("go vet of the generated program failed: %v\n%s", err, stderr)
	}
	bin := c.build(t, dir, "")
	c.runAndCompare(t, dir, bin)
}

// checkDeterminism runs the generator again on a fresh copy of the sources:
// its output must be byte-identical.
func (c *conformanceCase) checkDeterminism(t *testing.T) {
	dir := c.writeModule(t)
	again := c.generate(t, dir)
	for _, name := range sortedKeys(c.gen, again) {
		if !bytes.Equal(c.gen[name], again[name]) {
			t.Errorf("asyncgen is not deterministic: %s differs between two runs (-first +second):\n%s",
				name, lineDiff(c.gen[name], again[name]))
		}
	}
}

// generate runs asyncgen with no arguments in dir and returns the files it
// wrote (every *_async.go that was not there before).
func (c *conformanceCase) generate(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	before := map[string]bool{}
	for _, f := range c.sources {
		before[f.Name] = true
	}
	ctx, cancel := context.WithTimeout(context.Background(), buildTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, asyncgenBin)
	cmd.Dir = dir
	cmd.Env = goEnv(false)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("asyncgen failed: %v\nstdout:\n%s\nstderr:\n%s", err, stdout.Bytes(), stderr.Bytes())
	}
	out := map[string][]byte{}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		name := e.Name()
		if before[name] || !(strings.HasSuffix(name, "_async.go") || strings.HasSuffix(name, "_async_test.go")) {
			continue
		}
		data, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		out[name] = data
	}
	if _, ok := out["prog_async.go"]; !ok && before["prog.go"] {
		t.Fatalf("asyncgen wrote no prog_async.go (it wrote %v)\nstderr:\n%s", slices.Sorted(mapKeys(out)), stderr.Bytes())
	}
	return out
}

// checkGenerated checks what DESIGN §3 promises of every generated file:
// the standard header and gofmt formatting.
func (c *conformanceCase) checkGenerated(t *testing.T) {
	t.Helper()
	for _, name := range slices.Sorted(mapKeys(c.gen)) {
		src := c.gen[name]
		f, err := parser.ParseFile(token.NewFileSet(), name, src, parser.ParseComments|parser.PackageClauseOnly)
		if err != nil {
			t.Errorf("%s does not parse: %v", name, err)
			continue
		}
		if !ast.IsGenerated(f) {
			t.Errorf("%s lacks the header %q", name, "// Code generated by asyncgen. DO NOT EDIT.")
		}
		if formatted, err := format.Source(src); err != nil {
			t.Errorf("%s: gofmt: %v", name, err)
		} else if !bytes.Equal(formatted, src) {
			t.Errorf("%s is not gofmt-formatted (-generated +gofmt):\n%s", name, lineDiff(src, formatted))
		}
	}
}

// compareGolden compares the generator's output with the golden sections.
func (c *conformanceCase) compareGolden(t *testing.T) {
	t.Helper()
	for _, name := range sortedKeys(c.gen, c.golden) {
		got, ok := c.gen[name]
		golden, have := c.golden[name]
		switch {
		case !ok:
			t.Errorf("the archive has a section %s.golden but asyncgen wrote no %s", name, name)
		case !have:
			t.Errorf("the archive has no section %s.golden; run go test -run 'TestConformance/%s' -update",
				name, strings.TrimSuffix(filepath.Base(c.path), ".txtar"))
		case !bytes.Equal(got, golden):
			t.Errorf("%s differs from its golden section (-golden +generated); if the change is intended, rerun with -update:\n%s",
				name, lineDiff(golden, got))
		}
	}
}

// updateGolden rewrites the archive's golden sections in place, keeping
// every other byte as it was.
func (c *conformanceCase) updateGolden(t *testing.T) {
	t.Helper()
	data := c.data
	for _, name := range slices.Sorted(mapKeys(c.gen)) {
		var err error
		if data, err = setSection(data, name+".golden", c.gen[name]); err != nil {
			t.Fatalf("%s: %v", c.path, err)
		}
	}
	if !bytes.Equal(data, c.data) {
		if err := os.WriteFile(c.path, data, 0o666); err != nil {
			t.Fatal(err)
		}
		t.Logf("updated %s", c.path)
		c.data = data
	}
}

// build compiles the case module in dir (tags may be empty) and returns the
// executable's path.
func (c *conformanceCase) build(t *testing.T, dir, tags string) string {
	t.Helper()
	bin := filepath.Join(dir, "prog.bin")
	args := []string{"build", "-o", bin}
	if tags != "" {
		args = append(args, "-tags", tags)
	}
	args = append(args, ".")
	if _, stderr, err := c.goCmd(dir, args...); err != nil {
		t.Fatalf("go %s failed: %v\n%s", strings.Join(args, " "), err, stderr)
	}
	return bin
}

// goCmd runs the go command in dir. If it fails only because the case
// module's requirements are incomplete, it retries with -mod=mod.
func (c *conformanceCase) goCmd(dir string, args ...string) (stdout, stderr []byte, err error) {
	stdout, stderr, err = runGo(dir, false, args...)
	if err != nil && needsModMod(stderr) {
		stdout, stderr, err = runGo(dir, true, args...)
	}
	return stdout, stderr, err
}

func runGo(dir string, modMod bool, args ...string) (stdout, stderr []byte, err error) {
	ctx, cancel := context.WithTimeout(context.Background(), buildTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, "go", args...)
	cmd.Dir = dir
	cmd.Env = goEnv(modMod)
	var o, e bytes.Buffer
	cmd.Stdout, cmd.Stderr = &o, &e
	err = cmd.Run()
	return o.Bytes(), e.Bytes(), err
}

// needsModMod reports whether the go command refused to run because go.mod
// or go.sum would need an update.
func needsModMod(stderr []byte) bool {
	s := string(stderr)
	return strings.Contains(s, "updates to go.mod needed") ||
		strings.Contains(s, "missing go.sum entry") ||
		strings.Contains(s, "no required module provides package")
}

// runAndCompare runs the program and compares its stdout with want.
func (c *conformanceCase) runAndCompare(t *testing.T, dir, bin string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), runTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin)
	cmd.Dir = dir
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	if ctx.Err() != nil {
		err = fmt.Errorf("killed after %v (deadlock?)", runTimeout)
	}
	got := stdout.Bytes()
	if err == nil && bytes.Equal(got, c.want) {
		return
	}
	var msg strings.Builder
	if err != nil {
		fmt.Fprintf(&msg, "the program failed: %v\n", err)
	}
	if !bytes.Equal(got, c.want) {
		fmt.Fprintf(&msg, "stdout differs from want (-want +got):\n%s", lineDiff(c.want, got))
	}
	if stderr.Len() > 0 {
		fmt.Fprintf(&msg, "stderr:\n%s", stderr.Bytes())
	}
	t.Error(msg.String())
}

// setSection returns data with the contents of the txtar section name
// replaced by content (appended as a new last section if absent). All other
// bytes are kept.
func setSection(data []byte, name string, content []byte) ([]byte, error) {
	if len(content) > 0 && content[len(content)-1] != '\n' {
		content = append(slices.Clip(content), '\n')
	}
	for _, line := range bytes.SplitAfter(content, []byte("\n")) {
		if _, ok := markerName(line); ok {
			return nil, fmt.Errorf("%s cannot be stored in a txtar section: it holds the line %q", name, line)
		}
	}
	start, end := -1, len(data)
	for off := 0; off < len(data); {
		line := data[off:]
		if i := bytes.IndexByte(line, '\n'); i >= 0 {
			line = line[:i+1]
		}
		if n, ok := markerName(line); ok {
			if start >= 0 {
				end = off
				break
			}
			if n == name {
				start = off + len(line)
			}
		}
		off += len(line)
	}
	if start < 0 {
		out := slices.Clip(data)
		if len(out) > 0 && out[len(out)-1] != '\n' {
			out = append(out, '\n')
		}
		out = append(out, "-- "+name+" --\n"...)
		return append(out, content...), nil
	}
	out := append(slices.Clip(data[:start]), content...)
	return append(out, data[end:]...), nil
}

// markerName reports whether line is a txtar file marker, and its name.
func markerName(line []byte) (string, bool) {
	line = bytes.TrimSuffix(line, []byte("\n"))
	if !bytes.HasPrefix(line, []byte("-- ")) || !bytes.HasSuffix(line, []byte(" --")) || len(line) < len("-- x --")-1 {
		return "", false
	}
	return strings.TrimSpace(string(line[3 : len(line)-3])), true
}

// A diffEdit is one line of a diff: op is ' ' (both), '-' (a) or '+' (b).
type diffEdit struct {
	op   byte
	text string
}

// lineDiff returns a unified-style line diff of a and b (- lines of a, +
// lines of b) with three lines of context around each change.
func lineDiff(a, b []byte) string {
	x, y := splitLines(a), splitLines(b)
	if len(x)*len(y) > 16<<20 {
		return fmt.Sprintf("(too large to diff)\n--- a\n%s+++ b\n%s", a, b)
	}
	edits := diffEdits(x, y)
	const context = 3
	show := make([]bool, len(edits))
	for k, e := range edits {
		if e.op != ' ' {
			for n := max(0, k-context); n <= min(len(edits)-1, k+context); n++ {
				show[n] = true
			}
		}
	}
	var out strings.Builder
	for k, e := range edits {
		if !show[k] {
			continue
		}
		if k > 0 && !show[k-1] && out.Len() > 0 {
			out.WriteString("...\n")
		}
		fmt.Fprintf(&out, "%c%s\n", e.op, e.text)
	}
	if out.Len() == 0 {
		return "(no line differs; the difference is in line endings or a final newline)\n"
	}
	return out.String()
}

// diffEdits returns a shortest edit script turning x into y (by longest
// common subsequence).
func diffEdits(x, y []string) []diffEdit {
	// lcs[i][j]: length of the longest common subsequence of x[i:], y[j:].
	lcs := make([][]int32, len(x)+1)
	for i := range lcs {
		lcs[i] = make([]int32, len(y)+1)
	}
	for i := len(x) - 1; i >= 0; i-- {
		for j := len(y) - 1; j >= 0; j-- {
			if x[i] == y[j] {
				lcs[i][j] = lcs[i+1][j+1] + 1
			} else {
				lcs[i][j] = max(lcs[i+1][j], lcs[i][j+1])
			}
		}
	}
	var edits []diffEdit
	i, j := 0, 0
	for i < len(x) || j < len(y) {
		switch {
		case i < len(x) && j < len(y) && x[i] == y[j]:
			edits = append(edits, diffEdit{' ', x[i]})
			i, j = i+1, j+1
		case j < len(y) && (i == len(x) || lcs[i][j+1] > lcs[i+1][j]):
			edits = append(edits, diffEdit{'+', y[j]})
			j++
		default:
			edits = append(edits, diffEdit{'-', x[i]})
			i++
		}
	}
	return edits
}

func splitLines(b []byte) []string {
	s := strings.TrimSuffix(string(b), "\n")
	if s == "" {
		return nil
	}
	return strings.Split(s, "\n")
}

func mapKeys[V any](m map[string]V) func(func(string) bool) {
	return func(yield func(string) bool) {
		for k := range m {
			if !yield(k) {
				return
			}
		}
	}
}

// sortedKeys returns the union of the keys of a and b, sorted.
func sortedKeys(a, b map[string][]byte) []string {
	keys := slices.Collect(mapKeys(a))
	for k := range b {
		if _, ok := a[k]; !ok {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	return keys
}

// TestSetSection checks the golden rewriting the -update flag relies on.
func TestSetSection(t *testing.T) {
	const archive = "comment\n-- prog.go --\npackage main\n-- x.golden --\nold\nold2\n-- want --\nhi\n"
	for _, tc := range []struct{ name, content, want string }{
		{"x.golden", "new\n", "comment\n-- prog.go --\npackage main\n-- x.golden --\nnew\n-- want --\nhi\n"},
		{"y.golden", "y", archive + "-- y.golden --\ny\n"},
		{"want", "bye\n", "comment\n-- prog.go --\npackage main\n-- x.golden --\nold\nold2\n-- want --\nbye\n"},
	} {
		got, err := setSection([]byte(archive), tc.name, []byte(tc.content))
		if err != nil {
			t.Fatal(err)
		}
		if string(got) != tc.want {
			t.Errorf("setSection(%s) (-want +got):\n%s", tc.name, lineDiff([]byte(tc.want), got))
		}
	}
	if _, err := setSection([]byte(archive), "x.golden", []byte("a\n-- b --\n")); err == nil {
		t.Error("setSection stored a marker line")
	}
	if got := lineDiff([]byte("a\nb\nc\n"), []byte("a\nx\nc\n")); got != " a\n-b\n+x\n c\n" {
		t.Errorf("lineDiff = %q", got)
	}
}
