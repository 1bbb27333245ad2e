package progen

import (
	"fmt"
	"strings"
)

// Compound statements. Loops are bounded by construction: three-clause
// loops count a read-only variable up to a constant, while and infinite
// loops increment a dedicated counter first thing in their body (so
// continue cannot skip it), ranges walk finite operands, and backward
// gotos are guarded by a counter of their own.

// maybeLabel returns a label that is printed only if a branch uses it.
func (g *gen) maybeLabel() *Label {
	if g.chance(0.4) {
		return &Label{Name: g.name("L")}
	}
	return nil
}

// leafLabel works around a known bug when "labeled-leaf" is avoided: a
// labeled statement that does not await, in a body that does, cannot be
// the target of its own break or continue (fuzz_labeled_leaf_loop_branch).
// It makes such a statement await. Statements that cannot await (select,
// range over a function) are not labeled at all then; see noLabel.
func (g *gen) leafLabel(c ctx, s *Stmt, awaitsBefore int) {
	if g.ok("labeled-leaf") || s.Label == nil || !s.Label.Used || c.fb.awaits > awaitsBefore || !c.canAwait() {
		return
	}
	b := s.Body
	if s.Cases != nil {
		b = s.Cases[0].Body
	}
	g.countAwait(c, "await-stmt")
	b.Stmts = append([]*Stmt{{Text: "rt.Await(rt.Sleep(0))"}}, b.Stmts...)
}

// noLabel reports whether a statement that cannot await must not be
// labeled (see leafLabel).
func (g *gen) noLabel(c ctx) bool { return !g.ok("labeled-leaf") && c.canAwait() }

// group returns stmts as an inline group, or as a block when the current
// level may not declare (they declare a counter or a channel).
func group(c ctx, form string, stmts ...*Stmt) *Stmt {
	if c.noDecl {
		return &Stmt{Form: form, Body: &Block{Stmts: stmts}}
	}
	return &Stmt{Form: form, Inline: stmts}
}

// loopBody generates the body of a loop whose header variables are in
// hc's scope.
func (g *gen) loopBody(hc ctx, l *Label, extra target) *Block {
	t := extra
	t.label = l
	t.loop = true
	hc.sc.header = true
	bc := hc.withTarget(t).child()
	bc.depth++
	return g.block(bc, 1+g.intn(4), nil)
}

// awaitOr returns rt.Try(v(tag, x)) (an await at pos), h(tag, x) or x.
func (g *gen) awaitOr(c ctx, pos, x string) string {
	switch {
	case c.canTry() && g.ok(pos) && g.mayAwait() && g.chance(0.35):
		g.countAwait(c, pos)
		if g.chance(0.8) {
			return fmt.Sprintf("rt.Try(v(%d, %s))", g.tag(), x)
		}
		return fmt.Sprintf("rt.Try(r(%d, %s))", g.tag(), x)
	case g.chance(0.3):
		return fmt.Sprintf("h(%d, %s)", g.tag(), x)
	}
	return x
}

func (g *gen) ifStmt(c ctx) (*Stmt, bool) {
	g.cov.form("if")
	ic := c.child()
	ic.sc.header = true
	s := &Stmt{Form: "if"}
	head := "if "
	var then *Block
	if !c.noDecl && g.chance(0.2) {
		g.cov.form("if-init")
		x := g.name("x")
		head += x + " := " + g.expr(c, tInt, exprDepth, "if-init") + "; "
		g.declareIn(ic.sc, x, tInt, c.fb, func() *Block { return then })
	}
	s.Head = head + g.expr(ic, tBool, exprDepth, "if-cond")
	then = g.body(ic)
	s.Body = then
	for g.chance(0.2) {
		g.cov.form("else-if")
		s.Tail = append(s.Tail, &Clause{Head: "else if " + g.expr(ic, tBool, exprDepth, "if-cond"), Body: g.body(ic)})
	}
	term := false
	if g.chance(0.4) {
		g.cov.form("if-else")
		s.Tail = append(s.Tail, &Clause{Head: "else", Body: g.body(ic)})
		// An if whose branches all terminate terminates.
		term = then.term
		for _, t := range s.Tail {
			term = term && t.Body.term
		}
	}
	g.fixUnused(ic.sc)
	return s, term
}

