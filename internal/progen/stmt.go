package progen

import (
	"fmt"
	"strings"
)

// exprDepth bounds the nesting of generated expressions (constant
// expressions stay far below any overflow).
const exprDepth = 3

// block fills a new statement list with at most n statements while the
// budget lasts, then appends last (unless a terminating statement ended
// the list). Variables the list declared but never read are then used.
func (g *gen) block(c ctx, n int, last func(ctx) *Stmt) *Block {
	b := &Block{}
	c.list = &b.Stmts
	for i := 0; i < n && g.budget > 0; i++ {
		s, term := g.stmt(c)
		if s == nil {
			continue
		}
		b.Stmts = append(b.Stmts, s)
		if term {
			last = nil
			b.term = true
			break
		}
	}
	if !g.ok("spill-liveness") {
		g.keepAlive(c, b)
	}
	if last != nil {
		b.Stmts = append(b.Stmts, last(c))
	}
	g.fixUnused(c.sc)
	return b
}

// keepAlive reads every variable of the block (and of the header of the
// statement it is the body of) at its end, so that a use in a spilled
// call is never a variable's only use after its block
// (fuzz_spill_liveness).
func (g *gen) keepAlive(c ctx, b *Block) {
	vars := c.sc.vars
	if p := c.sc.parent; p != nil && p.header {
		vars = append(append([]*variable(nil), vars...), p.vars...)
	}
	var keep []*Stmt
	for _, v := range vars {
		if !strings.Contains(v.name, ".") {
			v.used = true
			keep = append(keep, &Stmt{Text: "_ = " + v.name})
		}
	}
	if b.term {
		insertBeforeLast(&b.Stmts, keep)
		return
	}
	b.Stmts = append(b.Stmts, keep...)
}

// insertBeforeLast inserts ss before the last statement of a list that
// ends with a terminating statement (inside it, if it is an inline group).
func insertBeforeLast(l *[]*Stmt, ss []*Stmt) {
	n := len(*l)
	if last := (*l)[n-1]; last.Inline != nil {
		insertBeforeLast(&last.Inline, ss)
		return
	}
	*l = append(append((*l)[:n-1:n-1], ss...), (*l)[n-1])
}

// body generates a nested block: a new scope, one level deeper.
func (g *gen) body(c ctx) *Block {
	c = c.child()
	c.depth++
	return g.block(c, 1+g.intn(4), nil)
}

// fixUnused makes every variable of the scope used: Go refuses variables
// that are declared and never read.
func (g *gen) fixUnused(sc *scope) {
	for _, v := range sc.vars {
		if v.used {
			continue
		}
		v.used = true
		if v.fix != nil {
			v.fix()
			continue
		}
		use := useStmt(v)
		if v.list == nil {
			continue
		}
		for i, s := range *v.list {
			if s == v.decl {
				*v.list = append((*v.list)[:i+1], append([]*Stmt{use}, (*v.list)[i+1:]...)...)
				break
			}
		}
	}
}

// useStmt reads v: its value goes into the trace when it is printable.
func useStmt(v *variable) *Stmt {
	switch v.t {
	case tPS, tPInt, tTask, tFn, tGet, tFns:
		return &Stmt{Text: "_ = " + v.name}
	}
	return &Stmt{Text: fmt.Sprintf("ev(%q, %s)", v.name, v.name)}
}

// declare adds a variable declared by s to the current scope.
func (g *gen) declare(c ctx, s *Stmt, name string, t typ) *variable {
	v := &variable{name: name, t: t, list: c.list, decl: s, body: c.fb}
	c.sc.vars = append(c.sc.vars, v)
	return v
}

// declareIn adds a variable whose unused fix inserts a use at the start
// of body (loop variables, if-init variables).
func (g *gen) declareIn(sc *scope, name string, t typ, fb *fbody, body func() *Block) *variable {
	v := &variable{name: name, t: t, body: fb}
	v.fix = func() {
		b := body()
		b.Stmts = append([]*Stmt{useStmt(v)}, b.Stmts...)
	}
	sc.vars = append(sc.vars, v)
	return v
}

type choice struct {
	form string
	w    int
	f    func(c ctx) (*Stmt, bool)
}

