package emit

import (
	"fmt"
	"go/types"

	"github.com/asyncgen/asyncgen/transform"
	"github.com/dave/jennifer/jen"
)

// machine renders one state machine: its struct, its constructor, its
// Step method and its Where method.
func (r *renderer) machine(m *transform.Machine) []jen.Code {
	shares := r.entryShares(m)
	return []jen.Code{r.structDecl(m, shares), r.constructor(m, shares), r.step(m, shares), r.where(m)}
}

// where renders the sm.Positioner method: the source position of the
// await each resume state waits in, so that rt.DumpTasks can say where a
// task is stuck without a stack to unwind.
func (r *renderer) where(m *transform.Machine) jen.Code {
	var cases []jen.Code
	seen := map[int]bool{}
	for _, b := range m.Blocks {
		for _, s := range b.Stmts {
			aw, ok := m.AwaitAt[s]
			if !ok || seen[aw.Resume] {
				continue
			}
			seen[aw.Resume] = true
			cases = append(cases, jen.Case(jen.Lit(aw.Resume)).Block(jen.Return(jen.Lit(r.posCol(aw.Pos)))))
		}
	}
	recv := jen.Op("*").Id(m.Name).Add(typeArgs(m))
	doc := fmt.Sprintf("// Where tells rt.DumpTasks which await of %s a state waits in.", m.Name)
	return jen.Comment(doc).Line().Func().Params(recv).Id("Where").Params(jen.Id("state").Int32()).String().Block(
		jen.Switch(jen.Id("state")).Block(cases...),
		jen.Return(jen.Lit("")),
	)
}

// structDecl: the embedded sm.Machine, the captures, the variables live
// across awaits and one slot per awaited type.
func (r *renderer) structDecl(m *transform.Machine, shares map[*transform.Capture]capShare) jen.Code {
	fields := []jen.Code{jen.Qual(transform.SMPath, "Machine").Types(TypeCode(m.Result))}
	carried := map[string]string{} // field -> the capture it carries into the body
	for _, c := range m.Captures {
		if s, ok := shares[c]; ok {
			carried[s.field] = c.Obj.Name()
			continue
		}
		fields = append(fields, jen.Id(c.Name).Add(ptrIf(c.ByRef, c.Obj.Type())))
	}
	carries := func(field string) jen.Code {
		if name, ok := carried[field]; ok {
			return jen.Comment("also carries " + name + " into the body")
		}
		return jen.Null()
	}
	if m.Deferred {
		fields = append(fields, jen.Id("outerFrame").Op("*").Qual(transform.SMPath, "Frame"))
	}
	if m.Generator {
		fields = append(fields, jen.Id("gen").Op("*").Qual(transform.SMPath, "Gen").Types(TypeCode(m.Yield)))
	}
	for _, v := range m.Fields {
		fields = append(fields, jen.Id(v.Name).Add(ptrIf(v.Boxed, v.Obj.Type())).Add(carries(v.Name)))
	}
	for _, s := range m.Awaits {
		fields = append(fields, jen.Id(s.Name).Qual(transform.SMPath, "Future").Types(TypeCode(s.Type)).Add(carries(s.Name)))
	}
	doc := fmt.Sprintf("// %s is the state machine of the async body at %s.", m.Name, r.pos(m.Lit.Pos()))
	return jen.Comment(doc).Line().Type().Id(m.Name).Add(typeParamDecl(m)).Struct(fields...)
}

func ptrIf(ptr bool, t types.Type) *jen.Statement {
	if ptr {
		return jen.Op("*").Add(TypeCode(t))
	}
	return TypeCode(t)
}

func typeParamDecl(m *transform.Machine) jen.Code {
	if len(m.TypeParams) == 0 {
		return jen.Null()
	}
	params := make([]jen.Code, len(m.TypeParams))
	for i, tp := range m.TypeParams {
		params[i] = jen.Id(tp.Obj().Name()).Add(TypeCode(tp.Constraint()))
	}
	return jen.Types(params...)
}

func (r *renderer) constructor(m *transform.Machine, shares map[*transform.Capture]capShare) jen.Code {
	var params []jen.Code
	dict := jen.Dict{}
	for _, c := range m.Captures {
		params = append(params, jen.Id(c.Name).Add(ptrIf(c.ByRef, c.Obj.Type())))
		field := c.Name
		if s, ok := shares[c]; ok {
			field = s.field
		}
		dict[jen.Id(field)] = jen.Id(c.Name)
	}
	if m.Deferred {
		params = append(params, jen.Id("outerFrame").Op("*").Qual(transform.SMPath, "Frame"))
		dict[jen.Id("outerFrame")] = jen.Id("outerFrame")
	}
	if m.Generator {
		params = append(params, jen.Id("gen").Op("*").Qual(transform.SMPath, "Gen").Types(TypeCode(m.Yield)))
		dict[jen.Id("gen")] = jen.Id("gen")
	}
	typ := jen.Id(m.Name).Add(typeArgs(m))
	self := m.Recv
	return jen.Func().Id("new"+upperFirst(m.Name)).Add(typeParamDecl(m)).Params(params...).Op("*").Add(typ).Block(
		jen.Id(self).Op(":=").Op("&").Add(jen.Id(m.Name).Add(typeArgs(m))).Values(dict),
		jen.Id(self).Dot("Bind").Call(jen.Id(self), jen.Lit(m.Exit)),
		jen.Return(jen.Id(self)),
	)
}

