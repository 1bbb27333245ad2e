package progen

import (
	"fmt"
	"strings"
)

// Expressions are generated as text, typed by construction: expr(c, t, d,
// pos) returns an expression of type t whose nesting is at most d, where
// pos names its position for the coverage of awaits placed there.

// awaitRate is the chance that an expression position holds an await.
const awaitRate = 0.2

// countAwait records an await at pos, and where it is (a deferred literal,
// a nested async literal, a spawned task).
func (g *gen) countAwait(c ctx, pos string) {
	c.fb.awaits++
	g.stmtAwaits++
	g.cov.await(pos)
	switch {
	case c.fb.kind == kDefer:
		g.cov.await("in-defer-literal")
	case c.fb.spawned:
		g.cov.await("in-spawned-task")
	case c.fb.nested:
		g.cov.await("in-nested-async")
	}
}

// mayAwait reports whether the statement may hold another await: when
// "spill-liveness" is avoided, a statement holds at most two
// (fuzz_spill_liveness).
func (g *gen) mayAwait() bool {
	return g.ok("spill-liveness") || g.stmtAwaits < 2
}

// expr returns an expression of type t.
func (g *gen) expr(c ctx, t typ, d int, pos string) string {
	if d > 0 && t.awaitable() && c.canTry() && g.ok(pos) && g.mayAwait() && g.chance(awaitRate) {
		return g.try(c, t, d, pos)
	}
	switch t {
	case tInt:
		return g.intExpr(c, d)
	case tStr:
		return g.strExpr(c, d)
	case tBool:
		return g.boolExpr(c, d)
	case tSlice:
		return g.sliceExpr(c, d)
	case tArr:
		return g.arrExpr(c, d)
	case tS:
		return g.structExpr(c, d)
	case tPS:
		return g.ptrStructExpr(c, d)
	case tAny:
		return g.anyExpr(c, d)
	case tT:
		return g.tExpr(c, d)
	case tMap:
		return g.mapLit(c, d, 1+g.intn(3))
	}
	panic("progen: no expression of type " + t.String())
}

// pure returns an expression without awaits (for plain closures and
// other places that cannot suspend).
func (g *gen) pure(c ctx, t typ, d int) string {
	c.noAwait = true
	return g.expr(c, t, d, "")
}

// try returns rt.Try of a future of type t.
func (g *gen) try(c ctx, t typ, d int, pos string) string {
	g.countAwait(c, pos)
	return "rt.Try(" + g.future(c, t, d-1, true) + ")"
}

// awaitPair returns u(rt.Await(f)): the two results of rt.Await as the
// only argument of a call.
func (g *gen) awaitPair(c ctx, t typ, d int) string {
	g.countAwait(c, "await-sole-arg")
	return "u(rt.Await(" + g.future(c, t, d-1, false) + "))"
}

// read picks a variable of type t and marks it used; nil if none.
func (g *gen) read(c ctx, t typ) *variable {
	vs := c.sc.lookup(t, nil)
	if len(vs) == 0 {
		return nil
	}
	v := vs[g.intn(len(vs))]
	v.used = true
	return v
}

// maybeRead reads a variable of type t with probability p.
func (g *gen) maybeRead(c ctx, t typ, p float64) *variable {
	if !g.chance(p) {
		return nil
	}
	return g.read(c, t)
}

// has reports whether a variable of type t is in scope.
func has(c ctx, t typ) bool { return len(c.sc.lookup(t, nil)) > 0 }

// writable picks a variable of type t that may be assigned; nil if none.
func (g *gen) writable(c ctx, t typ) *variable {
	vs := c.sc.lookup(t, func(v *variable) bool { return !v.ro })
	if len(vs) == 0 {
		return nil
	}
	return vs[g.intn(len(vs))]
}

func (g *gen) intLit() string {
	if g.chance(0.1) {
		return fmt.Sprint(-1 - g.intn(3))
	}
	return fmt.Sprint(g.intn(10))
}

var strLits = []string{`"a"`, `"b"`, `"c"`, `"xy"`, `"é"`, `"日本"`, `""`}

func (g *gen) strLit() string { return strLits[g.intn(len(strLits))] }

