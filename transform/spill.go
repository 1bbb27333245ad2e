package transform

import (
	"go/ast"
	"go/token"
	"go/types"
)

// Spilling is the ordering pre-pass (cmd/compile's walk/order.go in
// miniature). gc evaluates the calls, receives and awaits of an expression
// left to right, inner before outer, and reads plain operands (variables,
// index and field reads, the callee value, the receiver) only after all of
// them. So it suffices to move into temporaries, in that order, every call
// up to the last await; everything else stays in place and is read after
// the awaits, exactly as gc reads it after the calls. && and || whose
// right side awaits become branches, so the right side runs only when gc
// would run it.

// unit is an expression spill moves into a temporary as a whole.
type unit struct {
	e     ast.Expr
	await bool
	pair  bool // rt.Await as the only argument of a call: f(rt.Await(x))
}

// spill evaluates into temporaries the awaits of es, and every call before
// the last of them, recording the substitutions in m.Subst.
func (l *lowerer) spill(es ...ast.Expr) {
	units := l.units(es)
	last := -1
	for i, u := range units {
		if u.await {
			last = i
		}
	}
	for _, u := range units[:last+1] {
		l.spillUnit(u)
	}
}

// spillOperands spills the operands of call without the call itself.
func (l *lowerer) spillOperands(e ast.Expr) {
	call, ok := ast.Unparen(e).(*ast.CallExpr)
	if !ok {
		l.spill(e)
		return
	}
	l.spill(append([]ast.Expr{calleeOperand(call.Fun)}, call.Args...)...)
}

// calleeOperand is what of a callee is evaluated as an operand: the
// receiver of a method, the whole expression otherwise.
func calleeOperand(fun ast.Expr) ast.Expr {
	if sel, ok := ast.Unparen(fun).(*ast.SelectorExpr); ok {
		return sel.X
	}
	return fun
}

// targetOperands lists the operands of assignment targets (the index in
// a[i()], the pointer in *p()), not the targets. gc evaluates them, in
// order, before the right-hand side.
func targetOperands(lhs []ast.Expr) []ast.Expr {
	var ops []ast.Expr
	for _, e := range lhs {
		switch t := ast.Unparen(e).(type) {
		case *ast.IndexExpr:
			ops = append(ops, t.X, t.Index)
		case *ast.SelectorExpr:
			ops = append(ops, t.X)
		case *ast.StarExpr:
			ops = append(ops, t.X)
		}
	}
	return ops
}

// spillAll is spill for expressions an await follows: every call in them
// is evaluated into a temporary, before the await.
func (l *lowerer) spillAll(es ...ast.Expr) {
	for _, u := range l.units(es) {
		l.spillUnit(u)
	}
}

// units lists the units of es in evaluation order.
func (l *lowerer) units(es []ast.Expr) []unit {
	var units []unit
	for _, e := range es {
		units = l.collect(e, units)
	}
	return units
}

func (l *lowerer) spillUnit(u unit) {
	if _, done := l.m.Subst[u.e]; done {
		return
	}
	if _, done := l.m.Pairs[u.e]; done {
		return // collected again by the operands of an enclosing await
	}
	if u.pair {
		call := u.e.(*ast.CallExpr)
		l.spillOperands(call.Args[0])
		v := l.newTemp(tempBase(call.Args[0]), l.futureType(call))
		e := l.newTemp("err", types.Universe.Lookup("error").Type())
		l.await(call, v, e, false)
		l.declaredHere(v, e)
		l.m.Pairs[call] = [2]*ast.Ident{v, e}
		return
	}
	switch e := u.e.(type) {
	case *ast.CallExpr:
		if isAwaitCall(l.f, e) {
			l.m.Subst[e] = l.awaitValue(e)
			return
		}
	case *ast.BinaryExpr:
		if e.Op == token.LAND || e.Op == token.LOR {
			l.m.Subst[e] = l.logical(e)
			return
		}
	}
	l.m.Subst[u.e] = l.defineTemp(tempBase(u.e), types.Default(l.typeOf(u.e)), u.e)
}

