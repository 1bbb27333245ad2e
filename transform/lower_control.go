package transform

import (
	"go/ast"
	"go/token"
	"go/types"
)

// ifStmt:
//
//	if init; cond { A } else { B }
//
// becomes
//
//	init; [spill cond]; if cond { goto then }; goto else
//	then: A; goto end
//	else: B; goto end
//	end:
func (l *lowerer) ifStmt(s *ast.IfStmt) {
	if s.Init != nil {
		l.stmt(s.Init)
	}
	l.spill(s.Cond)
	then := l.newBlock(s.Body.Lbrace)
	els := -1
	if s.Else != nil {
		els = l.newBlock(s.Else.Pos())
	}
	end := l.newBlock(s.End())
	if els < 0 {
		l.condJump(s.Cond, then, end)
	} else {
		l.condJump(s.Cond, then, els)
	}
	l.startBlock(then)
	l.stmts(s.Body.List)
	l.startBlock(end)
	if els >= 0 {
		l.cur = -1
		l.startBlock(els)
		l.stmt(s.Else)
		l.startBlock(end)
	}
}

// forStmt:
//
//	for init; cond; post { B }
//
// becomes
//
//	init
//	head: [spill cond]; if cond { goto body }; goto end
//	body: B; goto post           (continue: goto post; break: goto end)
//	post: renew boxed loop variables; post; goto head
//	end:
func (l *lowerer) forStmt(s *ast.ForStmt, label string) {
	l.loops++
	if s.Init != nil {
		l.stmt(s.Init)
	}
	head := l.newBlock(s.For)
	body := l.newBlock(s.Body.Lbrace)
	post := head
	if s.Post != nil {
		post = l.newBlock(s.Post.Pos())
	}
	end := l.newBlock(s.End())
	l.startBlock(head)
	if s.Cond != nil {
		l.spill(s.Cond)
		l.condJump(s.Cond, body, end)
	}
	l.push(&target{label: label, brk: end, cont: post})
	l.startBlock(body)
	l.stmts(s.Body.List)
	l.pop()
	if s.Post != nil {
		l.startBlock(post)
		l.loopCopy(s.Init)
		l.stmt(s.Post)
		l.jump(head)
	} else {
		l.startBlock(head)
	}
	l.loops--
	l.cur = -1
	l.startBlock(end)
}

// loopCopy gives the next iteration fresh copies of the variables the
// init statement declared (Go 1.22); it matters only for boxed ones.
func (l *lowerer) loopCopy(init ast.Stmt) {
	as, ok := init.(*ast.AssignStmt)
	if !ok || as.Tok != token.DEFINE {
		return
	}
	var vars []*types.Var
	for _, lhs := range as.Lhs {
		if v := l.definedVar(lhs); v != nil {
			vars = append(vars, v)
		}
	}
	if len(vars) > 0 {
		marker := &ast.EmptyStmt{Semicolon: init.Pos(), Implicit: true}
		l.m.Loops[marker] = &LoopCopy{Vars: vars}
		l.emit(marker)
	}
}

// switchStmt lowers an expression switch to a chain of tests, so that case
// expressions that await are evaluated lazily, top to bottom:
//
//	init; tag := x
//	if tag == e1 { goto body1 }; ...; goto default (or end)
//	bodyN: ...; goto end        (fallthrough: goto bodyN+1)
func (l *lowerer) switchStmt(s *ast.SwitchStmt, label string) {
	if s.Init != nil {
		l.stmt(s.Init)
	}
	var tag *ast.Ident
	if s.Tag != nil {
		l.spill(s.Tag)
		tag = l.defineTemp("tag", l.typeOf(s.Tag), s.Tag)
		if !hasCaseList(s.Body.List) {
			// Only a default clause: the tag is evaluated for its
			// effects and never compared.
			l.emit(&ast.AssignStmt{Lhs: []ast.Expr{ast.NewIdent("_")}, Tok: token.ASSIGN, Rhs: []ast.Expr{tag}})
		}
	}
	clauses := s.Body.List
	bodies := make([]int, len(clauses))
	for i, c := range clauses {
		bodies[i] = l.newBlock(c.(*ast.CaseClause).Colon)
	}
	end := l.newBlock(s.End())
	dflt := end
	for i, c := range clauses {
		cc := c.(*ast.CaseClause)
		if cc.List == nil {
			dflt = bodies[i]
			continue
		}
		for _, e := range cc.List {
			l.spill(e)
			cond := e
			if tag != nil {
				cond = &ast.BinaryExpr{X: tag, OpPos: e.Pos(), Op: token.EQL, Y: e}
			}
			next := l.newBlock(e.End())
			l.condJump(cond, bodies[i], next)
			l.startBlock(next)
		}
	}
	l.jump(dflt)
	l.clauseBodies(clauses, bodies, end, label)
}

