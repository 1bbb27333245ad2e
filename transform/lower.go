package transform

import (
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
)

// lowerer turns one async body into basic blocks. It only reads the user's
// syntax: every statement it makes is new, and refers to user subtrees.
type lowerer struct {
	f     *File
	info  *types.Info
	m     *Machine
	names *namer
	errs  *ErrorList

	cur        int    // block being filled; -1 after a jump
	term       []bool // per block: ends in a jump
	targets    []*target
	labels     map[string]*labelInfo
	pending    string    // label of the statement being lowered
	fallTo     int       // body of the next switch clause, for fallthrough
	lastAwait  ast.Stmt  // the await start emitted last
	lastResult *ResultOf // the await result emitted last
	loops      int       // depth of flattened loops around the current statement

	order     []*types.Var        // flattened variables in registration order
	declBlock map[*types.Var]int  // block that declares a flattened variable
	inLoop    map[*types.Var]bool // declared inside a flattened loop
}

// target is a flattened statement that break or continue may leave.
type target struct {
	label string
	brk   int // -1: break does not apply
	cont  int // -1: not a loop

	// For a range over rt.Each: the stream, closed by jumps that leave
	// the loop, and the labels declared inside its body.
	stream *ast.Ident
	inside map[string]bool
}

type labelInfo struct {
	block int
}

func newLowerer(f *File, m *Machine, names *namer, errs *ErrorList) *lowerer {
	return &lowerer{
		f: f, info: f.Info, m: m, names: names, errs: errs, cur: -1, fallTo: -1,
		labels:    map[string]*labelInfo{},
		declBlock: map[*types.Var]int{},
		inLoop:    map[*types.Var]bool{},
	}
}

// lower fills m.Blocks from the body; the last block is the exit state.
func (l *lowerer) lower() {
	entry := l.newBlock(l.m.Lit.Body.Lbrace)
	l.m.Exit = l.newBlock(l.m.Lit.Body.Rbrace)
	l.term[l.m.Exit] = true // rendered by emit: deferred calls, completion
	l.startBlock(entry)
	l.stmts(l.m.Lit.Body.List)
	if l.cur >= 0 && !l.term[l.cur] {
		// Falling off the end is a bare return (only deferred literals,
		// which have no results, can do it).
		l.jump(l.m.Exit)
	}
}

func (l *lowerer) newBlock(pos token.Pos) int {
	id := len(l.m.Blocks)
	l.m.Blocks = append(l.m.Blocks, &Block{ID: id, Pos: pos})
	l.term = append(l.term, false)
	return id
}

// startBlock makes id current, falling into it from the current block.
func (l *lowerer) startBlock(id int) {
	if l.cur >= 0 && !l.term[l.cur] {
		l.jump(id)
	}
	l.cur = id
}

// emit appends s to the current block, opening an unreachable one after a
// jump so that dead user code still compiles.
func (l *lowerer) emit(s ast.Stmt) {
	l.ensureBlock(s.Pos())
	b := l.m.Blocks[l.cur]
	b.Stmts = append(b.Stmts, s)
}

// ensureBlock opens an unreachable block after a jump, for statements
// that record successors before they emit.
func (l *lowerer) ensureBlock(pos token.Pos) {
	if l.cur < 0 {
		l.cur = l.newBlock(pos)
	}
}

// jump ends the current block with a transfer to block to.
func (l *lowerer) jump(to int) {
	s := &ast.BranchStmt{Tok: token.GOTO, Label: blockLabel(to)}
	l.m.Jumps[s] = to
	l.emit(s)
	l.addSucc(to)
	l.term[l.cur] = true
	l.cur = -1
}

// condJump ends the current block: to then if cond holds, else to els.
func (l *lowerer) condJump(cond ast.Expr, then, els int) {
	g := &ast.BranchStmt{Tok: token.GOTO, Label: blockLabel(then)}
	l.m.Jumps[g] = then
	l.emit(&ast.IfStmt{If: cond.Pos(), Cond: cond, Body: &ast.BlockStmt{List: []ast.Stmt{g}}})
	l.addSucc(then)
	l.jump(els)
}

// blockLabel names a block in jump markers, for dumps; the emitter
// renders jumps from m.Jumps, never from the label.
func blockLabel(id int) *ast.Ident { return ast.NewIdent(fmt.Sprintf("b%d", id)) }

func (l *lowerer) addSucc(to int) {
	b := l.m.Blocks[l.cur]
	b.Succ = append(b.Succ, to)
}

func (l *lowerer) stmts(list []ast.Stmt) {
	for _, s := range list {
		l.stmt(s)
	}
}

// stmt lowers one statement: await-free statements stay structured,
// the others are routed to the lowering of their kind.
func (l *lowerer) stmt(s ast.Stmt) {
	label := l.pending
	l.pending = ""
	switch s := s.(type) {
	case *ast.LabeledStmt:
		l.labeled(s)
		return
	case *ast.BranchStmt:
		l.branch(s)
		return
	}
	if !hasAwait(l.f, s) {
		l.leaf(s, label)
		return
	}
	switch s := s.(type) {
	case *ast.BlockStmt:
		l.stmts(s.List)
	case *ast.IfStmt:
		l.ifStmt(s)
	case *ast.ForStmt:
		l.forStmt(s, label)
	case *ast.RangeStmt:
		l.rangeStmt(s, label)
	case *ast.SwitchStmt:
		l.switchStmt(s, label)
	case *ast.TypeSwitchStmt:
		l.typeSwitch(s, label)
	case *ast.SelectStmt:
		l.selectStmt(s, label)
	default:
		l.simple(s)
	}
}