// awaitValue spills rt.Try(f) used as a value.
func (l *lowerer) awaitValue(call *ast.CallExpr) *ast.Ident {
	if l.f.isYield(call) {
		t := l.newTemp("more", types.Typ[types.Bool])
		l.await(call, t, nil, false)
		l.declaredHere(t)
		return t
	}
	if rtCallee(l.info, call) != "Try" {
		l.errs.add(l.f.Fset, call.Pos(), "rt.Await returns (T, error) and cannot be used as a value here", "assign its two results (v, err := rt.Await(f)), return them, or use rt.Try(f)")
		return l.newTemp("invalid", types.Typ[types.Invalid])
	}
	t := l.newTemp(tempBase(call.Args[0]), l.futureType(call))
	l.await(call, t, nil, true)
	l.declaredHere(t)
	return t
}

// logical lowers x && y (x || y) whose y awaits:
//
//	t := x; if t { goto right } else { goto end }   (||: swapped)
//	right: t = y; goto end
//	end:
func (l *lowerer) logical(e *ast.BinaryExpr) *ast.Ident {
	l.spill(e.X)
	t := l.defineTemp("cond", l.typeOf(e), e.X)
	right := l.newBlock(e.Y.Pos())
	end := l.newBlock(e.End())
	if e.Op == token.LAND {
		l.condJump(t, right, end)
	} else {
		l.condJump(t, end, right)
	}
	l.startBlock(right)
	l.spill(e.Y)
	l.emit(&ast.AssignStmt{Lhs: []ast.Expr{t}, Tok: token.ASSIGN, Rhs: []ast.Expr{e.Y}})
	l.startBlock(end)
	return t
}

// collect appends the units of e in evaluation order.
func (l *lowerer) collect(e ast.Expr, units []unit) []unit {
	switch e := e.(type) {
	case nil, *ast.FuncLit, *ast.BasicLit, *ast.Ident:
		return units
	case *ast.CallExpr:
		return l.collectCall(e, units)
	case *ast.BinaryExpr:
		if e.Op == token.LAND || e.Op == token.LOR {
			return l.collectLogical(e, units)
		}
		return l.collect(e.Y, l.collect(e.X, units))
	case *ast.CompositeLit:
		if _, isMap := coreType(l.typeOf(e)).(*types.Map); isMap {
			return l.collectMapLit(e, units)
		}
	case *ast.UnaryExpr:
		units = l.collect(e.X, units)
		if e.Op == token.ARROW {
			units = append(units, unit{e: e})
		}
		return units
	}
	for _, c := range children(e) {
		units = l.collect(c, units)
	}
	return units
}

// collectLogical collects x && y (x || y). When y awaits, the whole
// expression is a unit that branches (logical). Otherwise y runs only if x
// lets it: its calls cannot be spilled on their own, so an expression
// whose y calls is evaluated whole, after the units of x.
func (l *lowerer) collectLogical(e *ast.BinaryExpr, units []unit) []unit {
	if hasAwait(l.f, e.Y) {
		return append(units, unit{e: e, await: true})
	}
	units = l.collect(e.X, units)
	if hasCall(l.info, e.Y) {
		units = append(units, unit{e: e})
	}
	return units
}

// collectMapLit collects a map literal. gc inserts its non-constant
// entries one statement at a time, m[k] = v in order (order.go, issue
// 26552). Each entry is an assignment: the calls and awaits of its key and
// value come first, then its plain operands are read, before the calls and
// awaits of the entries after it (and of the expression around the
// literal). So each non-constant key and value becomes a unit once the
// entry's own calls are collected.
func (l *lowerer) collectMapLit(e *ast.CompositeLit, units []unit) []unit {
	for _, elt := range e.Elts {
		kv, ok := elt.(*ast.KeyValueExpr)
		if !ok {
			continue
		}
		units = l.collect(kv.Value, l.collect(kv.Key, units))
		for _, x := range []ast.Expr{kv.Key, kv.Value} {
			if !l.isConstant(x) && !isFuncLit(x) {
				units = append(units, unit{e: x})
			}
		}
	}
	return units
}

// isConstant reports whether e is a constant or nil: reading it earlier
// or later makes no difference.
func (l *lowerer) isConstant(e ast.Expr) bool {
	tv, ok := l.info.Types[e]
	return ok && (tv.Value != nil || tv.IsNil())
}

func isFuncLit(e ast.Expr) bool {
	_, ok := ast.Unparen(e).(*ast.FuncLit)
	return ok
}

