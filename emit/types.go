package emit

import (
	"fmt"
	"go/types"

	"github.com/dave/jennifer/jen"
)

// TypeCode renders a go/types type. Named types are qualified by import
// path; type parameters by name. Types declared inside a function cannot be
// named outside it: the lowering refuses variables of such types before
// they get here.
func TypeCode(t types.Type) *jen.Statement {
	switch t := t.(type) {
	case *types.Basic:
		return basicType(t)
	case *types.Alias:
		return namedType(t.Obj(), t.TypeArgs())
	case *types.Named:
		return namedType(t.Obj(), t.TypeArgs())
	case *types.TypeParam:
		return jen.Id(t.Obj().Name())
	case *types.Pointer:
		return jen.Op("*").Add(TypeCode(t.Elem()))
	case *types.Slice:
		return jen.Index().Add(TypeCode(t.Elem()))
	case *types.Array:
		return jen.Index(jen.Lit(int(t.Len()))).Add(TypeCode(t.Elem()))
	case *types.Map:
		return jen.Map(TypeCode(t.Key())).Add(TypeCode(t.Elem()))
	case *types.Chan:
		switch t.Dir() {
		case types.SendOnly:
			return jen.Chan().Op("<-").Add(TypeCode(t.Elem()))
		case types.RecvOnly:
			return jen.Op("<-").Chan().Add(TypeCode(t.Elem()))
		}
		return jen.Chan().Add(TypeCode(t.Elem()))
	case *types.Signature:
		return signature(jen.Func(), t)
	case *types.Struct:
		return structType(t)
	case *types.Interface:
		return interfaceType(t)
	case *types.Tuple:
		panic("emit: tuple type has no source form")
	}
	panic(fmt.Sprintf("emit: unexpected type %T", t))
}

func basicType(t *types.Basic) *jen.Statement {
	switch t.Kind() {
	case types.UntypedBool:
		return jen.Bool()
	case types.UntypedInt:
		return jen.Int()
	case types.UntypedRune:
		return jen.Rune()
	case types.UntypedFloat:
		return jen.Float64()
	case types.UntypedComplex:
		return jen.Complex128()
	case types.UntypedString:
		return jen.String()
	case types.UnsafePointer:
		return jen.Qual("unsafe", "Pointer")
	}
	return jen.Id(t.Name())
}

func namedType(obj *types.TypeName, args *types.TypeList) *jen.Statement {
	var st *jen.Statement
	if obj.Pkg() == nil || obj.Parent() == types.Universe {
		st = jen.Id(obj.Name())
	} else {
		st = jen.Qual(obj.Pkg().Path(), obj.Name())
	}
	if args != nil && args.Len() > 0 {
		codes := make([]jen.Code, args.Len())
		for i := range args.Len() {
			codes[i] = TypeCode(args.At(i))
		}
		st = st.Types(codes...)
	}
	return st
}

// Signature renders fn's parameters and results after head.
func Signature(head *jen.Statement, sig *types.Signature) *jen.Statement {
	return signature(head, sig)
}

func signature(head *jen.Statement, sig *types.Signature) *jen.Statement {
	params := tuple(sig.Params(), sig.Variadic())
	st := head.Params(params...)
	res := sig.Results()
	switch {
	case res.Len() == 0:
		return st
	case res.Len() == 1 && res.At(0).Name() == "":
		return st.Add(TypeCode(res.At(0).Type()))
	}
	return st.Params(tuple(res, false)...)
}

func tuple(t *types.Tuple, variadic bool) []jen.Code {
	out := make([]jen.Code, t.Len())
	for i := range t.Len() {
		v := t.At(i)
		var typ *jen.Statement
		if variadic && i == t.Len()-1 {
			typ = jen.Op("...").Add(TypeCode(v.Type().(*types.Slice).Elem()))
		} else {
			typ = TypeCode(v.Type())
		}
		if v.Name() != "" && v.Name() != "_" {
			typ = jen.Id(v.Name()).Add(typ)
		}
		out[i] = typ
	}
	return out
}

func structType(t *types.Struct) *jen.Statement {
	fields := make([]jen.Code, t.NumFields())
	for i := range t.NumFields() {
		f := t.Field(i)
		var st *jen.Statement
		if f.Embedded() {
			st = TypeCode(f.Type())
		} else {
			st = jen.Id(f.Name()).Add(TypeCode(f.Type()))
		}
		if tag := t.Tag(i); tag != "" {
			st = st.Op(fmt.Sprintf(" %q", tag))
		}
		fields[i] = st
	}
	return jen.Struct(fields...)
}

func interfaceType(t *types.Interface) *jen.Statement {
	var items []jen.Code
	for i := range t.NumEmbeddeds() {
		items = append(items, TypeCode(t.EmbeddedType(i)))
	}
	for i := range t.NumExplicitMethods() {
		m := t.ExplicitMethod(i)
		items = append(items, signature(jen.Id(m.Name()), m.Type().(*types.Signature)))
	}
	return jen.Interface(items...)
}
