package emit

import (
	"fmt"
	"go/ast"
	"go/token"
	"path/filepath"

	"github.com/dave/jennifer/jen"
)

// Stmt converts a statement, preceded by a line directive when Lines is set.
func (c *Converter) Stmt(s ast.Stmt) *jen.Statement {
	var code *jen.Statement
	if c.Hooks != nil {
		if r := c.Hooks.Stmt(s); r == skip {
			return skip
		} else if r != nil {
			code = jen.Add(r)
		}
	}
	if code == nil {
		code = c.stmt(s)
	}
	if c.Lines && c.Fset != nil && s.Pos().IsValid() {
		if _, isLabel := s.(*ast.LabeledStmt); !isLabel {
			return jen.Add(LineDirective(c.Fset.Position(s.Pos()))).Add(code)
		}
	}
	return code
}

// Stmts converts a statement list.
func (c *Converter) Stmts(list []ast.Stmt) []jen.Code { return c.stmts(list) }

func (c *Converter) stmts(list []ast.Stmt) []jen.Code {
	out := make([]jen.Code, 0, len(list))
	for _, s := range list {
		if code := c.Stmt(s); code != skip {
			out = append(out, code)
		}
	}
	return out
}

// skip is what a hook returns for a statement that renders as nothing.
var skip = &jen.Statement{}

// LineDirective is a /*line*/ comment naming pos; the code after it is
// attributed to pos by the compiler.
func LineDirective(pos token.Position) jen.Code {
	return jen.Comment(fmt.Sprintf("/*line %s:%d:%d*/", filepath.Base(pos.Filename), pos.Line, pos.Column))
}

func (c *Converter) stmt(s ast.Stmt) *jen.Statement {
	switch s := s.(type) {
	case *ast.BlockStmt:
		return jen.Block(c.stmts(s.List)...)
	case *ast.ExprStmt:
		return c.Expr(s.X)
	case *ast.AssignStmt:
		return jen.List(c.exprs(s.Lhs)...).Op(s.Tok.String()).List(c.exprs(s.Rhs)...)
	case *ast.IncDecStmt:
		return c.Expr(s.X).Op(s.Tok.String())
	case *ast.SendStmt:
		return c.Expr(s.Chan).Op("<-").Add(c.Expr(s.Value))
	case *ast.GoStmt:
		return jen.Go().Add(c.Expr(s.Call))
	case *ast.DeferStmt:
		return jen.Defer().Add(c.Expr(s.Call))
	case *ast.ReturnStmt:
		return jen.Return(c.exprs(s.Results)...)
	case *ast.BranchStmt:
		return c.branch(s)
	case *ast.LabeledStmt:
		return jen.Id(s.Label.Name).Op(":").Line().Add(c.Stmt(s.Stmt))
	case *ast.IfStmt:
		return c.ifStmt(s)
	case *ast.ForStmt:
		return jen.For(c.optStmt(s.Init), c.optExpr(s.Cond), c.optStmt(s.Post)).Block(c.stmts(s.Body.List)...)
	case *ast.RangeStmt:
		return c.rangeStmt(s)
	case *ast.SwitchStmt:
		return jen.Switch(c.header(s.Init, c.optExprStmt(s.Tag))...).Block(c.clauses(s.Body)...)
	case *ast.TypeSwitchStmt:
		return jen.Switch(c.header(s.Init, c.Stmt(s.Assign))...).Block(c.clauses(s.Body)...)
	case *ast.SelectStmt:
		return jen.Select().Block(c.clauses(s.Body)...)
	case *ast.DeclStmt:
		return c.Decl(s.Decl)
	case *ast.EmptyStmt:
		return jen.Null()
	}
	panic(fmt.Sprintf("emit: unexpected statement %T at %s", s, c.Fset.Position(s.Pos())))
}

func (c *Converter) branch(s *ast.BranchStmt) *jen.Statement {
	var st *jen.Statement
	switch s.Tok {
	case token.BREAK:
		st = jen.Break()
	case token.CONTINUE:
		st = jen.Continue()
	case token.GOTO:
		st = jen.Goto()
	case token.FALLTHROUGH:
		return jen.Fallthrough()
	}
	if s.Label != nil {
		st = st.Id(s.Label.Name)
	}
	return st
}

func (c *Converter) optStmt(s ast.Stmt) jen.Code {
	if s == nil {
		return jen.Null()
	}
	return c.stmt(s)
}

func (c *Converter) optExprStmt(e ast.Expr) jen.Code {
	if e == nil {
		return nil
	}
	return c.Expr(e)
}

