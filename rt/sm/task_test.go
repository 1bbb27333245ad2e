package sm

import (
	"testing"
	"unsafe"
)

// A task costs 32 bytes: the size class below 48, for a million of them.
func TestTaskCoreSize(t *testing.T) {
	if unsafe.Sizeof(uintptr(0)) != 8 {
		t.Skip("sizes are for 64-bit platforms")
	}
	if got := unsafe.Sizeof(taskCore{}); got != 32 {
		t.Errorf("taskCore is %d bytes, want 32", got)
	}
}