// stmt generates one statement; term reports a terminating statement
// (nothing may follow it in its list).
func (g *gen) stmt(c ctx) (s *Stmt, term bool) {
	g.budget--
	g.stmtAwaits = 0
	deep := c.depth < g.o.maxDepth() && g.budget > 2
	async := c.fb.kind == kAsync
	inLoop := false
	for _, t := range c.targets {
		inLoop = inLoop || t.loop
	}
	has := func(t typ) bool { return has(c, t) }
	decl := !c.noDecl
	w := func(cond bool, n int) int {
		if cond {
			return n
		}
		return 0
	}
	cs := []choice{
		{"assign", 14, g.assign},
		{"var-decl", w(decl, 10), g.define},
		{"event", 5, g.event},
		{"await-stmt", w(c.canAwait(), 6), g.awaitStmt},
		{"await-assign", w(c.canAwait() && decl, 4), g.awaitAssign},
		{"inc-dec", 3, g.incDec},
		{"spawn", w(c.canAwait() && decl && async, 2), g.spawn},
		{"task-op", w(has(tTask), 3), g.taskOp},
		{"closure-mutating", w(decl, 2), g.closureMutating},
		{"address-taken", w(decl, 2), g.addressTaken},
		{"method-value", w(decl, 1), g.methodValue},
		{"go-stmt", w(decl, 1), g.goStmt},
		{"defer", w(async && c.fb.kind == kAsync, 5), g.deferStmt},
		{"panic", w(true, 1), g.panicStmt},
		{"return", 2, g.returnGuarded},
		{"branch", w(len(c.targets) > 0, 5), g.branch},
		{"goto-jump", w(len(c.gotos) > 0, 3), g.gotoJump},
		{"goto-forward", w(deep, 2), g.gotoForward},
		{"goto-backward", w(deep, 1), g.gotoBackward},
		{"if", w(deep, 9), g.ifStmt},
		{"for-3clause", w(deep, 3), g.for3},
		{"for-while", w(deep, 2), g.forWhile},
		{"for-infinite", w(deep, 1), g.forInfinite},
		{"range-int", w(deep, 2), g.rangeInt},
		{"range-slice", w(deep, 2), g.rangeSlice},
		{"range-array", w(deep, 1), g.rangeArray},
		{"range-string", w(deep, 1), g.rangeString},
		{"range-map-1", w(deep, 1), g.rangeMap1},
		{"range-map-quiet", w(deep && c.canAwait(), 1), g.rangeMapQuiet},
		{"range-chan", w(deep, 1), g.rangeChan},
		{"range-func", w(deep, 1), g.rangeFunc},
		{"switch", w(deep, 3), g.switchStmt},
		{"type-switch", w(deep, 2), g.typeSwitch},
		{"select-default", w(deep, 1), g.selectStmt},
		{"block", w(deep, 1), g.blockStmt},
		{"closure-loopvar", w(deep && decl, 1), g.closureLoop},
		{"nested-async", w(deep && c.canAwait() && decl, 2), g.nestedAsync},
		{"spawn-async", w(deep && c.canAwait() && decl && async, 1), g.spawnAsync},
		{"closure-sink", w(c.sink != nil, 6), g.sinkAppend},
	}
	var ws []int
	for i := range cs {
		if !g.ok(cs[i].form) {
			cs[i].w = 0
		}
		ws = append(ws, cs[i].w)
	}
	ch := cs[g.weighted(ws...)]
	return ch.f(c)
}

// ---- simple statements ----

func (g *gen) assign(c ctx) (*Stmt, bool) {
	ts := []typ{tInt, tInt, tInt, tStr, tBool, tSlice, tArr, tS, tAny, tT, tPInt, tPS, tMap}
	for range 8 {
		t := ts[g.intn(len(ts))]
		if s := g.assignTo(c, t); s != nil {
			return s, false
		}
	}
	return g.event(c)
}