func (g *gen) for3(c ctx) (*Stmt, bool) {
	g.cov.form("for-3clause")
	l := g.maybeLabel()
	i := g.name("i")
	k := 1 + g.intn(3)
	hc := c.child()
	init := g.awaitOr(c, "for-init", "0")
	iv := g.declareIn(hc.sc, i, tInt, c.fb, nil)
	iv.ro, iv.used = true, true
	var cond string
	if g.chance(0.3) {
		cond = g.awaitOr(hc, "for-cond", i) + " < " + fmt.Sprint(k)
	} else {
		cond = i + " < " + g.awaitOr(hc, "for-cond", fmt.Sprint(k))
	}
	post := i + "++"
	switch g.intn(3) {
	case 0:
		post = i + " += 1"
	case 1:
		if x := g.awaitOr(hc, "for-post", i+"+1"); x != i+"+1" {
			post = i + " = " + x
		}
	}
	hc.sink = c.sink
	s := &Stmt{Form: "for-3clause", Label: l, Head: fmt.Sprintf("for %s := %s; %s; %s", i, init, cond, post)}
	aw := c.fb.awaits
	s.Body = g.loopBody(hc, l, target{})
	g.leafLabel(c, s, aw)
	return s, false
}

func (g *gen) forWhile(c ctx) (*Stmt, bool) {
	g.cov.form("for-while")
	l := g.maybeLabel()
	n := g.name("n")
	k := 1 + g.intn(3)
	hc := c.child()
	nv := &variable{name: n, t: tInt, ro: true, used: true, body: c.fb}
	hc.sc.vars = append(hc.sc.vars, nv)
	var cond string
	switch g.intn(3) {
	case 0:
		cond = n + " < " + g.awaitOr(hc, "while-cond", fmt.Sprint(k))
	case 1:
		cond = g.awaitOr(hc, "while-cond", n) + " < " + fmt.Sprint(k)
	default:
		cond = fmt.Sprintf("%s < %d && %s", n, k, g.expr(hc, tBool, 2, "andand-right"))
	}
	s := &Stmt{Form: "for-while", Label: l, Head: "for " + cond}
	aw := c.fb.awaits
	s.Body = g.loopBody(hc, l, target{})
	g.leafLabel(c, s, aw)
	s.Body.Stmts = append([]*Stmt{{Text: n + "++", Keep: true}}, s.Body.Stmts...)
	return group(c, "for-while", &Stmt{Text: n + " := 0", Keep: true}, s), false
}

func (g *gen) forInfinite(c ctx) (*Stmt, bool) {
	g.cov.form("for-infinite")
	l := g.maybeLabel()
	n := g.name("n")
	k := 1 + g.intn(3)
	hc := c.child()
	hc.sc.vars = append(hc.sc.vars, &variable{name: n, t: tInt, ro: true, used: true, body: c.fb})
	s := &Stmt{Form: "for-infinite", Label: l, Head: "for"}
	aw := c.fb.awaits
	s.Body = g.loopBody(hc, l, target{})
	g.leafLabel(c, s, aw)
	guard := &Stmt{Text: fmt.Sprintf("if %s >= %d {\nbreak\n}\n%s++", n, k, n), Keep: true}
	s.Body.Stmts = append([]*Stmt{guard}, s.Body.Stmts...)
	return group(c, "for-infinite", &Stmt{Text: n + " := 0", Keep: true}, s), false
}

