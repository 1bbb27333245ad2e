package transform

import (
	"go/ast"
	"go/types"
)

// RTPath is the import path of the runtime whose calls asyncgen lowers.
const RTPath = "github.com/asyncgen/asyncgen/rt"

// SMPath is the import path of the protocol package generated code uses.
const SMPath = "github.com/asyncgen/asyncgen/rt/sm"

// rtCallee returns the name of the rt function call invokes ("Async",
// "Await", ...), or "" if it calls something else. Explicit instantiations
// (rt.Await[int](f)) count.
func rtCallee(info *types.Info, call *ast.CallExpr) string {
	fun := ast.Unparen(call.Fun)
	switch f := fun.(type) {
	case *ast.IndexExpr:
		fun = f.X
	case *ast.IndexListExpr:
		fun = f.X
	}
	var id *ast.Ident
	switch f := fun.(type) {
	case *ast.SelectorExpr:
		id = f.Sel
	case *ast.Ident:
		id = f
	default:
		return ""
	}
	fn, ok := info.Uses[id].(*types.Func)
	if !ok || fn.Pkg() == nil || fn.Pkg().Path() != RTPath {
		return ""
	}
	if sig, ok := fn.Type().(*types.Signature); ok && sig.Recv() != nil {
		return ""
	}
	return fn.Name()
}

// isAwaitCall reports whether call is rt.Await or rt.Try.
func isAwaitCall(info *types.Info, call *ast.CallExpr) bool {
	switch rtCallee(info, call) {
	case "Await", "Try":
		return true
	}
	return false
}

// asyncLit returns the body literal of an rt.Async call, or nil.
func asyncLit(info *types.Info, call *ast.CallExpr) *ast.FuncLit {
	if rtCallee(info, call) != "Async" || len(call.Args) != 1 {
		return nil
	}
	lit, _ := ast.Unparen(call.Args[0]).(*ast.FuncLit)
	return lit
}

// hasAwait reports whether n evaluates an await itself, not counting nested
// function literals (they are machines or plain closures of their own) nor
// the await a defer statement postpones.
func hasAwait(info *types.Info, n ast.Node) bool {
	if n == nil {
		return false
	}
	if d, ok := n.(*ast.DeferStmt); ok {
		if isAwaitCall(info, d.Call) {
			return anyAwait(info, d.Call.Args)
		}
		return hasAwait(info, d.Call.Fun) || anyAwait(info, d.Call.Args)
	}
	found := false
	ast.Inspect(n, func(n ast.Node) bool {
		if found {
			return false
		}
		switch n := n.(type) {
		case *ast.FuncLit:
			return false
		case *ast.DeferStmt:
			found = hasAwait(info, n)
			return false
		case *ast.CallExpr:
			if isAwaitCall(info, n) {
				found = true
				return false
			}
		}
		return true
	})
	return found
}

func anyAwait(info *types.Info, es []ast.Expr) bool {
	for _, e := range es {
		if hasAwait(info, e) {
			return true
		}
	}
	return false
}

// futureElem returns T for a type Future[T] (or *Task[T], or any type
// whose method set makes it a future), or nil.
func futureElem(t types.Type) types.Type {
	for {
		switch u := t.(type) {
		case *types.Alias:
			t = types.Unalias(u)
			continue
		case *types.Named:
			if args := u.TypeArgs(); args != nil && args.Len() == 1 {
				if obj := u.Obj(); obj.Pkg() != nil && (obj.Pkg().Path() == SMPath || obj.Pkg().Path() == RTPath) {
					return args.At(0)
				}
			}
		case *types.Pointer:
			if n, ok := types.Unalias(u.Elem()).(*types.Named); ok {
				if args := n.TypeArgs(); args != nil && args.Len() == 1 && n.Obj().Pkg() != nil && n.Obj().Pkg().Path() == RTPath {
					return args.At(0)
				}
			}
		}
		return nil
	}
}