// assignTo assigns to a variable of type t; nil if there is none.
func (g *gen) assignTo(c ctx, t typ) *Stmt {
	if t == tPInt || t == tPS {
		v := g.read(c, t)
		if v == nil {
			return nil
		}
		if t == tPInt {
			op := []string{"=", "+="}[g.intn(2)]
			if op != "=" {
				g.cov.form("op-assign")
			}
			return &Stmt{Form: "assign", Text: fmt.Sprintf("*%s %s %s", v.name, op, g.expr(c, tInt, exprDepth, "assign-rhs"))}
		}
		return &Stmt{Form: "assign", Text: fmt.Sprintf("%s.A += %s", v.name, g.expr(c, tInt, exprDepth, "op-assign"))}
	}
	if t == tMap {
		m := g.read(c, tMap)
		if m == nil {
			return nil
		}
		if m.ranged || g.chance(0.2) {
			return &Stmt{Form: "assign", Text: fmt.Sprintf("delete(%s, %s)", m.name, g.expr(c, tStr, 2, "call-arg"))}
		}
		op := []string{"=", "+="}[g.intn(2)]
		return &Stmt{Form: "assign", Text: fmt.Sprintf("%s[%s] %s %s", m.name, g.expr(c, tStr, 2, "map-key-lhs"), op, g.expr(c, tInt, exprDepth, "assign-rhs"))}
	}
	v := g.writable(c, t)
	if v == nil {
		return nil
	}
	if g.chance(0.15) {
		if w := g.writable(c, t); w != nil && w != v {
			// A tuple assignment: a swap, or two values.
			g.cov.form("tuple-assign")
			if g.chance(0.5) {
				v.used, w.used = true, true
				return &Stmt{Form: "assign", Text: fmt.Sprintf("%s, %s = %s, %s", v.name, w.name, w.name, v.name)}
			}
			return &Stmt{Form: "assign", Text: fmt.Sprintf("%s, %s = %s, %s", v.name, w.name,
				g.expr(c, t, exprDepth-1, "tuple-rhs"), g.expr(c, t, exprDepth-1, "tuple-rhs"))}
		}
	}
	switch t {
	case tInt:
		if g.chance(0.4) {
			g.cov.form("op-assign")
			op := []string{"+=", "-=", "*=", "|=", "^="}[g.intn(5)]
			return &Stmt{Form: "assign", Text: fmt.Sprintf("%s %s %s", v.name, op, g.expr(c, tInt, exprDepth, "op-assign"))}
		}
	case tSlice:
		switch g.intn(3) {
		case 0:
			v.used = true
			return &Stmt{Form: "assign", Text: fmt.Sprintf("%s = append(%s, %s)", v.name, v.name, g.expr(c, tInt, 2, "append-arg"))}
		case 1:
			v.used = true
			op := []string{"=", "+="}[g.intn(2)]
			return &Stmt{Form: "assign", Text: fmt.Sprintf("%s[%s&3] %s %s", v.name, g.expr(c, tInt, 2, "index-lhs"), op, g.expr(c, tInt, exprDepth, "assign-rhs"))}
		}
	case tArr:
		v.used = true
		return &Stmt{Form: "assign", Text: fmt.Sprintf("%s[%s&1] = %s", v.name, g.expr(c, tInt, 2, "index-lhs"), g.expr(c, tInt, exprDepth, "assign-rhs"))}
	case tS:
		if g.chance(0.6) {
			v.used = true
			if g.chance(0.5) {
				return &Stmt{Form: "assign", Text: fmt.Sprintf("%s.A += %s", v.name, g.expr(c, tInt, exprDepth, "op-assign"))}
			}
			return &Stmt{Form: "assign", Text: fmt.Sprintf("%s.B = %s", v.name, g.expr(c, tStr, exprDepth, "assign-rhs"))}
		}
	}
	rhs := g.expr(c, t, exprDepth, "assign-rhs")
	if rhs == v.name {
		// Not a self-assignment (vet): record the value instead.
		return &Stmt{Form: "event", Text: fmt.Sprintf("ev(%q, %s)", v.name, v.name)}
	}
	return &Stmt{Form: "assign", Text: v.name + " = " + rhs}
}

var prefixes = map[typ]string{tInt: "x", tStr: "s", tBool: "bo", tSlice: "sl", tArr: "ar", tS: "sv",
	tPS: "sp", tAny: "an", tT: "tv", tMap: "m", tPInt: "pi", tErr: "err", tTask: "t", tFn: "fn", tGet: "gm", tRune: "ch", tFns: "fs"}