func (g *gen) rangeInt(c ctx) (*Stmt, bool) {
	g.cov.form("range-int")
	l := g.maybeLabel()
	k := 1 + g.intn(3)
	operand := g.awaitOr(c, "range-operand", fmt.Sprint(k))
	hc := c.child()
	s := &Stmt{Form: "range-int", Label: l}
	head := "for range " + operand
	if g.chance(0.7) {
		i := g.name("i")
		head = fmt.Sprintf("for %s := range %s", i, operand)
		g.declareIn(hc.sc, i, tInt, c.fb, func() *Block { return s.Body })
	}
	s.Head = head
	aw := c.fb.awaits
	s.Body = g.loopBody(hc, l, target{})
	g.leafLabel(c, s, aw)
	g.fixUnused(hc.sc)
	return s, false
}

// rangeVars declares the key and value variables of a range loop (either
// may be absent) and returns the header's left side ("" for none).
func (g *gen) rangeVars(c, hc ctx, s *Stmt, kt, vt typ) string {
	var k, v string
	switch g.intn(4) {
	case 0:
		k = g.name(prefixes[kt])
	case 1:
		v = g.name(prefixes[vt])
	case 2:
		k, v = g.name(prefixes[kt]), g.name(prefixes[vt])
	}
	body := func() *Block { return s.Body }
	if k != "" {
		g.declareIn(hc.sc, k, kt, c.fb, body)
	}
	if v != "" {
		g.declareIn(hc.sc, v, vt, c.fb, body)
	}
	switch {
	case k != "" && v != "":
		return k + ", " + v + " := "
	case k != "":
		return k + " := "
	case v != "":
		return "_, " + v + " := "
	}
	return ""
}

func (g *gen) rangeSlice(c ctx) (*Stmt, bool) {
	g.cov.form("range-slice")
	l := g.maybeLabel()
	hc := c.child()
	s := &Stmt{Form: "range-slice", Label: l}
	elem, operand := tInt, ""
	if len(c.sc.lookup(tT, nil)) > 0 && g.chance(0.4) {
		elem = tT
		operand = "[]T{" + g.expr(c, tT, 1, "complit-slice") + ", " + g.expr(c, tT, 1, "complit-slice") + "}"
	} else {
		operand = g.expr(c, tSlice, 2, "range-operand")
	}
	s.Head = "for " + g.rangeVars(c, hc, s, tInt, elem) + "range " + operand
	aw := c.fb.awaits
	s.Body = g.loopBody(hc, l, target{})
	g.leafLabel(c, s, aw)
	g.fixUnused(hc.sc)
	return s, false
}

func (g *gen) rangeArray(c ctx) (*Stmt, bool) {
	g.cov.form("range-array")
	l := g.maybeLabel()
	hc := c.child()
	s := &Stmt{Form: "range-array", Label: l}
	var operand string
	if a := g.maybeRead(c, tArr, 0.3); a != nil {
		operand = "&" + a.name // no copy: the body's writes are seen
	} else {
		operand = g.expr(c, tArr, 2, "range-operand")
	}
	s.Head = "for " + g.rangeVars(c, hc, s, tInt, tInt) + "range " + operand
	aw := c.fb.awaits
	s.Body = g.loopBody(hc, l, target{})
	g.leafLabel(c, s, aw)
	g.fixUnused(hc.sc)
	return s, false
}

func (g *gen) rangeString(c ctx) (*Stmt, bool) {
	g.cov.form("range-string")
	l := g.maybeLabel()
	hc := c.child()
	s := &Stmt{Form: "range-string", Label: l}
	operand := `"aé日"`
	if g.chance(0.7) {
		operand = g.expr(c, tStr, 2, "range-operand")
	}
	s.Head = "for " + g.rangeVars(c, hc, s, tInt, tRune) + "range " + operand
	aw := c.fb.awaits
	s.Body = g.loopBody(hc, l, target{})
	g.leafLabel(c, s, aw)
	g.fixUnused(hc.sc)
	return s, false
}

