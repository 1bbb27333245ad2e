package progen

import (
	"fmt"
	"go/format"
	"math/rand"
	"sort"
	"strings"
)

// Options configure the generator. The zero value is the default.
type Options struct {
	// MaxStmts is the statement budget of one function (default 30).
	MaxStmts int
	// MaxDepth bounds the nesting of compound statements (default 3).
	MaxDepth int
	// Avoid names statement forms and await positions (as in Coverage)
	// that must not be generated: constructs with a known bug, avoided so
	// that other bugs can surface.
	Avoid map[string]bool
}

func (o *Options) maxStmts() int {
	if o.MaxStmts > 0 {
		return o.MaxStmts
	}
	return 30
}

func (o *Options) maxDepth() int {
	if o.MaxDepth > 0 {
		return o.MaxDepth
	}
	return 3
}

// A Program is a batch of generated async functions with the code that
// runs them.
type Program struct {
	Prelude []string // top-level declarations shared by the functions
	Funcs   []*Func
}

// A Func is one generated async function: the declarations it needs and
// the function itself.
type Func struct {
	Name  string   // f<seed>
	Seed  int64    // the seed it was generated from
	Kind  string   // func-plain, func-generic, func-method-ptr, ...
	Decls []string // top-level declarations of its own (types, globals)
	Sig   string   // the declaration line, up to the opening brace
	Lit   string   // the async literal's signature: func() (int, error)
	Body  *Block
	Call  string // the call in main.go's case list
	Cov   *Coverage
}

// Generate returns a program with the functions of seeds first ..
// first+n-1. Each function depends only on its seed and opts, so any one
// can be regenerated alone.
func Generate(opts Options, first int64, n int) *Program {
	p := &Program{Prelude: append([]string(nil), prelude...)}
	for i := range int64(n) {
		p.Funcs = append(p.Funcs, GenerateFunc(opts, first+i))
	}
	return p
}

// Coverage sums the coverage of the program's functions.
func (p *Program) Coverage() *Coverage {
	c := NewCoverage()
	for _, f := range p.Funcs {
		c.Add(f.Cov)
	}
	return c
}

// Clone deep-copies the program (for the minimizer).
func (p *Program) Clone() *Program {
	c := &Program{Prelude: append([]string(nil), p.Prelude...)}
	for _, f := range p.Funcs {
		g := *f
		g.Decls = append([]string(nil), f.Decls...)
		g.Body = f.Body.clone()
		c.Funcs = append(c.Funcs, &g)
	}
	return c
}

// Only returns a copy of the program that keeps only the named function.
func (p *Program) Only(name string) *Program {
	c := p.Clone()
	c.Funcs = nil
	for _, f := range p.Clone().Funcs {
		if f.Name == name {
			c.Funcs = append(c.Funcs, f)
		}
	}
	return c
}

// Source returns the two files of the program: prog.go (the DSL, build
// tag asyncgen) and main.go (built in both views), gofmt-formatted.
func (p *Program) Source() (prog, main []byte, err error) {
	var b strings.Builder
	for _, d := range p.Prelude {
		b.WriteString(d + "\n\n")
	}
	for _, f := range p.Funcs {
		for _, d := range f.Decls {
			b.WriteString(d + "\n\n")
		}
		fmt.Fprintf(&b, "// %s was generated from seed %d.\n", f.Name, f.Seed)
		fmt.Fprintf(&b, "%s {\nreturn rt.Async(%s {\n", f.Sig, f.Lit)
		f.Body.print(&b)
		b.WriteString("})\n}\n\n")
	}
	body := b.String()
	var hdr strings.Builder
	hdr.WriteString("//go:build asyncgen\n\npackage main\n\nimport (\n")
	for _, imp := range []string{"cmp", "errors", "fmt", "iter", "strconv", "strings"} {
		if strings.Contains(body, imp+".") {
			fmt.Fprintf(&hdr, "%q\n", imp)
		}
	}
	hdr.WriteString("\n\"github.com/asyncgen/asyncgen/rt\"\n)\n\n")
	prog, err = format.Source([]byte(hdr.String() + body))
	if err != nil {
		return []byte(hdr.String() + body), nil, fmt.Errorf("generated prog.go does not parse: %v", err)
	}
	var cases strings.Builder
	for _, f := range p.Funcs {
		fmt.Fprintf(&cases, "{%q, func() rt.Future[int] { return %s }},\n", f.Name, f.Call)
	}
	main, err = format.Source([]byte(fmt.Sprintf(mainTemplate, cases.String())))
	return prog, main, err
}

// typ is a type of the generated expression grammar.
type typ int

const (
	tInt   typ = iota
	tStr       // string
	tBool      // bool
	tSlice     // []int, always at least 4 long
	tArr       // [3]int
	tMap       // map[string]int
	tS         // S
	tPS        // *S, never nil
	tAny       // any
	tT         // the type parameter of a generic function
	tPInt      // *int, never nil
	tErr       // error
	tTask      // *rt.Task[int]
	tFn        // func(int) int
	tGet       // func(int) rt.Future[int], a method value
	tRune      // rune
	tFns       // []func() int, a sink for closures
	tNone      // a type outside the grammar
)

