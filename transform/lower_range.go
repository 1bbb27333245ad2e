package transform

import (
	"go/ast"
	"go/token"
	"go/types"
)

// rangeStmt lowers a range loop whose body awaits. The range expression is
// evaluated once into a temporary and walked by a hidden index:
//
//	for k, v := range x { B }
//
// becomes
//
//	rx := x; i := 0
//	head: if i < len(rx) { goto body }; goto end
//	body: k, v := i, rx[i]; B; goto post
//	post: i++; goto head
//
// Strings step by rune (sm.RangeString); maps walk a snapshot of their keys
// and skip keys deleted meanwhile (sm.MapKeys); channels receive until
// closed; integers count. Function iterators are refused: their yield
// cannot suspend.
func (l *lowerer) rangeStmt(s *ast.RangeStmt, label string) {
	if stream := eachCall(l.info, s.X); stream != nil {
		l.eachStmt(s, stream, label)
		return
	}
	xt := l.typeOf(s.X)
	under := coreType(xt)
	if p, ok := under.(*types.Pointer); ok {
		under = coreType(p.Elem())
	}
	if _, ok := under.(*types.Signature); ok {
		l.errs.add(l.f.Fset, s.Pos(), "await inside range over a function iterator", "the iterator cannot suspend; collect the values first and range over the slice")
		return
	}
	l.loops++
	l.spill(s.X)
	rx := l.defineTemp("rangeOver", defaultType(xt), s.X)
	var keys *ast.Ident
	if _, ok := under.(*types.Map); ok {
		keys = l.defineTemp("keys", types.NewSlice(under.(*types.Map).Key()), l.smCall("MapKeys", rx))
	}
	var idx *ast.Ident
	if _, isChan := under.(*types.Chan); !isChan {
		var idxType types.Type = types.Typ[types.Int]
		if b, ok := under.(*types.Basic); ok && b.Info()&types.IsInteger != 0 {
			idxType = defaultType(xt)
		}
		idx = l.defineTemp("index", idxType, &ast.BasicLit{Kind: token.INT, Value: "0"})
	}
	head := l.newBlock(s.For)
	body := l.newBlock(s.Body.Lbrace)
	post := l.newBlock(s.Body.Rbrace)
	end := l.newBlock(s.End())
	l.startBlock(head)
	l.rangeHead(s, under, rx, keys, idx, body, post, end)
	l.push(&target{label: label, brk: end, cont: post})
	l.stmts(s.Body.List)
	l.pop()
	l.startBlock(post)
	l.rangePost(under, rx, idx, head)
	l.loops--
	l.cur = -1
	l.startBlock(end)
}

// rangeHead tests for the end and binds the iteration variables.
func (l *lowerer) rangeHead(s *ast.RangeStmt, under types.Type, rx, keys, idx *ast.Ident, body, post, end int) {
	switch u := under.(type) {
	case *types.Chan:
		var v ast.Expr = ast.NewIdent("_")
		if wants(s.Key) {
			v = l.defineTemp("received", u.Elem(), nil)
		}
		ok := l.defineTemp("ok", types.Typ[types.Bool], nil)
		l.emit(&ast.AssignStmt{Lhs: []ast.Expr{v, ok}, Tok: token.ASSIGN, Rhs: []ast.Expr{&ast.UnaryExpr{Op: token.ARROW, X: rx}}})
		l.condJump(ok, body, end)
		l.startBlock(body)
		l.bindRange(s, v, nil)
		return
	case *types.Map:
		l.condJump(less(idx, lenOf(keys)), body, end)
		l.startBlock(body)
		k := l.defineTemp("key", u.Key(), &ast.IndexExpr{X: keys, Index: idx})
		var val ast.Expr = ast.NewIdent("_")
		if wants(s.Value) {
			val = l.defineTemp("value", u.Elem(), nil)
		}
		present := l.defineTemp("present", types.Typ[types.Bool], nil)
		l.emit(&ast.AssignStmt{Lhs: []ast.Expr{val, present}, Tok: token.ASSIGN, Rhs: []ast.Expr{&ast.IndexExpr{X: rx, Index: k}}})
		visit := l.newBlock(s.Body.Lbrace)
		l.condJump(present, visit, post)
		l.startBlock(visit)
		l.bindRange(s, k, val)
		return
	case *types.Basic:
		if u.Info()&types.IsString != 0 {
			l.condJump(less(idx, lenOf(rx)), body, end)
			l.startBlock(body)
			var r ast.Expr = ast.NewIdent("_")
			if wants(s.Value) {
				r = l.defineTemp("r", types.Typ[types.Rune], nil)
			}
			next := l.defineTemp("next", types.Typ[types.Int], nil)
			l.emit(&ast.AssignStmt{Lhs: []ast.Expr{r, next}, Tok: token.ASSIGN, Rhs: []ast.Expr{l.smCall("RangeString", rx, idx)}})
			l.bindRange(s, idx, r)
			l.m.rangeNext[idx] = next
			return
		}
		l.condJump(less(idx, rx), body, end)
		l.startBlock(body)
		l.bindRange(s, idx, nil)
		return
	}
	l.condJump(less(idx, lenOf(rx)), body, end)
	l.startBlock(body)
	var elem ast.Expr
	if s.Value != nil && !isBlank(s.Value) {
		elem = &ast.IndexExpr{X: rx, Index: idx}
	}
	l.bindRange(s, idx, elem)
}