// rangeMap1 ranges over a map of one entry (so the order is fixed); the
// body may do anything.
func (g *gen) rangeMap1(c ctx) (*Stmt, bool) {
	g.cov.form("range-map-1")
	l := g.maybeLabel()
	hc := c.child()
	s := &Stmt{Form: "range-map-1", Label: l}
	var operand string
	if g.chance(0.5) {
		operand = fmt.Sprintf("map[string]int{%s: %s}", g.strLit(), g.expr(c, tInt, 2, "complit-map-value"))
	} else {
		operand = g.mapLit(c, 2, 1)
	}
	if c.canTry() && g.chance(0.2) {
		g.countAwait(c, "range-operand")
		operand = fmt.Sprintf("rt.Try(v(%d, %s))", g.tag(), operand)
	}
	s.Head = "for " + g.rangeVars(c, hc, s, tStr, tInt) + "range " + operand
	aw := c.fb.awaits
	s.Body = g.loopBody(hc, l, target{})
	g.leafLabel(c, s, aw)
	g.fixUnused(hc.sc)
	return s, false
}

func (g *gen) rangeChan(c ctx) (*Stmt, bool) {
	g.cov.form("range-chan")
	g.cov.form("send")
	l := g.maybeLabel()
	ch := g.name("ch")
	stmts := []*Stmt{{Text: ch + " := make(chan int, 3)", Keep: true}}
	for range 1 + g.intn(3) {
		stmts = append(stmts, &Stmt{Text: ch + " <- " + g.expr(c, tInt, 2, "send-value")})
	}
	stmts = append(stmts, &Stmt{Text: "close(" + ch + ")", Keep: true})
	hc := c.child()
	s := &Stmt{Form: "range-chan", Label: l}
	lhs := ""
	// for range ch without a variable: fuzz_range_chan_no_var.
	if g.chance(0.8) || !g.ok("range-chan-novar") {
		x := g.name("x")
		lhs = x + " := "
		g.declareIn(hc.sc, x, tInt, c.fb, func() *Block { return s.Body })
	} else {
		g.cov.form("range-chan-novar")
	}
	s.Head = "for " + lhs + "range " + ch
	aw := c.fb.awaits
	s.Body = g.loopBody(hc, l, target{})
	g.leafLabel(c, s, aw)
	g.fixUnused(hc.sc)
	return group(c, "range-chan", append(stmts, s)...), false
}

// rangeFunc ranges over a function iterator; its body cannot await.
func (g *gen) rangeFunc(c ctx) (*Stmt, bool) {
	g.cov.form("range-func")
	l := g.maybeLabel()
	if g.noLabel(c) {
		l = nil
	}
	hc := c.child()
	hc.noAwait = true
	s := &Stmt{Form: "range-func", Label: l}
	operand := fmt.Sprintf("seq(%d, %s)", g.tag(), g.pure(c, tInt, 1)+"&3")
	lhs := ""
	if g.chance(0.7) {
		x := g.name("x")
		lhs = x + " := "
		g.declareIn(hc.sc, x, tInt, c.fb, func() *Block { return s.Body })
	}
	s.Head = "for " + lhs + "range " + operand
	s.Body = g.loopBody(hc, l, target{rangeF: true})
	g.fixUnused(hc.sc)
	return s, false
}

// rangeMapQuiet ranges over a map of several entries, whose order is
// random: the body only accumulates into a sum with commutative updates,
// records nothing, and reads nothing that other tasks change, so the
// trace does not depend on the order. It may await (q), which suspends
// the same number of times whatever the order.
func (g *gen) rangeMapQuiet(c ctx) (*Stmt, bool) {
	g.cov.form("range-map-quiet")
	acc, m, k, val := g.name("acc"), g.name("m"), g.name("k"), g.name("val")
	stmts := []*Stmt{
		{Text: acc + " := 0", Keep: true},
		{Text: m + " := " + g.mapLit(c, 2, 2+g.intn(3)), Keep: true},
	}
	q := &quiet{g: g, c: c, acc: acc, m: m, k: k, ints: []string{val}}
	body := q.block(2)
	body.Stmts = append([]*Stmt{{Text: fmt.Sprintf("%s += len(%s) * %s", acc, k, val), Keep: true}}, body.Stmts...)
	if !g.ok("spill-liveness") {
		body.Stmts = append(body.Stmts, &Stmt{Text: fmt.Sprintf("_, _ = %s, %s", k, val)})
	}
	s := &Stmt{Form: "range-map-quiet", Head: fmt.Sprintf("for %s, %s := range %s", k, val, m), Body: body}
	stmts = append(stmts, s, &Stmt{Text: fmt.Sprintf("ev(\"acc\", %d, %s, len(%s))", g.tag(), acc, m), Keep: true})
	return group(c, "range-map-quiet", stmts...), false
}