func (t typ) String() string {
	return [...]string{"int", "string", "bool", "[]int", "[3]int", "map[string]int", "S", "*S",
		"any", "T", "*int", "error", "*rt.Task[int]", "func(int) int",
		"func(int) rt.Future[int]", "rune", "[]func() int", "?"}[t]
}

// awaitable types are those an rt.Try may produce.
func (t typ) awaitable() bool {
	switch t {
	case tInt, tStr, tBool, tSlice, tArr, tS, tPS, tAny, tT:
		return true
	}
	return false
}

// A variable is a name in scope in the generated code, or an addressable
// expression that behaves as one (a receiver's field).
type variable struct {
	name   string
	t      typ
	ro     bool // never assigned (loop counters, ...)
	used   bool
	fix    func() // makes an unused variable used; nil: insert after decl
	list   *[]*Stmt
	decl   *Stmt
	ranged bool // a map being ranged over: no inserts
	// sameBody is the function body that declared it; a goroutine or
	// quiet region must not touch variables of others.
	body *fbody
}

type scope struct {
	parent *scope
	vars   []*variable
	header bool // the variables of a statement's header (loop, if, switch)
}

func (s *scope) lookup(t typ, pred func(*variable) bool) []*variable {
	var out []*variable
	for ; s != nil; s = s.parent {
		for _, v := range s.vars {
			if v.t == t && (pred == nil || pred(v)) {
				out = append(out, v)
			}
		}
	}
	return out
}

type bodyKind int

const (
	kAsync   bodyKind = iota // an async body: returns (int, error)
	kDefer                   // a deferred literal without parameters: may await
	kClosure                 // a plain closure returning int
)

// fbody is the function literal (or declaration) whose body is being
// generated.
type fbody struct {
	kind     bodyKind
	named    bool // async body with named results (res, rerr)
	canAwait bool
	canTry   bool
	spawned  bool // the body of a spawned task
	nested   bool // a nested async literal
	awaits   int  // awaits generated directly in this body so far
}

// target is a break/continue target.
type target struct {
	label  *Label // nil: unlabeled only
	loop   bool   // continue allowed
	rangeF bool   // the body of a range over a function
}

// gotoTarget is a label a goto may reach from here.
type gotoTarget struct {
	label   *Label
	counter string // backward: the counter guarding each jump
	bound   int
}

// ctx is the generation context of a statement list.
type ctx struct {
	fb      *fbody
	sc      *scope
	depth   int
	targets []target
	gotos   []gotoTarget
	noDecl  bool // this level precedes a forward label: no declarations
	noAwait bool // select clauses, range-over-func bodies, plain closures
	sink    *variable
	list    *[]*Stmt // the statement list being filled
}

func (c ctx) child() ctx {
	c.sc = &scope{parent: c.sc}
	c.noDecl = false
	return c
}

func (c ctx) withTarget(t target) ctx {
	c.targets = append(append([]target(nil), c.targets...), t)
	return c
}

func (c ctx) withGoto(t gotoTarget) ctx {
	c.gotos = append(append([]gotoTarget(nil), c.gotos...), t)
	return c
}

// fresh enters a new function literal: no branch crosses its boundary.
func (c ctx) fresh(fb *fbody) ctx {
	c = c.child()
	c.fb = fb
	c.targets = nil
	c.gotos = nil
	c.noAwait = !fb.canAwait
	c.sink = nil
	return c
}

func (c ctx) canAwait() bool { return c.fb.canAwait && !c.noAwait }
func (c ctx) canTry() bool   { return c.fb.canTry && !c.noAwait }

// gen generates one function.
type gen struct {
	r       *rand.Rand
	o       *Options
	cov     *Coverage
	names   int
	tags    int
	budget  int
	decls   []string
	generic bool
	tName   string // the instantiation of T for main.go
	// stmtAwaits counts the awaits of the statement being generated.
	stmtAwaits int
}

// GenerateFunc generates the function of one seed.
func GenerateFunc(opts Options, seed int64) *Func {
	g := &gen{r: rand.New(rand.NewSource(seed)), o: &opts, cov: NewCoverage(), budget: opts.maxStmts()}
	g.cov.Funcs = 1
	f := &Func{Name: fmt.Sprintf("f%d", seed), Seed: seed}
	g.function(f)
	f.Decls = g.decls
	f.Cov = g.cov
	return f
}

func (g *gen) chance(p float64) bool { return g.r.Float64() < p }
func (g *gen) intn(n int) int        { return g.r.Intn(n) }
func (g *gen) ok(form string) bool   { return !g.o.Avoid[form] }

func (g *gen) name(prefix string) string {
	g.names++
	return fmt.Sprintf("%s%d", prefix, g.names)
}

