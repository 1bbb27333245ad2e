package transform

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// positionGoError gives a position to the errors the go command reports
// about a file without one, because it finds them while reading the
// file's header, before any parser runs. It returns the message with a
// file:line:col: prefix, or "" for any other message. dir is the
// package's directory, which relative file names are in.
func positionGoError(msg, dir string) string {
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
