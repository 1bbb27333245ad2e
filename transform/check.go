package transform

import (
	"go/ast"
	"go/token"
	"go/types"
)

// check refuses, with positioned errors, what the lowering cannot honour.
// Each refusal has a test in testdata/cli.
func (f *File) check(errs *ErrorList) {
	for _, imp := range f.Syntax.Imports {
		if imp.Name != nil && imp.Name.Name == "." {
			errs.add(f.Fset, imp.Pos(), "dot imports are not supported in DSL files", "import the package by name")
		}
	}
	bodies := map[*ast.FuncLit]bool{}
	deferred := map[*ast.FuncLit]bool{}
	ast.Inspect(f.Syntax, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.DeferStmt:
			if fl, ok := ast.Unparen(n.Call.Fun).(*ast.FuncLit); ok {
				deferred[fl] = true
			}
		case *ast.CallExpr:
			if lit := asyncLit(f.Info, n); lit != nil {
				bodies[lit] = true
			}
			if lit := generatorLit(f.Info, n); lit != nil {
				bodies[lit] = true
				f.checkGenerator(lit, errs)
			}
		}
		return true
	})
	ast.Inspect(f.Syntax, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.CallExpr:
			f.checkCall(n, bodies, deferred, errs)
		case *ast.RangeStmt:
			f.checkRange(n, bodies, deferred, errs)
		case *ast.Ident:
			f.checkYieldUse(n, errs)
		}
		return true
	})
}

func (f *File) checkCall(call *ast.CallExpr, bodies, deferred map[*ast.FuncLit]bool, errs *ErrorList) {
	switch rtCallee(f.Info, call) {
	case "Async":
		lit := asyncLit(f.Info, call)
		if lit == nil {
			errs.add(f.Fset, call.Pos(), "rt.Async needs a function literal", "write rt.Async(func() (T, error) { ... }) so the body can be compiled")
			return
		}
		sig, _ := f.Info.Types[lit].Type.(*types.Signature)
		if sig != nil && sig.Results().Len() == 2 && sig.Results().At(0).Name() != "" {
			if try := f.findTry(lit.Body); try != nil {
				errs.add(f.Fset, try.Pos(), "rt.Try in an async body with named results",
					"rt.Try's early return cannot keep named results in the reference view; use v, err := rt.Await(f) and return explicitly, or unname the results")
			}
		}
	case "Await", "Try":
		f.checkAwaitPlace(call, bodies, deferred, errs)
	case "Generate":
		if generatorLit(f.Info, call) == nil {
			errs.add(f.Fset, call.Pos(), "rt.Generate needs a function literal", "write rt.Generate(func(yield func(T) bool) error { ... }) so the body can be compiled")
		}
	}
	if lit := f.yields[f.calledVar(call)]; lit != nil {
		path := f.enclosing(call.Pos())
		if path[len(path)-1] != lit {
			errs.add(f.Fset, call.Pos(), "yield called outside its generator's body",
				"call yield directly in the body of the rt.Generate literal that declares it (not in a nested function)")
		}
	}
}

// calledVar is the variable a call calls, if its callee is a variable.
func (f *File) calledVar(call *ast.CallExpr) *types.Var {
	id, ok := ast.Unparen(call.Fun).(*ast.Ident)
	if !ok {
		return nil
	}
	v, _ := f.Info.Uses[id].(*types.Var)
	return v
}

// checkGenerator refuses generator bodies asyncgen cannot lower.
func (f *File) checkGenerator(lit *ast.FuncLit, errs *ErrorList) {
	if r := lit.Type.Results; r != nil && len(r.List) == 1 && len(r.List[0].Names) > 0 {
		errs.add(f.Fset, r.Pos(), "named result in an rt.Generate body", "return the error explicitly")
	}
}

