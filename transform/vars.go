package transform

import (
	"go/ast"
	"go/token"
	"go/types"
)

// The variables of the flattened level (declared by statements the
// lowering splits into blocks, plus temporaries) get a storage decision
// after lowering (see liveness.go). Everything else is left to Go.

// register records v as a variable of the flattened level declared in
// block (the current one if block < 0).
func (l *lowerer) register(v *types.Var, block int) {
	if _, ok := l.m.Vars[v]; ok || v.Name() == "_" {
		return
	}
	if block < 0 {
		block = l.cur
	}
	l.m.Vars[v] = &Var{Obj: v, Name: v.Name()} // final names: see nameVars
	l.order = append(l.order, v)
	l.declBlock[v] = block
	l.inLoop[v] = l.loops > 0
}

// declare registers the variables a simple statement of the flattened
// level declares.
func (l *lowerer) declare(s ast.Stmt) {
	switch s := s.(type) {
	case *ast.LabeledStmt:
		l.declare(s.Stmt)
	case *ast.AssignStmt:
		if s.Tok != token.DEFINE {
			return
		}
		for _, e := range s.Lhs {
			if v := l.definedVar(e); v != nil {
				l.register(v, -1)
			}
		}
	case *ast.DeclStmt:
		gd, ok := s.Decl.(*ast.GenDecl)
		if !ok || gd.Tok != token.VAR {
			return
		}
		for _, sp := range gd.Specs {
			for _, n := range sp.(*ast.ValueSpec).Names {
				if v, ok := l.info.Defs[n].(*types.Var); ok {
					l.register(v, -1)
				}
			}
		}
	}
}

// definedVar returns the variable e declares, if e is a defining
// identifier (of the user, or a temporary).
func (l *lowerer) definedVar(e ast.Expr) *types.Var {
	id, ok := e.(*ast.Ident)
	if !ok {
		return nil
	}
	if v, ok := l.m.Temps[id]; ok {
		return v
	}
	v, _ := l.info.Defs[id].(*types.Var)
	if v != nil && v.Name() == "_" {
		return nil
	}
	return v
}

// newTemp makes a temporary of type t, registered in the current block.
func (l *lowerer) newTemp(base string, t types.Type) *ast.Ident {
	v := types.NewVar(token.NoPos, l.f.Pkg, base, t)
	id := ast.NewIdent(base)
	l.m.Temps[id] = v
	l.register(v, -1)
	return id
}

// defineTemp emits "t := value" (or "var t T" when value is nil).
func (l *lowerer) defineTemp(base string, t types.Type, value ast.Expr) *ast.Ident {
	id := l.newTemp(base, t)
	if value == nil {
		l.emit(&ast.DeclStmt{Decl: &ast.GenDecl{Tok: token.VAR, Specs: []ast.Spec{&ast.ValueSpec{Names: []*ast.Ident{id}}}}})
		return id
	}
	l.emit(&ast.AssignStmt{Lhs: []ast.Expr{id}, Tok: token.DEFINE, Rhs: []ast.Expr{value}})
	return id
}

// varRef makes a new identifier standing for the user variable v.
func (l *lowerer) varRef(v *types.Var) *ast.Ident {
	id := ast.NewIdent(v.Name())
	l.m.Temps[id] = v
	return id
}

// smCall makes a call of a helper of package sm.
func (l *lowerer) smCall(name string, args ...ast.Expr) *ast.CallExpr {
	pkg := ast.NewIdent("sm")
	l.f.PkgRefs[pkg] = SMPath
	return &ast.CallExpr{Fun: &ast.SelectorExpr{X: pkg, Sel: ast.NewIdent(name)}, Args: args}
}

// typeOf is the type of a user expression or of a temporary.
func (l *lowerer) typeOf(e ast.Expr) types.Type {
	if id, ok := e.(*ast.Ident); ok {
		if v, ok := l.m.Temps[id]; ok {
			return v.Type()
		}
	}
	if tv, ok := l.info.Types[e]; ok {
		return tv.Type
	}
	return nil
}

// declaredHere moves the declaration of temporaries made before an await
// to the block that sets them (the resume block).
func (l *lowerer) declaredHere(ids ...*ast.Ident) {
	for _, id := range ids {
		if v, ok := l.m.Temps[id]; ok {
			l.declBlock[v] = l.cur
		}
	}
}
