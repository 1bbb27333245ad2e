package transform

import (
	"fmt"
	"go/token"
	"sort"
	"strings"
)

// Error is a user error at a source position: asyncgen refuses the input.
type Error struct {
	Pos  token.Position
	Msg  string
	Hint string
}

func (e *Error) Error() string {
	s := fmt.Sprintf("%s: asyncgen: %s", e.Pos, e.Msg)
	if e.Hint != "" {
		s += "\n\thint: " + e.Hint
	}
	return s
}

// ErrorList is every user error found, sorted by position.
type ErrorList []*Error

func (l *ErrorList) add(fset *token.FileSet, pos token.Pos, msg, hint string) {
	*l = append(*l, &Error{Pos: fset.Position(pos), Msg: msg, Hint: hint})
}

func (l ErrorList) Error() string {
	var b strings.Builder
	for i, e := range l {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(e.Error())
	}
	return b.String()
}

// Err returns the list sorted as an error, or nil if it is empty.
func (l ErrorList) Err() error {
	if len(l) == 0 {
		return nil
	}
	sort.SliceStable(l, func(i, j int) bool {
		a, b := l[i].Pos, l[j].Pos
		if a.Filename != b.Filename {
			return a.Filename < b.Filename
		}
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		return a.Column < b.Column
	})
	return l
}