func (g *gen) tag() int {
	g.tags++
	return g.tags
}

// function picks the kind of function and generates its body.
func (g *gen) function(f *Func) {
	kinds := []string{"func-plain", "func-plain", "func-plain", "func-generic", "func-method-ptr", "func-method-val", "func-named-results"}
	var avail []string
	for _, k := range kinds {
		if g.ok(k) {
			avail = append(avail, k)
		}
	}
	if len(avail) == 0 {
		avail = []string{"func-plain"}
	}
	f.Kind = avail[g.intn(len(avail))]
	g.cov.form(f.Kind)
	fb := &fbody{kind: kAsync, canAwait: true, canTry: true}
	sc := &scope{}
	param := func(name string, t typ) {
		sc.vars = append(sc.vars, &variable{name: name, t: t, used: true, body: fb})
	}
	param("p", tInt)
	pv := g.intn(5)
	f.Lit = "func() (int, error)"
	switch f.Kind {
	case "func-plain":
		f.Sig = fmt.Sprintf("func %s(p int) rt.Future[int]", f.Name)
		f.Call = fmt.Sprintf("%s(%d)", f.Name, pv)
	case "func-generic":
		g.generic = true
		inst := [][3]string{{"int", "3", "5"}, {"string", `"x"`, `"y"`}, {"float64", "1.5", "-2"}}[g.intn(3)]
		g.tName = inst[0]
		f.Sig = fmt.Sprintf("func %s[T cmp.Ordered](p int, a, b T) rt.Future[int]", f.Name)
		f.Call = fmt.Sprintf("%s[%s](%d, %s, %s)", f.Name, inst[0], pv, inst[1], inst[2])
		param("a", tT)
		param("b", tT)
	case "func-method-ptr", "func-method-val":
		recvType := "R" + strings.TrimPrefix(f.Name, "f")
		g.decls = append(g.decls, fmt.Sprintf("type %s struct {\n\tn int\n\ts string\n}", recvType))
		recv := recvType
		if f.Kind == "func-method-ptr" {
			recv = "*" + recvType
			f.Call = fmt.Sprintf("(&%s{n: %d, s: %q}).run(%d)", recvType, g.intn(9), "r", pv)
		} else {
			f.Call = fmt.Sprintf("%s{n: %d, s: %q}.run(%d)", recvType, g.intn(9), "r", pv)
		}
		f.Sig = fmt.Sprintf("func (rc %s) run(p int) rt.Future[int]", recv)
		sc.vars = append(sc.vars,
			&variable{name: "rc.n", t: tInt, used: true, body: fb},
			&variable{name: "rc.s", t: tStr, used: true, body: fb})
	case "func-named-results":
		fb.named = true
		fb.canTry = false
		f.Lit = "func() (res int, rerr error)"
		f.Sig = fmt.Sprintf("func %s(p int) rt.Future[int]", f.Name)
		f.Call = fmt.Sprintf("%s(%d)", f.Name, pv)
		param("res", tInt)
		param("rerr", tErr)
	}
	if g.chance(0.3) {
		gl := "g" + strings.TrimPrefix(f.Name, "f")
		g.decls = append(g.decls, fmt.Sprintf("var %s int", gl))
		sc.vars = append(sc.vars, &variable{name: gl, t: tInt, used: true, body: fb})
	}
	// One function in four reads p only as its body starts, copying it
	// into a variable the rest uses: the capture then travels in the field
	// of a later variable (emit/share.go). Decided from the seed, not
	// drawn, so the other seeds keep their programs.
	var entry *Stmt
	if f.Seed%4 == 3 {
		pc := g.name("pc")
		sc.vars[0] = &variable{name: pc, t: tInt, used: true, body: fb}
		entry = &Stmt{Text: fmt.Sprintf("%s := p\nev(%q, %s)", pc, pc, pc), Keep: true}
	}
	c := ctx{fb: fb, sc: sc}
	c = c.child()
	f.Body = g.block(c, 1<<20, func(c ctx) *Stmt { return g.finalReturn(c) })
	if entry != nil {
		f.Body.Stmts = append([]*Stmt{entry}, f.Body.Stmts...)
	}
}

// finalReturn ends an async body.
func (g *gen) finalReturn(c ctx) *Stmt {
	s := g.returnStmt(c)
	s.Keep = true
	return s
}

// sortedNames is for deterministic iteration in tests.
func sortedNames(m map[string]int) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// KnownBugs are constructs that trigger open asyncgen bugs, each with the
// testdata/run archive that reproduces it. The differential test and
// asyncfuzz avoid them by default (and say so), so that other bugs can
// surface; delete an entry once its archive passes.
var KnownBugs = map[string]string{}

// AvoidKnownBugs returns options that avoid every construct of KnownBugs.
func AvoidKnownBugs() Options {
	o := Options{Avoid: map[string]bool{}}
	for k := range KnownBugs {
		o.Avoid[k] = true
	}
	return o
}
