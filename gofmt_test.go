package asyncgen_test

import (
	"os/exec"
	"strings"
	"testing"
)

// TestGofmt keeps every Go file of the repository gofmt-clean.
func TestGofmt(t *testing.T) {
	out, err := exec.Command("gofmt", "-l", ".").CombinedOutput()
	if err != nil {
		t.Fatalf("gofmt: %v\n%s", err, out)
	}
	if files := strings.TrimSpace(string(out)); files != "" {
		t.Errorf("not gofmt-clean:\n%s", files)
	}
}