// leaf emits an await-free statement as written. Branches in it that
// leave it for a flattened statement become jumps, and the variables a
// simple statement declares join the flattened level.
func (l *lowerer) leaf(s ast.Stmt, label string) {
	l.ensureBlock(s.Pos())
	l.redirect(s, label)
	if label != "" && labelUsedInside(s, label) {
		s = &ast.LabeledStmt{Label: ast.NewIdent(label), Colon: s.Pos(), Stmt: s}
	}
	l.declare(s)
	l.emit(s)
	if terminates(l.info, s) {
		l.term[l.cur] = true
		l.cur = -1
	}
}

// terminates reports whether s is a terminating statement (Go spec), so
// that no jump follows it (vet would call the jump unreachable).
func terminates(info *types.Info, s ast.Stmt) bool {
	switch s := s.(type) {
	case *ast.ReturnStmt:
		return true
	case *ast.BranchStmt:
		return s.Tok == token.GOTO
	case *ast.ExprStmt:
		call, ok := ast.Unparen(s.X).(*ast.CallExpr)
		if !ok {
			return false
		}
		id, ok := ast.Unparen(call.Fun).(*ast.Ident)
		if !ok {
			return false
		}
		b, ok := info.Uses[id].(*types.Builtin)
		return ok && b.Name() == "panic"
	case *ast.BlockStmt:
		return len(s.List) > 0 && terminates(info, s.List[len(s.List)-1])
	case *ast.IfStmt:
		return s.Else != nil && terminates(info, s.Body) && terminates(info, s.Else)
	case *ast.LabeledStmt:
		return terminates(info, s.Stmt)
	case *ast.ForStmt:
		return s.Cond == nil && !hasBreak(s)
	}
	return false
}

// hasBreak reports whether a break may leave loop (conservatively: any
// break inside it that is not nested in another breakable statement, or
// any labeled break).
func hasBreak(loop ast.Stmt) bool {
	found := false
	ast.Inspect(loop, func(n ast.Node) bool {
		if b, ok := n.(*ast.BranchStmt); ok && b.Tok == token.BREAK {
			found = true
		}
		_, lit := n.(*ast.FuncLit)
		return !found && !lit
	})
	return found
}

// labeled starts a block for the label so gotos can reach it, and hands
// the label to the statement it names.
func (l *lowerer) labeled(s *ast.LabeledStmt) {
	li := l.label(s.Label.Name)
	l.startBlock(li.block)
	l.pending = s.Label.Name
	l.stmt(s.Stmt)
}

func (l *lowerer) label(name string) *labelInfo {
	li := l.labels[name]
	if li == nil {
		li = &labelInfo{block: l.newBlock(token.NoPos)}
		l.labels[name] = li
	}
	return li
}

// branch lowers break, continue, goto and fallthrough of the flattened
// level to jumps.
func (l *lowerer) branch(s *ast.BranchStmt) {
	if to, ok := l.branchTarget(s); ok {
		l.jump(to)
		return
	}
	l.errs.add(l.f.Fset, s.Pos(), "cannot resolve the target of "+s.Tok.String(), "")
}

// branchTarget finds the block a branch statement at the flattened level
// (or leaving structured code for it) goes to. A branch that leaves ranges
// over rt.Each goes through blocks that close their streams first.
func (l *lowerer) branchTarget(s *ast.BranchStmt) (int, bool) {
	switch s.Tok {
	case token.GOTO:
		return l.closing(l.label(s.Label.Name).block, l.leftFor(s.Label.Name)), true
	case token.FALLTHROUGH:
		return l.fallTo, l.fallTo >= 0
	}
	for i := len(l.targets) - 1; i >= 0; i-- {
		t := l.targets[i]
		if s.Label != nil && t.label != s.Label.Name {
			continue
		}
		if s.Tok == token.BREAK && t.brk >= 0 {
			return l.closing(t.brk, l.targets[i+1:]), true
		}
		if s.Tok == token.CONTINUE && t.cont >= 0 {
			return l.closing(t.cont, l.targets[i+1:]), true
		}
		if s.Label != nil {
			return 0, false
		}
	}
	return 0, false
}

// leftFor lists the targets a goto to label leaves: those whose body does
// not declare the label.
func (l *lowerer) leftFor(label string) []*target {
	for i, t := range l.targets {
		if t.stream != nil && !t.inside[label] {
			return l.targets[i:]
		}
	}
	return nil
}

// returnTarget is where a return goes: the exit, through the closing of
// every stream being ranged over.
func (l *lowerer) returnTarget() int { return l.closing(l.m.Exit, l.targets) }

// closing routes a jump to dest through the closing of the streams of the
// ranges over rt.Each among left (outermost first): innermost first.
func (l *lowerer) closing(dest int, left []*target) int {
	for _, t := range left { // each closing block goes on to the outer one's
		if t.stream != nil {
			dest = l.closeThen(t.stream, dest)
		}
	}
	return dest
}

// closeThen makes a block that awaits stream.Close() and goes to dest.
func (l *lowerer) closeThen(stream *ast.Ident, dest int) int {
	saved := l.cur
	b := l.newBlock(token.NoPos)
	l.cur = b
	close := &ast.CallExpr{Fun: &ast.SelectorExpr{X: stream, Sel: ast.NewIdent("Close")}}
	l.awaitFuture(close, types.NewStruct(nil, nil), close.Pos(), nil, nil, false)
	l.jump(dest)
	l.cur = saved
	return b
}

func (l *lowerer) push(t *target) { l.targets = append(l.targets, t) }
func (l *lowerer) pop()           { l.targets = l.targets[:len(l.targets)-1] }
