package transform

import (
	"go/ast"
	"go/token"
	"go/types"
	"strings"
)

// simple lowers a simple statement that awaits: its awaits (and the calls
// evaluated before them) are spilled into temporaries in gc's order, and
// the statement is emitted reading them. Awaits whose two results are
// assigned or returned directly go straight into their targets.
func (l *lowerer) simple(s ast.Stmt) {
	switch s := s.(type) {
	case *ast.ExprStmt:
		if call, ok := ast.Unparen(s.X).(*ast.CallExpr); ok && isAwaitCall(l.f, call) {
			l.spillOperands(call.Args[0])
			l.await(call, nil, nil, rtCallee(l.info, call) == "Try")
			return
		}
		l.spill(s.X)
	case *ast.AssignStmt:
		if l.directAwait(s) {
			return
		}
		l.spill(append(targetOperands(s.Lhs), s.Rhs...)...)
	case *ast.ReturnStmt:
		if len(s.Results) == 1 {
			if call, ok := ast.Unparen(s.Results[0]).(*ast.CallExpr); ok && rtCallee(l.info, call) == "Await" {
				l.returnAwait(s, call)
				return
			}
		}
		l.spill(s.Results...)
	case *ast.DeclStmt:
		if gd, ok := s.Decl.(*ast.GenDecl); ok {
			for _, sp := range gd.Specs {
				if vs, ok := sp.(*ast.ValueSpec); ok {
					l.spill(vs.Values...)
				}
			}
		}
	case *ast.IncDecStmt:
		l.spill(targetOperands([]ast.Expr{s.X})...)
	case *ast.SendStmt:
		l.spill(s.Chan, s.Value)
	case *ast.GoStmt:
		l.spill(append([]ast.Expr{s.Call.Fun}, s.Call.Args...)...)
	case *ast.DeferStmt:
		if isAwaitCall(l.f, s.Call) {
			l.spill(s.Call.Args...)
		} else {
			l.spillOperands(s.Call)
		}
	default:
		l.errs.add(l.f.Fset, s.Pos(), "cannot lower this statement with an await inside", "move the await into its own statement")
		return
	}
	l.leaf(s, "")
}

// directAwait lowers "v, err := rt.Await(f)" and "x := rt.Try(f)" (and =)
// without temporaries.
func (l *lowerer) directAwait(s *ast.AssignStmt) bool {
	if len(s.Rhs) != 1 || (s.Tok != token.DEFINE && s.Tok != token.ASSIGN) {
		return false
	}
	call, ok := ast.Unparen(s.Rhs[0]).(*ast.CallExpr)
	if !ok || !isAwaitCall(l.f, call) {
		return false
	}
	try := rtCallee(l.info, call) == "Try"
	l.spillAll(targetOperands(s.Lhs)...) // a[i()] = rt.Try(f): i() first
	l.spillOperands(call.Args[0])
	var value, err ast.Expr
	switch {
	case try && len(s.Lhs) == 1:
		value = s.Lhs[0]
	case !try && len(s.Lhs) == 2:
		value, err = s.Lhs[0], s.Lhs[1]
	default:
		return false
	}
	l.await(call, value, err, try)
	if s.Tok == token.DEFINE {
		for _, e := range s.Lhs {
			if v := l.definedVar(e); v != nil {
				l.register(v, -1) // in the resume block, where it is set
			}
		}
	}
	return true
}

// returnAwait lowers "return rt.Await(f)".
func (l *lowerer) returnAwait(s *ast.ReturnStmt, call *ast.CallExpr) {
	l.spillOperands(call.Args[0])
	t := l.futureType(call)
	v := l.newTemp("result", t)
	e := l.newTemp("err", types.Universe.Lookup("error").Type())
	l.await(call, v, e, false)
	l.declaredHere(v, e)
	ret := &ast.ReturnStmt{Return: s.Return, Results: []ast.Expr{v, e}}
	l.m.Returns[ret] = true
	if to := l.returnTarget(); to != l.m.Exit {
		l.m.ReturnTo[ret] = to
	}
	l.emit(ret)
	l.term[l.cur] = true
	l.cur = -1
}

// await ends the current block with the start of an await and opens the
// block that reads its result into value and err (nil: discarded). With
// try, an error fails the body instead. A yield awaits the generator's
// handoff of its argument.
func (l *lowerer) await(call *ast.CallExpr, value, err ast.Expr, try bool) {
	if l.f.isYield(call) {
		l.awaitFuture(call.Args[0], types.Typ[types.Bool], call.Pos(), value, err, false)
		l.m.AwaitAt[l.lastAwait].Yield = true
		return
	}
	l.awaitFuture(call.Args[0], l.futureType(call), call.Pos(), value, err, try)
	l.lastResult.Owned = ownedFuture(l.info, call.Args[0])
}

// awaitFuture awaits the future expression fut of element type t.
func (l *lowerer) awaitFuture(fut ast.Expr, t types.Type, pos token.Pos, value, err ast.Expr, try bool) {
	slot := l.slot(t)
	resume := l.newBlock(pos)
	l.m.Blocks[resume].Resume = true
	start := &ast.EmptyStmt{Semicolon: pos, Implicit: true}
	l.m.AwaitAt[start] = &Await{Future: fut, Slot: slot, Resume: resume, Pos: pos}
	l.lastAwait = start
	l.emit(start)
	l.addSucc(resume)
	l.term[l.cur] = true
	l.cur = resume
	res := &ast.EmptyStmt{Semicolon: pos, Implicit: true}
	l.lastResult = &ResultOf{Slot: slot, Value: value, Err: err, Try: try}
	l.m.Results[res] = l.lastResult
	l.emit(res)
}

// futureType is T for rt.Await(f) or rt.Try(f) with f a Future[T].
func (l *lowerer) futureType(call *ast.CallExpr) types.Type {
	if l.f.isYield(call) {
		return types.Typ[types.Bool]
	}
	if t := futureElem(l.typeOf(call.Args[0])); t != nil {
		return t
	}
	switch t := l.typeOf(call).(type) {
	case *types.Tuple:
		return t.At(0).Type()
	default:
		return t
	}
}

// slot returns the await field for futures of type t, one per type.
func (l *lowerer) slot(t types.Type) *AwaitSlot {
	for _, s := range l.m.Awaits {
		if types.Identical(s.Type, t) {
			return s
		}
	}
	s := &AwaitSlot{Name: "await" + typeWord(t), Type: t}
	l.m.Awaits = append(l.m.Awaits, s)
	return s
}

// typeWord names a type in a field name: awaitString, awaitUser, awaitDone.
func typeWord(t types.Type) string {
	switch t := types.Unalias(t).(type) {
	case *types.Basic:
		return upperFirst(t.Name())
	case *types.Named:
		return upperFirst(t.Obj().Name())
	case *types.Struct:
		if t.NumFields() == 0 {
			return "Done"
		}
	case *types.Pointer:
		return typeWord(t.Elem())
	case *types.Slice:
		return typeWord(t.Elem()) + "s"
	}
	return ""
}

func upperFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}
