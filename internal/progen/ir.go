package progen

import (
	"strings"
)

// The generator builds each function body as a small statement tree
// rather than as text, so that the minimizer can delete and unwrap
// statements while a failure persists. Expressions are text: they are
// never minimized.

// A Stmt is one statement of a generated body.
//
// Exactly one shape applies:
//
//   - Inline: a group of statements printed in place, without braces (a
//     goto region, whose statements must stay in the enclosing block);
//   - Cases: a switch or select: "Head {", then "case ...:" clauses, "}";
//   - Body: a braced statement: "Head {", Body, then "} Tail[i].Head {"
//     for each else or else-if, "}" and End (a function literal's call
//     arguments, say);
//   - otherwise Text, a simple statement (one or more lines).
type Stmt struct {
	Form   string    // coverage name of the statement's form ("" for plumbing)
	Label  *Label    // printed as "L:" before the statement when used
	Text   string    // a simple statement
	Head   string    // compound: the text before the opening brace
	Body   *Block    // compound: the braced body
	Tail   []*Clause // else and else-if parts
	Cases  []*Clause // switch and select clauses
	End    string    // text after the closing brace
	Inline []*Stmt   // a group printed in place
	Keep   bool      // the minimizer must not remove it (the final return)
}

// A Clause is an else part ("else", "else if c") or a case clause
// ("case 1, 2", "default").
type Clause struct {
	Head string
	Body *Block
}

// A Block is a statement list.
type Block struct {
	Stmts []*Stmt
	term  bool // ends with a terminating statement
}

// A Label names a statement; it is printed only if a branch uses it (Go
// refuses unused labels).
type Label struct {
	Name string
	Used bool
}

func (b *Block) print(w *strings.Builder) {
	if b == nil {
		return
	}
	for _, s := range b.Stmts {
		s.print(w)
	}
}

func (s *Stmt) print(w *strings.Builder) {
	if s.Inline != nil {
		for _, x := range s.Inline {
			x.print(w)
		}
		return
	}
	if s.Label != nil && s.Label.Used {
		w.WriteString(s.Label.Name + ":\n")
	}
	switch {
	case s.Cases != nil:
		w.WriteString(s.Head + " {\n")
		for _, c := range s.Cases {
			w.WriteString(c.Head + ":\n")
			c.Body.print(w)
		}
		w.WriteString("}" + s.End + "\n")
	case s.Body != nil:
		w.WriteString(s.Head + " {\n")
		s.Body.print(w)
		for _, t := range s.Tail {
			w.WriteString("} " + t.Head + " {\n")
			t.Body.print(w)
		}
		w.WriteString("}" + s.End + "\n")
	default:
		w.WriteString(s.Text + "\n")
	}
}

// String prints the block (unformatted; gofmt formats whole files).
func (b *Block) String() string {
	var w strings.Builder
	b.print(&w)
	return w.String()
}

// clone deep-copies a block. Labels are shared: a label's Used flag is a
// property of the generated program, not of one copy.
func (b *Block) clone() *Block {
	if b == nil {
		return nil
	}
	c := &Block{Stmts: make([]*Stmt, len(b.Stmts)), term: b.term}
	for i, s := range b.Stmts {
		c.Stmts[i] = s.clone()
	}
	return c
}

func (s *Stmt) clone() *Stmt {
	c := *s
	c.Body = s.Body.clone()
	c.Tail = cloneClauses(s.Tail)
	c.Cases = cloneClauses(s.Cases)
	if s.Inline != nil {
		c.Inline = make([]*Stmt, len(s.Inline))
		for i, x := range s.Inline {
			c.Inline[i] = x.clone()
		}
	}
	return &c
}

func cloneClauses(cs []*Clause) []*Clause {
	if cs == nil {
		return nil
	}
	out := make([]*Clause, len(cs))
	for i, c := range cs {
		out[i] = &Clause{Head: c.Head, Body: c.Body.clone()}
	}
	return out
}

// count returns the number of statements in the block, nested ones
// included (inline groups count their members).
func (b *Block) count() int {
	if b == nil {
		return 0
	}
	n := 0
	for _, s := range b.Stmts {
		n += s.count()
	}
	return n
}

func (s *Stmt) count() int {
	if s.Inline != nil {
		n := 0
		for _, x := range s.Inline {
			n += x.count()
		}
		return n
	}
	n := 1 + s.Body.count()
	for _, c := range s.Tail {
		n += c.Body.count()
	}
	for _, c := range s.Cases {
		n += c.Body.count()
	}
	return n
}
