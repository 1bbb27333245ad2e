package transform

import (
	"go/ast"
	"go/token"
	"go/types"
)

// Storage decisions, after lowering. A variable of the flattened level is
//
//   - a field if it is live on entry to a block that resumes after an
//     await (only those survive a suspension; named results are fields
//     too, since deferred calls and the exit state read them);
//   - a local at the top of Step if several blocks use it;
//   - a plain local of its block otherwise.
//
// A variable that a closure captures or whose address is taken, declared
// inside a flattened loop (or a cycle of gotos), is boxed: its storage
// holds a pointer to a fresh variable per declaration, which keeps Go's
// per-iteration semantics.
//
// Liveness is the textbook backward data flow over the block graph. Every
// block may panic into the exit block, so the exit's live-in flows into
// every block's live-out.
func (l *lowerer) decideStorage() {
	n := len(l.m.Blocks)
	use := make([]map[*types.Var]bool, n)
	def := make([]map[*types.Var]bool, n)
	blocksOf := map[*types.Var]map[int]bool{}
	for i, b := range l.m.Blocks {
		use[i], def[i] = map[*types.Var]bool{}, map[*types.Var]bool{}
		l.scanBlock(b, use[i], def[i])
		for v := range use[i] {
			addBlock(blocksOf, v, i)
		}
		for v := range def[i] {
			addBlock(blocksOf, v, i)
		}
	}
	for v, b := range l.declBlock {
		addBlock(blocksOf, v, b)
	}
	liveIn := l.solve(use, def)
	defer l.deadFields(liveIn)
	for v, st := range l.m.Vars {
		switch {
		case l.isNamedResult(v):
			st.Kind = InField
		case l.liveAtResume(v, liveIn):
			st.Kind = InField
		case len(blocksOf[v]) > 1:
			st.Kind = InStep
		default:
			st.Kind = InBlock
		}
		st.Boxed = st.Kind != InBlock && l.f.captured[v] && (l.inLoop[v] || l.onCycle(l.declBlock[v]))
	}
}

// onCycle reports whether block b can run again after it ran: it is in a
// loop of the block graph, made by a loop statement or by a backward goto.
// A variable declared there is a new variable each time.
func (l *lowerer) onCycle(b int) bool {
	if b < 0 {
		return false
	}
	seen := make([]bool, len(l.m.Blocks))
	stack := append([]int(nil), l.m.Blocks[b].Succ...)
	for len(stack) > 0 {
		x := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if x == b {
			return true
		}
		if !seen[x] {
			seen[x] = true
			stack = append(stack, l.m.Blocks[x].Succ...)
		}
	}
	return false
}

func addBlock(m map[*types.Var]map[int]bool, v *types.Var, b int) {
	if m[v] == nil {
		m[v] = map[int]bool{}
	}
	m[v][b] = true
}

func (l *lowerer) isNamedResult(v *types.Var) bool {
	for _, r := range l.m.Named {
		if r == v {
			return true
		}
	}
	return false
}

func (l *lowerer) liveAtResume(v *types.Var, liveIn []map[*types.Var]bool) bool {
	for i, b := range l.m.Blocks {
		if b.Resume && liveIn[i][v] {
			return true
		}
	}
	return false
}

// solve iterates live-in = use ∪ (live-out − def) to a fixed point.
func (l *lowerer) solve(use, def []map[*types.Var]bool) []map[*types.Var]bool {
	n := len(l.m.Blocks)
	liveIn := make([]map[*types.Var]bool, n)
	for i := range liveIn {
		liveIn[i] = map[*types.Var]bool{}
		for v := range use[i] {
			liveIn[i][v] = true
		}
	}
	for changed := true; changed; {
		changed = false
		for i := n - 1; i >= 0; i-- {
			succ := append([]int{l.m.Exit}, l.m.Blocks[i].Succ...)
			for _, s := range succ {
				for v := range liveIn[s] {
					if !def[i][v] && !liveIn[i][v] {
						liveIn[i][v] = true
						changed = true
					}
				}
			}
		}
	}
	return liveIn
}

// scanBlock collects the flattened variables a block uses and declares.
// Any mention that is not a declaration counts as a use (conservative:
// an assignment keeps a variable live, which only costs a field).
func (l *lowerer) scanBlock(b *Block, use, def map[*types.Var]bool) {
	for _, s := range b.Stmts {
		if aw, ok := l.m.AwaitAt[s]; ok {
			l.scanNode(aw.Future, use, def)
			continue
		}
		if r, ok := l.m.Results[s]; ok {
			for _, e := range []ast.Expr{r.Value, r.Err} {
				if v := l.definedVar(e); v != nil && l.declBlock[v] == b.ID {
					def[v] = true
				} else if e != nil {
					l.scanNode(e, use, def)
				}
			}
			continue
		}
		if lc, ok := l.m.Loops[s]; ok {
			for _, v := range lc.Vars {
				use[v] = true
			}
			continue
		}
		l.scanStmt(s, b.ID, use, def)
	}
}