func (l *lowerer) collectCall(e *ast.CallExpr, units []unit) []unit {
	if isAwaitCall(l.f, e) {
		units = l.collectArgs(e.Args[0], units)
		return append(units, unit{e: e, await: true})
	}
	if tv, ok := l.info.Types[e.Fun]; ok && tv.IsType() {
		return l.collectConverted(e.Args[0], tv.Type, l.collect(e.Args[0], units)) // conversion
	}
	if name := builtinName(l.info, e.Fun); name == "len" || name == "cap" {
		// gc takes len and cap in order with the calls, not after them.
		return append(l.collect(e.Args[0], units), unit{e: e})
	}
	units = l.collect(calleeOperand(e.Fun), units)
	if fun := calleeOperand(e.Fun); fun == e.Fun && hasCall(l.info, fun) && !isCallExpr(fun) {
		// A callee computed with a call (fns[i()]) is fixed before the
		// arguments, as gc does.
		units = append(units, unit{e: fun})
	}
	if len(e.Args) == 1 {
		if inner, ok := ast.Unparen(e.Args[0]).(*ast.CallExpr); ok && rtCallee(l.info, inner) == "Await" {
			units = l.collectArgs(inner.Args[0], units)
			units = append(units, unit{e: inner, await: true, pair: true})
			if _, tuple := l.typeOf(e).(*types.Tuple); tuple || isBuiltin(l.info, e.Fun) {
				return units
			}
			return append(units, unit{e: e})
		}
	}
	sig, _ := coreType(l.typeOf(e.Fun)).(*types.Signature)
	for i, a := range e.Args {
		units = l.collect(a, units)
		if sig != nil && !isBuiltin(l.info, e.Fun) {
			units = l.collectConverted(a, argType(sig, i, e.Ellipsis.IsValid()), units)
		}
	}
	if isBuiltin(l.info, e.Fun) || asyncLit(l.info, e) != nil {
		return units
	}
	if _, tuple := l.typeOf(e).(*types.Tuple); tuple {
		return units // a multi-value call cannot be a single temporary
	}
	if t := l.typeOf(e); t == nil {
		return units
	}
	return append(units, unit{e: e})
}

// collectConverted adds x as a unit when it is converted to the interface
// type to and gc takes it into a temporary in order with the calls: when
// the conversion needs the value's address (order.go's OCONVIFACE: every
// type but the 16, 32 and 64-bit scalars, strings and slices) and x is not
// addressable. An addressable x is converted from where it lives, after
// the calls; a constant or a literal function reads nothing.
func (l *lowerer) collectConverted(x ast.Expr, to types.Type, units []unit) []unit {
	from := l.typeOf(x)
	if to == nil || from == nil || !types.IsInterface(to) || types.IsInterface(from) {
		return units
	}
	if l.isConstant(x) || isFuncLit(x) || l.addressable(x) || !convertsThroughMemory(from) {
		return units
	}
	return append(units, unit{e: x})
}

// argType is the type of the parameter argument i is assigned to.
func argType(sig *types.Signature, i int, spread bool) types.Type {
	n := sig.Params().Len()
	switch {
	case n == 0:
		return nil
	case sig.Variadic() && i >= n-1 && !spread:
		return sig.Params().At(n - 1).Type().(*types.Slice).Elem()
	case i < n:
		return sig.Params().At(i).Type()
	}
	return nil
}

// addressable reports whether x denotes a variable (or a part of one).
func (l *lowerer) addressable(x ast.Expr) bool {
	switch x := ast.Unparen(x).(type) {
	case *ast.Ident:
		_, ok := l.info.Uses[x].(*types.Var)
		return ok
	case *ast.SelectorExpr:
		if sel, ok := l.info.Selections[x]; ok && sel.Kind() == types.FieldVal {
			_, ptr := coreType(l.typeOf(x.X)).(*types.Pointer)
			return ptr || l.addressable(x.X)
		}
	case *ast.IndexExpr:
		switch coreType(l.typeOf(x.X)).(type) {
		case *types.Slice, *types.Pointer:
			return true
		case *types.Array:
			return l.addressable(x.X)
		}
	case *ast.StarExpr:
		return true
	}
	return false
}

// gcSizes are the sizes gc's conversions are chosen by (amd64, arm64).
var gcSizes = types.SizesFor("gc", "amd64")