func (g *gen) define(c ctx) (*Stmt, bool) {
	ts := []typ{tInt, tInt, tInt, tStr, tStr, tBool, tSlice, tArr, tS, tAny, tMap, tPS}
	if len(c.sc.lookup(tT, nil)) > 0 {
		ts = append(ts, tT, tT)
	}
	t := ts[g.intn(len(ts))]
	name := g.name(prefixes[t])
	s := &Stmt{Form: "var-decl"}
	g.cov.form("var-decl")
	switch {
	case t == tMap:
		s.Text = name + " := " + g.mapLit(c, 2, 1+g.intn(3))
	case g.chance(0.15) && t != tT && t != tPS:
		s.Text = fmt.Sprintf("var %s %s = %s", name, t, g.expr(c, t, exprDepth, "var-decl"))
	default:
		s.Text = name + " := " + g.expr(c, t, exprDepth, "define-rhs")
	}
	g.declare(c, s, name, t)
	return s, false
}

func (g *gen) event(c ctx) (*Stmt, bool) {
	args := []string{`"e"`, fmt.Sprint(g.tag())}
	ts := []typ{tInt, tInt, tStr, tBool, tSlice, tS, tAny}
	for range 1 + g.intn(3) {
		args = append(args, g.expr(c, ts[g.intn(len(ts))], exprDepth-1, "call-arg"))
	}
	return &Stmt{Form: "event", Text: "ev(" + strings.Join(args, ", ") + ")"}, false
}

func (g *gen) awaitableType(c ctx) typ {
	ts := []typ{tInt, tInt, tInt, tStr, tBool, tSlice, tS}
	if len(c.sc.lookup(tT, nil)) > 0 {
		ts = append(ts, tT)
	}
	return ts[g.intn(len(ts))]
}

// awaitStmt is an await as a statement: rt.Await(f), rt.Try(f), or a
// yield.
func (g *gen) awaitStmt(c ctx) (*Stmt, bool) {
	switch {
	case g.chance(0.25):
		g.countAwait(c, "await-stmt")
		return &Stmt{Form: "await-stmt", Text: "rt.Await(rt.Sleep(0))"}, false
	case c.canTry() && g.chance(0.5):
		g.countAwait(c, "try-stmt")
		return &Stmt{Form: "await-stmt", Text: "rt.Try(" + g.future(c, g.awaitableType(c), exprDepth, true) + ")"}, false
	default:
		g.countAwait(c, "await-stmt")
		return &Stmt{Form: "await-stmt", Text: "rt.Await(" + g.future(c, g.awaitableType(c), exprDepth, false) + ")"}, false
	}
}

// awaitAssign takes both results of rt.Await: v, err := rt.Await(f).
func (g *gen) awaitAssign(c ctx) (*Stmt, bool) {
	g.countAwait(c, "await-assign")
	t := g.awaitableType(c)
	f := g.future(c, t, exprDepth, false)
	s := &Stmt{Form: "await-assign"}
	if e := g.writable(c, tErr); e != nil && g.chance(0.4) {
		if v := g.writable(c, t); v != nil {
			s.Text = fmt.Sprintf("%s, %s = rt.Await(%s)", v.name, e.name, f)
			return s, false
		}
		s.Text = fmt.Sprintf("_, %s = rt.Await(%s)", e.name, f)
		return s, false
	}
	name, errName := g.name(prefixes[t]), g.name("err")
	s.Text = fmt.Sprintf("%s, %s := rt.Await(%s)", name, errName, f)
	g.declare(c, s, name, t)
	g.declare(c, s, errName, tErr)
	return s, false
}