// quiet generates the order-insensitive body of rangeMapQuiet.
type quiet struct {
	g    *gen
	c    ctx
	acc  string
	m, k string
	ints []string // readable ints: the value and the body's own locals
}

func (q *quiet) block(d int) *Block {
	b := &Block{}
	saved := len(q.ints)
	for range 1 + q.g.intn(3) {
		b.Stmts = append(b.Stmts, q.stmt(d)...)
	}
	q.ints = q.ints[:saved]
	return b
}

func (q *quiet) stmt(d int) []*Stmt {
	g := q.g
	switch g.intn(7) {
	case 0:
		x := g.name("x")
		s := &Stmt{Text: x + " := " + q.intE(2)}
		q.ints = append(q.ints, x)
		return []*Stmt{s, {Text: q.acc + " += " + x}}
	case 1:
		if d > 0 {
			s := &Stmt{Head: "if " + q.boolE(), Body: q.block(d - 1)}
			if g.chance(0.5) {
				s.Tail = []*Clause{{Head: "else", Body: q.block(d - 1)}}
			}
			return []*Stmt{s}
		}
	case 2:
		return []*Stmt{{Head: "if " + q.boolE(), Body: &Block{Stmts: []*Stmt{{Text: "continue"}}}}}
	case 3:
		if d > 0 {
			j := g.name("j")
			q.ints = append(q.ints, j)
			b := q.block(d - 1)
			q.ints = q.ints[:len(q.ints)-1]
			b.Stmts = append(b.Stmts, &Stmt{Text: fmt.Sprintf("%s += %s", q.acc, j)})
			return []*Stmt{{Head: fmt.Sprintf("for %s := range 2", j), Body: b}}
		}
	case 4:
		if q.c.canAwait() {
			g.countAwait(q.c, "await-stmt")
			return []*Stmt{{Text: "rt.Await(q(0))"}}
		}
	case 5:
		return []*Stmt{{Text: fmt.Sprintf("delete(%s, %s)", q.m, q.k)}}
	}
	return []*Stmt{{Text: q.acc + " += " + q.intE(2)}}
}

func (q *quiet) intE(d int) string {
	g := q.g
	if d <= 0 || g.chance(0.3) {
		if g.chance(0.7) {
			return q.ints[g.intn(len(q.ints))]
		}
		return fmt.Sprint(g.intn(10))
	}
	switch g.intn(4) {
	case 0:
		return paren(q.intE(d-1) + " + " + q.intE(d-1))
	case 1:
		return paren(q.intE(d-1) + " * 3")
	case 2:
		return "len(" + q.k + ")"
	default:
		if q.c.canTry() {
			g.countAwait(q.c, "call-arg")
			return "rt.Try(q(" + q.intE(d-1) + "))"
		}
		return q.intE(d - 1)
	}
}

func (q *quiet) boolE() string {
	if q.g.chance(0.3) {
		return fmt.Sprintf("%s == %q", q.k, []string{"a", "b", "c"}[q.g.intn(3)])
	}
	return paren(q.intE(1) + " > " + fmt.Sprint(q.g.intn(6)))
}

