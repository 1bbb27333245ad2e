package transform

import (
	"go/ast"
	"go/token"
)

// redirect finds the branch statements of an await-free statement that
// leave it for a flattened statement, and records where they jump
// (m.Redirs). Branches to statements inside s stay Go branches. It also
// records the returns of the body (m.Returns) on the way, and adds the
// jumps to the successors of the current block. label is the
// label of s, if any: branches naming it stay inside.
func (l *lowerer) redirect(s ast.Stmt, label string) {
	w := &branchWalker{l: l, root: s}
	if label != "" {
		w.enter(s, label, func() { w.stmt(s) })
		return
	}
	w.stmt(s)
}

type branchWalker struct {
	l     *lowerer
	root  ast.Stmt
	scope []ast.Stmt // enclosing structured statements inside the leaf
	names []string   // their labels ("" if none)
}

func (w *branchWalker) stmt(s ast.Stmt) {
	switch s := s.(type) {
	case nil:
	case *ast.ReturnStmt:
		w.l.m.Returns[s] = true
		if to := w.l.returnTarget(); to != w.l.m.Exit {
			w.l.m.ReturnTo[s] = to
			w.l.addSucc(to)
		}
	case *ast.BranchStmt:
		if !w.inside(s) {
			if to, ok := w.l.branchTarget(s); ok {
				w.l.m.Redirs[s] = to
				w.l.addSucc(to) // liveness must see the jump
			} else {
				w.l.errs.add(w.l.f.Fset, s.Pos(), "cannot resolve the target of "+s.Tok.String(), "")
			}
		}
	case *ast.LabeledStmt:
		w.enter(s.Stmt, s.Label.Name, func() { w.stmt(s.Stmt) })
	case *ast.BlockStmt:
		w.list(s.List)
	case *ast.IfStmt:
		w.stmt(s.Init)
		w.list(s.Body.List)
		w.stmt(s.Else)
	case *ast.ForStmt:
		w.enter(s, "", func() { w.stmt(s.Init); w.stmt(s.Post); w.list(s.Body.List) })
	case *ast.RangeStmt:
		w.enter(s, "", func() { w.list(s.Body.List) })
	case *ast.SwitchStmt:
		w.enter(s, "", func() { w.stmt(s.Init); w.clauses(s.Body) })
	case *ast.TypeSwitchStmt:
		w.enter(s, "", func() { w.stmt(s.Init); w.clauses(s.Body) })
	case *ast.SelectStmt:
		w.enter(s, "", func() { w.clauses(s.Body) })
	}
}

func (w *branchWalker) list(list []ast.Stmt) {
	for _, s := range list {
		w.stmt(s)
	}
}

func (w *branchWalker) clauses(body *ast.BlockStmt) {
	for _, c := range body.List {
		switch c := c.(type) {
		case *ast.CaseClause:
			w.list(c.Body)
		case *ast.CommClause:
			w.list(c.Body)
		}
	}
}

// enter walks the inside of s with s (labeled name) in scope. A labeled
// statement pushes its label and then the statement itself pushes again:
// the label entry only matters for labeled branches and gotos.
func (w *branchWalker) enter(s ast.Stmt, name string, walk func()) {
	w.scope = append(w.scope, s)
	w.names = append(w.names, name)
	walk()
	w.scope = w.scope[:len(w.scope)-1]
	w.names = w.names[:len(w.names)-1]
}

// inside reports whether the branch's target is within the leaf.
func (w *branchWalker) inside(b *ast.BranchStmt) bool {
	if b.Label != nil {
		for _, n := range w.names {
			if n == b.Label.Name {
				return true
			}
		}
		return b.Tok == token.GOTO && w.declares(w.root, b.Label.Name)
	}
	for i := len(w.scope) - 1; i >= 0; i-- {
		switch w.scope[i].(type) {
		case *ast.ForStmt, *ast.RangeStmt:
			return true
		case *ast.SwitchStmt, *ast.TypeSwitchStmt, *ast.SelectStmt:
			if b.Tok == token.BREAK || b.Tok == token.FALLTHROUGH {
				return true
			}
		}
	}
	return false
}

func (w *branchWalker) declares(s ast.Stmt, name string) bool {
	found := false
	ast.Inspect(s, func(n ast.Node) bool {
		if _, ok := n.(*ast.FuncLit); ok {
			return false
		}
		if ls, ok := n.(*ast.LabeledStmt); ok && ls.Label.Name == name {
			found = true
		}
		return !found
	})
	return found
}

// labelUsedInside reports whether a branch inside s names label.
func labelUsedInside(s ast.Stmt, label string) bool {
	used := false
	ast.Inspect(s, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.FuncLit:
			return false
		case *ast.BranchStmt:
			if n.Label != nil && n.Label.Name == label {
				used = true
			}
		}
		return !used
	})
	return used
}
