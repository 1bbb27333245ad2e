package progen

import (
	"fmt"
	"regexp"
	"strings"
	"time"
)

// Minimizer reduces a failing program while it keeps failing the same
// way: first to the failing function (bisecting the batch if the failure
// names none), then by deleting statements (in halves, quarters, ...,
// one by one), unwrapping compound statements into their bodies and
// deleting clauses, then by dropping unused declarations. Candidates that
// no longer type-check are rejected without building.
type Minimizer struct {
	H        *Harness
	MaxRuns  int                           // harness runs allowed (default 400)
	Deadline time.Duration                 // wall time allowed (default 30m)
	Logf     func(format string, a ...any) // progress (may be nil)

	runs  int
	start time.Time
	want  *Result
}

// Minimize returns the smallest failing program it found and its result.
func (m *Minimizer) Minimize(p *Program, r *Result) (*Program, *Result) {
	m.start, m.runs, m.want = time.Now(), 0, r
	if m.MaxRuns == 0 {
		m.MaxRuns = 400
	}
	if m.Deadline == 0 {
		m.Deadline = 30 * time.Minute
	}
	best, bestRes := p.Clone(), r
	try := func(c *Program) bool {
		res, ok := m.test(c)
		if ok {
			best, bestRes = c, res
		}
		return ok
	}
	// One function.
	if r.Func != "" && len(p.Funcs) > 1 && try(p.Only(r.Func)) {
		m.logf("reduced to %s", r.Func)
	} else if len(best.Funcs) > 1 {
		m.bisectFuncs(&best, try)
	}
	// Statements, until nothing more goes.
	for m.budget() {
		before := best.size()
		for _, f := range best.Funcs {
			m.reduceFunc(best, f, &bestRes)
		}
		m.reduceDecls(best, &bestRes)
		if best.size() == before {
			break
		}
	}
	m.logf("minimized to %d statements in %d runs (%v)", best.size(), m.runs, time.Since(m.start).Round(time.Second))
	return best, bestRes
}

func (m *Minimizer) logf(format string, a ...any) {
	if m.Logf != nil {
		m.Logf(format, a...)
	}
}

func (m *Minimizer) budget() bool {
	return m.runs < m.MaxRuns && time.Since(m.start) < m.Deadline
}

// size is the number of statements and declarations left.
func (p *Program) size() int {
	n := len(p.Prelude)
	for _, f := range p.Funcs {
		n += 1 + len(f.Decls) + f.Body.count()
	}
	return n
}

// test runs a candidate and reports whether it fails like the original.
func (m *Minimizer) test(c *Program) (*Result, bool) {
	if !m.budget() {
		return nil, false
	}
	if m.want.Kind != RefBuildFail && m.H.Checker != nil {
		if err := m.H.Checker.CheckProgram(c); err != nil {
			return nil, false
		}
	}
	m.runs++
	if m.want.Kind == RefBuildFail {
		// A generator bug: type-checking is the whole test.
		if m.H.Checker == nil {
			return nil, false
		}
		err := m.H.Checker.CheckProgram(c)
		if err == nil || !sameMessage(m.want.Detail, err.Error()) {
			return nil, false
		}
		return &Result{Kind: RefBuildFail, Detail: err.Error()}, true
	}
	r := m.H.Run(c)
	return r, m.same(r)
}

// same reports whether r fails the way the original did.
func (m *Minimizer) same(r *Result) bool {
	if r.Kind != m.want.Kind {
		return false
	}
	switch r.Kind {
	case GeneratePanic:
		return panicSignature(m.want.Detail) == panicSignature(r.Detail)
	case GenerateError, GenBuildFail:
		return sameMessage(m.want.Detail, r.Detail)
	}
	return true
}

// panicSignature is a panic's message and the innermost asyncgen frame
// of its stack.
func panicSignature(detail string) string {
	ls := strings.Split(detail, "\n")
	sig := positionRE.ReplaceAllString(ls[0], "")
	for _, l := range ls[1:] {
		l = strings.TrimSpace(l)
		if strings.HasPrefix(l, "github.com/asyncgen/asyncgen/transform.") || strings.HasPrefix(l, "github.com/asyncgen/asyncgen/emit.") {
			if i := strings.LastIndex(l, "("); i > 0 {
				l = l[:i]
			}
			return sig + " at " + l
		}
	}
	return sig
}

var positionRE = regexp.MustCompile(`[\w./-]*\.go:\d+(:\d+)?:? ?`)

// sameMessage reports whether got contains the first message of want,
// positions aside.
func sameMessage(want, got string) bool {
	first := ""
	for _, l := range strings.Split(want, "\n") {
		l = strings.TrimSpace(positionRE.ReplaceAllString(l, ""))
		if l != "" && !strings.HasPrefix(l, "#") && !strings.HasPrefix(l, "go build") {
			first = l
			break
		}
	}
	if first == "" {
		return true
	}
	if i := strings.Index(first, "goroutine "); i > 0 {
		first = first[:i]
	}
	return strings.Contains(positionRE.ReplaceAllString(got, ""), first)
}

// bisectFuncs removes functions in halves, quarters, ... while the
// program keeps failing.
func (m *Minimizer) bisectFuncs(best **Program, try func(*Program) bool) {
	for k := len((*best).Funcs) / 2; k >= 1 && m.budget(); k /= 2 {
		for i := 0; i < len((*best).Funcs) && len((*best).Funcs) > 1 && m.budget(); {
			c := (*best).Clone()
			end := min(i+k, len(c.Funcs))
			c.Funcs = append(c.Funcs[:i], c.Funcs[end:]...)
			if len(c.Funcs) > 0 && try(c) {
				m.logf("kept %d functions", len((*best).Funcs))
				continue
			}
			i += k
		}
	}
}

