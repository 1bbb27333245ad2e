package emit

import (
	"fmt"
	"go/ast"
	"go/token"
	"go/types"

	"github.com/asyncgen/asyncgen/transform"
	"github.com/dave/jennifer/jen"
)

// machineHooks convert the code of one async body inside its Step method.
type machineHooks struct {
	f     *transform.File
	m     *transform.Machine
	conv  *Converter
	names *localNames

	depth     int                   // function literals entered inside the body
	defining  ast.Expr              // spilled expression being computed into its temporary
	bound     map[*types.Var]string // boxed variables bound by a closure
	jumpedTo  map[int]bool          // blocks some goto reaches
	capByObj  map[*types.Var]*transform.Capture
	shares    map[*transform.Capture]capShare      // captures carried in other fields (share.go)
	block     int                                  // the block being rendered
	capUses   map[*transform.Capture]captureBlocks // recorded by a dry run (share.go)
	namedVars []jen.Code
}

func newMachineHooks(f *transform.File, m *transform.Machine, conv *Converter) *machineHooks {
	h := &machineHooks{f: f, m: m, conv: conv, names: newLocalNames(m), capByObj: map[*types.Var]*transform.Capture{}, jumpedTo: map[int]bool{}}
	for _, c := range m.Captures {
		h.capByObj[c.Obj] = c
	}
	return h
}

func (h *machineHooks) self() *jen.Statement { return jen.Id(h.m.Recv) }

// varCode reads v in the body, or returns nil when v stays a Go variable.
func (h *machineHooks) varCode(v *types.Var) jen.Code {
	if name, ok := h.bound[v]; ok {
		return jen.Parens(jen.Op("*").Id(name))
	}
	if st, ok := h.m.Vars[v]; ok {
		var ref *jen.Statement
		switch st.Kind {
		case transform.InField:
			ref = h.self().Dot(st.Name)
		default:
			ref = jen.Id(st.Name)
		}
		if st.Boxed {
			return jen.Parens(jen.Op("*").Add(ref))
		}
		return ref
	}
	if c, ok := h.capByObj[v]; ok {
		h.recordCapture(c)
		if s, ok := h.shares[c]; ok {
			return jen.Id(s.local)
		}
		if c.ByRef {
			return jen.Parens(jen.Op("*").Add(h.self().Dot(c.Name)))
		}
		return h.self().Dot(c.Name)
	}
	return nil
}

func (h *machineHooks) objOf(id *ast.Ident) *types.Var {
	if v, ok := h.m.Temps[id]; ok {
		return v
	}
	if v, ok := h.f.Info.Uses[id].(*types.Var); ok {
		return v
	}
	v, _ := h.f.Info.Defs[id].(*types.Var)
	return v
}

func (h *machineHooks) Ident(id *ast.Ident) jen.Code {
	if v := h.objOf(id); v != nil {
		return h.varCode(v)
	}
	return nil
}

func (h *machineHooks) read(v *types.Var) jen.Code {
	if c := h.varCode(v); c != nil {
		return c
	}
	return jen.Id(v.Name())
}

func (h *machineHooks) Expr(e ast.Expr) jen.Code {
	if t, ok := h.m.Subst[e]; ok && e != h.defining {
		return h.read(h.m.Temps[t])
	}
	if p, ok := h.m.Pairs[e]; ok {
		return jen.List(h.read(h.m.Temps[p[0]]), h.read(h.m.Temps[p[1]]))
	}
	h.defining = nil
	switch e := e.(type) {
	case *ast.SelectorExpr:
		if id, ok := e.X.(*ast.Ident); ok {
			if path, ok := h.f.PkgRefs[id]; ok {
				return jen.Qual(path, e.Sel.Name)
			}
		}
	case *ast.CallExpr:
		return h.call(e)
	case *ast.FuncLit:
		return h.funcLit(e)
	}
	return nil
}

// call rewrites the calls whose meaning depends on the machine.
func (h *machineHooks) call(call *ast.CallExpr) jen.Code {
	if lit, ok := asyncArg(call); ok && (rtName(h.f.Info, call) == "Async" || rtName(h.f.Info, call) == "Generate") {
		if inner := h.f.ByLit[lit]; inner != nil && !inner.Deferred {
			return constructCall(h.f, inner, h.read, nil)
		}
	}
	switch rtName(h.f.Info, call) {
	case "Context":
		return jen.Qual(transform.SMPath, "Context").Call(jen.Op("&").Add(h.self()).Dot("Frame"))
	}
	if h.m.Deferred && h.depth == 0 && isRecover(h.f.Info, call) {
		return jen.Qual(transform.SMPath, "Recover").Call(h.self().Dot("outerFrame"))
	}
	return nil
}

