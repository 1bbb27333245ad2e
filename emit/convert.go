// Package emit renders Go syntax and the state-machine IR built by
// package transform as jennifer code, so that every package reference goes
// through jen.Qual and imports are always right.
//
// The Converter turns user syntax (go/ast, type-checked) into jennifer code
// without mutating it. Hooks let the lowering substitute identifiers (a
// variable moved into the machine struct), statements (a return inside an
// async body) and expressions (a nested async literal) on the way.
package emit

import (
	"fmt"
	"go/ast"
	"go/token"
	"go/types"

	"github.com/dave/jennifer/jen"
)

// Hooks substitute pieces of user syntax during conversion. Each returns nil
// to keep the node as written.
type Hooks interface {
	Ident(id *ast.Ident) jen.Code
	Expr(e ast.Expr) jen.Code
	Stmt(s ast.Stmt) jen.Code
}

// Converter converts type-checked user syntax to jennifer code.
type Converter struct {
	Info  *types.Info
	Fset  *token.FileSet
	Hooks Hooks
	// Lines, when set, puts a /*line file:line:col*/ directive before every
	// statement so that panics and compile errors point at the source.
	Lines bool
	// FileName is the DSL file, for comments naming its lines.
	FileName string
}

// Expr converts an expression.
func (c *Converter) Expr(e ast.Expr) *jen.Statement {
	if e == nil {
		return jen.Null()
	}
	if c.Hooks != nil {
		if r := c.Hooks.Expr(e); r != nil {
			return jen.Add(r)
		}
	}
	switch e := e.(type) {
	case *ast.Ident:
		return c.ident(e)
	case *ast.BasicLit:
		return jen.Op(e.Value)
	case *ast.CompositeLit:
		return c.compositeLit(e)
	case *ast.FuncLit:
		return c.funcType(jen.Func(), e.Type, nil).Block(c.stmts(e.Body.List)...)
	case *ast.ParenExpr:
		return jen.Parens(c.Expr(e.X))
	case *ast.SelectorExpr:
		return c.selector(e)
	case *ast.IndexExpr:
		return c.Expr(e.X).Index(c.Expr(e.Index))
	case *ast.IndexListExpr:
		return c.Expr(e.X).Types(c.exprs(e.Indices)...)
	case *ast.SliceExpr:
		return c.slice(e)
	case *ast.TypeAssertExpr:
		if e.Type == nil {
			return c.Expr(e.X).Assert(jen.Type())
		}
		return c.Expr(e.X).Assert(c.Expr(e.Type))
	case *ast.CallExpr:
		args := c.exprs(e.Args)
		if e.Ellipsis.IsValid() && len(args) > 0 {
			args[len(args)-1] = jen.Add(args[len(args)-1]).Op("...")
		}
		return c.Expr(e.Fun).Call(args...)
	case *ast.StarExpr:
		return jen.Op("*").Add(c.Expr(e.X))
	case *ast.UnaryExpr:
		return jen.Op(e.Op.String()).Add(c.Expr(e.X))
	case *ast.BinaryExpr:
		return c.Expr(e.X).Op(e.Op.String()).Add(c.Expr(e.Y))
	case *ast.KeyValueExpr:
		return c.Expr(e.Key).Op(":").Add(c.Expr(e.Value))
	case *ast.Ellipsis:
		return jen.Op("...").Add(c.Expr(e.Elt))
	case *ast.ArrayType:
		if e.Len == nil {
			return jen.Index().Add(c.Expr(e.Elt))
		}
		return jen.Index(c.Expr(e.Len)).Add(c.Expr(e.Elt))
	case *ast.MapType:
		return jen.Map(c.Expr(e.Key)).Add(c.Expr(e.Value))
	case *ast.ChanType:
		return c.chanType(e)
	case *ast.FuncType:
		return c.funcType(jen.Func(), e, nil)
	case *ast.StructType:
		return jen.Struct(c.fields(e.Fields, false)...)
	case *ast.InterfaceType:
		return c.interfaceType(e)
	}
	panic(fmt.Sprintf("emit: unexpected expression %T at %s", e, c.Fset.Position(e.Pos())))
}

func (c *Converter) exprs(es []ast.Expr) []jen.Code {
	out := make([]jen.Code, len(es))
	for i, e := range es {
		out[i] = c.Expr(e)
	}
	return out
}