// header is the "init; tag" of an if or switch, leaving out what is absent.
func (c *Converter) header(init ast.Stmt, tag jen.Code) []jen.Code {
	var out []jen.Code
	if init != nil {
		out = append(out, c.stmt(init))
	}
	if tag != nil {
		out = append(out, tag)
	}
	if init != nil && tag == nil {
		out = append(out, jen.Empty()) // keeps the semicolon: "switch x := v; {"
	}
	return out
}

func (c *Converter) ifStmt(s *ast.IfStmt) *jen.Statement {
	st := jen.If(c.header(s.Init, c.Expr(s.Cond))...).Block(c.stmts(s.Body.List)...)
	switch e := s.Else.(type) {
	case *ast.IfStmt:
		st = st.Else().Add(c.ifStmt(e))
	case *ast.BlockStmt:
		st = st.Else().Block(c.stmts(e.List)...)
	}
	return st
}

func (c *Converter) rangeStmt(s *ast.RangeStmt) *jen.Statement {
	if s.Key == nil {
		return jen.For(jen.Range().Add(c.Expr(s.X))).Block(c.stmts(s.Body.List)...)
	}
	vars := []jen.Code{c.Expr(s.Key)}
	if s.Value != nil {
		vars = append(vars, c.Expr(s.Value))
	}
	return jen.For(jen.List(vars...).Op(s.Tok.String()).Range().Add(c.Expr(s.X))).Block(c.stmts(s.Body.List)...)
}

func (c *Converter) clauses(body *ast.BlockStmt) []jen.Code {
	var out []jen.Code
	for _, cl := range body.List {
		switch cl := cl.(type) {
		case *ast.CaseClause:
			if cl.List == nil {
				out = append(out, jen.Default().Block(c.stmts(cl.Body)...))
			} else {
				out = append(out, jen.Case(c.exprs(cl.List)...).Block(c.stmts(cl.Body)...))
			}
		case *ast.CommClause:
			if cl.Comm == nil {
				out = append(out, jen.Default().Block(c.stmts(cl.Body)...))
			} else {
				out = append(out, jen.Case(c.stmt(cl.Comm)).Block(c.stmts(cl.Body)...))
			}
		}
	}
	return out
}

// Decl converts a declaration (import declarations render as nothing:
// imports follow from Qual).
func (c *Converter) Decl(d ast.Decl) *jen.Statement {
	switch d := d.(type) {
	case *ast.FuncDecl:
		return c.funcDecl(d)
	case *ast.GenDecl:
		return c.genDecl(d)
	}
	panic(fmt.Sprintf("emit: unexpected declaration %T", d))
}

func (c *Converter) funcDecl(d *ast.FuncDecl) *jen.Statement {
	head := jen.Func()
	if d.Recv != nil {
		head = head.Params(c.fields(d.Recv, true)...)
	}
	st := c.funcType(head.Id(d.Name.Name), d.Type, nil)
	if d.Body == nil {
		return st
	}
	return st.Block(c.stmts(d.Body.List)...)
}

func (c *Converter) genDecl(d *ast.GenDecl) *jen.Statement {
	var kw *jen.Statement
	switch d.Tok {
	case token.IMPORT:
		return jen.Null()
	case token.CONST:
		kw = jen.Const()
	case token.VAR:
		kw = jen.Var()
	case token.TYPE:
		kw = jen.Type()
	}
	specs := make([]jen.Code, len(d.Specs))
	for i, sp := range d.Specs {
		specs[i] = c.spec(sp)
	}
	if d.Lparen.IsValid() {
		return kw.Defs(specs...)
	}
	return kw.Add(specs...)
}

func (c *Converter) spec(sp ast.Spec) jen.Code {
	switch sp := sp.(type) {
	case *ast.ValueSpec:
		names := make([]jen.Code, len(sp.Names))
		for i, n := range sp.Names {
			names[i] = c.ident(n)
		}
		st := jen.List(names...)
		if sp.Type != nil {
			st = st.Add(c.Expr(sp.Type))
		}
		if len(sp.Values) > 0 {
			st = st.Op("=").List(c.exprs(sp.Values)...)
		}
		return st
	case *ast.TypeSpec:
		st := jen.Id(sp.Name.Name)
		if sp.TypeParams != nil && len(sp.TypeParams.List) > 0 {
			st = st.Types(c.fields(sp.TypeParams, true)...)
		}
		if sp.Assign.IsValid() {
			st = st.Op("=")
		}
		return st.Add(c.Expr(sp.Type))
	}
	panic(fmt.Sprintf("emit: unexpected spec %T", sp))
}