func (g *gen) incDec(c ctx) (*Stmt, bool) {
	g.cov.form("inc-dec")
	op := []string{"++", "--"}[g.intn(2)]
	switch g.intn(4) {
	case 0:
		if v := g.writable(c, tSlice); v != nil {
			v.used = true
			return &Stmt{Form: "inc-dec", Text: fmt.Sprintf("%s[%s&3]%s", v.name, g.expr(c, tInt, 2, "incdec-index"), op)}, false
		}
	case 1:
		if ms := c.sc.lookup(tMap, func(v *variable) bool { return !v.ranged }); len(ms) > 0 {
			m := ms[g.intn(len(ms))]
			m.used = true
			return &Stmt{Form: "inc-dec", Text: fmt.Sprintf("%s[%s]%s", m.name, g.expr(c, tStr, 2, "incdec-index"), op)}, false
		}
	case 2:
		if v := g.read(c, tPS); v != nil {
			return &Stmt{Form: "inc-dec", Text: fmt.Sprintf("%s.A%s", v.name, op)}, false
		}
	}
	if v := g.writable(c, tInt); v != nil {
		return &Stmt{Form: "inc-dec", Text: v.name + op}, false
	}
	return g.event(c)
}

// spawn starts a task: t := rt.Spawn(f).
func (g *gen) spawn(c ctx) (*Stmt, bool) {
	name := g.name("t")
	g.cov.form("spawn")
	s := &Stmt{Form: "spawn", Text: fmt.Sprintf("%s := rt.Spawn(%s)", name, g.future(c, tInt, exprDepth, false))}
	g.declare(c, s, name, tTask)
	return s, false
}

// taskOp joins, cancels or inspects a task.
func (g *gen) taskOp(c ctx) (*Stmt, bool) {
	t := g.read(c, tTask)
	switch g.intn(5) {
	case 0, 1:
		g.cov.form("cancel")
		return &Stmt{Form: "cancel", Text: t.name + ".Cancel()"}, false
	case 2:
		return &Stmt{Form: "event", Text: fmt.Sprintf("ev(\"done\", %d, %s.Done())", g.tag(), t.name)}, false
	}
	if !c.canAwait() {
		return &Stmt{Form: "cancel", Text: t.name + ".Cancel()"}, false
	}
	g.cov.form("await-task")
	if c.canTry() && g.chance(0.5) {
		g.countAwait(c, "try-stmt")
		return &Stmt{Form: "await-task", Text: fmt.Sprintf("ev(\"joined\", %d, rt.Try(%s))", g.tag(), t.name)}, false
	}
	g.countAwait(c, "await-sole-arg")
	return &Stmt{Form: "await-task", Text: fmt.Sprintf("ev(\"joined\", %d, u(rt.Await(%s)))", g.tag(), t.name)}, false
}

// closureMutating declares a plain closure that changes a captured
// variable: calls to it in expressions have side effects that the
// evaluation order makes visible.
func (g *gen) closureMutating(c ctx) (*Stmt, bool) {
	name := g.name("fn")
	fb := &fbody{kind: kClosure}
	nc := c.fresh(fb)
	nc.depth = c.depth + 1
	d := &variable{name: "d", t: tInt, used: true, body: fb}
	nc.sc.vars = append(nc.sc.vars, d)
	saved := g.budget
	g.budget = min(g.budget, 2)
	var body *Block
	if w := g.writable(c, tInt); w != nil && g.chance(0.7) {
		body = &Block{Stmts: []*Stmt{{Text: fmt.Sprintf("%s += d", w.name)}}}
		body.Stmts = append(body.Stmts, &Stmt{Text: "return " + w.name + " * 2"})
		w.used = true
	} else {
		body = g.block(nc, 1+g.intn(2), func(c ctx) *Stmt {
			return &Stmt{Text: "return " + g.pure(c, tInt, 2)}
		})
	}
	g.budget = max(saved-body.count(), 0)
	g.cov.form("closure-mutating")
	s := &Stmt{Form: "closure-mutating", Head: name + " := func(d int) int", Body: body}
	g.declare(c, s, name, tFn)
	return s, false
}

// addressTaken takes the address of a variable: p := &x.
func (g *gen) addressTaken(c ctx) (*Stmt, bool) {
	if g.chance(0.5) {
		if v := g.writable(c, tInt); v != nil {
			v.used = true
			name := g.name("pi")
			s := &Stmt{Form: "address-taken", Text: name + " := &" + v.name}
			g.cov.form("address-taken")
			g.declare(c, s, name, tPInt)
			return s, false
		}
	}
	if v := g.writable(c, tS); v != nil && !strings.Contains(v.name, ".") {
		v.used = true
		name := g.name("sp")
		s := &Stmt{Form: "address-taken", Text: name + " := &" + v.name}
		g.cov.form("address-taken")
		g.declare(c, s, name, tPS)
		return s, false
	}
	return g.define(c)
}