// step renders the resume method: a switch that dispatches on State to
// the labeled block the machine resumes at, then the blocks, each braced
// so that no goto crosses a declaration. Transfers between blocks are
// gotos (the jump to the next block is free); State is written only
// before a suspension, so a resume costs one dispatch however many blocks
// it runs through.
func (r *renderer) step(m *transform.Machine, shares map[*transform.Capture]capShare) jen.Code {
	conv := &Converter{Info: r.f.Info, Fset: r.f.Fset, Lines: r.lines, FileName: r.fileName}
	h := newMachineHooks(r.f, m, conv)
	h.shares = shares
	for _, s := range shares {
		h.names.taken[s.local] = true // the entry copies: temporaries avoid them
	}
	conv.Hooks = h
	var blocks []jen.Code
	for _, b := range m.Blocks {
		if b.ID == m.Exit {
			continue
		}
		h.block = b.ID
		var stmts []jen.Code
		if b.ID == 0 {
			if copies := entryCopies(m, shares); copies != nil {
				if r.lines {
					copies = jen.Add(LineDirective(r.f.Fset.Position(m.Lit.Body.Lbrace))).Add(copies)
				}
				stmts = append(stmts, copies)
			}
		}
		stmts = append(stmts, conv.Stmts(b.Stmts)...)
		blocks = append(blocks, labeledBlock(h.label(b.ID), r.pos(b.Pos), stmts))
	}
	h.block = m.Exit
	blocks = append(blocks, labeledBlock(h.label(m.Exit), "exit: deferred calls, then completion", r.exit(m, h)))
	var body []jen.Code
	for _, v := range m.Locals {
		body = append(body, jen.Var().Id(v.Name).Add(ptrIf(v.Boxed, v.Obj.Type())))
	}
	body = append(body, r.dispatch(m, h))
	body = append(body, blocks...)
	recv := jen.Id(m.Recv).Op("*").Id(m.Name).Add(typeArgs(m))
	return jen.Func().Params(recv).Id("Step").Params().Block(body...)
}

// dispatch renders the switch on State. Its cases are the states Step can
// begin at: the entry, each resume point, the exit (a panic sends the
// machine there), and any block no goto reaches (dead code, kept so that
// it still compiles and vet sees nothing unreachable).
func (r *renderer) dispatch(m *transform.Machine, h *machineHooks) jen.Code {
	var cases []jen.Code
	for _, b := range m.Blocks {
		if b.ID == 0 || b.ID == m.Exit || b.Resume || !h.jumpedTo[b.ID] {
			cases = append(cases, jen.Case(jen.Lit(b.ID)).Block(jen.Goto().Id(h.label(b.ID))))
		}
	}
	cases = append(cases, jen.Default().Block(
		jen.Panic(jen.Lit("asyncgen: "+m.Name+": invalid state")),
	))
	return jen.Switch(jen.Id(m.Recv).Dot("State")).Block(cases...)
}

// exit runs the deferred calls, sets named results, and completes.
func (r *renderer) exit(m *transform.Machine, h *machineHooks) []jen.Code {
	self := jen.Id(m.Recv)
	var out []jen.Code
	if hasDefer(m) {
		// A deferred await suspends here; the machine resumes at the exit.
		out = append(out,
			jen.Add(self).Dot("State").Op("=").Lit(m.Exit),
			jen.If(jen.Op("!").Add(self).Dot("RunDefers").Call()).Block(jen.Return()))
	}
	if len(m.Named) == 2 {
		out = append(out, jen.Id(m.Recv).Dot("Return").Call(h.read(m.Named[0]), h.read(m.Named[1])))
	}
	out = append(out, jen.Id(m.Recv).Dot("Complete").Call(), jen.Return())
	return out
}

// labeledBlock renders "label: // comment" and the block's statements in
// braces: the braces scope the block's declarations, so a goto to a later
// label never jumps over one.
func labeledBlock(label, comment string, stmts []jen.Code) jen.Code {
	return jen.Id(label).Op(":").Comment(comment).Line().Block(stmts...)
}
