package transform

import (
	"go/ast"
	"go/build/constraint"
	"strings"
)

// buildExpr returns the //go:build expression of a file, or nil.
func buildExpr(f *ast.File) constraint.Expr {
	for _, cg := range f.Comments {
		if cg.Pos() > f.Package {
			break
		}
		for _, c := range cg.List {
			if constraint.IsGoBuild(c.Text) {
				if x, err := constraint.Parse(c.Text); err == nil {
					return x
				}
			}
		}
	}
	return nil
}

// isDSL reports whether the file requires the asyncgen tag: it builds with
// the tag and not without it (other tags being what they may).
func isDSL(f *ast.File) bool {
	x := buildExpr(f)
	if x == nil {
		return false
	}
	with := x.Eval(func(tag string) bool { return true })
	without := x.Eval(func(tag string) bool { return tag != "asyncgen" })
	return with && !without
}

// generatedConstraint is the source's constraint with asyncgen negated, so
// the generated file builds exactly when the source does not.
func generatedConstraint(f *ast.File) string {
	x := buildExpr(f)
	if x == nil {
		return "//go:build !asyncgen"
	}
	return "//go:build " + negateTag(x).String()
}

func negateTag(x constraint.Expr) constraint.Expr {
	switch x := x.(type) {
	case *constraint.TagExpr:
		if strings.EqualFold(x.Tag, "asyncgen") {
			return &constraint.NotExpr{X: x}
		}
		return x
	case *constraint.NotExpr:
		if t, ok := x.X.(*constraint.TagExpr); ok && t.Tag == "asyncgen" {
			return t
		}
		return &constraint.NotExpr{X: negateTag(x.X)}
	case *constraint.AndExpr:
		return &constraint.AndExpr{X: negateTag(x.X), Y: negateTag(x.Y)}
	case *constraint.OrExpr:
		return &constraint.OrExpr{X: negateTag(x.X), Y: negateTag(x.Y)}
	}
	return x
}
