package transform

import (
	"fmt"
	"go/ast"
	"go/token"
	"strings"
	"unicode"
)

// namer hands out names that collide with nothing the user wrote: it knows
// every identifier of the file and every name it gave before.
type namer struct {
	taken map[string]bool
}

func newNamer(files ...*ast.File) *namer {
	n := &namer{taken: map[string]bool{}}
	for _, f := range files {
		ast.Inspect(f, func(node ast.Node) bool {
			if id, ok := node.(*ast.Ident); ok {
				n.taken[id.Name] = true
			}
			return true
		})
	}
	return n
}

// fresh returns base, or base followed by the first number that is free.
func (n *namer) fresh(base string) string {
	if base == "" || base == "_" {
		base = "v"
	}
	if token.IsKeyword(base) {
		base += "_"
	}
	name := base
	for i := 1; n.taken[name] || reserved[name]; i++ {
		name = fmt.Sprintf("%s%d", base, i)
	}
	n.taken[name] = true
	return name
}

// freshPrefix returns base, or base followed by underscores, such that no
// name the namer knows is it followed by digits: the labels prefix0,
// prefix1, ... of a Step collide with no label of the body.
func (n *namer) freshPrefix(base string) string {
	for n.numbers(base) {
		base += "_"
	}
	n.taken[base] = true
	return base
}

// numbers reports whether a known name is prefix followed by digits.
func (n *namer) numbers(prefix string) bool {
	for name := range n.taken {
		if rest, ok := strings.CutPrefix(name, prefix); ok && rest != "" && strings.Trim(rest, "0123456789") == "" {
			return true
		}
	}
	return false
}

// scope is a namer for the names inside one machine: it starts from the
// file's names and adds its own, so two machines may reuse a name.
func (n *namer) scope() *namer {
	s := &namer{taken: make(map[string]bool, len(n.taken))}
	for k := range n.taken {
		s.taken[k] = true
	}
	return s
}

// reserved are the names a machine struct already has through sm.Machine.
var reserved = map[string]bool{
	"State": true, "Frame": true, "Machine": true, "Bind": true, "Return": true,
	"Throw": true, "Results": true, "RunDefers": true, "Complete": true,
	"Step": true, "Defer": true,
}

// lowerFirst turns an exported name into the start of an unexported one.
func lowerFirst(s string) string {
	if s == "" {
		return s
	}
	r := []rune(s)
	i := 0
	for i < len(r) && unicode.IsUpper(r[i]) {
		i++
	}
	if i > 1 && i < len(r) {
		i-- // HTTPServer -> httpServer
	}
	return strings.ToLower(string(r[:i])) + string(r[i:])
}
