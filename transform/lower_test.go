package transform_test

import (
	"bytes"
	"flag"
	"go/format"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/asyncgen/asyncgen/transform"
	"golang.org/x/tools/txtar"
)

var update = flag.Bool("update", false, "rewrite the dump sections of testdata/lower")

// TestLower lowers each testdata/lower archive's prog.go and compares the
// textual dump of its machines (storage decisions, blocks, jumps, awaits)
// with the archive's "dump" section. It also checks that lowering leaves
// the input syntax untouched.
func TestLower(t *testing.T) {
	archives, _ := filepath.Glob("testdata/lower/*.txtar")
	if len(archives) == 0 {
		t.Fatal("no archives")
	}
	for _, path := range archives {
		t.Run(strings.TrimSuffix(filepath.Base(path), ".txtar"), func(t *testing.T) {
			testLower(t, path)
		})
	}
}

func testLower(t *testing.T, path string) {
	ar, err := txtar.ParseFile(path)
	if err != nil {
		t.Fatal(err)
	}
	dir := module(t)
	src := section(ar, "prog.go")
	if err := os.WriteFile(filepath.Join(dir, "prog.go"), src, 0o644); err != nil {
		t.Fatal(err)
	}
	files, err := transform.Load(transform.Config{Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	var got bytes.Buffer
	for _, f := range files {
		for _, m := range f.Machines {
			got.WriteString(m.Dump(f.Fset))
		}
		var printed bytes.Buffer
		if err := format.Node(&printed, f.Fset, f.Syntax); err != nil {
			t.Fatal(err)
		}
		want, _ := format.Source(src)
		if !bytes.Equal(printed.Bytes(), want) {
			t.Errorf("lowering changed the input syntax:\n%s", printed.Bytes())
		}
	}
	if *update {
		setSection(ar, "dump", got.Bytes())
		if err := os.WriteFile(path, txtar.Format(ar), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	if want := section(ar, "dump"); !bytes.Equal(got.Bytes(), want) {
		t.Errorf("dump differs (go test -run TestLower -update ./transform to accept)\n--- got\n%s--- want\n%s", got.Bytes(), want)
	}
}

// module makes a module that uses this checkout of asyncgen.
func module(t *testing.T) string {
	t.Helper()
	root, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	mod := "module example.com/prog\n\ngo 1.26\n\nrequire github.com/asyncgen/asyncgen v0.0.0\n\nreplace github.com/asyncgen/asyncgen => " + root + "\n"
	sum, err := os.ReadFile(filepath.Join(root, "go.sum"))
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(dir, "go.mod"), []byte(mod), 0o644)
	os.WriteFile(filepath.Join(dir, "go.sum"), sum, 0o644)
	t.Setenv("GOFLAGS", "-mod=mod")
	return dir
}

func section(ar *txtar.Archive, name string) []byte {
	for _, f := range ar.Files {
		if f.Name == name {
			return f.Data
		}
	}
	return nil
}

func setSection(ar *txtar.Archive, name string, data []byte) {
	for i := range ar.Files {
		if ar.Files[i].Name == name {
			ar.Files[i].Data = data
			return
		}
	}
	ar.Files = append(ar.Files, txtar.File{Name: name, Data: data})
}