// switchStmt is an expression switch: a tag of type int or string, or
// none; cases constant or computed (maybe awaiting); a default anywhere;
// fallthrough.
func (g *gen) switchStmt(c ctx) (*Stmt, bool) {
	l := g.maybeLabel()
	sc := c.child()
	sc.sc.header = true
	s := &Stmt{Form: "switch", Label: l}
	head := "switch "
	if !c.noDecl && g.chance(0.2) {
		g.cov.form("switch-init")
		x := g.name("x")
		head += x + " := " + g.expr(c, tInt, 2, "switch-init") + "; "
		g.declareIn(sc.sc, x, tInt, c.fb, func() *Block { return s.Cases[0].Body })
	}
	kind := g.intn(3)
	var pool []string
	switch kind {
	case 0:
		g.cov.form("switch-tag")
		head += g.expr(sc, tInt, 2, "switch-tag")
		pool = strings.Fields("0 1 2 3 4 5 6 7 8 9 -1")
	case 1:
		g.cov.form("switch-tag")
		head += g.expr(sc, tStr, 2, "switch-tag")
		pool = []string{`"a"`, `"b"`, `"c"`, `""`, `"xy"`, `"é"`}
	default:
		g.cov.form("switch-tagless")
		head = strings.TrimSuffix(head, " ")
	}
	g.r.Shuffle(len(pool), func(i, j int) { pool[i], pool[j] = pool[j], pool[i] })
	caseExpr := func() string {
		if kind == 2 {
			x := g.awaitOr(sc, "case-expr", g.intAtom(sc))
			if !strings.HasPrefix(x, "rt.") && !strings.HasPrefix(x, "h(") {
				x = fmt.Sprintf("h(%d, %s)", g.tag(), x)
			}
			return paren(x + " " + []string{"<", "==", ">"}[g.intn(3)] + " " + fmt.Sprint(g.intn(6)))
		}
		if len(pool) > 0 && g.chance(0.6) {
			x := pool[0]
			pool = pool[1:]
			return x
		}
		x := g.awaitOr(sc, "case-expr", g.strOrInt(kind))
		if !strings.HasPrefix(x, "rt.") && !strings.HasPrefix(x, "h(") {
			x = fmt.Sprintf("h(%d, %s)", g.tag(), x)
		}
		return x
	}
	n := 1 + g.intn(4)
	def := -1
	if g.chance(0.5) {
		def = g.intn(n)
		g.cov.form("switch-default")
		if n == 1 {
			if g.ok("switch-default-only") {
				g.cov.form("switch-default-only")
			} else {
				n, def = 2, g.intn(2)
			}
		}
	}
	bc := sc.withTarget(target{label: l})
	aw := c.fb.awaits
	for i := range n {
		cl := &Clause{}
		if i == def {
			cl.Head = "default"
		} else {
			var es []string
			for range 1 + g.intn(2) {
				es = append(es, caseExpr())
			}
			cl.Head = "case " + strings.Join(es, ", ")
		}
		cl.Body = g.body(bc)
		// fallthrough after a nested switch: fuzz_fallthrough_after_nested_switch.
		nested := strings.Contains(cl.Body.String(), "switch ")
		if i < n-1 && !cl.Body.term && g.chance(0.25) && g.ok("fallthrough") && (!nested || g.ok("fallthrough-after-switch")) {
			g.cov.form("fallthrough")
			cl.Body.Stmts = append(cl.Body.Stmts, &Stmt{Text: "fallthrough"})
		}
		s.Cases = append(s.Cases, cl)
	}
	s.Head = head
	g.fixUnused(sc.sc)
	g.leafLabel(c, s, aw)
	return s, false
}

// strOrInt is a constant for a case of the given switch kind.
func (g *gen) strOrInt(kind int) string {
	if kind == 1 {
		return g.strLit()
	}
	return fmt.Sprint(g.intn(10))
}

