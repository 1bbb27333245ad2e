package asyncgen_test

// FuzzGenerate feeds arbitrary Go source to the generator. For every
// input asyncgen must either write code that type-checks or report
// errors that are all positioned (file:line:col: message); it must never
// panic, and it must never change the input's syntax tree.
//
// Each input is written as prog.go into a throwaway module (the
// conformance test's technique: a replace directive to this repository,
// its go.sum, GOFLAGS=-mod=mod), beside a file holding only the same
// package clause, so that the package exists in both views whatever the
// input's build constraint. Then:
//
//   - asyncgen.Generate runs; an error passes only if each of its lines
//     is positioned (hint lines aside);
//   - its output (the *_async.go files and the companion, the default
//     view) is type-checked with go/types;
//   - transform.Load and emit.File run again, and the syntax tree of
//     prog.go is compared (a dump of every node and position, objects
//     aside) with a fresh parse, after loading and after emitting, and
//     emit's output must equal the file Generate wrote.
//
// The seed corpus is the prog.go section of every testdata/run archive
// plus a few edge cases. Without -fuzz (go test ./...) only a handful of
// them run, to keep the suite fast; ASYNCGEN_FUZZ_SEEDS=all runs them all.
//
//	go test -run '^$' -fuzz FuzzGenerate -fuzztime 30m -parallel 1 .

import (
	"bytes"
	"flag"
	"fmt"
	"go/ast"
	"go/importer"
	"go/parser"
	"go/token"
	"go/types"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"

	asyncgen "github.com/asyncgen/asyncgen"
	"github.com/asyncgen/asyncgen/emit"
	"github.com/asyncgen/asyncgen/transform"
	"golang.org/x/tools/txtar"
)

// fuzzEdgeSeeds are inputs beside the archives: not a DSL file, a syntax
// error, a type error, a refusal, an empty async body.
var fuzzEdgeSeeds = []string{
	"package main\n\nfunc f() int { return 1 }\n",
	"//go:build asyncgen\n\npackage main\n\nfunc f( {\n",
	"//go:build asyncgen\n\npackage main\n\nvar x int = \"s\"\n",
	"//go:build asyncgen\n\npackage main\n\nimport \"github.com/asyncgen/asyncgen/rt\"\n\nfunc f() { rt.Await(rt.Sleep(0)) }\n",
	"//go:build asyncgen\n\npackage p\n\nimport \"github.com/asyncgen/asyncgen/rt\"\n\nfunc F() rt.Future[int] {\n\treturn rt.Async(func() (int, error) { return 0, nil })\n}\n",
}

// fuzzSampleArchives are the archives whose prog.go seeds the corpus
// when not fuzzing.
var fuzzSampleArchives = []string{"dsl_switch_fallthrough", "dsl_defer_await_closure"}

func FuzzGenerate(f *testing.F) {
	fuzzing := flag.Lookup("test.fuzz").Value.String() != ""
	all := fuzzing || os.Getenv("ASYNCGEN_FUZZ_SEEDS") == "all"
	for _, s := range fuzzEdgeSeeds {
		f.Add([]byte(s))
	}
	paths, err := filepath.Glob(filepath.Join("testdata", "run", "*.txtar"))
	if err != nil {
		f.Fatal(err)
	}
	for _, path := range paths {
		name := strings.TrimSuffix(filepath.Base(path), ".txtar")
		if !all && !slices.Contains(fuzzSampleArchives, name) {
			continue
		}
		a, err := txtar.ParseFile(path)
		if err != nil {
			f.Fatal(err)
		}
		for _, file := range a.Files {
			if file.Name == "prog.go" {
				f.Add(file.Data)
			}
		}
	}
	restore := setFuzzEnv()
	f.Cleanup(restore)
	f.Fuzz(func(t *testing.T, src []byte) {
		checkGenerate(t, src)
	})
}

// setFuzzEnv sets what the go command needs in the throwaway modules,
// for the packages Generate loads in this process.
func setFuzzEnv() (restore func()) {
	vars := map[string]string{
		"GOFLAGS":     strings.TrimSpace(os.Getenv("GOFLAGS") + " -mod=mod"),
		"GOWORK":      "off",
		"GOPROXY":     "off",
		"GOTOOLCHAIN": "local",
	}
	old := map[string]*string{}
	for k, v := range vars {
		if prev, ok := os.LookupEnv(k); ok {
			old[k] = &prev
		} else {
			old[k] = nil
		}
		os.Setenv(k, v)
	}
	return func() {
		for k, v := range old {
			if v == nil {
				os.Unsetenv(k)
			} else {
				os.Setenv(k, *v)
			}
		}
	}
}

