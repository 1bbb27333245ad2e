package transform

import (
	"bytes"
	"fmt"
	"go/ast"
	"go/printer"
	"go/token"
	"strings"
)

// Dump renders a machine as text: its storage decisions, then its blocks
// with their successors. Marker statements print as pseudo-statements
// ("await", "result", "renew"); jumps print as "goto bN". Tests compare
// dumps, so the lowering is tested without emitting or running anything.
func (m *Machine) Dump(fset *token.FileSet) string {
	var b strings.Builder
	fmt.Fprintf(&b, "machine %s -> %s (exit b%d)\n", m.Name, m.Result, m.Exit)
	for _, c := range m.Captures {
		fmt.Fprintf(&b, "  capture %s%s\n", c.Name, map[bool]string{true: " (by reference)"}[c.ByRef])
	}
	for _, v := range m.Fields {
		fmt.Fprintf(&b, "  field %s %s%s\n", v.Name, v.Obj.Type(), boxed(v))
	}
	for _, v := range m.Locals {
		fmt.Fprintf(&b, "  local %s %s%s\n", v.Name, v.Obj.Type(), boxed(v))
	}
	for _, s := range m.Awaits {
		fmt.Fprintf(&b, "  slot %s %s\n", s.Name, s.Type)
	}
	for _, blk := range m.Blocks {
		resume := ""
		if blk.Resume {
			resume = " resume"
		}
		fmt.Fprintf(&b, "b%d%s -> %v\n", blk.ID, resume, blk.Succ)
		for _, s := range blk.Stmts {
			for _, line := range strings.Split(m.dumpStmt(fset, s), "\n") {
				fmt.Fprintf(&b, "\t%s\n", line)
			}
		}
	}
	return b.String()
}

func boxed(v *Var) string {
	if v.Boxed {
		return " (boxed)"
	}
	return ""
}

func (m *Machine) dumpStmt(fset *token.FileSet, s ast.Stmt) string {
	if aw, ok := m.AwaitAt[s]; ok {
		out := fmt.Sprintf("await %s = %s; resume b%d", aw.Slot.Name, m.node(fset, aw.Future), aw.Resume)
		for _, v := range aw.Clear {
			out += "; clear " + m.Vars[v].Name
		}
		return out
	}
	if r, ok := m.Results[s]; ok {
		op := "result"
		if r.Try {
			op = "try"
		}
		return fmt.Sprintf("%s, %s = %s %s", m.node(fset, r.Value), m.node(fset, r.Err), op, r.Slot.Name)
	}
	if lc, ok := m.Loops[s]; ok {
		var names []string
		for _, v := range lc.Vars {
			names = append(names, v.Name())
		}
		return "renew " + strings.Join(names, ", ")
	}
	out := m.node(fset, s)
	for _, w := range m.substitutions(s) {
		out += "\n  where " + m.node(fset, w) + " = " + m.Subst[w].Name
	}
	return out
}

// substitutions lists the spilled subexpressions of s (read through their
// temporaries in the emitted code), outermost first.
func (m *Machine) substitutions(s ast.Stmt) []ast.Expr {
	var out []ast.Expr
	ast.Inspect(s, func(n ast.Node) bool {
		if e, ok := n.(ast.Expr); ok {
			if _, ok := m.Subst[e]; ok {
				out = append(out, e)
				return false
			}
		}
		return true
	})
	return out
}

func (m *Machine) node(fset *token.FileSet, n ast.Node) string {
	if n == nil || n == ast.Expr(nil) {
		return "_"
	}
	if e, ok := n.(ast.Expr); ok && e == nil {
		return "_"
	}
	var buf bytes.Buffer
	if err := printer.Fprint(&buf, fset, n); err != nil {
		return fmt.Sprintf("<%T>", n)
	}
	return buf.String()
}
