//go:build !linux

package sm

func newWaker() waker { return newChanWaker() }