// weighted picks an index with the given weights (zero: unavailable).
func (g *gen) weighted(ws ...int) int {
	total := 0
	for _, w := range ws {
		total += w
	}
	n := g.intn(total)
	for i, w := range ws {
		if n < w {
			return i
		}
		n -= w
	}
	panic("unreachable")
}

// paren wraps binary expressions for safe embedding.
func paren(s string) string { return "(" + s + ")" }

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

func (g *gen) intExpr(c ctx, d int) string {
	if d <= 0 {
		return g.intAtom(c)
	}
	has := func(t typ) bool { return has(c, t) }
	switch g.weighted(
		30,                // 0 atom
		18,                // 1 binary
		3,                 // 2 div/mod by a constant
		3,                 // 3 unary
		8,                 // 4 h(tag, e)
		4,                 // 5 len
		5,                 // 6 slice index
		2,                 // 7 array index
		4,                 // 8 field
		3,                 // 9 map index
		3,                 // 10 sum variadic
		3*b2i(has(tFn)),   // 11 closure call
		2,                 // 12 callee index
		1,                 // 13 immediately called closure
		2*b2i(has(tPInt)), // 14 deref
		2,                 // 15 conversion
		3*b2i(c.canAwait() && g.ok("await-sole-arg") && g.mayAwait()), // 16 u(rt.Await(f))
		1*b2i(has(tRune)), // 17 int(rune)
	) {
	case 0:
		return g.intAtom(c)
	case 1:
		op := []string{"+", "-", "*", "^", "&", "|"}[g.intn(6)]
		return paren(g.expr(c, tInt, d-1, "binop-left") + " " + op + " " + g.expr(c, tInt, d-1, "binop-right"))
	case 2:
		op := []string{"/", "%"}[g.intn(2)]
		return paren(g.expr(c, tInt, d-1, "binop-left") + " " + op + " " + fmt.Sprint(1+g.intn(5)))
	case 3:
		op := []string{"-", "^"}[g.intn(2)]
		return op + paren(g.expr(c, tInt, d-1, "unary"))
	case 4:
		return fmt.Sprintf("h(%d, %s)", g.tag(), g.expr(c, tInt, d-1, "call-arg"))
	case 5:
		switch g.intn(3) {
		case 0:
			return "len(" + g.expr(c, tSlice, d-1, "builtin-arg") + ")"
		case 1:
			return "len(" + g.expr(c, tStr, d-1, "builtin-arg") + ")"
		default:
			if m := g.read(c, tMap); m != nil {
				return "len(" + m.name + ")"
			}
			return "len([]byte(" + g.expr(c, tStr, d-1, "conversion") + "))"
		}
	case 6:
		return g.operand(g.expr(c, tSlice, d-1, "index-operand")) + "[" + g.expr(c, tInt, d-1, "index-index") + "&3]"
	case 7:
		return g.operand(g.expr(c, tArr, d-1, "index-operand")) + "[" + g.expr(c, tInt, d-1, "index-index") + "&1]"
	case 8:
		if g.chance(0.3) {
			if ps := g.read(c, tPS); ps != nil {
				return ps.name + ".A"
			}
		}
		return g.operand(g.expr(c, tS, d-1, "field-operand")) + ".A"
	case 9:
		m := ""
		if v := g.maybeRead(c, tMap, 0.7); v != nil {
			m = v.name
		} else {
			m = g.mapLit(c, d-1, 1+g.intn(2))
		}
		return m + "[" + g.expr(c, tStr, d-1, "index-index") + "]"
	case 10:
		g.cov.form("variadic")
		if g.chance(0.3) {
			return fmt.Sprintf("sum(%d, %s...)", g.tag(), g.expr(c, tSlice, d-1, "variadic-arg"))
		}
		args := []string{fmt.Sprint(g.tag())}
		for range g.intn(4) {
			args = append(args, g.expr(c, tInt, d-1, "variadic-arg"))
		}
		return "sum(" + strings.Join(args, ", ") + ")"
	case 11:
		fn := g.read(c, tFn)
		return fn.name + "(" + g.expr(c, tInt, d-1, "call-arg") + ")"
	case 12:
		return "ops[" + g.expr(c, tInt, d-1, "callee-index") + "&1](" + g.expr(c, tInt, d-1, "call-arg") + ")"
	case 13:
		g.cov.form("closure-immediate")
		return "func() int { return " + g.pure(c, tInt, d-1) + " }()"
	case 14:
		return "*" + g.read(c, tPInt).name
	case 15:
		return "int(int32(" + g.expr(c, tInt, d-1, "conversion") + "))"
	case 16:
		return g.awaitPair(c, tInt, d)
	case 17:
		return "int(" + g.read(c, tRune).name + ")"
	}
	panic("unreachable")
}