func asyncArg(call *ast.CallExpr) (*ast.FuncLit, bool) {
	if len(call.Args) != 1 {
		return nil, false
	}
	lit, ok := ast.Unparen(call.Args[0]).(*ast.FuncLit)
	return lit, ok
}

func isRecover(info *types.Info, call *ast.CallExpr) bool {
	id, ok := ast.Unparen(call.Fun).(*ast.Ident)
	if !ok {
		return false
	}
	b, ok := info.Uses[id].(*types.Builtin)
	return ok && b.Name() == "recover"
}

// funcLit converts a closure of the body. A closure that uses boxed
// variables binds their current boxes when it is made (Go 1.22 loop
// semantics), through an immediately called wrapper:
//
//	func(x *int) func() { return func() { ... (*x) ... } }(self.x)
func (h *machineHooks) funcLit(lit *ast.FuncLit) jen.Code {
	boxed := h.boxedUses(lit)
	h.depth++
	defer func() { h.depth-- }()
	if len(boxed) == 0 {
		return h.conv.FuncType(jen.Func(), lit.Type).Block(h.conv.Stmts(lit.Body.List)...)
	}
	saved := h.bound
	h.bound = map[*types.Var]string{}
	for k, v := range saved {
		h.bound[k] = v
	}
	var params, args []jen.Code
	for _, v := range boxed {
		name := h.names.fresh(v.Name())
		params = append(params, jen.Id(name).Op("*").Add(TypeCode(v.Type())))
		st := h.m.Vars[v]
		if st.Kind == transform.InField {
			args = append(args, h.self().Dot(st.Name))
		} else {
			args = append(args, jen.Id(st.Name))
		}
		h.bound[v] = name
	}
	inner := h.conv.FuncType(jen.Func(), lit.Type).Block(h.conv.Stmts(lit.Body.List)...)
	h.bound = saved
	sig := h.f.Info.Types[lit].Type.(*types.Signature)
	return jen.Func().Params(params...).Add(Signature(jen.Func(), sig)).Block(jen.Return(inner)).Call(args...)
}

// boxedUses lists, in order of first use, the boxed variables lit uses.
func (h *machineHooks) boxedUses(lit *ast.FuncLit) []*types.Var {
	var out []*types.Var
	seen := map[*types.Var]bool{}
	ast.Inspect(lit.Body, func(n ast.Node) bool {
		id, ok := n.(*ast.Ident)
		if !ok {
			return true
		}
		v := h.objOf(id)
		if st, ok := h.m.Vars[v]; ok && st.Boxed && !seen[v] {
			if _, already := h.bound[v]; !already {
				seen[v] = true
				out = append(out, v)
			}
		}
		return true
	})
	return out
}

func (h *machineHooks) Stmt(s ast.Stmt) jen.Code {
	if h.depth > 0 {
		return nil
	}
	if to, ok := h.m.Jumps[s]; ok {
		return h.jump(to)
	}
	if aw, ok := h.m.AwaitAt[s]; ok {
		return h.awaitStart(aw)
	}
	if r, ok := h.m.Results[s]; ok {
		return h.result(r)
	}
	if lc, ok := h.m.Loops[s]; ok {
		return h.loopCopy(lc)
	}
	switch s := s.(type) {
	case *ast.ReturnStmt:
		if h.m.Returns[s] {
			return h.ret(s)
		}
	case *ast.BranchStmt:
		if to, ok := h.m.Redirs[s]; ok {
			return h.jump(to)
		}
	case *ast.DeferStmt:
		return h.deferStmt(s)
	case *ast.AssignStmt:
		if s.Tok == token.DEFINE {
			return h.define(s)
		}
	case *ast.DeclStmt:
		return h.declStmt(s)
	}
	return nil
}

// jump continues at block to: "goto stateK".
func (h *machineHooks) jump(to int) jen.Code {
	h.jumpedTo[to] = true
	return jen.Goto().Id(h.label(to))
}

// label is the label of block id in Step.
func (h *machineHooks) label(id int) string { return fmt.Sprintf("%s%d", h.m.Label, id) }