// bindRange assigns the iteration values to the loop's variables.
func (l *lowerer) bindRange(s *ast.RangeStmt, key, value ast.Expr) {
	var lhs, rhs []ast.Expr
	if s.Key != nil && !isBlank(s.Key) {
		lhs, rhs = append(lhs, s.Key), append(rhs, key)
	}
	if s.Value != nil && !isBlank(s.Value) && value != nil {
		lhs, rhs = append(lhs, s.Value), append(rhs, value)
	}
	if len(lhs) == 0 {
		return
	}
	tok := s.Tok
	as := &ast.AssignStmt{Lhs: lhs, TokPos: s.TokPos, Tok: tok, Rhs: rhs}
	l.declare(as)
	l.emit(as)
}

// rangePost advances the hidden index and loops.
func (l *lowerer) rangePost(under types.Type, rx, idx *ast.Ident, head int) {
	if idx != nil {
		if next, ok := l.m.rangeNext[idx]; ok {
			l.emit(&ast.AssignStmt{Lhs: []ast.Expr{idx}, Tok: token.ASSIGN, Rhs: []ast.Expr{next}})
		} else {
			l.emit(&ast.IncDecStmt{X: idx, Tok: token.INC})
		}
	}
	l.jump(head)
}

func less(x, y ast.Expr) ast.Expr { return &ast.BinaryExpr{X: x, Op: token.LSS, Y: y} }

func lenOf(x ast.Expr) ast.Expr {
	return &ast.CallExpr{Fun: ast.NewIdent("len"), Args: []ast.Expr{x}}
}

// wants reports whether a range loop uses the iteration value e.
func wants(e ast.Expr) bool { return e != nil && !isBlank(e) }

func isBlank(e ast.Expr) bool {
	id, ok := e.(*ast.Ident)
	return ok && id.Name == "_"
}

// coreType is the underlying type, seen through aliases.
func coreType(t types.Type) types.Type {
	return types.Unalias(t).Underlying()
}

// defaultType gives untyped constants their default type.
func defaultType(t types.Type) types.Type {
	return types.Default(t)
}

// eachStmt lowers a range over rt.Each(s), an await of s.Next() per step:
//
//	for v, err := range rt.Each(s) { B }
//
// becomes
//
//	stream := s
//	head: [await stream.Next() into next, nerr]
//	      if sm.IsEOF(nerr) { goto end }; goto body
//	body: v, err := next, nerr; B; goto post
//	post: if nerr != nil { goto end }; goto head    (a failure ends the loop)
//	closed: [await stream.Close()]; goto end        (break)
//	end:
//
// break, return, goto and continue of an outer loop leave through blocks
// that close the stream, as the reference view's iterator does when its
// yield returns false. rt.Try's failure and panics do not close it (the
// iterator is unwound there too); the stream's task ends with Run.
func (l *lowerer) eachStmt(s *ast.RangeStmt, stream ast.Expr, label string) {
	l.loops++
	l.spill(stream)
	rx := l.defineTemp("stream", l.typeOf(stream), stream)
	elem := streamElem(l.typeOf(stream))
	head := l.newBlock(s.For)
	body := l.newBlock(s.Body.Lbrace)
	post := l.newBlock(s.Body.Rbrace)
	end := l.newBlock(s.End())
	l.startBlock(head)
	next := l.newTemp("next", elem)
	nerr := l.newTemp("err", types.Universe.Lookup("error").Type())
	l.awaitFuture(&ast.CallExpr{Fun: &ast.SelectorExpr{X: rx, Sel: ast.NewIdent("Next")}}, elem, s.For, next, nerr, false)
	l.declaredHere(next, nerr)
	l.condJump(l.smCall("IsEOF", nerr), end, body)
	l.startBlock(body)
	l.bindRange(s, next, nerr)
	t := &target{label: label, cont: post, stream: rx, inside: labelsIn(s.Body)}
	t.brk = l.closeThen(rx, end)
	l.push(t)
	l.stmts(s.Body.List)
	l.pop()
	l.startBlock(post)
	l.condJump(&ast.BinaryExpr{X: nerr, Op: token.NEQ, Y: ast.NewIdent("nil")}, end, head)
	l.loops--
	l.cur = -1
	l.startBlock(end)
}

// streamElem is T of a stream type (any type with Next() Future[T]).
func streamElem(t types.Type) types.Type {
	obj, _, _ := types.LookupFieldOrMethod(t, true, nil, "Next")
	if fn, ok := obj.(*types.Func); ok {
		if e := futureElem(fn.Type().(*types.Signature).Results().At(0).Type()); e != nil {
			return e
		}
	}
	return types.Typ[types.Invalid]
}

// labelsIn lists the labels declared inside body.
func labelsIn(body *ast.BlockStmt) map[string]bool {
	out := map[string]bool{}
	ast.Inspect(body, func(n ast.Node) bool {
		if ls, ok := n.(*ast.LabeledStmt); ok {
			out[ls.Label.Name] = true
		}
		_, lit := n.(*ast.FuncLit)
		return !lit
	})
	return out
}
