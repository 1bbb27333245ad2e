package transform

import (
	"go/ast"
	"go/token"
	"go/types"
	"strings"
)

// machines finds the async literals of the file and lowers each into a
// machine: the literals passed to rt.Async, and inside async bodies the
// deferred function literals that await. Outer machines come first; a
// literal nested in an async body belongs to that body's machine (Outer).
func (f *File) machines(files []*ast.File, errs *ErrorList) {
	fileNames := newNamer(files...)
	for _, d := range f.Syntax.Decls {
		decl, _ := d.(*ast.FuncDecl)
		ast.Inspect(d, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok {
				return true
			}
			lit := asyncLit(f.Info, call)
			if lit == nil {
				lit = generatorLit(f.Info, call)
			}
			if lit == nil {
				return true
			}
			f.newMachine(lit, decl, nil, false, fileNames, errs)
			return false // nested literals are found from their machine
		})
	}
}

// newMachine lowers one literal, then the literals nested in its body.
func (f *File) newMachine(lit *ast.FuncLit, decl *ast.FuncDecl, outer *Machine, deferred bool, fileNames *namer, errs *ErrorList) *Machine {
	m := &Machine{
		Name:     fileNames.fresh(machineName(decl, outer)),
		Lit:      lit,
		Outer:    outer,
		Deferred: deferred,
		Vars:     map[*types.Var]*Var{},
		Temps:    map[*ast.Ident]*types.Var{},
		Subst:    map[ast.Expr]*ast.Ident{},
		Pairs:    map[ast.Expr][2]*ast.Ident{},
		Jumps:    map[ast.Stmt]int{},
		Redirs:   map[*ast.BranchStmt]int{},
		AwaitAt:  map[ast.Stmt]*Await{},
		Results:  map[ast.Stmt]*ResultOf{},
		Returns:  map[*ast.ReturnStmt]bool{},
		ReturnTo: map[ast.Stmt]int{},
		Loops:    map[ast.Stmt]*LoopCopy{},

		rangeNext: map[*ast.Ident]*ast.Ident{},
	}
	f.Machines = append(f.Machines, m)
	f.ByLit[lit] = m
	f.signature(m, decl, errs)
	names := fileNames.scope()
	m.Recv = names.fresh("self")
	m.Label = names.freshPrefix("state")
	f.captures(m, names)
	l := newLowerer(f, m, names, errs)
	for _, r := range m.Named {
		l.register(r, 0)
	}
	l.lower()
	l.decideStorage()
	l.checkStorage()
	l.layout()
	for _, inner := range f.innerLiterals(lit) {
		f.newMachine(inner.lit, decl, m, inner.deferred, fileNames, errs)
	}
	return m
}

// machineName derives a struct name from the enclosing declaration:
// Fetch -> fetchAsync, (*Server).Serve -> serverServeAsync.
func machineName(decl *ast.FuncDecl, outer *Machine) string {
	if outer != nil {
		return strings.TrimSuffix(strings.TrimSuffix(outer.Name, "Async"), "Gen") + "Inner"
	}
	if decl == nil {
		return "async"
	}
	name := decl.Name.Name
	if decl.Recv != nil && len(decl.Recv.List) == 1 {
		name = lowerFirst(recvTypeName(decl.Recv.List[0].Type)) + upperFirst(name)
	}
	return lowerFirst(name) + "Async"
}

func recvTypeName(e ast.Expr) string {
	switch t := e.(type) {
	case *ast.StarExpr:
		return recvTypeName(t.X)
	case *ast.IndexExpr:
		return recvTypeName(t.X)
	case *ast.IndexListExpr:
		return recvTypeName(t.X)
	case *ast.Ident:
		return t.Name
	}
	return ""
}

// signature fills the result type, named results and type parameters.
func (f *File) signature(m *Machine, decl *ast.FuncDecl, errs *ErrorList) {
	sig, _ := f.Info.Types[m.Lit].Type.(*types.Signature)
	if sig != nil && sig.Params().Len() == 1 {
		if v := sig.Params().At(0); f.yields[v] == m.Lit {
			m.Generator = true
			m.Yield = v.Type().(*types.Signature).Params().At(0).Type()
		}
	}
	if m.Deferred || m.Generator || sig == nil || sig.Results().Len() != 2 {
		m.Result = types.NewStruct(nil, nil)
	} else {
		m.Result = sig.Results().At(0).Type()
		if sig.Results().At(0).Name() != "" {
			m.Named = []*types.Var{sig.Results().At(0), sig.Results().At(1)}
		}
	}
	if decl != nil {
		if fn, ok := f.Info.Defs[decl.Name].(*types.Func); ok {
			fsig := fn.Type().(*types.Signature)
			for _, tps := range []*types.TypeParamList{fsig.RecvTypeParams(), fsig.TypeParams()} {
				for i := range tps.Len() {
					m.TypeParams = append(m.TypeParams, tps.At(i))
				}
			}
		}
	}
}

type innerLit struct {
	lit      *ast.FuncLit
	deferred bool
}

// innerLiterals lists the literals of body that become machines of their
// own: rt.Async literals, and deferred function literals that await.
// Literals nested deeper are found when those machines are lowered.
func (f *File) innerLiterals(lit *ast.FuncLit) []innerLit {
	var out []innerLit
	ast.Inspect(lit.Body, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.DeferStmt:
			if fl, ok := ast.Unparen(n.Call.Fun).(*ast.FuncLit); ok && hasAwait(f, fl.Body) {
				out = append(out, innerLit{lit: fl, deferred: true})
				for _, a := range n.Call.Args {
					ast.Inspect(a, func(n ast.Node) bool { return f.collectAsync(n, &out) })
				}
				return false
			}
		case *ast.CallExpr:
			return f.collectAsync(n, &out)
		}
		return true
	})
	return out
}

func (f *File) collectAsync(n ast.Node, out *[]innerLit) bool {
	call, ok := n.(*ast.CallExpr)
	if !ok {
		return true
	}
	if inner := asyncLit(f.Info, call); inner != nil {
		*out = append(*out, innerLit{lit: inner})
		return false
	}
	if inner := generatorLit(f.Info, call); inner != nil {
		*out = append(*out, innerLit{lit: inner})
		return false
	}
	return true
}

// captures lists the variables of enclosing functions the literal uses.
// One that is never assigned after its declaration (nor has its address
// taken) is copied into the machine, as gc does for closures; the others
// are shared through a pointer.
func (f *File) captures(m *Machine, names *namer) {
	seen := map[*types.Var]bool{}
	ast.Inspect(m.Lit.Body, func(n ast.Node) bool {
		id, ok := n.(*ast.Ident)
		if !ok {
			return true
		}
		v, ok := f.Info.Uses[id].(*types.Var)
		if !ok || seen[v] || v.IsField() || !f.isLocal(v) || within(v.Pos(), m.Lit) {
			return true
		}
		seen[v] = true
		m.Captures = append(m.Captures, &Capture{Obj: v, Name: v.Name(), ByRef: f.assigned[v]})
		return true
	})
}

// isLocal reports whether v is declared in a function (not at package
// level, of this package or another).
func (f *File) isLocal(v *types.Var) bool {
	return v.Pkg() != nil && v.Parent() != nil && v.Parent() != v.Pkg().Scope() && v.Parent() != types.Universe
}

func within(pos token.Pos, lit *ast.FuncLit) bool {
	return pos >= lit.Pos() && pos < lit.End()
}
