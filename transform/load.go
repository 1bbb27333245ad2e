package transform

import (
	"fmt"
	"go/ast"
	"go/types"
	"path/filepath"
	"sort"
	"strings"

	"golang.org/x/tools/go/packages"
)

// Config says what to load.
type Config struct {
	Dir      string   // working directory of the build ("" is the current one)
	Patterns []string // package patterns; default "."
	Tags     []string // build tags besides asyncgen

	// SourceDeps type-checks the dependencies from source: go list then
	// compiles nothing (with export data it compiles the packages being
	// loaded too, to produce theirs).
	SourceDeps bool
}

// Load type-checks the packages in the reference view (build tag asyncgen)
// and lowers every DSL file, i.e. every file that requires the tag. It
// returns the lowered files, sorted by path, or the errors: type errors of
// the input and refusals, each at its position.
func Load(cfg Config) ([]*File, error) {
	patterns := cfg.Patterns
	if len(patterns) == 0 {
		patterns = []string{"."}
	}
	pcfg := &packages.Config{
		Mode: packages.NeedName | packages.NeedFiles | packages.NeedCompiledGoFiles |
			packages.NeedSyntax | packages.NeedTypes | packages.NeedTypesInfo,
		Dir:        cfg.Dir,
		BuildFlags: []string{"-tags=" + strings.Join(append([]string{"asyncgen"}, cfg.Tags...), ",")},
		Tests:      true,
	}
	if cfg.SourceDeps {
		pcfg.Mode |= packages.NeedImports | packages.NeedDeps
	}
	pkgs, err := packages.Load(pcfg, patterns...)
	if err != nil {
		return nil, err
	}
	if err := loadErrors(pkgs); err != nil {
		return nil, err
	}
	var files []*File
	var errs ErrorList
	done := map[string]bool{}
	for _, p := range pkgs {
		if isRuntime(strings.TrimSuffix(p.PkgPath, "_test")) {
			continue // rt's asyncgen-tagged files implement the reference view
		}
		for _, syn := range p.Syntax {
			path := p.Fset.File(syn.Pos()).Name()
			if done[path] || !isDSL(syn) {
				continue
			}
			done[path] = true
			files = append(files, lowerFile(p, syn, path, &errs))
		}
	}
	if err := errs.Err(); err != nil {
		return nil, err
	}
	sort.Slice(files, func(i, j int) bool { return files[i].Src < files[j].Src })
	return files, nil
}

// loadErrors reports the errors of loading and type checking, positioned.
// Errors without a position (the go command's own, or "-") are mostly
// consequences of positioned ones (a package clause that does not parse
// also makes the package names disagree), so they are shown only when
// there is nothing else to show.
func loadErrors(pkgs []*packages.Package) error {
	var msgs []string
	seen := map[string]bool{}
	positioned := false
	packages.Visit(pkgs, nil, func(p *packages.Package) {
		for _, e := range p.Errors {
			positioned = positioned || hasPosition(e)
		}
	})
	packages.Visit(pkgs, nil, func(p *packages.Package) {
		for _, e := range p.Errors {
			if positioned && !hasPosition(e) {
				continue
			}
			msg := e.Msg
			if hasPosition(e) {
				msg = e.Pos + ": " + msg
			} else if positioned := positionGoError(msg, p.Dir); positioned != "" {
				msg = positioned
			}
			if !seen[msg] {
				seen[msg] = true
				msgs = append(msgs, msg)
			}
		}
	})
	if len(msgs) == 0 {
		return nil
	}
	sort.Strings(msgs)
	return fmt.Errorf("%s", strings.Join(msgs, "\n"))
}

// hasPosition reports whether e names a place in a file. The go command's
// errors repeat, unpositioned, what the parser and type checker report.
func hasPosition(e packages.Error) bool {
	return e.Kind != packages.ListError && e.Pos != "" && e.Pos != "-"
}

// lowerFile checks one DSL file and lowers its async literals.
func lowerFile(p *packages.Package, syn *ast.File, path string, errs *ErrorList) *File {
	f := &File{
		Src:     path,
		Out:     OutputName(path),
		Syntax:  syn,
		Fset:    p.Fset,
		Info:    p.TypesInfo,
		Pkg:     p.Types,
		ByLit:   map[*ast.FuncLit]*Machine{},
		PkgRefs: map[*ast.Ident]string{},
	}
	f.Build = generatedConstraint(syn)
	f.findYields()
	names := newNamer(p.Syntax...)
	f.SMAlias = names.fresh("sm")
	f.GenName = names.fresh("gen")
	before := len(*errs)
	f.check(errs)
	if len(*errs) > before {
		return f
	}
	f.analyse()
	f.machines(p.Syntax, errs)
	return f
}

// OutputName is the generated file for a DSL file: x.go -> x_async.go,
// x_test.go -> x_async_test.go, x_linux_amd64.go -> x_async_linux_amd64.go
// (file-name build constraints stay last, so they keep applying).
func OutputName(path string) string {
	dir, base := filepath.Split(path)
	name := strings.TrimSuffix(base, ".go")
	test := strings.HasSuffix(name, "_test")
	name = strings.TrimSuffix(name, "_test")
	parts := strings.Split(name, "_")
	cut := len(parts)
	for cut > 1 && len(parts)-cut < 2 && (knownOS[parts[cut-1]] || knownArch[parts[cut-1]]) {
		cut--
	}
	out := strings.Join(parts[:cut], "_") + "_async"
	if cut < len(parts) {
		out += "_" + strings.Join(parts[cut:], "_")
	}
	if test {
		out += "_test"
	}
	return dir + out + ".go"
}

var knownOS = setOf("aix android darwin dragonfly freebsd hurd illumos ios js linux nacl netbsd openbsd plan9 solaris wasip1 windows zos")
var knownArch = setOf("386 amd64 amd64p32 arm armbe arm64 arm64be loong64 mips mipsle mips64 mips64le mips64p32 mips64p32le ppc ppc64 ppc64le riscv riscv64 s390 s390x sparc sparc64 wasm")

func setOf(words string) map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(words) {
		m[w] = true
	}
	return m
}

func isRuntime(path string) bool {
	return path == RTPath || strings.HasPrefix(path, RTPath+"/")
}

// findYields records the yield parameter of every rt.Generate body: its
// calls are suspension points.
func (f *File) findYields() {
	f.yields = map[*types.Var]*ast.FuncLit{}
	ast.Inspect(f.Syntax, func(n ast.Node) bool {
		call, ok := n.(*ast.CallExpr)
		if !ok {
			return true
		}
		lit := generatorLit(f.Info, call)
		if lit == nil || len(lit.Type.Params.List) != 1 || len(lit.Type.Params.List[0].Names) != 1 {
			return true
		}
		if v, ok := f.Info.Defs[lit.Type.Params.List[0].Names[0]].(*types.Var); ok {
			f.yields[v] = lit
		}
		return true
	})
}
