package progen

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"golang.org/x/tools/txtar"
)

// Archive returns a failing program as a testdata/run archive: a comment
// saying how it was found and what goes wrong, prog.go, main.go, and want
// (the reference view's output: the oracle).
func Archive(p *Program, r *Result) ([]byte, error) {
	prog, main, err := p.Source()
	if err != nil {
		return nil, err
	}
	var seeds []string
	for _, f := range p.Funcs {
		seeds = append(seeds, fmt.Sprint(f.Seed))
	}
	comment := fmt.Sprintf("Found by asyncfuzz seed %s: %s\n", strings.Join(seeds, ","), oneLine(r.Describe()))
	if r.Kind == Mismatch {
		comment += "The default (generated) view prints something else than the reference view.\n"
	}
	a := &txtar.Archive{
		Comment: []byte(comment),
		Files: []txtar.File{
			{Name: "prog.go", Data: prog},
			{Name: "main.go", Data: main},
			{Name: "want", Data: r.Ref.Stdout},
		},
	}
	return txtar.Format(a), nil
}

// Save writes the archive of a failure into dir as <kind>_<func>.txtar,
// with a .log beside it holding the details (both outputs, the error).
func Save(dir string, p *Program, r *Result) (string, error) {
	if err := os.MkdirAll(dir, 0o777); err != nil {
		return "", err
	}
	name := string(r.Kind)
	if len(p.Funcs) > 0 {
		name += "_" + p.Funcs[0].Name
	}
	data, err := Archive(p, r)
	if err != nil {
		return "", err
	}
	path := filepath.Join(dir, name+".txtar")
	if err := os.WriteFile(path, data, 0o666); err != nil {
		return "", err
	}
	var log strings.Builder
	fmt.Fprintf(&log, "%s\n\n%s\n", r.Describe(), r.Detail)
	fmt.Fprintf(&log, "\n--- reference view (exit %q) ---\n%s\n--- stderr ---\n%s", r.Ref.Exit, r.Ref.Stdout, r.Ref.Stderr)
	fmt.Fprintf(&log, "\n--- generated view (exit %q) ---\n%s\n--- stderr ---\n%s", r.Gen.Exit, r.Gen.Stdout, r.Gen.Stderr)
	return path, os.WriteFile(filepath.Join(dir, name+".log"), []byte(log.String()), 0o666)
}

func oneLine(s string) string {
	s, _, _ = strings.Cut(s, "\n")
	return strings.TrimSpace(s)
}
