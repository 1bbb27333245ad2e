package sm

// This file is what rt builds its synchronisation primitives on (Mutex,
// Semaphore, Event, Cond, Queue, Promise, Blocking): Waiters, a FIFO of
// parked tasks, and Op, a leaf future whose behaviour rt supplies. For rt
// only.

// Waiters is a FIFO of tasks parked by an Op's Start, woken in the order
// they began to wait. The zero Waiters is empty. Use it on the loop's
// goroutine only.
//
// A task cancelled while parked is removed at once (its await fails with
// context.Canceled): it was handed nothing. A task can be woken two ways:
//
//   - Wake and WakeAll: its await completes when it resumes, even if the
//     task is cancelled in between (the await completed first; what it
//     reads cannot be lost: a promise's value, a finished computation).
//   - Handoff and HandoffAll: it is handed something the primitive must
//     not lose (a lock, a permit, a queued value). If the task is
//     cancelled before it resumes, its await fails with context.Canceled
//     and, as it resumes, the Op's Revoke is called instead of Result to
//     give the thing back (to the next waiter). A shielded await (a
//     deferred call's) is not cancelled and keeps what it was handed.
type Waiters struct{ list waitList }

// Park parks the running task on w. Call it from an Op's Start, which
// then reports false.
func (w *Waiters) Park() { loopNow().park(&w.list) }

// Empty reports whether no task is parked on w.
func (w *Waiters) Empty() bool { return w.list.empty() }

// Wake wakes the first task parked on w; false if there is none.
func (w *Waiters) Wake() bool { return w.wake(0) }

// WakeAll wakes every task parked on w, in the order they began to wait,
// and reports how many there were.
func (w *Waiters) WakeAll() int { return w.wakeAll(0) }

// Handoff wakes the first task parked on w, handing it something; false
// if there is none.
func (w *Waiters) Handoff() bool { return w.wake(tHandoff) }

// HandoffAll is Handoff for every task parked on w, in the order they
// began to wait; it reports how many there were.
func (w *Waiters) HandoffAll() int { return w.wakeAll(tHandoff) }

// HandoffNote is Handoff, setting the woken task's note to n.
func (w *Waiters) HandoffNote(n uint8) bool { return w.wake(handoffNote(n)) }

// HandoffAllNote is HandoffAll, setting each woken task's note to n.
func (w *Waiters) HandoffAllNote(n uint8) int { return w.wakeAll(handoffNote(n)) }

func (w *Waiters) wake(flags uint32) bool { return loopNow().wakeFirst(&w.list, flags) }

// handoffNote is the wake flags of a Handoff that sets the note to n.
func handoffNote(n uint8) uint32 { return tHandoff | uint32(n)<<noteShift }

// wakeFirst wakes the first task of w, setting its handoff flag and note
// to flags (a Wake: 0); false if w is empty.
func (l *loopState) wakeFirst(w *waitList, flags uint32) bool {
	t := w.first()
	if t == nil {
		return false
	}
	l.wake(t, flags)
	return true
}

// wake takes t out of its waitList and schedules it, setting its handoff
// flag and note to flags. A parked task is not queued (its wait link is
// the ready queue's too), so it goes to the ready queue without schedule's
// test.
func (l *loopState) wake(t *taskCore, flags uint32) {
	t.unpark()
	t.flags = t.flags&^(0xff<<noteShift) | flags | tQueued
	l.ready.push(t)
}

func (w *Waiters) wakeAll(flags uint32) int { return loopNow().wakeAll(&w.list, flags) }

// A note is a small number attached to the running task's current await
// by an Op: what its Start found (SetNote), or what the wake handed it
// (HandoffNote), read back by its Result or Revoke (Note). It lets an Op
// shared by many awaits (a primitive's own state) tell them apart without
// allocating: a task awaits one thing at a time. Wake and Handoff set it
// to 0.

// SetNote sets the note of the running task's current await.
func SetNote(n uint8) { loopNow().running.setNote(n) }

func (t *taskCore) setNote(n uint8) { t.flags = t.flags&^(0xff<<noteShift) | uint32(n)<<noteShift }

// Note returns the note of the running task's current await.
func Note() uint8 { return uint8(loopNow().running.flags >> noteShift) }

// OpImpl is the behaviour of an Op: *S implements it for Op[T, S, *S].
type OpImpl[T any] interface {
	// Start is called when the Op is awaited. It completes the operation
	// at once and reports true (Result then reads it), or parks the
	// running task with Waiters.Park and reports false: the task resumes
	// when it is woken, and then calls Result (or Revoke).
	Start() bool
	// Result returns the outcome once the operation has completed. It
	// is called once per completed await (twice if the Op is awaited
	// twice); a task woken by Handoff makes the handed thing its own
	// here.
	Result() (T, error)
	// Revoke is called instead of Result when the task was woken by
	// Handoff and cancelled before it resumed: the await fails with
	// context.Canceled, and Revoke gives back what it was handed.
	Revoke()
}

// opImpl is OpImpl on a pointer to S.
type opImpl[T, S any] interface {
	*S
	OpImpl[T]
}

// Op is a leaf future whose behaviour is S's: awaiting *Op calls Start,
// reading it calls Result. S is stored inline, so a primitive can embed an
// Op as its own state and hand out &op as the future of every await
// (an await then allocates nothing), and a one-shot operation is a single
// allocation. For rt only.
type Op[T, S any, P opImpl[T, S]] struct{ S S }

func (o *Op[T, S, P]) start(*Frame) bool { return P(&o.S).Start() }
func (o *Op[T, S, P]) result(fr *Frame) (T, error) {
	if fr.cutShort(o) {
		return canceled[T]()
	}
	v, err := P(&o.S).Result()
	return v, fr.raise(err)
}
func (o *Op[T, S, P]) revoke() { P(&o.S).Revoke() }

func (o *Op[T, S, P]) smErr() error {
	_, err := P(&o.S).Result()
	return err
}

// revoker is an Op seen from Outcome.
type revoker interface{ revoke() }

func (o *Op[T, S, P]) resultOwned(fr *Frame) error { return errorOf(o.result(fr)) }