// operand makes an expression usable as the operand of an index or
// selector: composite literals of a named type need parentheses in
// statement headers.
func (g *gen) operand(e string) string {
	if strings.HasPrefix(e, "S{") || strings.HasPrefix(e, "-") || strings.HasPrefix(e, "^") || strings.HasPrefix(e, "*") || strings.HasPrefix(e, "&") {
		return paren(e)
	}
	return e
}

func (g *gen) intAtom(c ctx) string {
	if g.chance(0.6) {
		if v := g.read(c, tInt); v != nil {
			return v.name
		}
	}
	return g.intLit()
}

func (g *gen) strExpr(c ctx, d int) string {
	if d <= 0 || g.chance(0.35) {
		if g.chance(0.5) {
			if v := g.read(c, tStr); v != nil {
				return v.name
			}
		}
		return g.strLit()
	}
	switch g.intn(7) {
	case 0:
		return fmt.Sprintf("h(%d, %s)", g.tag(), g.expr(c, tStr, d-1, "call-arg"))
	case 1:
		return "cut(" + g.expr(c, tStr, d-1, "binop-left") + " + " + g.expr(c, tStr, d-1, "binop-right") + ")"
	case 2:
		return "strconv.Itoa(" + g.expr(c, tInt, d-1, "call-arg") + ")"
	case 3:
		return g.operand(g.expr(c, tS, d-1, "field-operand")) + ".B"
	case 4:
		return "fmt.Sprint(" + g.expr(c, tInt, d-1, "call-arg") + ")"
	case 5:
		if has(c, tT) {
			return "fmt.Sprint(" + g.expr(c, tT, d-1, "call-arg") + ")"
		}
		return g.strLit()
	default:
		if c.canAwait() && g.ok("await-sole-arg") && g.mayAwait() {
			return g.awaitPair(c, tStr, d)
		}
		return g.strLit()
	}
}

func (g *gen) boolExpr(c ctx, d int) string {
	if d <= 0 || g.chance(0.15) {
		if v := g.maybeRead(c, tBool, 0.6); v != nil {
			return v.name
		}
		if g.chance(0.5) {
			return paren(g.intAtom(c) + " < " + g.intAtom(c))
		}
		return []string{"true", "false"}[g.intn(2)]
	}
	cmpOp := func() string { return []string{"<", "<=", "==", "!=", ">", ">="}[g.intn(6)] }
	switch g.intn(11) {
	case 0, 1, 2:
		return paren(g.expr(c, tInt, d-1, "compare") + " " + cmpOp() + " " + g.expr(c, tInt, d-1, "compare"))
	case 3:
		return paren(g.expr(c, tStr, d-1, "compare") + " " + []string{"==", "!=", "<"}[g.intn(3)] + " " + g.expr(c, tStr, d-1, "compare"))
	case 4:
		return "!" + paren(g.expr(c, tBool, d-1, "unary"))
	case 5:
		return paren(g.expr(c, tBool, d-1, "andand-left") + " && " + g.expr(c, tBool, d-1, "andand-right"))
	case 6:
		return paren(g.expr(c, tBool, d-1, "oror-left") + " || " + g.expr(c, tBool, d-1, "oror-right"))
	case 7:
		return fmt.Sprintf("h(%d, %s)", g.tag(), g.expr(c, tBool, d-1, "call-arg"))
	case 8:
		if e := g.read(c, tErr); e != nil {
			return paren(e.name + " != nil")
		}
		return paren("len(" + g.expr(c, tSlice, d-1, "builtin-arg") + ") > " + g.expr(c, tInt, d-1, "compare"))
	case 9:
		if has(c, tT) {
			return paren(g.expr(c, tT, d-1, "compare") + " " + cmpOp() + " " + g.expr(c, tT, d-1, "compare"))
		}
		return paren(g.expr(c, tInt, d-1, "compare") + " " + cmpOp() + " " + g.expr(c, tInt, d-1, "compare"))
	default:
		if c.canAwait() && g.ok("await-sole-arg") && g.mayAwait() {
			return g.awaitPair(c, tBool, d)
		}
		return "true"
	}
}

