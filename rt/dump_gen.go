//go:build !asyncgen

package rt

// beforeDump has nothing to record in the default view: machines know
// where they are suspended (sm.Positioner).
func beforeDump() {}
