package transform

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
)

// positionGoError gives a position to the errors the go command reports
// about a file without one, because it finds them while reading the
// file's header, before any parser runs. It returns the message with a
// file:line:col: prefix, or "" for any other message. dir is the
// package's directory, which relative file names are in.
//
// It also unwraps what the compiler reported when go list compiled the
// package for its export data: an error go/types does not check (a
// function declared without a body, "missing function body") comes as
// "# pkg" and the compiler's lines, positioned relative to dir.
func positionGoError(msg, dir string) string {
	if strings.HasPrefix(msg, "# ") {
		return compilerErrors(msg, dir)
	}
	if path, ok := strings.CutPrefix(msg, "read "); ok {
		if path, ok := strings.CutSuffix(path, ": unexpected NUL in input"); ok {
			return at(path, dir, []byte{0}, "unexpected NUL in input")
		}
	}
	if path, rest, ok := strings.Cut(msg, ": parsing //go:build line: "); ok {
		return at(path, dir, []byte("//go:build"), "parsing //go:build line: "+rest)
	}
	return ""
}

// at positions msg at the first occurrence of what in the file, or
// returns "" if the file does not hold it.
func at(path, dir string, what []byte, msg string) string {
	file := path
	if !filepath.IsAbs(file) {
		file = filepath.Join(dir, file)
	}
	data, err := os.ReadFile(file)
	i := bytes.Index(data, what)
	if err != nil || i < 0 {
		return ""
	}
	line := 1 + bytes.Count(data[:i], []byte("\n"))
	col := i - bytes.LastIndexByte(data[:i], '\n')
	return fmt.Sprintf("%s:%d:%d: %s", path, line, col, msg)
}

// compilerLine is a line of the compiler's output that names a place.
var compilerLine = regexp.MustCompile(`^(\S+\.go)(:\d+:\d+: .*)$`)

// compilerErrors returns the compiler's positioned lines in msg without
// the "# pkg" headers, file names made absolute; other lines are kept,
// indented, as details of the line before. It returns "" if no line is
// positioned.
func compilerErrors(msg, dir string) string {
	var out []string
	for _, line := range strings.Split(msg, "\n") {
		m := compilerLine.FindStringSubmatch(line)
		switch {
		case m != nil:
			path := m[1]
			if !filepath.IsAbs(path) {
				path = filepath.Join(dir, path)
			}
			out = append(out, path+m[2])
		case line == "" || strings.HasPrefix(line, "# "):
		case len(out) > 0:
			out = append(out, "\t"+strings.TrimLeft(line, "\t"))
		}
	}
	return strings.Join(out, "\n")
}