// hasCaseList reports whether some clause of a switch is not the default.
func hasCaseList(clauses []ast.Stmt) bool {
	for _, c := range clauses {
		if c.(*ast.CaseClause).List != nil {
			return true
		}
	}
	return false
}

// clauseBodies lowers the bodies of switch clauses, each ending in a jump
// to end unless it falls through. A switch nested in a clause body sets
// its own fallthrough targets, so the enclosing one is restored after.
func (l *lowerer) clauseBodies(clauses []ast.Stmt, bodies []int, end int, label string) {
	outerFallTo := l.fallTo
	defer func() { l.fallTo = outerFallTo }()
	l.push(&target{label: label, brk: end, cont: -1})
	for i, c := range clauses {
		cc := c.(*ast.CaseClause)
		l.fallTo = -1
		if i+1 < len(bodies) {
			l.fallTo = bodies[i+1]
		}
		l.cur = -1
		l.startBlock(bodies[i])
		l.stmts(cc.Body)
		l.startBlock(end)
		l.cur = -1
	}
	l.pop()
	l.startBlock(end)
}

// typeSwitch keeps a structured switch that only dispatches, binding the
// clause's variable, and lowers the clause bodies:
//
//	switch v := x.(type) { case A: a = v; goto bodyA; ... }
func (l *lowerer) typeSwitch(s *ast.TypeSwitchStmt, label string) {
	if s.Init != nil {
		l.stmt(s.Init)
	}
	var x ast.Expr
	bound := false
	switch a := s.Assign.(type) {
	case *ast.AssignStmt:
		x = a.Rhs[0].(*ast.TypeAssertExpr).X
		bound = true
	case *ast.ExprStmt:
		x = a.X.(*ast.TypeAssertExpr).X
	}
	l.spill(x)
	l.ensureBlock(s.Pos())
	clauses := s.Body.List
	bodies := make([]int, len(clauses))
	for i, c := range clauses {
		bodies[i] = l.newBlock(c.(*ast.CaseClause).Colon)
	}
	end := l.newBlock(s.End())
	tv := ast.NewIdent(l.names.fresh("typed"))
	var dispatch []ast.Stmt
	hasDefault := false
	for i, c := range clauses {
		cc := c.(*ast.CaseClause)
		hasDefault = hasDefault || cc.List == nil
		var body []ast.Stmt
		obj, ok := l.info.Implicits[cc].(*types.Var)
		if mentioned, read := l.uses(obj, cc.Body); ok && bound && mentioned {
			id := l.varRef(obj)
			l.register(obj, bodies[i])
			body = append(body, &ast.AssignStmt{Lhs: []ast.Expr{id}, Tok: token.DEFINE, Rhs: []ast.Expr{tv}})
			if !read {
				body = append(body, &ast.AssignStmt{Lhs: []ast.Expr{ast.NewIdent("_")}, Tok: token.ASSIGN, Rhs: []ast.Expr{l.varRef(obj)}})
			}
		}
		g := &ast.BranchStmt{Tok: token.GOTO, Label: blockLabel(bodies[i])}
		l.m.Jumps[g] = bodies[i]
		l.addSucc(bodies[i])
		body = append(body, g)
		dispatch = append(dispatch, &ast.CaseClause{Case: cc.Case, List: cc.List, Colon: cc.Colon, Body: body})
	}
	var assign ast.Stmt = &ast.ExprStmt{X: &ast.TypeAssertExpr{X: x}}
	if bound {
		assign = &ast.AssignStmt{Lhs: []ast.Expr{tv}, Tok: token.DEFINE, Rhs: []ast.Expr{&ast.TypeAssertExpr{X: x}}}
	}
	l.emit(&ast.TypeSwitchStmt{Switch: s.Switch, Assign: assign, Body: &ast.BlockStmt{List: dispatch}})
	if hasDefault {
		l.term[l.cur] = true
		l.cur = -1
	} else {
		l.jump(end)
	}
	l.clauseBodies(clauses, bodies, end, label)
}

