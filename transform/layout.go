package transform

import (
	"go/ast"
	"go/types"
)

// layout names and orders the struct fields and Step locals: registration
// order, which follows the source, so output is deterministic.
func (l *lowerer) layout() {
	l.nameVars()
	for _, v := range l.order {
		st := l.m.Vars[v]
		switch st.Kind {
		case InField:
			l.m.Fields = append(l.m.Fields, st)
		case InStep:
			l.m.Locals = append(l.m.Locals, st)
		}
	}
}

// checkStorage refuses variables that must leave their block but whose
// type is declared inside the function: the machine's struct and Step
// method cannot name it.
func (l *lowerer) checkStorage() {
	for _, v := range l.order {
		st := l.m.Vars[v]
		if st.Kind == InBlock || !hasLocalType(v.Type(), l.f.Pkg) {
			continue
		}
		pos := v.Pos()
		if !pos.IsValid() {
			pos = l.m.Lit.Pos()
		}
		l.errs.add(l.f.Fset, pos, "variable "+v.Name()+" has a type declared inside the function and lives across an await",
			"declare the type at package level")
	}
}

// hasLocalType reports whether t mentions a named type declared in a
// function body.
func hasLocalType(t types.Type, pkg *types.Package) bool {
	seen := map[types.Type]bool{}
	var walk func(types.Type) bool
	walk = func(t types.Type) bool {
		if seen[t] {
			return false
		}
		seen[t] = true
		switch t := t.(type) {
		case *types.Named:
			obj := t.Obj()
			if obj.Pkg() != nil && obj.Parent() != nil && obj.Parent() != obj.Pkg().Scope() {
				return true
			}
			if args := t.TypeArgs(); args != nil {
				for i := range args.Len() {
					if walk(args.At(i)) {
						return true
					}
				}
			}
			return false
		case *types.Alias:
			return walk(types.Unalias(t))
		case *types.Pointer:
			return walk(t.Elem())
		case *types.Slice:
			return walk(t.Elem())
		case *types.Array:
			return walk(t.Elem())
		case *types.Map:
			return walk(t.Key()) || walk(t.Elem())
		case *types.Chan:
			return walk(t.Elem())
		case *types.Struct:
			for i := range t.NumFields() {
				if walk(t.Field(i).Type()) {
					return true
				}
			}
		case *types.Signature:
			for _, tu := range []*types.Tuple{t.Params(), t.Results()} {
				for i := range tu.Len() {
					if walk(tu.At(i).Type()) {
						return true
					}
				}
			}
		}
		return false
	}
	return walk(t)
}

// nameVars gives each variable of the flattened level its final name.
// Fields live in the struct's namespace: they only avoid each other and
// the names sm.Machine brings. Locals of Step must not shadow anything the
// body refers to, so they avoid every name the body uses for something
// else, and every package-level name.
func (l *lowerer) nameVars() {
	fields := &namer{taken: map[string]bool{"outerFrame": true, "gen": true}}
	for _, c := range l.m.Captures {
		c.Name = fields.fresh(c.Name)
	}
	for _, s := range l.m.Awaits {
		s.Name = fields.fresh(s.Name)
	}
	locals := &namer{taken: map[string]bool{l.m.Recv: true, l.m.Label: true, l.f.SMAlias: true}}
	for _, name := range l.f.Pkg.Scope().Names() {
		locals.taken[name] = true
	}
	for _, imp := range l.f.Syntax.Imports {
		if imp.Name != nil {
			locals.taken[imp.Name.Name] = true
		} else if pn, ok := l.f.Info.Implicits[imp]; ok {
			locals.taken[pn.Name()] = true
		}
	}
	ast.Inspect(l.m.Lit, func(n ast.Node) bool {
		id, ok := n.(*ast.Ident)
		if !ok {
			return true
		}
		obj := l.info.Uses[id]
		if obj == nil {
			obj = l.info.Defs[id]
		}
		if v, ok := obj.(*types.Var); ok {
			if _, flat := l.m.Vars[v]; flat {
				return true
			}
		}
		locals.taken[id.Name] = true
		return true
	})
	for _, v := range l.order {
		st := l.m.Vars[v]
		if st.Kind == InField {
			st.Name = fields.fresh(v.Name())
		} else {
			st.Name = locals.fresh(v.Name())
		}
	}
	for id, v := range l.m.Temps {
		if st, ok := l.m.Vars[v]; ok {
			id.Name = st.Name // synthesized identifiers: dumps show final names
		}
	}
}
