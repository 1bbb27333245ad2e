package transform

import (
	"os"
	"path/filepath"
	"testing"
)

func TestPositionGoError(t *testing.T) {
	dir := t.TempDir()
	src := "//go:build asyncgen\n\npackage p\n\nvar s = \"a\x00b\"\n"
	if err := os.WriteFile(filepath.Join(dir, "p.go"), []byte(src), 0o666); err != nil {
		t.Fatal(err)
	}
	abs := filepath.Join(dir, "p.go")
	for _, c := range []struct{ msg, want string }{
		{"read " + abs + ": unexpected NUL in input", abs + ":5:11: unexpected NUL in input"},
		{"p.go: parsing //go:build line: unexpected end of expression", "p.go:1:1: parsing //go:build line: unexpected end of expression"},
		{"q.go: parsing //go:build line: x", ""}, // no such file
		{"no Go files in " + dir, ""},
		{"# example.com/p\n./p.go:2:6: missing function body\n./p.go:3:6: missing function body\n\tdetail",
			abs + ":2:6: missing function body\n" + abs + ":3:6: missing function body\n\tdetail"},
		{"# example.com/p\ntoo many errors", ""},
	} {
		if got := positionGoError(c.msg, dir); got != c.want {
			t.Errorf("positionGoError(%q) = %q, want %q", c.msg, got, c.want)
		}
	}
}
