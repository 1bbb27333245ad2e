package emit

import (
	"go/ast"
	"go/token"
	"go/types"

	"github.com/asyncgen/asyncgen/transform"
	"github.com/dave/jennifer/jen"
)

// plainHooks convert code outside async bodies: only rt.Async literals
// change, into constructor calls of their machines.
type plainHooks struct {
	f    *transform.File
	conv *Converter
}

func (h *plainHooks) Ident(id *ast.Ident) jen.Code { return nil }
func (h *plainHooks) Stmt(s ast.Stmt) jen.Code     { return nil }

func (h *plainHooks) Expr(e ast.Expr) jen.Code {
	if call, ok := e.(*ast.CallExpr); ok {
		if m := h.machineOf(call); m != nil {
			return constructCall(h.f, m, func(v *types.Var) jen.Code { return jen.Id(v.Name()) }, nil)
		}
	}
	return nil
}

// constructCall renders what replaces an rt.Async or rt.Generate call: the
// machine's constructor call, or for a generator the stream made around
// it:
//
//	sm.NewGenerator(func(gen *sm.Gen[T]) sm.Future[struct{}] { return newFGen(x, gen) })
func constructCall(f *transform.File, m *transform.Machine, read func(*types.Var) jen.Code, outer jen.Code) jen.Code {
	if !m.Generator {
		return construct(m, read, outer)
	}
	gen := jen.Qual(transform.SMPath, "Gen").Types(TypeCode(m.Yield))
	return jen.Qual(transform.SMPath, "NewGenerator").Call(
		jen.Func().Params(jen.Id(f.GenName).Op("*").Add(gen)).Qual(transform.SMPath, "Future").Types(jen.Struct()).Block(
			jen.Return(construct(m, read, jen.Id(f.GenName))),
		),
	)
}

func (h *plainHooks) machineOf(call *ast.CallExpr) *transform.Machine {
	if len(call.Args) != 1 {
		return nil
	}
	lit, ok := ast.Unparen(call.Args[0]).(*ast.FuncLit)
	if !ok {
		return nil
	}
	m := h.f.ByLit[lit]
	if m == nil || m.Deferred {
		return nil
	}
	if name := rtName(h.f.Info, call); name != "Async" && name != "Generate" {
		return nil
	}
	return m
}

// construct renders the call of m's constructor; read renders a captured
// variable in the caller's context, outer is the caller's frame (for a
// deferred machine).
func construct(m *transform.Machine, read func(*types.Var) jen.Code, outer jen.Code) *jen.Statement {
	var args []jen.Code
	for _, c := range m.Captures {
		if c.ByRef {
			args = append(args, jen.Op("&").Add(read(c.Obj)))
		} else {
			args = append(args, read(c.Obj))
		}
	}
	if m.Deferred || m.Generator {
		args = append(args, outer)
	}
	return jen.Id("new" + upperFirst(m.Name)).Add(typeArgs(m)).Call(args...)
}

func typeArgs(m *transform.Machine) jen.Code {
	if len(m.TypeParams) == 0 {
		return jen.Null()
	}
	ids := make([]jen.Code, len(m.TypeParams))
	for i, tp := range m.TypeParams {
		ids[i] = jen.Id(tp.Obj().Name())
	}
	return jen.Types(ids...)
}

// rtName is the name of the rt function call invokes, or "".
func rtName(info *types.Info, call *ast.CallExpr) string {
	fun := ast.Unparen(call.Fun)
	switch f := fun.(type) {
	case *ast.IndexExpr:
		fun = f.X
	case *ast.IndexListExpr:
		fun = f.X
	}
	sel, ok := fun.(*ast.SelectorExpr)
	if !ok {
		return ""
	}
	fn, ok := info.Uses[sel.Sel].(*types.Func)
	if !ok || fn.Pkg() == nil || fn.Pkg().Path() != transform.RTPath {
		return ""
	}
	return fn.Name()
}

func upperFirst(s string) string {
	if s == "" {
		return s
	}
	return string(s[0]-'a'+'A') + s[1:]
}

// isDefine reports whether s is a := statement.
func isDefine(s ast.Stmt) (*ast.AssignStmt, bool) {
	as, ok := s.(*ast.AssignStmt)
	return as, ok && as.Tok == token.DEFINE
}
