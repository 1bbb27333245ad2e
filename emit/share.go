package emit

import (
	"go/types"
	"slices"

	"github.com/asyncgen/asyncgen/transform"
	"github.com/dave/jennifer/jen"
)

// Captures that travel in the field of a later variable.
//
// A machine holds its captures (its constructor's arguments) in fields
// until the body reads them. Many are read only at the start of the body,
// a parameter copied into a variable, a future awaited first, and are dead
// from then on, while the variables that live across awaits are not born
// yet. Such a capture travels in the field of a later variable or await
// slot of the identical type: the constructor stores it there, and the
// entry state copies it into a local before anything else runs, so a
// parked task does not keep paying for arguments it no longer needs (the
// generated Sleeper of internal/genbench goes from the 112-byte size class
// to 80).
//
// A capture qualifies when it is held by value and a dry run of Step
// renders it in the entry block only (state 0), outside function literals,
// and no block jumps back to state 0. Its partner is the first field of
// identical storage type, in field order and then await slots, that no
// other capture took and that is not a named result (the exit state reads
// those, and they must start at zero). Every other field is assigned before
// it is read (declarations assign the zero value explicitly), so the
// capture's value in it is never seen by anything but the entry copy.

// capShare says where a capture travels.
type capShare struct {
	field string // the field that carries it
	local string // its copy in the entry state; "" if Step never reads it
}

// entryShares decides which captures of m share a field (see above).
func (r *renderer) entryShares(m *transform.Machine) map[*transform.Capture]capShare {
	if reentersEntry(m) {
		return nil
	}
	uses := r.captureUses(m)
	taken := map[string]bool{}
	names := newLocalNames(m)
	shares := map[*transform.Capture]capShare{}
	for _, c := range m.Captures {
		if c.ByRef || uses[c].outsideEntry {
			continue
		}
		field := partnerField(m, c.Obj.Type(), taken)
		if field == "" {
			continue
		}
		taken[field] = true
		s := capShare{field: field}
		if uses[c].inEntry {
			s.local = names.fresh(c.Obj.Name())
		}
		shares[c] = s
	}
	return shares
}

// reentersEntry reports whether state 0 can run more than once: it is
// the exit, or some block leads to it. Synthesized jumps, redirected user
// branches and stream-closing returns all record their targets in Succ.
func reentersEntry(m *transform.Machine) bool {
	if m.Exit == 0 {
		return true
	}
	for _, b := range m.Blocks {
		if slices.Contains(b.Succ, 0) {
			return true
		}
	}
	return false
}

// partnerField returns the first free field whose storage type is t, or "".
func partnerField(m *transform.Machine, t types.Type, taken map[string]bool) string {
	named := map[*types.Var]bool{}
	for _, v := range m.Named {
		named[v] = true
	}
	for _, v := range m.Fields {
		st := v.Obj.Type()
		if v.Boxed {
			st = types.NewPointer(st)
		}
		if !taken[v.Name] && !named[v.Obj] && types.Identical(st, t) {
			return v.Name
		}
	}
	for _, s := range m.Awaits {
		if !taken[s.Name] && isFutureOf(t, s.Type) {
			return s.Name
		}
	}
	return ""
}

// isFutureOf reports whether t is rt.Future[elem] (sm.Future, which the
// await slots are declared as).
func isFutureOf(t, elem types.Type) bool {
	n, ok := types.Unalias(t).(*types.Named)
	if !ok || n.Obj().Pkg() == nil || n.Obj().Pkg().Path() != transform.SMPath || n.Obj().Name() != "Future" {
		return false
	}
	args := n.TypeArgs()
	return args.Len() == 1 && types.Identical(args.At(0), elem)
}

// captureBlocks is where the dry run rendered a capture.
type captureBlocks struct {
	inEntry      bool // in state 0, outside function literals
	outsideEntry bool // anywhere else: another state, the exit, a function literal
}

// captureUses renders Step without keeping the output, to see where each
// capture is read: rendering is the one place that knows every expression
// the lowering synthesized or kept.
func (r *renderer) captureUses(m *transform.Machine) map[*transform.Capture]captureBlocks {
	conv := &Converter{Info: r.f.Info, Fset: r.f.Fset, Lines: r.lines, FileName: r.fileName}
	h := newMachineHooks(r.f, m, conv)
	conv.Hooks = h
	h.capUses = map[*transform.Capture]captureBlocks{}
	for _, b := range m.Blocks {
		h.block = b.ID
		if b.ID != m.Exit {
			conv.Stmts(b.Stmts)
		}
	}
	h.block = m.Exit
	r.exit(m, h)
	return h.capUses
}

// recordCapture notes a read of c in the block being rendered.
func (h *machineHooks) recordCapture(c *transform.Capture) {
	if h.capUses == nil {
		return
	}
	u := h.capUses[c]
	if h.block == 0 && h.depth == 0 {
		u.inEntry = true
	} else {
		u.outsideEntry = true
	}
	h.capUses[c] = u
}

// entryCopies renders the copies of the shared captures that the entry
// state reads: "x, y := self.a, self.awaitT".
func entryCopies(m *transform.Machine, shares map[*transform.Capture]capShare) jen.Code {
	var locals, fields []jen.Code
	for _, c := range m.Captures {
		if s, ok := shares[c]; ok && s.local != "" {
			locals = append(locals, jen.Id(s.local))
			fields = append(fields, jen.Id(m.Recv).Dot(s.field))
		}
	}
	if len(locals) == 0 {
		return nil
	}
	return jen.List(locals...).Op(":=").List(fields...)
}