// methodValue binds a method value: m := sv.Get.
func (g *gen) methodValue(c ctx) (*Stmt, bool) {
	name := g.name("gm")
	s := &Stmt{Form: "method-value", Text: name + " := " + g.operand(g.pure(c, tS, 2)) + ".Get"}
	g.cov.form("method-value")
	g.declare(c, s, name, tGet)
	return s, false
}

// goStmt runs a goroutine and waits for its one result on a channel
// (deterministic: the goroutine touches nothing else).
func (g *gen) goStmt(c ctx) (*Stmt, bool) {
	ch, x := g.name("gc"), g.name("x")
	arg := g.expr(c, tInt, exprDepth, "go-arg")
	g.cov.form("go-stmt")
	s := &Stmt{Form: "go-stmt", Text: fmt.Sprintf("%s := make(chan int, 1)\ngo func(a int) { %s <- a*2 + 1 }(%s)\n%s := <-%s", ch, ch, arg, x, ch)}
	g.declare(c, s, x, tInt)
	return s, false
}

// ---- defer, panic, return, branches ----

func (g *gen) deferStmt(c ctx) (*Stmt, bool) {
	g.cov.form("defer")
	for _, t := range c.targets {
		if t.loop {
			g.cov.form("defer-in-loop")
			break
		}
	}
	tag := g.tag()
	switch g.weighted(4, 4, 3*b2i(c.canAwait() && g.ok("defer-literal-await")), 3*b2i(c.canAwait() && g.ok("defer-await")), 2, 2) {
	case 0:
		g.cov.form("defer-call")
		return &Stmt{Form: "defer-call", Text: fmt.Sprintf("defer ev(\"defer\", %d, %s)", tag, g.expr(c, tInt, 2, "defer-arg"))}, false
	case 1, 2:
		return g.deferLiteral(c, tag)
	case 3:
		g.cov.form("defer-await")
		g.countAwait(c, "deferred-await")
		var f string
		switch g.intn(3) {
		case 0:
			f = fmt.Sprintf("v(%d, %s)", tag, g.expr(c, tInt, 2, "defer-arg"))
		case 1:
			f = fmt.Sprintf("vsum(%d, %s)", tag, g.expr(c, tInt, 2, "defer-arg"))
		default:
			f = fmt.Sprintf("%s.Add(%d, %s)", g.operand(g.expr(c, tPS, 1, "defer-arg")), tag, g.expr(c, tInt, 2, "defer-arg"))
		}
		return &Stmt{Form: "defer-await", Text: "defer rt.Await(" + f + ")"}, false
	case 4:
		g.cov.form("defer-method")
		return &Stmt{Form: "defer-method", Text: fmt.Sprintf("defer %s.Show(%d)", g.operand(g.expr(c, tS, 2, "defer-arg")), tag)}, false
	default:
		g.cov.form("defer-literal-args")
		return &Stmt{Form: "defer-literal-args", Text: fmt.Sprintf("defer func(a int, s string) { ev(\"defer\", %d, a, s) }(%s, %s)",
			tag, g.expr(c, tInt, 2, "defer-arg"), g.expr(c, tStr, 2, "defer-arg"))}, false
	}
}