// convertsThroughMemory reports whether gc converts a value of type t to
// an interface by address (walk/convert.go's dataWordFuncName).
func convertsThroughMemory(t types.Type) bool {
	size, align := gcSizes.Sizeof(t), gcSizes.Alignof(t)
	switch {
	case size == 2 && align == 2,
		size == 4 && align == 4 && !hasPointers(t),
		size == 8 && align == 8 && !hasPointers(t):
		return false
	}
	if sc := soleComponent(t); sc != nil {
		switch u := sc.Underlying().(type) {
		case *types.Slice:
			return false
		case *types.Basic:
			if u.Info()&types.IsString != 0 {
				return false
			}
		}
	}
	return true
}

// soleComponent is the only non-blank component of t, through structs
// with one field and arrays of one element, or t itself.
func soleComponent(t types.Type) types.Type {
	switch u := t.Underlying().(type) {
	case *types.Struct:
		if u.NumFields() != 1 || u.Field(0).Name() == "_" {
			return nil
		}
		return soleComponent(u.Field(0).Type())
	case *types.Array:
		if u.Len() != 1 {
			return nil
		}
		return soleComponent(u.Elem())
	}
	return t
}

// collectArgs collects the operands of the future an await is given, not
// the future itself: it is evaluated right at the await.
func (l *lowerer) collectArgs(f ast.Expr, units []unit) []unit {
	if call, ok := ast.Unparen(f).(*ast.CallExpr); ok && !isAwaitCall(l.f, call) {
		if tv, ok := l.info.Types[call.Fun]; !ok || !tv.IsType() {
			units = l.collect(calleeOperand(call.Fun), units)
			for _, a := range call.Args {
				units = l.collect(a, units)
			}
			return units
		}
	}
	return l.collect(f, units)
}

func builtinName(info *types.Info, fun ast.Expr) string {
	id, ok := ast.Unparen(fun).(*ast.Ident)
	if !ok {
		return ""
	}
	if b, ok := info.Uses[id].(*types.Builtin); ok {
		return b.Name()
	}
	return ""
}

func isCallExpr(e ast.Expr) bool {
	_, ok := ast.Unparen(e).(*ast.CallExpr)
	return ok
}

// hasCall reports whether evaluating e calls a function.
func hasCall(info *types.Info, e ast.Expr) bool {
	found := false
	ast.Inspect(e, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.FuncLit:
			return false
		case *ast.CallExpr:
			if tv, ok := info.Types[n.Fun]; !ok || !tv.IsType() {
				found = true
			}
		}
		return !found
	})
	return found
}

func isBuiltin(info *types.Info, fun ast.Expr) bool {
	id, ok := ast.Unparen(fun).(*ast.Ident)
	if !ok {
		return false
	}
	_, ok = info.Uses[id].(*types.Builtin)
	return ok
}

// children lists the direct operand expressions of e in source order.
func children(e ast.Expr) []ast.Expr {
	switch e := e.(type) {
	case *ast.ParenExpr:
		return []ast.Expr{e.X}
	case *ast.SelectorExpr:
		return []ast.Expr{e.X}
	case *ast.IndexExpr:
		return []ast.Expr{e.X, e.Index}
	case *ast.IndexListExpr:
		return []ast.Expr{e.X}
	case *ast.SliceExpr:
		return []ast.Expr{e.X, e.Low, e.High, e.Max}
	case *ast.TypeAssertExpr:
		return []ast.Expr{e.X}
	case *ast.StarExpr:
		return []ast.Expr{e.X}
	case *ast.KeyValueExpr:
		return []ast.Expr{e.Key, e.Value}
	case *ast.CompositeLit:
		return e.Elts
	}
	return nil
}

// tempBase derives a readable temporary name from what is computed.
func tempBase(e ast.Expr) string {
	switch e := ast.Unparen(e).(type) {
	case *ast.CallExpr:
		if isCallTo(e) != "" {
			return lowerFirst(isCallTo(e))
		}
		if len(e.Args) == 1 {
			return tempBase(e.Args[0])
		}
	case *ast.Ident:
		return e.Name
	case *ast.UnaryExpr:
		return "received"
	}
	return "tmp"
}

func isCallTo(call *ast.CallExpr) string {
	switch f := ast.Unparen(call.Fun).(type) {
	case *ast.Ident:
		return f.Name
	case *ast.SelectorExpr:
		if f.Sel.Name == "Await" || f.Sel.Name == "Try" {
			return ""
		}
		return f.Sel.Name
	}
	return ""
}
