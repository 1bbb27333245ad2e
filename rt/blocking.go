package rt

import (
	"runtime/debug"
	"sync"

	"github.com/asyncgen/asyncgen/rt/sm"
)

// BlockingLimit is how many functions passed to Blocking run at once, each
// on a goroutine of its own; more wait their turn, first come, first
// served (asyncio.to_thread's executor has min(32, CPUs+4) threads).
const BlockingLimit = 64

// Blocking returns a future that, when awaited, runs fn on a goroutine of
// a bounded pool (see BlockingLimit) and completes with fn's results,
// while the loop runs other tasks (asyncio.to_thread). Use it for code
// that blocks: file I/O, cgo, CPU-heavy work, a blocking library call. If
// fn panics, awaiting the future re-raises the panic as a *PanicError.
//
// fn runs outside the loop: it must not use tasks, futures or the
// primitives of this package (Promise excepted). Cancelling the awaiting
// task does not stop fn, which cannot be interrupted: the await fails
// with context.Canceled at once and fn's results are dropped when it
// returns. To stop fn early, pass it a context (rt.Context() taken in the
// async body is cancelled with the task). Run does not wait for fns still
// running when it returns.
//
// With a virtual clock, the clock stands still while fn runs.
func Blocking[T any](fn func() (T, error)) Future[T] {
	return &sm.Op[T, blockingOp[T], *blockingOp[T]]{S: blockingOp[T]{fn: fn}}
}

// The progress of a blockingOp.
const (
	opNew    uint8 = iota
	opParked       // fn is running
	opDone
)

type blockingOp[T any] struct {
	fn      func() (T, error)
	mu      sync.Mutex
	state   uint8     // opNew, opParked (fn is running), opDone; under mu
	v       T         // under mu until opDone
	err     error     //
	poster  sm.Poster // under mu: the loop to wake when fn returns
	waiters sm.Waiters
}

// Start submits fn at the first await, and then parks until fn returns.
// The loop that waits is held (its virtual clock stands still, it does not
// report a deadlock) until fn's results are posted to it.
func (b *blockingOp[T]) Start() bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	switch b.state {
	case opDone:
		return true
	case opNew:
		b.state = opParked
		blockingPool.submit(b.run)
	}
	if cur := sm.CurrentPoster(); b.poster != cur {
		b.poster = cur // the first await, or one in another Run
		sm.HoldClock()
	}
	b.waiters.Park()
	return false
}

// run is the pool's job: call fn, then wake the waiters on the loop.
func (b *blockingOp[T]) run() {
	v, err := callBlocking(b.fn)
	b.mu.Lock()
	b.v, b.err, b.state = v, err, opDone
	poster := b.poster
	b.mu.Unlock()
	poster.Post(func() { // false: that Run has ended, nobody waits
		sm.ReleaseClock()
		b.waiters.WakeAll()
	})
}

func (b *blockingOp[T]) Result() (T, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.v, b.err
}

func (b *blockingOp[T]) Revoke() {} // woken by WakeAll: never revoked

// callBlocking calls fn, turning a panic into a *PanicError.
func callBlocking[T any](fn func() (T, error)) (v T, err error) {
	defer func() {
		if r := recover(); r != nil {
			pe, ok := r.(*PanicError)
			if !ok {
				pe = &PanicError{Value: r, Stack: debug.Stack()}
			}
			var zero T
			v, err = zero, pe
		}
	}()
	return fn()
}

// blockingPool runs jobs on at most BlockingLimit goroutines, in the order
// they were submitted. Idle workers exit: no goroutine is left behind.
var blockingPool pool

type pool struct {
	mu      sync.Mutex
	running int
	queue   []func()
	head    int
}

func (p *pool) submit(job func()) {
	p.mu.Lock()
	if p.running < BlockingLimit {
		p.running++
		p.mu.Unlock()
		go p.work(job)
		return
	}
	p.queue = append(p.queue, job)
	p.mu.Unlock()
}

func (p *pool) work(job func()) {
	for job != nil {
		job()
		job = p.next()
	}
}

// next returns the next queued job, or nil after counting the worker out.
func (p *pool) next() func() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.head == len(p.queue) {
		p.queue, p.head = p.queue[:0], 0
		p.running--
		return nil
	}
	job := p.queue[p.head]
	p.queue[p.head] = nil
	p.head++
	return job
}
