package transform

import (
	"go/ast"
	"go/token"
	"go/types"
)

// analyse computes, for the whole file, which variables are assigned after
// their declaration or have their address taken (assigned: a capture of
// such a variable must be shared), and which are used by a function
// literal other than the one declaring them, or addressed (captured: such
// a variable, if declared in a loop, must be boxed).
func (f *File) analyse() {
	f.assigned = map[*types.Var]bool{}
	f.captured = map[*types.Var]bool{}
	ast.Inspect(f.Syntax, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.AssignStmt:
			for _, e := range n.Lhs {
				if n.Tok == token.DEFINE {
					if id, ok := e.(*ast.Ident); ok && f.Info.Defs[id] != nil {
						continue
					}
				}
				f.markAssigned(e)
			}
		case *ast.IncDecStmt:
			f.markAssigned(n.X)
		case *ast.RangeStmt:
			if n.Tok == token.ASSIGN {
				f.markAssigned(n.Key)
				f.markAssigned(n.Value)
			}
		case *ast.UnaryExpr:
			if n.Op == token.AND {
				f.markAddressed(n.X)
			}
		case *ast.SliceExpr:
			if _, isArray := coreType(f.typeOf(n.X)).(*types.Array); isArray {
				f.markAddressed(n.X) // a[i:j] takes &a
			}
		case *ast.SelectorExpr:
			f.pointerMethod(n)
		case *ast.FuncLit:
			f.markCaptured(n)
			f.markResults(n.Type)
		case *ast.FuncDecl:
			f.markResults(n.Type)
		}
		return true
	})
}

func (f *File) typeOf(e ast.Expr) types.Type {
	if tv, ok := f.Info.Types[e]; ok {
		return tv.Type
	}
	return types.Typ[types.Invalid]
}

// pointerMethod marks x in x.M when M has a pointer receiver and x is not a
// pointer: the call takes x's address, which the method (or the future it
// returns) may keep.
func (f *File) pointerMethod(sel *ast.SelectorExpr) {
	s, ok := f.Info.Selections[sel]
	if !ok || (s.Kind() != types.MethodVal) {
		return
	}
	sig := s.Obj().Type().(*types.Signature)
	if sig.Recv() == nil {
		return
	}
	if _, ptrRecv := sig.Recv().Type().(*types.Pointer); !ptrRecv {
		return
	}
	if _, ptrX := coreType(f.typeOf(sel.X)).(*types.Pointer); ptrX {
		return
	}
	f.markAddressed(sel.X)
}

// markAddressed marks the variable whose address e takes: it may change
// behind the body's back, and a pointer may read it where the block graph
// shows no use (so it is never cleared as dead, and boxed in loops).
func (f *File) markAddressed(e ast.Expr) {
	if v := f.rootVar(e); v != nil {
		f.assigned[v] = true
		f.captured[v] = true
	}
}

// markResults marks named results as assigned: a return with values
// assigns them, before the deferred calls that may read them run.
func (f *File) markResults(t *ast.FuncType) {
	if t.Results == nil {
		return
	}
	for _, field := range t.Results.List {
		for _, name := range field.Names {
			if v, ok := f.Info.Defs[name].(*types.Var); ok {
				f.assigned[v] = true
			}
		}
	}
}

func (f *File) markAssigned(e ast.Expr) {
	if v := f.rootVar(e); v != nil {
		f.assigned[v] = true
	}
}

// rootVar is the variable whose storage an assignment to e changes.
func (f *File) rootVar(e ast.Expr) *types.Var {
	switch e := e.(type) {
	case *ast.Ident:
		v, _ := f.Info.Uses[e].(*types.Var)
		if v == nil {
			v, _ = f.Info.Defs[e].(*types.Var)
		}
		return v
	case *ast.ParenExpr:
		return f.rootVar(e.X)
	case *ast.SelectorExpr:
		if _, ptr := coreType(f.typeOf(e.X)).(*types.Pointer); ptr {
			return nil
		}
		return f.rootVar(e.X)
	case *ast.IndexExpr:
		if _, arr := coreType(f.typeOf(e.X)).(*types.Array); arr {
			return f.rootVar(e.X)
		}
	}
	return nil
}

// markCaptured marks the variables lit uses that are declared outside it.
func (f *File) markCaptured(lit *ast.FuncLit) {
	ast.Inspect(lit.Body, func(n ast.Node) bool {
		if id, ok := n.(*ast.Ident); ok {
			if v, ok := f.Info.Uses[id].(*types.Var); ok && !v.IsField() && !within(v.Pos(), lit) {
				f.captured[v] = true
			}
		}
		return true
	})
}