// typeSwitch switches on the dynamic type of an any.
func (g *gen) typeSwitch(c ctx) (*Stmt, bool) {
	g.cov.form("type-switch")
	l := g.maybeLabel()
	s := &Stmt{Form: "type-switch", Label: l}
	operand := g.expr(c, tAny, 2, "typeswitch-operand")
	bind := ""
	if g.chance(0.6) {
		bind = g.name("y")
		g.cov.form("type-switch-bind")
	}
	type caseType struct {
		name string
		t    typ
	}
	pool := []caseType{{"int", tInt}, {"string", tStr}, {"bool", tBool}, {"S", tS}, {"[]int", tSlice}, {"float64", tNone}, {"*S", tPS}}
	g.r.Shuffle(len(pool), func(i, j int) { pool[i], pool[j] = pool[j], pool[i] })
	n := 1 + g.intn(3)
	def := -1
	if g.chance(0.6) {
		def = g.intn(n + 1)
	}
	binds, unused := 0, 0
	bc := c.withTarget(target{label: l})
	aw := c.fb.awaits
	for i := range n + 1 {
		if i == n && def != n {
			break
		}
		cc := bc.child()
		cl := &Clause{}
		var bt typ = tAny
		if i == def {
			cl.Head = "default"
		} else {
			k := 1 + g.intn(2)
			k = min(k, len(pool))
			if k == 0 {
				continue
			}
			var names []string
			for _, ct := range pool[:k] {
				names = append(names, ct.name)
			}
			if k == 1 {
				bt = pool[0].t
			}
			pool = pool[k:]
			cl.Head = "case " + strings.Join(names, ", ")
		}
		if bind != "" && bt != tNone {
			v := &variable{name: bind, t: bt, body: c.fb}
			v.fix = func() { unused++ } // handled below, across clauses
			cc.sc.vars = append(cc.sc.vars, v)
			binds++
		}
		cc.depth++
		cl.Body = g.block(cc, 1+g.intn(3), nil)
		s.Cases = append(s.Cases, cl)
	}
	if bind != "" {
		if unused == binds && len(s.Cases) > 0 {
			b := s.Cases[0].Body
			b.Stmts = append([]*Stmt{{Text: "_ = " + bind}}, b.Stmts...)
		}
		s.Head = fmt.Sprintf("switch %s := %s.(type)", bind, operand)
	} else {
		s.Head = fmt.Sprintf("switch %s.(type)", operand)
	}
	if len(s.Cases) > 0 {
		g.leafLabel(c, s, aw)
	}
	return s, false
}

// selectStmt is a select with a default and at most one ready case, so
// it is deterministic; it cannot await (the compiler refuses awaits in
// select), but the statements before it can.
func (g *gen) selectStmt(c ctx) (*Stmt, bool) {
	g.cov.form("select-default")
	g.cov.form("send")
	l := g.maybeLabel()
	if g.noLabel(c) {
		l = nil
	}
	ch := g.name("sc")
	stmts := []*Stmt{
		{Text: ch + " := make(chan int, 1)", Keep: true},
		{Head: "if " + g.expr(c, tBool, 2, "if-cond"), Body: &Block{Stmts: []*Stmt{{Text: ch + " <- " + g.expr(c, tInt, 2, "send-value")}}}},
	}
	s := &Stmt{Form: "select-default", Label: l, Head: "select"}
	bc := c.withTarget(target{label: l})
	bc.noAwait = true
	hc := bc.child()
	hc.sc.header = true
	cl := &Clause{}
	if g.chance(0.6) {
		x := g.name("x")
		cl.Head = fmt.Sprintf("case %s := <-%s", x, ch)
		g.declareIn(hc.sc, x, tInt, c.fb, func() *Block { return cl.Body })
	} else {
		cl.Head = fmt.Sprintf("case %s <- %s", ch, g.pure(c, tInt, 2))
	}
	cc := hc.child()
	cc.depth++
	cl.Body = g.block(cc, 1+g.intn(3), nil)
	g.fixUnused(hc.sc)
	dc := bc.child()
	dc.depth++
	def := &Clause{Head: "default", Body: g.block(dc, 1+g.intn(2), nil)}
	if g.chance(0.5) {
		s.Cases = []*Clause{cl, def}
	} else {
		s.Cases = []*Clause{def, cl}
	}
	return group(c, "select-default", append(stmts, s)...), false
}