// awaitStart starts an await:
//
//	self.awaitT = f
//	self.State = resume
//	if !sm.Await(&self.Frame, self.awaitT) { return }
//	goto stateResume
func (h *machineHooks) awaitStart(aw *transform.Await) jen.Code {
	slot := h.self().Dot(aw.Slot.Name)
	clear := jen.Null()
	for _, v := range aw.Clear {
		clear = clear.Add(h.self().Dot(h.m.Vars[v].Name)).Op("=").Add(zeroValue(v.Type())).Line()
	}
	future := h.conv.Expr(aw.Future)
	if aw.Yield {
		future = h.self().Dot("gen").Dot("Yield").Call(future)
	}
	return jen.Add(slot).Op("=").Add(future).Line().
		Add(clear).
		Add(h.self()).Dot("State").Op("=").Lit(aw.Resume).Line().
		If(jen.Op("!").Qual(transform.SMPath, "Await").Call(jen.Op("&").Add(h.self()).Dot("Frame"), h.self().Dot(aw.Slot.Name))).
		Block(jen.Return()).Line().
		Goto().Id(h.label(aw.Resume))
}

// result reads an await's outcome into its targets; rt.Try fails the body
// on error.
func (h *machineHooks) result(r *transform.ResultOf) jen.Code {
	result := "Result"
	if r.Owned {
		result = "ResultOwned"
	}
	read := jen.Qual(transform.SMPath, result).Call(jen.Op("&").Add(h.self()).Dot("Frame"), h.self().Dot(r.Slot.Name))
	clear := h.self().Dot(r.Slot.Name).Op("=").Nil()
	decls := h.declareTargets(r.Value, r.Err)
	if !r.Try {
		return jen.Add(decls).List(h.target(r.Value), h.target(r.Err)).Op("=").Add(read).Line().Add(clear)
	}
	v, err := h.names.fresh("value"), h.names.fresh("err")
	body := []jen.Code{
		jen.List(jen.Id(v), jen.Id(err)).Op(":=").Add(read),
		clear,
		jen.If(jen.Id(err).Op("!=").Nil()).Block(
			h.self().Dot("Throw").Call(jen.Id(err)),
			h.jump(h.m.Exit),
		),
	}
	if r.Value != nil {
		body = append(body, jen.Add(h.target(r.Value)).Op("=").Id(v))
	} else {
		body = append(body, jen.Id("_").Op("=").Id(v))
	}
	return jen.Add(decls).Block(body...)
}

func (h *machineHooks) target(e ast.Expr) jen.Code {
	if e == nil {
		return jen.Id("_")
	}
	return h.conv.Expr(e)
}

// declareTargets declares the block-local variables an await result
// defines, and allocates boxed ones.
func (h *machineHooks) declareTargets(targets ...ast.Expr) *jen.Statement {
	out := jen.Null()
	for _, e := range targets {
		id, ok := e.(*ast.Ident)
		if !ok || id.Name == "_" {
			continue
		}
		v := h.definedVar(id)
		st, ok := h.m.Vars[v]
		if !ok {
			continue
		}
		out = out.Add(h.declareVar(st))
	}
	return out
}

// declareVar declares a block-local variable, or gives a boxed one its
// fresh box, before the statement that defines it.
func (h *machineHooks) declareVar(st *transform.Var) jen.Code {
	switch {
	case st.Kind == transform.InBlock:
		return jen.Var().Id(st.Name).Add(TypeCode(st.Obj.Type())).Line()
	case st.Boxed && st.Kind == transform.InField:
		return h.self().Dot(st.Name).Op("=").New(TypeCode(st.Obj.Type())).Line()
	case st.Boxed:
		return jen.Id(st.Name).Op("=").New(TypeCode(st.Obj.Type())).Line()
	}
	return jen.Null()
}

func (h *machineHooks) definedVar(id *ast.Ident) *types.Var {
	if v, ok := h.m.Temps[id]; ok {
		return v
	}
	v, _ := h.f.Info.Defs[id].(*types.Var)
	return v
}

// define rewrites "a, b := x, y" of the flattened level when a variable it
// declares does not live in its block: declarations first, then "=".
func (h *machineHooks) define(s *ast.AssignStmt) jen.Code {
	if len(s.Lhs) == 1 && len(s.Rhs) == 1 {
		if id, ok := s.Lhs[0].(*ast.Ident); ok && h.m.Subst[s.Rhs[0]] == id {
			return h.defineTemp(id, s.Rhs[0])
		}
	}
	// ":=" may stay only if every name it assigns is a local of this
	// block: a redeclared field or Step local would be shadowed instead.
	native := true
	for _, e := range s.Lhs {
		if id, ok := e.(*ast.Ident); ok {
			if st, ok := h.m.Vars[h.objOf(id)]; ok && (st.Kind != transform.InBlock || st.Boxed) {
				native = false
			}
		}
	}
	if native {
		return nil
	}
	decls := h.declareTargets(s.Lhs...)
	lhs := make([]jen.Code, len(s.Lhs))
	for i, e := range s.Lhs {
		lhs[i] = h.conv.Expr(e)
	}
	rhs := make([]jen.Code, len(s.Rhs))
	for i, e := range s.Rhs {
		rhs[i] = h.conv.Expr(e)
	}
	return jen.Add(decls).List(lhs...).Op("=").List(rhs...)
}