// reduceFunc deletes statements of f (in place; every accepted edit
// keeps the program failing).
func (m *Minimizer) reduceFunc(p *Program, f *Func, res **Result) {
	accept := func() bool {
		r, ok := m.test(p)
		if ok {
			*res = r
		}
		return ok
	}
	for changed := true; changed && m.budget(); {
		changed = false
		for _, l := range stmtLists(f.Body) {
			if m.deleteChunks(l, accept) {
				changed = true
				break // the tree changed: collect the lists again
			}
		}
		if changed {
			continue
		}
		for _, l := range stmtLists(f.Body) {
			if m.unwrap(l, accept) {
				changed = true
				break
			}
		}
		if changed {
			continue
		}
		for _, cl := range clauseLists(f.Body) {
			if m.deleteClauses(cl, accept) {
				changed = true
				break
			}
		}
	}
}

// deleteChunks tries to delete runs of statements from a list, largest
// first; it reports whether any deletion was kept.
func (m *Minimizer) deleteChunks(l *[]*Stmt, accept func() bool) bool {
	kept := false
	for k := len(*l); k >= 1 && m.budget(); k /= 2 {
		for i := 0; i < len(*l) && m.budget(); {
			end := min(i+k, len(*l))
			chunk := (*l)[i:end]
			if hasKeep(chunk) {
				i += k
				continue
			}
			old := *l
			next := append(append([]*Stmt(nil), old[:i]...), old[end:]...)
			*l = next
			if accept() {
				kept = true
				m.logf("deleted %d statements", end-i)
				continue
			}
			*l = old
			i += k
		}
	}
	return kept
}

func hasKeep(ss []*Stmt) bool {
	for _, s := range ss {
		if s.Keep {
			return true
		}
	}
	return false
}

// unwrap replaces a compound statement by its body's statements.
func (m *Minimizer) unwrap(l *[]*Stmt, accept func() bool) bool {
	for i := 0; i < len(*l) && m.budget(); i++ {
		s := (*l)[i]
		var repl []*Stmt
		switch {
		case s.Body != nil && s.Cases == nil && !s.Keep:
			repl = s.Body.Stmts
		case s.Cases != nil && len(s.Cases) == 1 && !s.Keep:
			repl = s.Cases[0].Body.Stmts
		default:
			continue
		}
		old := *l
		next := append(append(append([]*Stmt(nil), old[:i]...), &Stmt{Inline: repl}), old[i+1:]...)
		*l = next
		if accept() {
			m.logf("unwrapped a %s", s.Form)
			return true
		}
		*l = old
	}
	return false
}

// deleteClauses deletes else parts and case clauses one at a time.
func (m *Minimizer) deleteClauses(l *[]*Clause, accept func() bool) bool {
	for i := 0; i < len(*l) && m.budget(); i++ {
		old := *l
		if len(old) == 1 && old[0].Head == "default" {
			continue
		}
		next := append(append([]*Clause(nil), old[:i]...), old[i+1:]...)
		*l = next
		if accept() {
			m.logf("deleted a clause")
			return true
		}
		*l = old
	}
	return false
}

// reduceDecls drops prelude and function declarations nobody needs.
func (m *Minimizer) reduceDecls(p *Program, res **Result) {
	accept := func() bool {
		r, ok := m.test(p)
		if ok {
			*res = r
		}
		return ok
	}
	for i := 0; i < len(p.Prelude) && m.budget(); {
		old := p.Prelude
		p.Prelude = append(append([]string(nil), old[:i]...), old[i+1:]...)
		if accept() {
			continue
		}
		p.Prelude = old
		i++
	}
	for _, f := range p.Funcs {
		for i := 0; i < len(f.Decls) && m.budget(); {
			old := f.Decls
			f.Decls = append(append([]string(nil), old[:i]...), old[i+1:]...)
			if accept() {
				continue
			}
			f.Decls = old
			i++
		}
	}
}

// stmtLists returns every statement list of the tree, outermost first.
func stmtLists(b *Block) []*[]*Stmt {
	var out []*[]*Stmt
	var walkList func(l *[]*Stmt)
	var walkBlock func(b *Block)
	walkBlock = func(b *Block) {
		if b != nil {
			walkList(&b.Stmts)
		}
	}
	walkList = func(l *[]*Stmt) {
		out = append(out, l)
		for _, s := range *l {
			if s.Inline != nil {
				walkList(&s.Inline)
			}
			walkBlock(s.Body)
			for _, c := range s.Tail {
				walkBlock(c.Body)
			}
			for _, c := range s.Cases {
				walkBlock(c.Body)
			}
		}
	}
	walkBlock(b)
	return out
}

// clauseLists returns every else chain and clause list of the tree.
func clauseLists(b *Block) []*[]*Clause {
	var out []*[]*Clause
	for _, l := range stmtLists(b) {
		for _, s := range *l {
			if len(s.Tail) > 0 {
				out = append(out, &s.Tail)
			}
			if len(s.Cases) > 0 {
				out = append(out, &s.Cases)
			}
		}
	}
	return out
}

// Describe is a one-line summary of a failure, for logs and archives.
func (r *Result) Describe() string {
	d := strings.TrimSpace(r.Detail)
	for _, l := range strings.Split(d, "\n") {
		l = strings.TrimSpace(l)
		if l == "" || strings.HasPrefix(l, "go build") || strings.HasPrefix(l, "#") || strings.HasPrefix(l, "first difference") {
			continue
		}
		return fmt.Sprintf("%s: %s", r.Kind, l)
	}
	return string(r.Kind)
}
