// Package ring is a FIFO in a circular buffer: the values of a queue
// (rt.Queue).
package ring

// Ring is a FIFO of values in a circular buffer whose length is a power of
// two; it doubles when full. The zero Ring is empty and ready to use.
type Ring[T any] struct {
	buf        []T
	head, size int
}

// Len returns the number of values in r.
func (r *Ring[T]) Len() int { return r.size }

// Cap returns the number of values r holds before it grows.
func (r *Ring[T]) Cap() int { return len(r.buf) }

// Push appends v at the back.
func (r *Ring[T]) Push(v T) {
	if r.size == len(r.buf) {
		r.resize(max(8, 2*len(r.buf)))
	}
	r.buf[(r.head+r.size)&(len(r.buf)-1)] = v
	r.size++
}

// TryPush appends v at the back unless r is full; it reports whether it
// did. It inlines where Push (which grows) does not: a caller pushes with
// TryPush and falls back to Push.
func (r *Ring[T]) TryPush(v T) bool {
	if r.size == len(r.buf) {
		return false
	}
	r.buf[(r.head+r.size)&(len(r.buf)-1)] = v
	r.size++
	return true
}

// Pop removes and returns the front value; r must not be empty.
func (r *Ring[T]) Pop() T {
	var zero T
	v := r.buf[r.head]
	r.buf[r.head] = zero // do not keep it alive
	r.head = (r.head + 1) & (len(r.buf) - 1)
	r.size--
	return v
}

// Shrink gives back memory after a burst: if r holds less than an eighth
// of its capacity, and the capacity is above floor, the buffer is halved
// until it does not.
func (r *Ring[T]) Shrink(floor int) {
	n := len(r.buf)
	for n > floor && r.size < n/8 {
		n /= 2
	}
	if n != len(r.buf) {
		r.resize(n)
	}
}

// resize moves the values to a buffer of n slots (a power of two, at least
// r.size).
func (r *Ring[T]) resize(n int) {
	buf := make([]T, n)
	if r.size > 0 {
		k := copy(buf, r.buf[r.head:min(len(r.buf), r.head+r.size)])
		copy(buf[k:r.size], r.buf)
	}
	r.buf, r.head = buf, 0
}
