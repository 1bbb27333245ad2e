//go:build asyncgen

package rt

import (
	"go/ast"
	"go/parser"
	"go/token"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
)

// inDeferredCall reports whether rt.Await was called from a deferred call
// of the running body, which must be shielded from cancellation, and the
// body's line when the body called it directly. Speed is irrelevant here:
// it walks the stack.
//
//  1. runtime.gopanic or runtime.Goexit between Await and the body: the
//     body is unwinding (a panic, or rt.Try's Goexit).
//  2. Await's caller is not the body itself: it is a deferred closure (the
//     compiler refuses awaits in plain closures).
//  3. The body called Await directly at line L. Calls deferred by a defer
//     statement run at exit and are reported at the line of the return
//     statement (after a recovered panic, at the line that panicked). The
//     source file is read: if L holds no rt.Await/rt.Try call outside a
//     deferred call (awaits in a defer statement's arguments count: they
//     run at the defer statement), this is a deferred call; if L is a return statement
//     with k such calls, the first k calls from L in this run of the body
//     are its own and later ones are deferred; after an rt.Await at L
//     re-raised a panic, calls from L are deferred.
//
// Limitations: if the source file cannot be read (moved, -trimpath), rule
// 3 treats the call as normal. Builds with -gcflags=-N -l report deferred
// calls at the body's last return statement whatever return ran, so a
// `defer rt.Await(...)` in a body whose last return itself awaits, exiting
// through another return, is then taken for a normal await.
func (r *refState) inDeferredCall() (deferred bool, line int) {
	pcs := make([]uintptr, 128)
	n := runtime.Callers(2, pcs)
	for n == len(pcs) {
		pcs = make([]uintptr, 2*len(pcs))
		n = runtime.Callers(2, pcs)
	}
	frames := runtime.CallersFrames(pcs[:n])
	callerSeen, rangeSeen := false, false
	for {
		f, more := frames.Next()
		switch {
		case isAwaitFrame(f.Function):
		case f.Function == "runtime.gopanic" || f.Function == "runtime.Goexit":
			return true, 0
		case f.Entry == r.bodyEntry && f.Func != nil: // f.Func is nil in inlined frames
			if callerSeen {
				return true, 0
			}
			if rangeSeen {
				return false, 0 // the body of a range over rt.Each
			}
			return r.lines.deferredAt(f.File, f.Line), f.Line
		case isRangeBody(f.Function):
			rangeSeen = true // a range-over-func loop body: part of its function
		case strings.HasPrefix(f.Function, "github.com/asyncgen/asyncgen/rt."):
			// rt's own frames (rt.Each's iterator) are transparent
		default:
			callerSeen = true
		}
		if !more {
			return false, 0
		}
	}
}

// isRangeBody reports whether fn is the closure gc makes of the body of a
// range over a function (named like pkg.F.func1-range1).
func isRangeBody(fn string) bool {
	i := strings.LastIndex(fn, "-range")
	return i > 0 && !strings.ContainsAny(fn[i:], "./")
}

// isAwaitFrame reports whether fn is rt's own Await, Try or await.
func isAwaitFrame(fn string) bool {
	rest, ok := strings.CutPrefix(fn, "github.com/asyncgen/asyncgen/rt.")
	if !ok {
		return false
	}
	for _, name := range []string{"Await[", "Try[", "await["} {
		if strings.HasPrefix(rest, name) {
			return true
		}
	}
	return false
}

// lineCalls counts, for one run of a body, the awaits made from each line.
type lineCalls struct {
	seen      map[int]int
	raisedAts []int
}

func (lc *lineCalls) raised(line int) { lc.raisedAts = append(lc.raisedAts, line) }

func (lc *lineCalls) deferredAt(file string, line int) bool {
	for _, l := range lc.raisedAts {
		if l == line {
			return true
		}
	}
	info, ok := sourceLines(file)
	if !ok {
		return false
	}
	li := info[line]
	if li.calls == 0 {
		return true
	}
	if !li.isReturn {
		return false
	}
	if lc.seen == nil {
		lc.seen = make(map[int]int)
	}
	lc.seen[line]++
	return lc.seen[line] > li.calls
}

// lineInfo is what rule 3 needs to know about a source line.
type lineInfo struct {
	calls    int  // rt.Await/rt.Try calls outside defer statements
	isReturn bool // a return statement starts on the line
}

var sourceCache struct {
	sync.Mutex
	files map[string]map[int]lineInfo // nil map: unreadable
}

func sourceLines(file string) (map[int]lineInfo, bool) {
	sourceCache.Lock()
	defer sourceCache.Unlock()
	if info, ok := sourceCache.files[file]; ok {
		return info, info != nil
	}
	if sourceCache.files == nil {
		sourceCache.files = make(map[string]map[int]lineInfo)
	}
	info := parseLines(file)
	sourceCache.files[file] = info
	return info, info != nil
}

// parseLines scans a source file for rt.Await/rt.Try calls and return
// statements; nil if the file cannot be read or parsed.
func parseLines(file string) map[int]lineInfo {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, file, nil, parser.SkipObjectResolution)
	if err != nil {
		return nil
	}
	rtName := ""
	for _, imp := range f.Imports {
		if p, _ := strconv.Unquote(imp.Path.Value); p == "github.com/asyncgen/asyncgen/rt" {
			rtName = "rt"
			if imp.Name != nil {
				rtName = imp.Name.Name
			}
		}
	}
	info := make(map[int]lineInfo)
	bodies := make(map[*ast.FuncLit]bool) // literals passed to rt.Async or rt.Generate
	// scan records the lines of n; plain is set inside a function literal
	// that is not an async body: its returns are not a body's (deferred
	// calls are reported at the body's return), though it may hold bodies.
	var scan func(n ast.Node, plain bool)
	scan = func(n ast.Node, plain bool) {
		ast.Inspect(n, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.DeferStmt:
				// Only the call is deferred: the function value and the
				// arguments are evaluated at the defer statement, in the body.
				if _, lit := n.Call.Fun.(*ast.FuncLit); !lit {
					scan(n.Call.Fun, plain)
				}
				for _, arg := range n.Call.Args {
					scan(arg, plain)
				}
				return false
			case *ast.FuncLit:
				scan(n.Body, !bodies[n])
				return false
			case *ast.ReturnStmt:
				if !plain {
					line := fset.Position(n.Pos()).Line
					li := info[line]
					li.isReturn = true
					info[line] = li
				}
			case *ast.CallExpr:
				if isRTCall(n.Fun, rtName, "Async", "Generate") {
					for _, arg := range n.Args {
						if lit, ok := arg.(*ast.FuncLit); ok {
							bodies[lit] = true
						}
					}
				}
				if isRTCall(n.Fun, rtName, "Await", "Try") {
					line := fset.Position(n.Lparen).Line
					li := info[line]
					li.calls++
					info[line] = li
				}
			}
			return true
		})
	}
	scan(f, false)
	return info
}

// isRTCall reports whether fun names one of the functions of rt (possibly
// instantiated explicitly).
func isRTCall(fun ast.Expr, rtName string, names ...string) bool {
	switch x := fun.(type) {
	case *ast.IndexExpr:
		fun = x.X
	case *ast.IndexListExpr:
		fun = x.X
	}
	sel, ok := fun.(*ast.SelectorExpr)
	if !ok || !slices.Contains(names, sel.Sel.Name) {
		return false
	}
	id, ok := sel.X.(*ast.Ident)
	return ok && rtName != "" && id.Name == rtName
}
