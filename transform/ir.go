package transform

import (
	"go/ast"
	"go/token"
	"go/types"
)

// File is the lowered form of one DSL source file: its syntax, untouched,
// plus the machines that replace its async literals.
type File struct {
	Src      string // path of the DSL file
	Out      string // path of the generated file
	Build    string // build constraint of the generated file
	SMAlias  string // import name of package sm: "sm" unless the package uses it
	GenName  string // parameter name for a generator's stream in generated code
	Syntax   *ast.File
	Fset     *token.FileSet
	Info     *types.Info
	Pkg      *types.Package
	Machines []*Machine // in source order, outer before inner

	// ByLit finds the machine of an async literal (rt.Async's argument, or
	// a deferred function literal that awaits).
	ByLit map[*ast.FuncLit]*Machine
	// PkgRefs are synthesized identifiers that name a package.
	PkgRefs map[*ast.Ident]string

	yields   map[*types.Var]*ast.FuncLit // yield parameter -> its rt.Generate body
	assigned map[*types.Var]bool         // see analyse
	captured map[*types.Var]bool
}

// Machine is the state machine of one async body.
type Machine struct {
	Name   string
	Lit    *ast.FuncLit
	Result types.Type // T of Future[T]; struct{} for a deferred literal
	// Deferred marks a deferred function literal that awaits: its body has
	// no results and it recovers the panic pending in Outer.
	Deferred bool
	// Generator marks an rt.Generate body: it returns only an error, and
	// its yield calls suspend until the consumer asks for the next value.
	// Yield is the type of the values it yields.
	Generator bool
	Yield     types.Type
	Outer     *Machine // the machine whose body holds this literal, if any

	TypeParams []*types.TypeParam // of the enclosing declaration
	Captures   []*Capture         // constructor parameters, in order
	Named      []*types.Var       // named results, if any

	Vars   map[*types.Var]*Var // storage of every variable declared at the flattened level
	Fields []*Var              // struct fields, in order
	Locals []*Var              // declared at the top of Step
	Awaits []*AwaitSlot        // one field per awaited type

	Blocks []*Block
	Exit   int

	Recv  string // receiver name of Step (never a user name)
	Label string // prefix of Step's state labels: Label+"3" begins block 3

	// Side tables that give meaning to synthesized statements.
	Temps    map[*ast.Ident]*types.Var  // synthesized temporaries
	Subst    map[ast.Expr]*ast.Ident    // spilled expression -> temporary
	Pairs    map[ast.Expr][2]*ast.Ident // f(rt.Await(x)): the await -> its two temporaries
	Jumps    map[ast.Stmt]int           // synthesized goto -> block
	Redirs   map[*ast.BranchStmt]int    // user branch leaving structured code -> block
	AwaitAt  map[ast.Stmt]*Await        // synthesized await start
	Results  map[ast.Stmt]*ResultOf     // synthesized await result
	Returns  map[*ast.ReturnStmt]bool   // returns of this body
	ReturnTo map[ast.Stmt]int           // returns that must close streams first: where they go
	Loops    map[ast.Stmt]*LoopCopy     // per-iteration copies of boxed loop variables
	HasDefer bool

	rangeNext map[*ast.Ident]*ast.Ident // string range index -> next index
}

// StorageKind says where a variable of the flattened level lives.
type StorageKind int

const (
	// InBlock: declared and used within one block; stays a Go local there.
	InBlock StorageKind = iota
	// InStep: used by several blocks but never across a suspension; a local
	// declared at the top of Step.
	InStep
	// InField: live across an await; a field of the machine struct.
	InField
)

// Var is the storage decision for one variable.
type Var struct {
	Obj   *types.Var
	Name  string // field or local name
	Kind  StorageKind
	Boxed bool // storage holds *T, freshly allocated at each declaration
}

// Capture is a variable of an enclosing function used by the body.
type Capture struct {
	Obj   *types.Var
	Name  string
	ByRef bool // the machine holds a pointer to the variable
}

// AwaitSlot is the field that holds the pending child future of one type.
type AwaitSlot struct {
	Name string
	Type types.Type // T of the awaited Future[T]
}

// Block is a basic block: a state of the machine.
type Block struct {
	ID    int
	Pos   token.Pos // source position it resumes at
	Stmts []ast.Stmt
	Succ  []int
	// Resume marks a block entered after a suspension.
	Resume bool
}

// Await starts waiting for Future and continues at Resume. With Yield,
// Future is the value of a generator's yield, and the await is of the
// generator's handoff (self.gen.Yield(v)).
type Await struct {
	Yield  bool
	Future ast.Expr
	Slot   *AwaitSlot
	Resume int
	Pos    token.Pos
	// Clear lists the fields holding pointers that are dead once the
	// machine suspends here: they are zeroed so that a suspended task does
	// not keep garbage alive (HARDCASES 9).
	Clear []*types.Var
}

// ResultOf reads the outcome of the await in Slot into Value and Err (either
// may be nil: discarded). Try fails the body on error. Owned: the future
// is the await's own (see ownedFuture), read with sm.ResultOwned.
type ResultOf struct {
	Slot  *AwaitSlot
	Value ast.Expr
	Err   ast.Expr
	Try   bool
	Owned bool
}

// LoopCopy renews the boxed per-iteration variables of a three-clause loop
// before its post statement (Go 1.22 semantics).
type LoopCopy struct {
	Vars []*types.Var
}