// deferLiteral is defer func() { ... }(): it may recover, change named
// results, and await.
func (g *gen) deferLiteral(c ctx, tag int) (*Stmt, bool) {
	fb := &fbody{kind: kDefer, canAwait: c.canAwait() && g.ok("defer-literal-await") && g.chance(0.6)}
	nc := c.fresh(fb)
	nc.depth = c.depth + 1
	saved := g.budget
	g.budget = min(g.budget, 3)
	b := g.block(nc, g.intn(3), nil)
	g.budget = max(saved-b.count(), 0)
	var extra []*Stmt
	if g.chance(0.5) && g.ok("recover") {
		g.cov.form("recover")
		rec := fmt.Sprintf("if rv := recover(); rv != nil {\nev(\"recovered\", %d, rv)\n", tag)
		if c.fb.named && g.chance(0.5) {
			rec += fmt.Sprintf("res = %d\n", 100+tag)
		}
		extra = append(extra, &Stmt{Text: rec + "}"})
	}
	if c.fb.named && g.chance(0.4) {
		extra = append(extra, &Stmt{Text: "res = res*2 + 1"})
	}
	// The extra statements go at a random place, before a final return.
	at := g.intn(len(b.Stmts) + 1)
	if b.term && at == len(b.Stmts) {
		at--
	}
	b.Stmts = append(b.Stmts[:at:at], append(extra, b.Stmts[at:]...)...)
	b.Stmts = append([]*Stmt{{Text: fmt.Sprintf("ev(\"defer\", %d)", tag)}}, b.Stmts...)
	form := "defer-literal"
	if strings.Contains(b.String(), "rt.Await(") {
		form = "defer-literal-await"
	}
	g.cov.form(form)
	return &Stmt{Form: form, Head: "defer func()", Body: b, End: "()"}, false
}

// rareCond is a condition that is usually false (to guard returns and
// panics, which would otherwise cut most bodies short).
func (g *gen) rareCond(c ctx, pos string) string {
	return paren(g.expr(c, tInt, 2, pos) + " == " + fmt.Sprint(3+g.intn(6)))
}

func (g *gen) panicStmt(c ctx) (*Stmt, bool) {
	g.cov.form("panic")
	p := fmt.Sprintf("panic(fmt.Sprint(\"boom \", %d))", g.tag())
	if c.depth > 0 && g.chance(0.15) {
		return &Stmt{Form: "panic", Text: p}, true
	}
	return &Stmt{Form: "panic", Head: "if " + g.rareCond(c, "if-cond"), Body: &Block{Stmts: []*Stmt{{Text: p}}}}, false
}

// returnStmt returns from the current function literal.
func (g *gen) returnStmt(c ctx) *Stmt {
	g.cov.form("return")
	switch c.fb.kind {
	case kDefer:
		return &Stmt{Form: "return", Text: "return"}
	case kClosure:
		return &Stmt{Form: "return", Text: "return " + g.pure(c, tInt, 2)}
	}
	if c.canAwait() && g.chance(0.12) {
		g.countAwait(c, "return-await")
		return &Stmt{Form: "return", Text: "return rt.Await(" + g.future(c, tInt, exprDepth, false) + ")"}
	}
	if c.fb.named && g.chance(0.4) {
		return &Stmt{Form: "return", Text: "return"}
	}
	if g.chance(0.1) {
		g.cov.form("return-error")
		if e := g.read(c, tErr); e != nil {
			return &Stmt{Form: "return", Text: "return " + g.expr(c, tInt, 2, "return") + ", " + e.name}
		}
		return &Stmt{Form: "return", Text: fmt.Sprintf("return %s, errors.New(\"error %d\")", g.expr(c, tInt, 2, "return"), g.tag())}
	}
	return &Stmt{Form: "return", Text: "return " + g.expr(c, tInt, exprDepth, "return") + ", nil"}
}

func (g *gen) returnGuarded(c ctx) (*Stmt, bool) {
	if c.depth > 0 && g.chance(0.15) {
		return g.returnStmt(c), true
	}
	cond := g.rareCond(c, "if-cond")
	return &Stmt{Form: "return", Head: "if " + cond, Body: &Block{Stmts: []*Stmt{g.returnStmt(c)}}}, false
}

// branch is break or continue, labeled or not, usually guarded.
func (g *gen) branch(c ctx) (*Stmt, bool) {
	var loops, labeled []target
	for _, t := range c.targets {
		if t.loop {
			loops = append(loops, t)
		}
		if t.label != nil {
			labeled = append(labeled, t)
		}
	}
	word, text := "break", "break"
	switch {
	case len(labeled) > 0 && g.chance(0.4):
		t := labeled[g.intn(len(labeled))]
		if t.loop && g.chance(0.5) {
			word = "continue"
		}
		t.label.Used = true
		text = word + " " + t.label.Name
		g.cov.form("labeled-" + word)
	case len(loops) > 0 && g.chance(0.5):
		word, text = "continue", "continue"
		g.cov.form(word)
	default:
		g.cov.form(word)
	}
	if c.depth > 0 && g.chance(0.2) {
		return &Stmt{Form: word, Text: text}, true
	}
	return &Stmt{Form: word, Head: "if " + g.expr(c, tBool, 2, "if-cond"), Body: &Block{Stmts: []*Stmt{{Text: text}}}}, false
}