// checkGenerate runs one input through the generator and checks the
// three promises.
func checkGenerate(t *testing.T, src []byte) {
	dir := t.TempDir()
	writeFuzzModule(t, dir, src)
	progPath := filepath.Join(dir, "prog.go")
	res, err := asyncgen.Generate(asyncgen.Options{Dir: dir, Lines: true})
	if err != nil {
		if bad := unpositioned(err.Error(), dir); bad != "" {
			t.Fatalf("asyncgen reported an error without a position: %q\nfull error:\n%v", bad, err)
		}
		return
	}
	if len(res.Written) == 0 {
		return // not a DSL file
	}
	typeCheckOutput(t, dir, res.Written)
	checkNotMutated(t, dir, progPath, src, res.Written)
}

// writeFuzzModule writes the throwaway module: go.mod, go.sum, the input
// as prog.go and a companion file holding only its package clause.
func writeFuzzModule(t *testing.T, dir string, src []byte) {
	gomod := fmt.Sprintf("module example.com/prog\n\ngo %s\n\nrequire github.com/asyncgen/asyncgen v0.0.0\n", goDirective)
	if modRequires != "" {
		gomod += "\nrequire (\n" + modRequires + ")\n"
	}
	gomod += fmt.Sprintf("\nreplace github.com/asyncgen/asyncgen => %s\n", repoRoot)
	files := map[string][]byte{"go.mod": []byte(gomod), "go.sum": goSum, "prog.go": src}
	if f, err := parser.ParseFile(token.NewFileSet(), "prog.go", src, parser.PackageClauseOnly); err == nil && f.Name != nil && f.Name.Name != "_" {
		files["companion.go"] = []byte("package " + f.Name.Name + "\n")
	}
	for name, data := range files {
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o666); err != nil {
			t.Fatal(err)
		}
	}
}

var positionedLine = regexp.MustCompile(`^\S+\.go:\d+:\d+: `)

// unpositioned returns the first line of an error message that does not
// start with file:line:col: (hint lines, indented, aside). An error about
// the package directory as a whole ("build constraints exclude all Go
// files in DIR") has no place in a file: naming dir is its position.
func unpositioned(msg, dir string) string {
	for _, l := range strings.Split(msg, "\n") {
		if l == "" || strings.HasPrefix(l, "\t") || strings.HasPrefix(l, " ") {
			continue
		}
		if !positionedLine.MatchString(l) && (dir == "" || !strings.HasSuffix(l, " "+dir)) {
			return l
		}
	}
	return ""
}

var (
	fuzzImporterMu sync.Mutex
	fuzzImporter   types.ImporterFrom
	fuzzFset       = token.NewFileSet()
)

// typeCheckOutput type-checks the package in the default view: the
// generated files and the companion (the DSL file is excluded by its
// constraint).
func typeCheckOutput(t *testing.T, dir string, written []string) {
	fuzzImporterMu.Lock()
	defer fuzzImporterMu.Unlock()
	if fuzzImporter == nil {
		fuzzImporter = importer.ForCompiler(fuzzFset, "source", nil).(types.ImporterFrom)
	}
	paths := append([]string(nil), written...)
	if _, err := os.Stat(filepath.Join(dir, "companion.go")); err == nil {
		paths = append(paths, filepath.Join(dir, "companion.go"))
	}
	var files []*ast.File
	for _, p := range paths {
		f, err := parser.ParseFile(fuzzFset, p, nil, parser.ParseComments)
		if err != nil {
			t.Fatalf("asyncgen wrote a file that does not parse: %v", err)
		}
		files = append(files, f)
	}
	var errs []string
	conf := types.Config{Importer: fuzzImporter, Error: func(err error) { errs = append(errs, err.Error()) }}
	conf.Check(files[0].Name.Name, fuzzFset, files, nil)
	if len(errs) > 0 {
		var out strings.Builder
		for _, p := range written {
			data, _ := os.ReadFile(p)
			fmt.Fprintf(&out, "--- %s\n%s\n", filepath.Base(p), data)
		}
		t.Fatalf("asyncgen's output does not type-check:\n%s\n%s", strings.Join(errs, "\n"), out.String())
	}
}

