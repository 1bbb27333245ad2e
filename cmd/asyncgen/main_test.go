package main

import (
	"os"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"
)

func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){"asyncgen": main})
}

// TestScripts runs the CLI scenarios of testdata/cli: refusals and their
// messages, -check, never clobbering a hand-written file, errors in the
// input, file naming and build constraints. Each script runs in a fresh
// module that uses this checkout of asyncgen.
func TestScripts(t *testing.T) {
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	sum, err := os.ReadFile(filepath.Join(root, "go.sum"))
	if err != nil {
		t.Fatal(err)
	}
	testscript.Run(t, testscript.Params{
		Dir: filepath.Join(root, "testdata", "cli"),
		Setup: func(env *testscript.Env) error {
			mod := "module example.com/prog\n\ngo 1.26\n\nrequire github.com/asyncgen/asyncgen v0.0.0\n\nreplace github.com/asyncgen/asyncgen => " + root + "\n"
			if err := os.WriteFile(filepath.Join(env.WorkDir, "go.mod"), []byte(mod), 0o644); err != nil {
				return err
			}
			if err := os.WriteFile(filepath.Join(env.WorkDir, "go.sum"), sum, 0o644); err != nil {
				return err
			}
			for _, k := range []string{"GOCACHE", "GOMODCACHE", "GOPATH"} {
				env.Setenv(k, goenv(k))
			}
			env.Setenv("GOFLAGS", "-mod=mod")
			env.Setenv("GOPROXY", "off")
			env.Setenv("GOTOOLCHAIN", "local")
			env.Setenv("GOROOT", runtime.GOROOT())
			return nil
		},
	})
}

func goenv(key string) string {
	if v := os.Getenv(key); v != "" {
		return v
	}
	home, _ := os.UserHomeDir()
	switch key {
	case "GOPATH":
		return filepath.Join(home, "go")
	case "GOMODCACHE":
		return filepath.Join(goenv("GOPATH"), "pkg", "mod")
	case "GOCACHE":
		dir, _ := os.UserCacheDir()
		return filepath.Join(dir, "go-build")
	}
	return ""
}