// checkYieldUse refuses a generator's yield used other than by calling
// it: a yield passed around could be called where nothing can suspend.
func (f *File) checkYieldUse(id *ast.Ident, errs *ErrorList) {
	v, ok := f.Info.Uses[id].(*types.Var)
	if !ok || f.yields[v] == nil {
		return
	}
	path := f.nodePath(id.Pos())
	if len(path) >= 2 {
		if call, ok := path[len(path)-2].(*ast.CallExpr); ok && ast.Unparen(call.Fun) == path[len(path)-1] {
			return
		}
		if p, ok := path[len(path)-2].(*ast.ParenExpr); ok && len(path) >= 3 {
			if call, ok := path[len(path)-3].(*ast.CallExpr); ok && call.Fun == p {
				return
			}
		}
	}
	errs.add(f.Fset, id.Pos(), "yield used as a value", "only call it: yield(v)")
}

// nodePath lists the nodes enclosing pos, outermost first.
func (f *File) nodePath(pos token.Pos) []ast.Node {
	var path []ast.Node
	ast.Inspect(f.Syntax, func(n ast.Node) bool {
		if n == nil || pos < n.Pos() || pos >= n.End() {
			return false
		}
		path = append(path, n)
		return true
	})
	return path
}

// checkAwaitPlace refuses an await whose function cannot suspend: only an
// async body, or a deferred literal without parameters directly in one,
// can.
func (f *File) checkAwaitPlace(call *ast.CallExpr, bodies, deferred map[*ast.FuncLit]bool, errs *ErrorList) {
	name := "rt." + rtCallee(f.Info, call)
	if rtCallee(f.Info, call) == "" {
		return // a generator's yield: checked by checkCall
	}
	path := f.enclosing(call.Pos())
	for i := len(path) - 1; i >= 0; i-- {
		fn, ok := path[i].(*ast.FuncLit)
		switch {
		case !ok:
			errs.add(f.Fset, call.Pos(), name+" outside an async body",
				"only the body of rt.Async(func() (T, error) { ... }) can suspend")
			return
		case bodies[fn]:
			return
		case deferred[fn] && len(fn.Type.Params.List) == 0:
			continue // a deferred literal suspends the async body it is in
		case deferred[fn]:
			errs.add(f.Fset, call.Pos(), "await inside a deferred function literal with parameters",
				"capture the values in variables and defer a literal without parameters")
			return
		default:
			errs.add(f.Fset, call.Pos(), name+" inside a plain function literal, which cannot suspend",
				"make it async (rt.Async(func() (T, error) { ... })) and await it, or move the await out of the literal")
			return
		}
	}
	errs.add(f.Fset, call.Pos(), name+" outside an async body", "")
}

// enclosing lists the function declarations and literals around pos,
// outermost first.
func (f *File) enclosing(pos token.Pos) []ast.Node {
	var path []ast.Node
	ast.Inspect(f.Syntax, func(n ast.Node) bool {
		if n == nil || pos < n.Pos() || pos >= n.End() {
			return false
		}
		switch n.(type) {
		case *ast.FuncDecl, *ast.FuncLit:
			path = append(path, n)
		}
		return true
	})
	return path
}

// findTry finds an rt.Try of the body itself (not of nested literals).
func (f *File) findTry(body *ast.BlockStmt) *ast.CallExpr {
	var found *ast.CallExpr
	ast.Inspect(body, func(n ast.Node) bool {
		if found != nil {
			return false
		}
		if _, ok := n.(*ast.FuncLit); ok {
			return false
		}
		if call, ok := n.(*ast.CallExpr); ok && rtCallee(f.Info, call) == "Try" {
			found = call
		}
		return true
	})
	return found
}

// checkRange refuses a range over rt.Each outside an async body: each
// step awaits.
func (f *File) checkRange(r *ast.RangeStmt, bodies, deferred map[*ast.FuncLit]bool, errs *ErrorList) {
	if eachCall(f.Info, r.X) == nil {
		return
	}
	path := f.enclosing(r.Pos())
	for i := len(path) - 1; i >= 0; i-- {
		fn, ok := path[i].(*ast.FuncLit)
		switch {
		case ok && bodies[fn]:
			return
		case ok && deferred[fn] && len(fn.Type.Params.List) == 0:
			continue
		}
		break
	}
	errs.add(f.Fset, r.Pos(), "range over rt.Each outside an async body", "each step awaits the stream: range over it inside rt.Async(func() (T, error) { ... })")
}