// checkNotMutated loads the package again and compares the syntax tree of
// prog.go with a fresh parse, after lowering and after emitting; emit's
// output must also be what Generate wrote.
func checkNotMutated(t *testing.T, dir, progPath string, src []byte, written []string) {
	fresh := token.NewFileSet()
	orig, err := parser.ParseFile(fresh, progPath, src, parser.ParseComments)
	if err != nil {
		t.Fatalf("Generate succeeded but prog.go does not parse: %v", err)
	}
	want := dumpAST(fresh, orig)
	files, err := transform.Load(transform.Config{Dir: dir})
	if err != nil {
		t.Fatalf("Generate succeeded but transform.Load fails: %v", err)
	}
	for _, f := range files {
		if filepath.Base(f.Src) != "prog.go" {
			continue
		}
		if got := dumpAST(f.Fset, f.Syntax); got != want {
			t.Fatalf("transform.Load changed the syntax tree of prog.go:\n%s", firstDiff(want, got))
		}
		out, err := emit.File(f, true)
		if err != nil {
			t.Fatalf("Generate succeeded but emit.File fails: %v", err)
		}
		if got := dumpAST(f.Fset, f.Syntax); got != want {
			t.Fatalf("emit.File changed the syntax tree of prog.go:\n%s", firstDiff(want, got))
		}
		for _, w := range written {
			if w == f.Out {
				if data, _ := os.ReadFile(w); !bytes.Equal(data, out) {
					t.Fatalf("emit.File's output differs from the file Generate wrote (not deterministic?)")
				}
			}
		}
	}
}

// dumpAST prints every node of the tree with its fields; positions are
// printed as line:col, and the fields the parser's object resolution
// fills (Obj, Scope, Unresolved) are left out.
func dumpAST(fset *token.FileSet, f *ast.File) string {
	var b strings.Builder
	seen := map[uintptr]bool{}
	posType := reflect.TypeOf(token.NoPos)
	var walk func(v reflect.Value, depth int)
	walk = func(v reflect.Value, depth int) {
		ind := strings.Repeat(" ", depth)
		switch v.Kind() {
		case reflect.Interface:
			if v.IsNil() {
				b.WriteString("nil\n")
				return
			}
			walk(v.Elem(), depth)
		case reflect.Pointer:
			if v.IsNil() {
				b.WriteString("nil\n")
				return
			}
			if seen[v.Pointer()] {
				fmt.Fprintf(&b, "(shared %s)\n", v.Type())
				return
			}
			seen[v.Pointer()] = true
			walk(v.Elem(), depth)
		case reflect.Struct:
			fmt.Fprintf(&b, "%s {\n", v.Type())
			for i := range v.NumField() {
				name := v.Type().Field(i).Name
				if name == "Obj" || name == "Scope" || name == "Unresolved" {
					continue
				}
				fmt.Fprintf(&b, "%s %s: ", ind, name)
				walk(v.Field(i), depth+1)
			}
			fmt.Fprintf(&b, "%s}\n", ind)
		case reflect.Slice:
			fmt.Fprintf(&b, "[%d]\n", v.Len())
			for i := range v.Len() {
				fmt.Fprintf(&b, "%s %d: ", ind, i)
				walk(v.Index(i), depth+1)
			}
		default:
			if v.Type() == posType {
				p := fset.Position(token.Pos(v.Int()))
				fmt.Fprintf(&b, "%d:%d\n", p.Line, p.Column)
				return
			}
			fmt.Fprintf(&b, "%v\n", v.Interface())
		}
	}
	walk(reflect.ValueOf(f), 0)
	return b.String()
}

// firstDiff shows the first differing line of two dumps, with context.
func firstDiff(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	i := 0
	for i < len(w) && i < len(g) && w[i] == g[i] {
		i++
	}
	from := max(0, i-8)
	return fmt.Sprintf("fresh parse:\n%s\nafter asyncgen:\n%s",
		strings.Join(w[from:min(len(w), i+3)], "\n"), strings.Join(g[from:min(len(g), i+3)], "\n"))
}

// TestUnpositioned checks the error-line filter FuzzGenerate relies on.
func TestUnpositioned(t *testing.T) {
	ok := "/tmp/x/prog.go:3:4: asyncgen: await inside select is not supported\n\thint: await before or after the select"
	if got := unpositioned(ok, "/tmp/x"); got != "" {
		t.Errorf("unpositioned(%q) = %q", ok, got)
	}
	bad := "prog.go:3:4: x\nno Go files in /tmp/y"
	if got := unpositioned(bad, "/tmp/x"); got != "no Go files in /tmp/y" {
		t.Errorf("unpositioned(%q) = %q", bad, got)
	}
	dir := "build constraints exclude all Go files in /tmp/x"
	if got := unpositioned(dir, "/tmp/x"); got != "" {
		t.Errorf("unpositioned(%q) = %q", dir, got)
	}
}