func (g *gen) sliceLit(c ctx, d int) string {
	var el []string
	for range 4 + g.intn(2) {
		el = append(el, g.expr(c, tInt, d-1, "complit-slice"))
	}
	return "[]int{" + strings.Join(el, ", ") + "}"
}

func (g *gen) sliceExpr(c ctx, d int) string {
	if d > 0 {
		switch g.intn(5) {
		case 0:
			return g.sliceLit(c, d)
		case 1:
			if v := g.read(c, tSlice); v != nil {
				return "append(" + v.name + ", " + g.expr(c, tInt, d-1, "append-arg") + ")"
			}
			return g.sliceLit(c, d)
		case 2:
			return fmt.Sprintf("h(%d, %s)", g.tag(), g.expr(c, tSlice, d-1, "call-arg"))
		}
	}
	if v := g.read(c, tSlice); v != nil {
		return v.name
	}
	return g.sliceLit(c, max(d, 1))
}

func (g *gen) arrExpr(c ctx, d int) string {
	if v := g.maybeRead(c, tArr, map[bool]float64{true: 1, false: 0.6}[d <= 0]); v != nil {
		return v.name
	}
	d = max(d, 1)
	return fmt.Sprintf("[3]int{%s, %s, %s}", g.expr(c, tInt, d-1, "complit-array"),
		g.expr(c, tInt, d-1, "complit-array"), g.expr(c, tInt, d-1, "complit-array"))
}

func (g *gen) structLit(c ctx, d int) string {
	d = max(d, 1)
	if g.chance(0.2) {
		return "(S{A: " + g.expr(c, tInt, d-1, "complit-struct") + "})"
	}
	return "(S{A: " + g.expr(c, tInt, d-1, "complit-struct") + ", B: " + g.expr(c, tStr, d-1, "complit-struct") + "})"
}

func (g *gen) structExpr(c ctx, d int) string {
	if d > 0 && g.chance(0.4) {
		return g.structLit(c, d)
	}
	if d > 0 && g.chance(0.2) {
		if p := g.read(c, tPS); p != nil {
			return "(*" + p.name + ")"
		}
	}
	if v := g.read(c, tS); v != nil {
		return v.name
	}
	return g.structLit(c, d)
}

func (g *gen) ptrStructExpr(c ctx, d int) string {
	if v := g.maybeRead(c, tPS, 0.6); v != nil {
		return v.name
	}
	if v := g.writable(c, tS); v != nil && g.chance(0.5) && !strings.Contains(v.name, ".") {
		v.used = true
		g.cov.form("address-taken")
		return "&" + v.name
	}
	d = max(d, 1)
	return "&S{A: " + g.expr(c, tInt, d-1, "complit-struct") + ", B: " + g.strLit() + "}"
}

func (g *gen) anyExpr(c ctx, d int) string {
	if v := g.maybeRead(c, tAny, 0.4); v != nil {
		return v.name
	}
	d = max(d, 1)
	ts := []typ{tInt, tInt, tStr, tBool, tS}
	if len(c.sc.lookup(tT, nil)) > 0 {
		ts = append(ts, tT, tT)
	}
	return "any(" + g.expr(c, ts[g.intn(len(ts))], d-1, "conversion") + ")"
}

func (g *gen) tExpr(c ctx, d int) string {
	if d > 0 {
		switch g.intn(5) {
		case 0:
			return fmt.Sprintf("h(%d, %s)", g.tag(), g.expr(c, tT, d-1, "call-arg"))
		case 1:
			return "max(" + g.expr(c, tT, d-1, "call-arg") + ", " + g.expr(c, tT, d-1, "call-arg") + ")"
		case 2:
			return "min(" + g.expr(c, tT, d-1, "call-arg") + ", " + g.expr(c, tT, d-1, "call-arg") + ")"
		}
	}
	return g.read(c, tT).name
}