// scanStmt records declarations made in this block before uses.
func (l *lowerer) scanStmt(s ast.Stmt, block int, use, def map[*types.Var]bool) {
	if as, ok := s.(*ast.AssignStmt); ok && as.Tok == token.DEFINE {
		for i, r := range as.Rhs {
			if l.spills(as, i) {
				// The spill itself evaluates the subexpression here.
				l.scanSubst(r, r, use, def)
				continue
			}
			l.scanNode(r, use, def)
		}
		for _, e := range as.Lhs {
			if v := l.definedVar(e); v != nil && l.declBlock[v] == block && !use[v] {
				def[v] = true
			} else {
				l.scanNode(e, use, def)
			}
		}
		return
	}
	if ds, ok := s.(*ast.DeclStmt); ok {
		if gd, ok := ds.Decl.(*ast.GenDecl); ok && gd.Tok == token.VAR {
			for _, sp := range gd.Specs {
				vs := sp.(*ast.ValueSpec)
				for _, e := range vs.Values {
					l.scanNode(e, use, def)
				}
				for _, n := range vs.Names {
					if v := l.definedVar(n); v != nil && l.declBlock[v] == block && !use[v] {
						def[v] = true
					}
				}
			}
			return
		}
	}
	l.scanNode(s, use, def)
}

// scanNode records every flattened variable mentioned in n (closures
// included: what they capture is used where they are made). A spilled
// subexpression is read through its temporary: its inside was evaluated
// where it was spilled, not here.
func (l *lowerer) scanNode(n ast.Node, use, def map[*types.Var]bool) {
	l.scanSubst(n, nil, use, def)
}

// spills reports whether the i-th value of a definition is a spilled
// subexpression being stored in its temporary.
func (l *lowerer) spills(as *ast.AssignStmt, i int) bool {
	if len(as.Lhs) != len(as.Rhs) {
		return false
	}
	id, ok := as.Lhs[i].(*ast.Ident)
	return ok && l.m.Subst[as.Rhs[i]] == id
}

// scanSubst is scanNode reading through the substitution of every
// spilled subexpression but defining, which is evaluated at n.
func (l *lowerer) scanSubst(n ast.Node, defining ast.Expr, use, def map[*types.Var]bool) {
	ast.Inspect(n, func(n ast.Node) bool {
		if e, ok := n.(ast.Expr); ok && e != defining {
			if t, ok := l.m.Subst[e]; ok {
				l.used(l.m.Temps[t], use, def)
				return false
			}
			if p, ok := l.m.Pairs[e]; ok {
				l.used(l.m.Temps[p[0]], use, def)
				l.used(l.m.Temps[p[1]], use, def)
				return false
			}
		}
		id, ok := n.(*ast.Ident)
		if !ok {
			return true
		}
		var v *types.Var
		if t, ok := l.m.Temps[id]; ok {
			v = t
		} else if u, ok := l.info.Uses[id].(*types.Var); ok {
			v = u
		} else if d, ok := l.info.Defs[id].(*types.Var); ok {
			v = d
		}
		if v != nil {
			l.used(v, use, def)
		}
		return true
	})
}

// used records a use of v, upward exposed unless the block declared v
// before it.
func (l *lowerer) used(v *types.Var, use, def map[*types.Var]bool) {
	if _, flat := l.m.Vars[v]; flat && !def[v] {
		use[v] = true
	}
}

// deadFields lists, at each await, the fields that hold pointers and are
// not live when the machine resumes. Variables that closures capture or
// whose address is taken are never cleared: a closure call or a pointer
// may read them where the block graph shows no use.
func (l *lowerer) deadFields(liveIn []map[*types.Var]bool) {
	for _, b := range l.m.Blocks {
		for _, s := range b.Stmts {
			aw, ok := l.m.AwaitAt[s]
			if !ok {
				continue
			}
			for _, v := range l.order {
				st := l.m.Vars[v]
				if st.Kind != InField || l.f.captured[v] || l.isNamedResult(v) || !hasPointers(v.Type()) {
					continue
				}
				if !liveIn[aw.Resume][v] {
					aw.Clear = append(aw.Clear, v)
				}
			}
		}
	}
}

// hasPointers reports whether a value of type t may hold a pointer.
func hasPointers(t types.Type) bool {
	switch u := t.Underlying().(type) {
	case *types.Basic:
		return u.Kind() == types.String || u.Kind() == types.UnsafePointer
	case *types.Array:
		return hasPointers(u.Elem())
	case *types.Struct:
		for i := range u.NumFields() {
			if hasPointers(u.Field(i).Type()) {
				return true
			}
		}
		return false
	}
	return true
}
