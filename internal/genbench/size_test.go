//go:build !asyncgen

package genbench

import (
	"testing"
	"unsafe"
)

// TestSleeperSize (generated code only): the captures of Sleeper read only at the start of its
// body travel in the fields of a and of the await slot (emit/share.go), so
// its machine is 80 bytes (the 80-byte size class), not 104 (112).
func TestSleeperSize(t *testing.T) {
	if unsafe.Sizeof(uintptr(0)) != 8 {
		t.Skip("sizes are for 64-bit platforms")
	}
	if got := unsafe.Sizeof(sleeperAsync{}); got != 80 {
		t.Errorf("sleeperAsync is %d bytes, want 80", got)
	}
}