// mapLit returns a map literal with n entries: one entry may have any
// key, several have distinct constant keys.
func (g *gen) mapLit(c ctx, d int, n int) string {
	d = max(d, 1)
	if n == 1 {
		return "map[string]int{" + g.expr(c, tStr, d-1, "complit-map-key") + ": " + g.expr(c, tInt, d-1, "complit-map-value") + "}"
	}
	keys := []string{`"a"`, `"b"`, `"c"`, `"d"`}
	var el []string
	for i := range n {
		el = append(el, keys[i]+": "+g.expr(c, tInt, d-1, "complit-map-value"))
	}
	return "map[string]int{" + strings.Join(el, ", ") + "}"
}

// typeArg names t in an explicit instantiation.
func typeArg(t typ) string { return t.String() }

// future returns a future of type t. try says whether the caller is
// rt.Try (for the coverage of failures).
func (g *gen) future(c ctx, t typ, d int, try bool) string {
	tag := g.tag()
	has := func(t typ) bool { return has(c, t) }
	isInt := t == tInt
	fail := func(form string) {
		if try {
			g.cov.form("try-fail")
		} else {
			g.cov.form("await-fail")
		}
		if form != "" {
			g.cov.form(form)
		}
	}
	switch g.weighted(
		50,                         // 0 v
		15,                         // 1 r
		3*b2i(g.ok("fail")),        // 2 fl
		2*b2i(g.ok("fail")),        // 3 fa
		1*b2i(g.ok("panic-await")), // 4 pa
		6*b2i(isInt),               // 5 S.Get
		6*b2i(isInt),               // 6 (*S).Add
		5*b2i(isInt && has(tTask)), // 7 a task
		2*b2i(isInt && has(tGet)),  // 8 a method value
		3*b2i(isInt),               // 9 vsum
		3*b2i(isInt && d >= 1 && g.ok("nested-async")), // 10 nested async literal
	) {
	case 0:
		return fmt.Sprintf("v(%d, %s)", tag, g.expr(c, t, d-1, "call-arg"))
	case 1:
		return fmt.Sprintf("r(%d, %s)", tag, g.expr(c, t, d-1, "call-arg"))
	case 2:
		fail("")
		return fmt.Sprintf("fl[%s](%d)", typeArg(t), tag)
	case 3:
		fail("")
		return fmt.Sprintf("fa(%d, %s)", tag, g.expr(c, t, d-1, "call-arg"))
	case 4:
		g.cov.form("panic-await")
		return fmt.Sprintf("pa[%s](%d)", typeArg(t), tag)
	case 5:
		g.cov.form("method-call-val")
		recv := g.expr(c, tS, d-1, "method-recv")
		return g.operand(recv) + fmt.Sprintf(".Get(%d)", tag)
	case 6:
		g.cov.form("method-call-ptr")
		var recv string
		if v := g.writable(c, tS); v != nil && g.chance(0.4) {
			v.used = true
			recv = v.name // addressable: (&v).Add
			g.cov.form("address-taken")
		} else {
			recv = g.operand(g.expr(c, tPS, d-1, "method-recv"))
		}
		return recv + fmt.Sprintf(".Add(%d, %s)", tag, g.expr(c, tInt, d-1, "method-arg"))
	case 7:
		g.cov.form("await-task")
		return g.read(c, tTask).name
	case 8:
		g.cov.form("method-value")
		return g.read(c, tGet).name + fmt.Sprintf("(%d)", tag)
	case 9:
		g.cov.form("variadic")
		args := []string{fmt.Sprint(tag)}
		for range g.intn(4) {
			args = append(args, g.expr(c, tInt, d-1, "variadic-arg"))
		}
		return "vsum(" + strings.Join(args, ", ") + ")"
	case 10:
		return g.inlineAsync(c)
	}
	panic("unreachable")
}

// inlineAsync returns a small nested async literal as an expression.
func (g *gen) inlineAsync(c ctx) string {
	g.cov.form("nested-async")
	fb := &fbody{kind: kAsync, canAwait: true, canTry: true, nested: true}
	nc := c.fresh(fb)
	nc.depth = c.depth + 1
	saved := g.budget
	g.budget = min(g.budget, 3)
	body := g.block(nc, 1+g.intn(2), func(c ctx) *Stmt { return g.returnStmt(c) })
	g.budget = max(saved-body.count(), 0)
	return "rt.Async(func() (int, error) {\n" + body.String() + "})"
}
