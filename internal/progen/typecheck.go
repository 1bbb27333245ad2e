package progen

import (
	"errors"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"go/types"
	"sync"

	"golang.org/x/tools/go/packages"
)

// Checker type-checks generated programs in process, without building
// them: the generator's own tests use it, and the minimizer uses it to
// reject candidates that no longer compile before paying for builds.
type Checker struct {
	mu   sync.Mutex
	pkgs map[string]*types.Package
}

// checkedImports are the packages generated programs may import.
var checkedImports = []string{"cmp", "context", "errors", "fmt", "iter", "strconv", "strings", "github.com/asyncgen/asyncgen/rt"}

// NewChecker loads the type information of the packages generated
// programs import, from the module at dir (the asyncgen repository).
func NewChecker(dir string) (*Checker, error) {
	cfg := &packages.Config{Mode: packages.NeedName | packages.NeedTypes | packages.NeedImports | packages.NeedDeps, Dir: dir}
	pkgs, err := packages.Load(cfg, checkedImports...)
	if err != nil {
		return nil, err
	}
	c := &Checker{pkgs: map[string]*types.Package{}}
	var errs []error
	packages.Visit(pkgs, nil, func(p *packages.Package) {
		c.pkgs[p.PkgPath] = p.Types
		for _, e := range p.Errors {
			errs = append(errs, e)
		}
	})
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return c, nil
}

// Import implements types.Importer.
func (c *Checker) Import(path string) (*types.Package, error) {
	if p, ok := c.pkgs[path]; ok {
		return p, nil
	}
	return nil, fmt.Errorf("progen: package %s is not available to the checker", path)
}

// Check type-checks a program's files as one package main (the reference
// view) and returns the first errors, positioned.
func (c *Checker) Check(files map[string][]byte) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	fset := token.NewFileSet()
	var syn []*ast.File
	for _, name := range sortedKeys(files) {
		f, err := parser.ParseFile(fset, name, files[name], parser.SkipObjectResolution)
		if err != nil {
			return err
		}
		syn = append(syn, f)
	}
	var errs []error
	conf := types.Config{Importer: c, Error: func(err error) {
		if len(errs) < 10 {
			errs = append(errs, err)
		}
	}}
	conf.Check("main", fset, syn, nil)
	return errors.Join(errs...)
}

// CheckProgram type-checks a generated program.
func (c *Checker) CheckProgram(p *Program) error {
	prog, main, err := p.Source()
	if err != nil {
		return err
	}
	return c.Check(map[string][]byte{"prog.go": prog, "main.go": main})
}

func sortedKeys[V any](m map[string]V) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	for i := 1; i < len(out); i++ {
		for j := i; j > 0 && out[j] < out[j-1]; j-- {
			out[j], out[j-1] = out[j-1], out[j]
		}
	}
	return out
}