func (c *Converter) ident(id *ast.Ident) *jen.Statement {
	if c.Hooks != nil {
		if r := c.Hooks.Ident(id); r != nil {
			return jen.Add(r)
		}
	}
	return jen.Id(id.Name)
}

// selector resolves pkg.Name through Qual so the import follows the use.
func (c *Converter) selector(e *ast.SelectorExpr) *jen.Statement {
	if x, ok := e.X.(*ast.Ident); ok && c.Info != nil {
		if pn, ok := c.Info.Uses[x].(*types.PkgName); ok {
			return jen.Qual(pn.Imported().Path(), e.Sel.Name)
		}
	}
	return c.Expr(e.X).Dot(e.Sel.Name)
}

func (c *Converter) compositeLit(e *ast.CompositeLit) *jen.Statement {
	elts := c.exprs(e.Elts)
	var typ *jen.Statement
	if e.Type != nil {
		typ = c.Expr(e.Type)
	} else {
		typ = jen.Null()
	}
	if len(elts) > 1 || (len(elts) == 1 && c.multiline(e)) {
		return typ.Custom(jen.Options{Open: "{", Close: "}", Separator: ",", Multi: true}, elts...)
	}
	return typ.Values(elts...)
}

// multiline reports whether the literal spans lines in the source.
func (c *Converter) multiline(n ast.Node) bool {
	if c.Fset == nil {
		return false
	}
	return c.Fset.Position(n.Pos()).Line != c.Fset.Position(n.End()).Line
}

func (c *Converter) slice(e *ast.SliceExpr) *jen.Statement {
	inner := jen.Add(c.optExpr(e.Low)).Op(":").Add(c.optExpr(e.High))
	if e.Slice3 {
		inner = inner.Op(":").Add(c.optExpr(e.Max))
	}
	return c.Expr(e.X).Index(inner)
}

func (c *Converter) optExpr(e ast.Expr) jen.Code {
	if e == nil {
		return jen.Null()
	}
	return c.Expr(e)
}

func (c *Converter) chanType(e *ast.ChanType) *jen.Statement {
	switch e.Dir {
	case ast.SEND:
		return jen.Chan().Op("<-").Add(c.Expr(e.Value))
	case ast.RECV:
		return jen.Op("<-").Chan().Add(c.Expr(e.Value))
	}
	return jen.Chan().Add(c.Expr(e.Value))
}

func (c *Converter) interfaceType(e *ast.InterfaceType) *jen.Statement {
	var methods []jen.Code
	for _, f := range e.Methods.List {
		if ft, ok := f.Type.(*ast.FuncType); ok && len(f.Names) == 1 {
			methods = append(methods, c.funcType(jen.Id(f.Names[0].Name), ft, nil))
			continue
		}
		methods = append(methods, c.Expr(f.Type))
	}
	return jen.Interface(methods...)
}

// FuncType renders a signature after head (func, or a method name).
func (c *Converter) FuncType(head *jen.Statement, ft *ast.FuncType) *jen.Statement {
	return c.funcType(head, ft, nil)
}

func (c *Converter) funcType(head *jen.Statement, ft *ast.FuncType, recv *ast.FieldList) *jen.Statement {
	s := head
	if ft.TypeParams != nil && len(ft.TypeParams.List) > 0 {
		s = s.Types(c.fields(ft.TypeParams, true)...)
	}
	s = s.Params(c.fields(ft.Params, true)...)
	if ft.Results == nil || len(ft.Results.List) == 0 {
		return s
	}
	if len(ft.Results.List) == 1 && len(ft.Results.List[0].Names) == 0 {
		return s.Add(c.Expr(ft.Results.List[0].Type))
	}
	return s.Params(c.fields(ft.Results, true)...)
}

// fields renders a field list; params selects "a, b T" parameter style.
func (c *Converter) fields(fl *ast.FieldList, params bool) []jen.Code {
	if fl == nil {
		return nil
	}
	var out []jen.Code
	for _, f := range fl.List {
		typ := c.Expr(f.Type)
		if f.Tag != nil && !params {
			typ = typ.Op(" " + f.Tag.Value)
		}
		if len(f.Names) == 0 {
			out = append(out, typ)
			continue
		}
		names := make([]jen.Code, len(f.Names))
		for i, n := range f.Names {
			names[i] = jen.Id(n.Name)
		}
		out = append(out, jen.List(names...).Add(typ))
	}
	return out
}

// Type renders a go/types type, qualifying named types by import path.
func (c *Converter) Type(t types.Type) *jen.Statement { return TypeCode(t) }