func (g *gen) blockStmt(c ctx) (*Stmt, bool) {
	g.cov.form("block")
	b := g.body(c)
	return &Stmt{Form: "block", Body: b}, b.term
}

// closureLoop appends closures that capture the loop's variables to a
// slice, then calls them after the loop (Go 1.22: one variable per
// iteration).
func (g *gen) closureLoop(c ctx) (*Stmt, bool) {
	g.cov.form("closure-loopvar")
	fs := g.name("fs")
	sink := &variable{name: fs, t: tFns, used: true, body: c.fb}
	lc := c
	lc.sink = sink
	sink.used = false
	var loop *Stmt
	switch g.intn(4) {
	case 0:
		loop, _ = g.for3(lc)
	case 1:
		loop, _ = g.rangeInt(lc)
	case 2:
		loop, _ = g.rangeSlice(lc)
	default:
		loop, _ = g.rangeString(lc)
	}
	if !sink.used {
		loop.Body.Stmts = append([]*Stmt{g.sinkStmt(fs, g.intAtom(c))}, loop.Body.Stmts...)
	}
	stmts := []*Stmt{
		{Text: "var " + fs + " []func() int", Keep: true},
		loop,
		{Text: fmt.Sprintf("for _, f := range %s {\nev(\"closure\", %d, f())\n}", fs, g.tag()), Keep: true},
	}
	return group(c, "closure-loopvar", stmts...), false
}

func (g *gen) sinkStmt(fs, val string) *Stmt {
	return &Stmt{Form: "closure-sink", Text: fmt.Sprintf("%s = append(%s, func() int { return %s })", fs, fs, val)}
}

// sinkAppend appends a closure over the variables in scope (the loop's
// among them) to the enclosing closureLoop's slice.
func (g *gen) sinkAppend(c ctx) (*Stmt, bool) {
	c.sink.used = true
	val := g.pure(c, tInt, 2)
	if vs := c.sc.lookup(tInt, func(v *variable) bool { return v.ro }); len(vs) > 0 {
		v := vs[0]
		v.used = true
		val = paren(v.name + "*10 + " + val)
	}
	return g.sinkStmt(c.sink.name, val), false
}

// nestedAsync awaits a nested async literal: x := rt.Try(rt.Async(...)).
func (g *gen) nestedAsync(c ctx) (*Stmt, bool) {
	g.cov.form("nested-async")
	fb := &fbody{kind: kAsync, canAwait: true, canTry: true, nested: true}
	nc := c.fresh(fb)
	nc.depth = c.depth + 1
	body := g.block(nc, 1+g.intn(4), g.returnStmt)
	s := &Stmt{Form: "nested-async", Body: body, End: "))"}
	switch {
	case c.canTry() && g.chance(0.6):
		g.countAwait(c, "define-rhs")
		x := g.name("x")
		s.Head = x + " := rt.Try(rt.Async(func() (int, error)"
		g.declare(c, s, x, tInt)
	case g.chance(0.5):
		g.countAwait(c, "await-assign")
		x, e := g.name("x"), g.name("err")
		s.Head = x + ", " + e + " := rt.Await(rt.Async(func() (int, error)"
		g.declare(c, s, x, tInt)
		g.declare(c, s, e, tErr)
	default:
		g.countAwait(c, "await-stmt")
		s.Head = "rt.Await(rt.Async(func() (int, error)"
	}
	return s, false
}

// spawnAsync spawns a nested async literal as a task.
func (g *gen) spawnAsync(c ctx) (*Stmt, bool) {
	g.cov.form("spawn-async")
	g.cov.form("spawn")
	fb := &fbody{kind: kAsync, canAwait: true, canTry: true, nested: true, spawned: true}
	nc := c.fresh(fb)
	nc.depth = c.depth + 1
	body := g.block(nc, 1+g.intn(4), g.returnStmt)
	t := g.name("t")
	s := &Stmt{Form: "spawn-async", Head: t + " := rt.Spawn(rt.Async(func() (int, error)", Body: body, End: "))"}
	g.declare(c, s, t, tTask)
	return s, false
}
