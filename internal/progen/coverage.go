package progen

import (
	"fmt"
	"io"
	"slices"
	"sort"
)

// Coverage counts what the generator produced: statement forms and the
// positions of awaits (rt.Try, rt.Await) in expressions and statements.
type Coverage struct {
	Forms  map[string]int
	Awaits map[string]int
	Funcs  int // generated async functions counted
}

// NewCoverage returns an empty count.
func NewCoverage() *Coverage {
	return &Coverage{Forms: map[string]int{}, Awaits: map[string]int{}}
}

func (c *Coverage) form(name string)  { c.Forms[name]++ }
func (c *Coverage) await(pos string)  { c.Awaits[pos]++ }
func (c *Coverage) has(f string) bool { return c.Forms[f] > 0 }

// Add adds o's counts to c.
func (c *Coverage) Add(o *Coverage) {
	for k, n := range o.Forms {
		c.Forms[k] += n
	}
	for k, n := range o.Awaits {
		c.Awaits[k] += n
	}
	c.Funcs += o.Funcs
}

// RequiredForms are the statement forms of DESIGN §2 (and the function
// kinds) that a run must produce; Missing reports those it did not.
var RequiredForms = []string{
	"if", "if-else", "if-init", "else-if",
	"for-3clause", "for-while", "for-infinite",
	"range-int", "range-slice", "range-array", "range-string", "range-map-1",
	"range-map-quiet", "range-chan", "range-func",
	"switch-tag", "switch-tagless", "switch-init", "switch-default", "fallthrough",
	"type-switch", "type-switch-bind",
	"select-default",
	"break", "continue", "labeled-break", "labeled-continue",
	"goto-forward", "goto-backward",
	"defer-call", "defer-literal", "defer-literal-await", "defer-await",
	"defer-method", "defer-literal-args", "defer-in-loop",
	"panic", "recover", "panic-await",
	"closure-loopvar", "closure-mutating", "closure-immediate",
	"nested-async", "spawn", "spawn-async", "cancel", "await-task",
	"func-plain", "func-generic", "func-method-ptr", "func-method-val", "func-named-results",
	"method-call-ptr", "method-call-val", "method-value",
	"variadic", "go-stmt", "address-taken",
	"return", "return-error", "try-fail", "await-fail",
	"block", "inc-dec", "op-assign", "tuple-assign", "var-decl", "send",
}

// RequiredAwaits are the await positions of DESIGN §2 that a run must
// produce.
var RequiredAwaits = []string{
	"call-arg", "variadic-arg", "method-arg", "method-recv", "callee-index",
	"binop-left", "binop-right", "unary", "compare",
	"andand-left", "andand-right", "oror-left", "oror-right",
	"complit-slice", "complit-array", "complit-struct", "complit-map-key", "complit-map-value",
	"index-operand", "index-index", "field-operand", "builtin-arg", "append-arg", "conversion",
	"if-cond", "if-init", "for-init", "for-cond", "for-post", "while-cond",
	"range-operand", "switch-tag", "switch-init", "case-expr", "typeswitch-operand",
	"return", "return-await", "assign-rhs", "define-rhs", "var-decl", "op-assign",
	"index-lhs", "map-key-lhs", "incdec-index", "tuple-rhs",
	"defer-arg", "go-arg", "send-value",
	"await-stmt", "try-stmt", "await-assign", "await-sole-arg", "deferred-await",
	"in-defer-literal", "in-nested-async", "in-spawned-task",
}

// Missing returns the required forms and await positions that have a
// zero count.
func (c *Coverage) Missing() []string {
	var out []string
	for _, f := range RequiredForms {
		if c.Forms[f] == 0 {
			out = append(out, "form "+f)
		}
	}
	for _, a := range RequiredAwaits {
		if c.Awaits[a] == 0 {
			out = append(out, "await "+a)
		}
	}
	return out
}

// WriteTable prints the counts, every required entry included (a zero is
// marked MISSING), most frequent first.
func (c *Coverage) WriteTable(w io.Writer) {
	fmt.Fprintf(w, "coverage over %d generated async functions\n", c.Funcs)
	section := func(title string, counts map[string]int, required []string) {
		keys := slices.Clone(required)
		for k := range counts {
			if !slices.Contains(keys, k) {
				keys = append(keys, k)
			}
		}
		sort.SliceStable(keys, func(i, j int) bool {
			if counts[keys[i]] != counts[keys[j]] {
				return counts[keys[i]] > counts[keys[j]]
			}
			return keys[i] < keys[j]
		})
		total := 0
		for _, k := range keys {
			total += counts[k]
		}
		fmt.Fprintf(w, "%s (%d kinds, %d total):\n", title, len(keys), total)
		for _, k := range keys {
			mark := ""
			if counts[k] == 0 {
				mark = "  MISSING"
			}
			perFunc := 0.0
			if c.Funcs > 0 {
				perFunc = float64(counts[k]) / float64(c.Funcs)
			}
			fmt.Fprintf(w, "  %-22s %9d  %6.2f/func%s\n", k, counts[k], perFunc, mark)
		}
	}
	section("statement forms", c.Forms, RequiredForms)
	section("await positions", c.Awaits, RequiredAwaits)
}
