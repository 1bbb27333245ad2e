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

// ownedFuture reports whether the future fut is a fresh value nothing else
// can reach: a direct call of a runtime function that keeps no reference
// to the future it returns. Only (*rt.Queue[T]).Put qualifies, the one
// future of rt's primitives that is allocated per call; its await hands it
// back to the queue (sm.ResultOwned), which saves that allocation. Any
// other expression (a variable, a call of user code, a method value or an
// interface method) may share the future, so it is not owned.
func ownedFuture(info *types.Info, fut ast.Expr) bool {
	call, ok := ast.Unparen(fut).(*ast.CallExpr)
	if !ok {
		return false
	}
	sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr)
	if !ok {
		return false
	}
	fn, ok := info.Uses[sel.Sel].(*types.Func)
	if !ok || fn.Pkg() == nil || fn.Pkg().Path() != RTPath || fn.Name() != "Put" {
		return false
	}
	recv := fn.Origin().Signature().Recv()
	if recv == nil {
		return false
	}
	ptr, ok := recv.Type().(*types.Pointer)
	if !ok {
		return false
	}
	named, ok := ptr.Elem().(*types.Named)
	return ok && named.Obj().Name() == "Queue"
}

// isAwaitCall reports whether call suspends: rt.Await, rt.Try, or a call
// of a generator's yield parameter.
func isAwaitCall(f *File, call *ast.CallExpr) bool {
	switch rtCallee(f.Info, call) {
	case "Await", "Try":
		return true
	}
	return f.isYield(call)
}

// isYield reports whether call calls the yield parameter of an rt.Generate
// body.
func (f *File) isYield(call *ast.CallExpr) bool {
	id, ok := ast.Unparen(call.Fun).(*ast.Ident)
	if !ok {
		return false
	}
	v, ok := f.Info.Uses[id].(*types.Var)
	return ok && f.yields[v] != nil
}

// asyncLit returns the body literal of an rt.Async call, or nil.
func asyncLit(info *types.Info, call *ast.CallExpr) *ast.FuncLit {
	return bodyLit(info, call, "Async")
}

// generatorLit returns the body literal of an rt.Generate call, or nil.
func generatorLit(info *types.Info, call *ast.CallExpr) *ast.FuncLit {
	return bodyLit(info, call, "Generate")
}

func bodyLit(info *types.Info, call *ast.CallExpr, name string) *ast.FuncLit {
	if rtCallee(info, call) != name || len(call.Args) != 1 {
		return nil
	}
	lit, _ := ast.Unparen(call.Args[0]).(*ast.FuncLit)
	return lit
}

// eachCall returns s of a range over rt.Each(s), or nil.
func eachCall(info *types.Info, x ast.Expr) ast.Expr {
	call, ok := ast.Unparen(x).(*ast.CallExpr)
	if !ok || rtCallee(info, call) != "Each" || len(call.Args) != 1 {
		return nil
	}
	return call.Args[0]
}

// hasAwait reports whether n suspends itself, not counting nested
// function literals (they are machines or plain closures of their own) nor
// the await a defer statement postpones. A range over rt.Each suspends at
// each step.
func hasAwait(f *File, n ast.Node) bool {
	if n == nil {
		return false
	}
	if d, ok := n.(*ast.DeferStmt); ok {
		if isAwaitCall(f, d.Call) {
			return anyAwait(f, d.Call.Args)
		}
		return hasAwait(f, d.Call.Fun) || anyAwait(f, d.Call.Args)
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
			found = hasAwait(f, n)
			return false
		case *ast.RangeStmt:
			if eachCall(f.Info, n.X) != nil {
				found = true
			}
		case *ast.CallExpr:
			if isAwaitCall(f, n) {
				found = true
				return false
			}
		}
		return true
	})
	return found
}

func anyAwait(f *File, es []ast.Expr) bool {
	for _, e := range es {
		if hasAwait(f, e) {
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