// declStmt rewrites "var x T" of the flattened level for variables that do
// not live in their block (and declares synthesized temporaries).
func (h *machineHooks) declStmt(s *ast.DeclStmt) jen.Code {
	gd, ok := s.Decl.(*ast.GenDecl)
	if !ok || gd.Tok != token.VAR {
		return nil
	}
	native := true
	for _, sp := range gd.Specs {
		vs := sp.(*ast.ValueSpec)
		for _, n := range vs.Names {
			st, ok := h.m.Vars[h.definedVar(n)]
			if ok && (st.Kind != transform.InBlock || st.Boxed || vs.Type == nil && len(vs.Values) == 0) {
				native = false
			}
		}
	}
	if native {
		return nil
	}
	out := jen.Null()
	for _, sp := range gd.Specs {
		vs := sp.(*ast.ValueSpec)
		out = out.Add(h.valueSpec(vs))
	}
	return out
}

func (h *machineHooks) valueSpec(vs *ast.ValueSpec) jen.Code {
	out := jen.Null()
	var lhs []jen.Code
	for _, n := range vs.Names {
		st, ok := h.m.Vars[h.definedVar(n)]
		if !ok {
			lhs = append(lhs, jen.Id("_"))
			continue
		}
		out = out.Add(h.declareVar(st))
		lhs = append(lhs, h.conv.Expr(n))
		if len(vs.Values) == 0 && st.Kind != transform.InBlock {
			out = out.Add(jen.Add(h.conv.Expr(n)).Op("=").Add(zeroValue(st.Obj.Type())).Line())
		}
	}
	if len(vs.Values) > 0 {
		rhs := make([]jen.Code, len(vs.Values))
		for i, e := range vs.Values {
			rhs[i] = h.conv.Expr(e)
		}
		out = out.List(lhs...).Op("=").List(rhs...)
	}
	return out
}

// loopCopy renews boxed three-clause loop variables before the post
// statement: the next iteration gets a new variable with the same value.
func (h *machineHooks) loopCopy(lc *transform.LoopCopy) jen.Code {
	var out *jen.Statement
	for _, v := range lc.Vars {
		st := h.m.Vars[v]
		if st == nil || !st.Boxed {
			continue
		}
		var ref *jen.Statement
		if st.Kind == transform.InField {
			ref = h.self().Dot(st.Name)
		} else {
			ref = jen.Id(st.Name)
		}
		prev := h.names.fresh("prev")
		if out == nil {
			out = jen.Null()
		}
		out = out.Block(
			jen.Id(prev).Op(":=").Add(ref),
			jen.Add(ref).Op("=").New(TypeCode(v.Type())),
			jen.Op("*").Add(ref).Op("=").Op("*").Id(prev),
		).Line()
	}
	if out == nil {
		return skip
	}
	return out
}

// ret sets the body's results and goes to the exit state, which runs the
// deferred calls.
func (h *machineHooks) ret(s *ast.ReturnStmt) jen.Code {
	out := jen.Null()
	switch {
	case h.m.Generator:
		out = out.Add(h.self()).Dot("Return").Call(jen.Struct().Values(), h.conv.Expr(s.Results[0])).Line()
	case h.m.Deferred || len(s.Results) == 0:
	case len(h.m.Named) > 0 && len(s.Results) == 1:
		out = out.List(h.read(h.m.Named[0]), h.read(h.m.Named[1])).Op("=").Add(h.conv.Expr(s.Results[0])).Line()
	case len(h.m.Named) > 0:
		var lhs, rhs []jen.Code
		for i, e := range s.Results {
			if id, ok := e.(*ast.Ident); ok && h.objOf(id) == h.m.Named[i] {
				continue // "return x, err" where err is the result itself
			}
			lhs = append(lhs, h.read(h.m.Named[i]))
			rhs = append(rhs, h.conv.Expr(e))
		}
		if len(lhs) > 0 {
			out = out.List(lhs...).Op("=").List(rhs...).Line()
		}
	default:
		args := make([]jen.Code, len(s.Results))
		for i, e := range s.Results {
			args[i] = h.conv.Expr(e)
		}
		out = out.Add(h.self()).Dot("Return").Call(args...).Line()
	}
	if to, ok := h.m.ReturnTo[s]; ok {
		return out.Add(h.jump(to)) // closing streams on the way
	}
	return out.Add(h.jump(h.m.Exit))
}