// gotoJump jumps to a label of an enclosing goto region.
func (g *gen) gotoJump(c ctx) (*Stmt, bool) {
	t := c.gotos[g.intn(len(c.gotos))]
	t.label.Used = true
	if t.counter != "" {
		return &Stmt{Form: "goto-backward", Text: fmt.Sprintf("if %s < %d {\n%s++\ngoto %s\n}", t.counter, t.bound, t.counter, t.label.Name)}, false
	}
	return &Stmt{Form: "goto-forward", Head: "if " + g.expr(c, tBool, 2, "if-cond"), Body: &Block{Stmts: []*Stmt{{Text: "goto " + t.label.Name}}}}, false
}

// gotoForward is a region of the current block that a goto may skip:
//
//	if cond { goto L }
//	... (no declarations at this level; nested ones may goto L)
//	L: ev(...)
func (g *gen) gotoForward(c ctx) (*Stmt, bool) {
	g.cov.form("goto-forward")
	l := &Label{Name: g.name("L"), Used: true}
	grp := &Stmt{Form: "goto-forward"}
	rc := c.withGoto(gotoTarget{label: l})
	rc.noDecl = true
	rc.list = &grp.Inline
	grp.Inline = append(grp.Inline, &Stmt{Head: "if " + g.expr(c, tBool, 2, "if-cond"), Body: &Block{Stmts: []*Stmt{{Text: "goto " + l.Name}}}})
	for range 1 + g.intn(3) {
		if g.budget <= 0 {
			break
		}
		s, term := g.stmt(rc)
		grp.Inline = append(grp.Inline, s)
		if term {
			break
		}
	}
	grp.Inline = append(grp.Inline, &Stmt{Label: l, Text: fmt.Sprintf("ev(\"label\", %d)", g.tag())})
	return grp, false
}

// gotoBackward is a loop made of a label and guarded backward jumps:
//
//	n := 0
//	L: ev(...)
//	... (nested statements may jump back to L too)
//	if n < K { n++; goto L }
func (g *gen) gotoBackward(c ctx) (*Stmt, bool) {
	g.cov.form("goto-backward")
	l := &Label{Name: g.name("L"), Used: true}
	n := g.name("n")
	k := 1 + g.intn(2)
	rc := c.withGoto(gotoTarget{label: l, counter: n, bound: k})
	if c.noDecl {
		// The counter is a declaration: the region becomes a block.
		rc = rc.child()
	}
	var list []*Stmt
	rc.list = &list
	list = append(list, &Stmt{Text: n + " := 0", Keep: true}, &Stmt{Label: l, Text: fmt.Sprintf("ev(\"label\", %d, %s)", g.tag(), n), Keep: true})
	term := false
	for range 1 + g.intn(3) {
		if g.budget <= 0 {
			break
		}
		var s *Stmt
		s, term = g.stmt(rc)
		list = append(list, s)
		if term {
			break
		}
	}
	jump := &Stmt{Text: fmt.Sprintf("if %s < %d {\n%s++\ngoto %s\n}", n, k, n, l.Name)}
	if term {
		// The jump goes before the terminating statement, which stays last.
		list = append(list[:len(list)-1], jump, list[len(list)-1])
	} else {
		list = append(list, jump)
	}
	if c.noDecl {
		g.fixUnused(rc.sc)
		return &Stmt{Form: "goto-backward", Body: &Block{Stmts: list}}, term
	}
	grp := &Stmt{Form: "goto-backward", Inline: list}
	// Later fixes of variables declared in the region insert into list:
	// point them at the group's own slice.
	for _, v := range c.sc.vars {
		if v.list == &list {
			v.list = &grp.Inline
		}
	}
	return grp, term
}
