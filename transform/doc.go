// Package transform lowers the async bodies of a Go package into state
// machines. It loads and type-checks the package in the reference view
// (build tag asyncgen), finds the async bodies, checks what it must
// refuse, and lowers each body into a graph of basic blocks with a storage
// decision for every variable. Package emit renders the result.
//
// # Theory of operation
//
// An async body is the function literal passed to rt.Async. Inside it,
// rt.Await(f) and rt.Try(f) are suspension points. Each body becomes a
// struct embedding sm.Machine[T] with a Step method. Step dispatches once,
// on the machine's State, to the block it resumes at; the blocks follow,
// one labeled, braced statement list per basic block:
//
//	func (self *fetchAsync) Step() {
//		switch self.State {
//		case 0:
//			goto state0
//		case 2:
//			goto state2
//		...
//		}
//	state0: // fetch.go:12
//		{
//			...
//			goto state3
//		}
//	state3: // fetch.go:14
//		...
//	}
//
// Every transfer between blocks is a goto to a top-level label. The
// braces keep each block's declarations in the block, so no goto jumps
// over a declaration or into a block, which Go forbids; a resume never
// re-enters a structured statement (re-evaluating its condition, as coroc
// did). State is written only before a suspension and at the exit, so a
// resume pays for one dispatch however many blocks it runs through, and a
// goto to the block that follows costs nothing. The switch lists the
// states Step can begin at: the entry, each resume point, the exit (a
// panic or a deferred await resumes there) and any block no goto reaches.
//
// Statements are lowered one at a time. A statement that contains no
// suspension point (not counting nested function literals) is a leaf: it is
// emitted as written, structured. Only statements that contain an await are
// split into blocks (GopherJS's idea, without its code). The pipeline, one
// stage per file:
//
//	load.go        load with go/packages, type-check, pick the DSL files
//	check.go       refusals (file:line:col: asyncgen: message, with a hint)
//	analysis.go    which variables are assigned after declaration, captured
//	machines.go    find async literals, their captures and signatures
//	spill.go       order pass: awaits and earlier calls into temporaries
//	lower*.go      statements into blocks, one file per construct family
//	redirect.go    branches that leave a leaf for a lowered statement
//	liveness.go    storage: field, Step local or block local; boxing
//	layout.go      names and field order
//
// The input AST is never mutated. Lowered blocks are lists of ast.Stmt:
// user statements as they are, plus new statements that refer to user
// subtrees read-only. New statements whose meaning is not Go syntax
// (jumps, await starts, await results, loop-variable renewals) are marker
// nodes looked up in the Machine's side tables; emit gives them meaning.
//
// # Evaluation order
//
// gc evaluates the calls and receives of an expression left to right,
// inner first, and reads plain operands (variables, index and field reads,
// receivers, callee values) after all of them; len and cap, and a callee
// computed with a call, are taken in order with the calls. The spill pass
// reproduces exactly that: every call up to the last await of a statement
// moves, in order, into a temporary; the rest is read in place, after the
// awaits, as gc reads it after the calls:
//
//	a := g(h(1), rt.Try(f(h(2))), h(3))
//
// becomes
//
//	t1 := h(1)
//	t2 := h(2)
//	[await f(t2) into t3; on error, fail the body]
//	a := g(t1, t3, h(3))
//
// In an assignment, the operands of the targets (i() in a[i()] = ..., p()
// in *p() = ...) come first in that order: a[i()] = rt.Try(f) calls i()
// before it awaits f.
//
// The two results of rt.Await go straight to their targets when it is the
// whole right side of an assignment, the whole result of a return, or the
// only argument of a call (f(rt.Await(x))). Elsewhere rt.Await is refused:
// it has two values.
//
// A map literal is the exception to "plain operands last": gc
// inserts its entries one statement at a time (m[k] = v, in order), so
// an entry's non-constant key and value are taken into temporaries after
// the entry's own calls and awaits and before those of the next entry:
// in {k: rt.Try(f), "b": p}, k is read after f completes, p after that.
//
// The calls of the right side of x && y and x || y run only when x lets
// them: when y calls but does not await, the whole expression is evaluated
// in its turn. When y awaits, the expression becomes branches:
//
//	t := x; if t { goto right }; goto end
//	right: [spill y]; t = y; goto end
//	end: ... t ...
//
// # Await
//
// An await ends its block:
//
//	self.awaitT = f                      // one field per awaited type
//	self.State = k
//	if !sm.Await(&self.Frame, self.awaitT) { return }
//	goto statek                          // completed already: no suspension
//	statek:
//	v, err = sm.Result(&self.Frame, self.awaitT)
//	self.awaitT = nil                    // drop the reference (HARDCASES 9)
//
// rt.Try reads into fresh locals and, on error, does self.Throw(err) and
// jumps to the exit state: the body returns the error, its deferred calls
// run, recover() sees nothing (it is not a panic).
//
// An owned future is read with sm.ResultOwned instead of sm.Result. It is
// one the await's own operand made and nothing else can reach: a direct
// call q.Put(v) of (*rt.Queue[T]).Put, the only future of rt's primitives
// allocated per call (it holds v). The machine drops it right after the
// read, so the runtime gives it back to the queue for the next Put and a
// put costs no allocation. Anything else (a variable, a user function
// returning a future, a method value, an interface's Put) may be shared:
// awaiting a completed future again must still see it completed, so it is
// never reused.
//
// # Control flow
//
// if, for, range and switch that contain an await become blocks; the
// break and continue targets of each lowered loop and switch are kept on a
// stack, with their labels; a labeled statement starts a block so that
// goto can reach it. Branches inside leaves that leave the leaf for a
// lowered statement become jumps (redirect.go), and edges of the block
// graph, which liveness follows; branches to targets inside the leaf
// (including its own label) stay Go branches.
//
//	for init; cond; post { B }   →   init
//	                                  head: [spill cond]; if cond goto body; goto end
//	                                  body: B; goto post
//	                                  post: [renew boxed vars]; post; goto head
//	                                  end:
//
// A range loop evaluates its operand once into a temporary and walks it
// with a hidden index: slices and arrays by index, strings by rune
// (sm.RangeString), integers by counting, channels by receiving until
// closed, maps over a snapshot of their keys taken with sm.MapKeys, a key
// deleted meanwhile being skipped (HARDCASES 18). Range over a function
// iterator whose body awaits is refused: the iterator's yield cannot
// suspend.
//
// An expression switch becomes a chain of tests, so case expressions that
// await are evaluated lazily, top to bottom; fallthrough jumps to the next
// clause's body. A type switch, and a select, keep a structured statement
// that only dispatches and binds the clause's variables; their bodies are
// lowered like a switch's.
//
// # Variables
//
// Only variables of the flattened level (declared by lowered statements,
// or temporaries) get a storage decision; variables declared inside leaves
// are left to Go. Liveness over the block graph decides (liveness.go): a
// variable live on entry to a block that resumes after an await is a
// field; one used by several blocks is a local declared at the top of
// Step; the rest stay locals of their block. Every block may panic into the
// exit block, so what the exit block (deferred calls, named results) needs
// is live everywhere. Named results are always fields.
//
// A variable's address is taken by &x, by x[i:j] of an array, and by a
// call of a pointer method on it (x.M() is (&x).M(): the method, or the
// future it returns, may keep the pointer). Fields that hold pointers and
// are dead at an await are cleared (HARDCASES 9), but never one whose
// address is taken or that a closure captures: a pointer may read it where
// the block graph shows no use.
//
// A variable that a closure captures or whose address is taken, declared
// inside a lowered loop, is boxed: its storage holds a pointer, given a
// fresh variable at each declaration, and a three-clause loop renews it
// before its post statement with the previous value (Go 1.22). A closure
// that uses boxed variables binds their current boxes when it is made:
//
//	func(x *int) func() { return func() { ... (*x) ... } }(self.x)
//
// The machine is allocated once and never copied, so &x of a field stays
// the same pointer across awaits (HARDCASES 8).
//
// # Captures and nested literals
//
// A body uses variables of its enclosing functions. Like gc's closures, one
// never assigned after its declaration (nor addressed) is copied into the
// machine; the others are shared through a pointer. rt.Async(lit) becomes
// a call of the machine's constructor with those values or pointers:
//
//	rt.Async(func() (string, error) { ... url ... })
//	→ newFetchAsync(url)
//
// Nested async literals are machines of their own, constructed where the
// literal was, in the context of the outer body (so a captured field
// becomes &self.x). Machines of generic functions and methods are generic
// in the same type parameters.
//
// A copied capture that only the entry state reads (outside function
// literals, and no block jumps back to state 0) needs its field only until
// the body starts. The emitter (emit/share.go) lets it travel in the field
// of a later variable or await slot of identical type instead, never a
// named result: the constructor stores it there and the entry state first
// copies it into a local. A parameter copied into a variable, or a future
// awaited first, then costs a parked task nothing:
//
//	type sleeperAsync struct {
//		sm.Machine[int]
//		a         int                 // also carries id into the body
//		awaitDone sm.Future[struct{}] // also carries wake into the body
//	}
//	case 0:
//		id1, wake1 := self.a, self.awaitDone
//
// # Streams
//
// An rt.Generate body is a machine like an async body, whose yield calls
// are suspension points: yield(v) awaits self.gen.Yield(v), the handoff
// of v to the consumer's pending Next, and completes with false once the
// stream is closed. rt.Generate(lit) becomes
//
//	sm.NewGenerator(func(gen *sm.Gen[T]) sm.Future[struct{}] { return newTickerGen(n, gen) })
//
// and the body runs as a task of its own, started by the first Next.
//
// A range over rt.Each(s) awaits s.Next() at each step:
//
//	stream := s
//	head: [await stream.Next() into next, err]; if sm.IsEOF(err) goto end
//	body: v, err := next, err; B; goto post
//	post: if err != nil goto end; goto head      (a failure ends the loop)
//
// break, return, goto, and continue of an outer loop leave through blocks
// that await stream.Close() first, innermost stream first: the reference
// view's iterator closes the stream exactly when its yield returns false.
// rt.Try's failure and a panic unwind without closing, in both views.
//
// Yielding inside a timeout or group scope (PEP 789) cannot be written:
// such a scope is a future made from another async body, and yield may
// only be called directly in the body of its own generator.
//
// # Return, defer, panic
//
// return sets the results (named results are fields) and jumps to the exit
// state, which runs the deferred calls and completes:
//
//	case exit:
//		if !self.RunDefers() { return }
//		self.Return(self.n, self.err)        // named results only
//		self.Complete()
//		return
//
// defer f(args) evaluates f and its arguments at the defer statement, as Go
// does, and pushes a closure calling them (self.Defer). A call without
// arguments pushes the function value itself, so recover() inside it works
// the Go way: during a panic, the runtime runs it as a real deferred call
// of a real panic. defer rt.Await(f) pushes f (sm.DeferAwait), and a
// deferred function literal that awaits becomes a machine pushed the same
// way; the runtime awaits them shielded from cancellation, with the
// pending return value or panic kept across the suspension (HARDCASES 12).
// recover() directly in such a literal becomes sm.Recover of the outer
// frame.
//
// A panic in Step is recovered by the runtime's driver, recorded in the
// frame, and the machine is stepped at its exit state, so its deferred
// calls run and may recover (HARDCASES 11).
//
// # Refusals
//
// Each is a file:line:col: asyncgen: error with a hint, and nothing is
// written:
//
//   - rt.Await or rt.Try outside an async body, or in a plain function
//     literal inside one (it cannot suspend);
//   - an await in a deferred function literal with parameters;
//   - rt.Try in a body with named results (the reference view unwinds
//     rt.Try with runtime.Goexit, which cannot keep named results);
//   - rt.Async with an argument that is not a function literal;
//   - rt.Await used as a single value;
//   - an await in a select case's channel or value operand (select
//     evaluates them all before choosing), or in the body of a range over a
//     function iterator (other than rt.Each);
//   - a generator's yield used as a value, or called outside the body of
//     its rt.Generate literal; a named result in a generator body; a range
//     over rt.Each outside an async body;
//   - a variable that lives across an await whose type is declared inside
//     the function (the machine's struct cannot name it);
//   - dot imports in DSL files.
package transform