// deferStmt pushes a deferred call on the frame. The function value and
// the arguments are evaluated now, as Go does; a call without arguments
// pushes the function value itself so that recover() works inside it.
func (h *machineHooks) deferStmt(s *ast.DeferStmt) jen.Code {
	frame := jen.Op("&").Add(h.self()).Dot("Frame")
	call := s.Call
	switch {
	case rtName(h.f.Info, call) == "Await" || rtName(h.f.Info, call) == "Try":
		return jen.Qual(transform.SMPath, "DeferAwait").Call(frame, h.conv.Expr(call.Args[0]))
	case h.deferredMachine(call) != nil:
		m := h.deferredMachine(call)
		return jen.Qual(transform.SMPath, "DeferAwait").Call(frame, construct(m, h.read, jen.Op("&").Add(h.self()).Dot("Frame")))
	case len(call.Args) == 0 && !isBuiltinCall(h.f.Info, call) && noResults(h.f.Info, call.Fun):
		return h.self().Dot("Defer").Call(h.conv.Expr(call.Fun))
	}
	return h.deferWithArgs(call)
}

func (h *machineHooks) deferredMachine(call *ast.CallExpr) *transform.Machine {
	lit, ok := ast.Unparen(call.Fun).(*ast.FuncLit)
	if !ok {
		return nil
	}
	return h.f.ByLit[lit]
}

// deferWithArgs evaluates the function and its arguments into fresh
// variables and defers a closure calling them:
//
//	{ fn, a0 := f, x; self.Defer(func() { fn(a0) }) }
func (h *machineHooks) deferWithArgs(call *ast.CallExpr) jen.Code {
	var stmts, args []jen.Code
	fun := h.conv.Expr(call.Fun)
	builtin := isBuiltinCall(h.f.Info, call)
	if !builtin {
		fn := h.names.fresh("deferred")
		stmts = append(stmts, jen.Id(fn).Op(":=").Add(fun))
		fun = jen.Id(fn)
	}
	sig, _ := h.f.Info.Types[call.Fun].Type.(*types.Signature)
	for i, a := range call.Args {
		name := h.names.fresh(fmt.Sprintf("arg%d", i))
		if t := paramType(sig, i, call.Ellipsis.IsValid()); t != nil {
			stmts = append(stmts, jen.Var().Id(name).Add(TypeCode(t)).Op("=").Add(h.conv.Expr(a)))
		} else {
			stmts = append(stmts, jen.Id(name).Op(":=").Add(h.conv.Expr(a)))
		}
		arg := jen.Id(name)
		if i == len(call.Args)-1 && call.Ellipsis.IsValid() {
			arg = arg.Op("...")
		}
		args = append(args, arg)
	}
	stmts = append(stmts, h.self().Dot("Defer").Call(jen.Func().Params().Block(jen.Add(fun).Call(args...))))
	return jen.Block(stmts...)
}

// paramType is the type argument i is assigned to.
func paramType(sig *types.Signature, i int, spread bool) types.Type {
	if sig == nil {
		return nil
	}
	n := sig.Params().Len()
	if sig.Variadic() && i >= n-1 {
		last := sig.Params().At(n - 1).Type()
		if spread {
			return last
		}
		return last.(*types.Slice).Elem()
	}
	if i < n {
		return sig.Params().At(i).Type()
	}
	return nil
}

func isBuiltinCall(info *types.Info, call *ast.CallExpr) bool {
	id, ok := ast.Unparen(call.Fun).(*ast.Ident)
	if !ok {
		return false
	}
	_, ok = info.Uses[id].(*types.Builtin)
	return ok
}

// noResults reports whether fun's signature returns nothing, so the value
// itself is a func().
func noResults(info *types.Info, fun ast.Expr) bool {
	sig, ok := info.Types[fun].Type.Underlying().(*types.Signature)
	return ok && sig.Results().Len() == 0 && sig.Params().Len() == 0
}

// defineTemp computes a spilled expression into its temporary; there the
// expression is itself, not its temporary.
func (h *machineHooks) defineTemp(id *ast.Ident, e ast.Expr) jen.Code {
	decls := h.declareTargets(id)
	h.defining = e
	rhs := h.conv.Expr(e)
	h.defining = nil
	return jen.Add(decls).Add(h.conv.Expr(id)).Op("=").Add(rhs)
}