// uses reports whether a statement of list mentions v, and whether one
// reads it (mentions it other than as the whole target of an assignment).
// A clause that does not mention the type switch's variable must not bind
// it, and one that only assigns it must read it once: Go counts the uses
// of every clause together, but the lowered binding is the clause's own.
func (l *lowerer) uses(v *types.Var, list []ast.Stmt) (mentioned, read bool) {
	targets := map[*ast.Ident]bool{}
	for _, s := range list {
		ast.Inspect(s, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.AssignStmt:
				if n.Tok == token.ASSIGN || n.Tok == token.DEFINE {
					for _, e := range n.Lhs {
						if id, ok := e.(*ast.Ident); ok {
							targets[id] = true
						}
					}
				}
			case *ast.Ident:
				if l.info.Uses[n] == v {
					mentioned = true
					read = read || !targets[n]
				}
			}
			return !read
		})
	}
	return mentioned, read
}

// selectStmt keeps a structured select that only dispatches, binding the
// received values to the clause's variables, and lowers the clause bodies:
//
//	select { case v := <-ch: A; default: B }
//
// becomes
//
//	select { case r := <-ch: v := r; goto bodyA; default: goto bodyB }
//
// Awaits in the channel or value operands are refused: select evaluates
// them all before choosing, and suspending in the middle would not.
func (l *lowerer) selectStmt(s *ast.SelectStmt, label string) {
	for _, c := range s.Body.List {
		if cc := c.(*ast.CommClause); cc.Comm != nil && hasAwait(l.f, cc.Comm) {
			l.errs.add(l.f.Fset, cc.Comm.Pos(), "await in a select case's channel or value", "await it before the select")
			return
		}
	}
	clauses := s.Body.List
	bodies := make([]int, len(clauses))
	for i, c := range clauses {
		bodies[i] = l.newBlock(c.(*ast.CommClause).Colon)
	}
	end := l.newBlock(s.End())
	l.ensureBlock(s.Pos())
	var dispatch []ast.Stmt
	for i, c := range clauses {
		cc := c.(*ast.CommClause)
		comm, bind := l.rebindComm(cc.Comm, bodies[i])
		g := &ast.BranchStmt{Tok: token.GOTO, Label: blockLabel(bodies[i])}
		l.m.Jumps[g] = bodies[i]
		l.addSucc(bodies[i])
		dispatch = append(dispatch, &ast.CommClause{Case: cc.Case, Comm: comm, Colon: cc.Colon, Body: append(bind, g)})
	}
	l.emit(&ast.SelectStmt{Select: s.Select, Body: &ast.BlockStmt{List: dispatch}})
	l.term[l.cur] = true
	l.cur = -1
	wrapped := make([]ast.Stmt, len(clauses))
	for i, c := range clauses {
		wrapped[i] = &ast.CaseClause{Colon: c.(*ast.CommClause).Colon, Body: c.(*ast.CommClause).Body}
	}
	l.clauseBodies(wrapped, bodies, end, label)
}

// rebindComm turns "v, ok := <-ch" into "r, r2 := <-ch" plus the
// statements "v, ok := r, r2" that bind the clause's variables (which
// the body, in another block, uses). Other forms stay as they are.
func (l *lowerer) rebindComm(comm ast.Stmt, body int) (ast.Stmt, []ast.Stmt) {
	as, ok := comm.(*ast.AssignStmt)
	if !ok || as.Tok != token.DEFINE {
		return comm, nil
	}
	var fresh, vars []ast.Expr
	for _, e := range as.Lhs {
		v := l.definedVar(e)
		if v == nil {
			fresh = append(fresh, ast.NewIdent("_"))
			continue
		}
		r := ast.NewIdent(l.names.fresh("received"))
		fresh = append(fresh, r)
		l.register(v, body)
		id := l.varRef(v)
		vars = append(vars, id)
		_ = r
	}
	if len(vars) == 0 {
		return &ast.ExprStmt{X: as.Rhs[0]}, nil
	}
	var lhs, rhs []ast.Expr
	for i, e := range as.Lhs {
		if l.definedVar(e) != nil {
			lhs = append(lhs, vars[len(lhs)])
			rhs = append(rhs, fresh[i])
		}
	}
	recv := &ast.AssignStmt{Lhs: fresh, TokPos: as.TokPos, Tok: token.DEFINE, Rhs: as.Rhs}
	return recv, []ast.Stmt{&ast.AssignStmt{Lhs: lhs, Tok: token.DEFINE, Rhs: rhs}}
}
