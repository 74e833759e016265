/// A state field is written directly instead of through its machine's transition
/// function. HACKING.md: each machine has one `<machine>_transition(obj, FROM, TO)` that
/// asserts the from-state and the edge, and the state field is assigned nowhere else, so
/// the inventory reads every transition from the calls of that function.
///
/// A state field is a struct field named `state` or ending in `_state`. Reported: storing
/// an enum constant in it (`f->state = FRAME_MAPPED;`, an identifier in capitals, with any
/// assignment operator), and ++/-- on it. Writes inside functions whose name ends in
/// `_transition` are the permitted ones. Initialisers of a new object
/// (`struct frame f = { .state = FRAME_FREE }`) are not assignments and are not reported.
///
/// States packed into bits of a wider field (the vpage state in a page byte) are covered
/// by their mask: a store through memory (`*pg = ...`, `p->f = ...`, `a[i] = ...`) whose
/// value uses a constant named `*_STATE_MASK` is reported outside `*_transition`.
///
//# Any field named `state`/`*_state` counts, also of a struct that is not a state
//# machine: rename such a field, or give the machine its transition function.
//# Storing a computed value (`out->state = pg_state(pg)`, `a->state = b->state`) is not
//# reported: that is how query results and snapshots are filled, and telling them from
//# machine objects needs the struct's type.
//# A write through a pointer to the field (`enum frame_state *s = &f->state; *s = X;`)
//# or through memset/memcpy of the whole object is not seen.
// Confidence: High
// Copyright: capOS contributors.
// Comments: naming contract from HACKING.md "State machines".
// Options: --no-includes --include-headers --macro-file tools/cocci/capos.h

virtual report
virtual context

@assign@
expression E;
identifier fld =~ "^(state|[A-Za-z0-9_]*_state)$";
identifier C =~ "^[A-Z][A-Z0-9_]*$";
assignment operator aop;
position p;
@@
(
E->fld@p aop C
|
E.fld@p aop C
)

@incdec@
expression E;
identifier fld =~ "^(state|[A-Za-z0-9_]*_state)$";
position p;
@@
(
E->fld@p ++
|
E->fld@p --
|
E.fld@p ++
|
E.fld@p --
|
 ++E->fld@p
|
 --E->fld@p
|
 ++E.fld@p
|
 --E.fld@p
)

@packed@
expression E, I;
identifier fld;
identifier M =~ "_STATE_MASK$";
assignment operator aop;
position p;
@@
(
 *E@p aop <+... M ...+>
|
E->fld@p aop <+... M ...+>
|
E.fld@p aop <+... M ...+>
|
E[I]@p aop <+... M ...+>
)

@depends on context@
position assign.p;
identifier fld;
expression E;
@@
(
* E->fld@p
|
* E.fld@p
)

@depends on context@
position packed.p;
expression E;
@@
* E@p

@depends on context@
position incdec.p;
identifier fld;
expression E;
@@
(
* E->fld@p
|
* E.fld@p
)

@initialize:python@
@@
import re

def print_finding(p, fld):
    if not re.match(r"{{transition}}", p[0].current_element):
        print("%s:%s:%d: ERROR: state %s assigned directly; call its <machine>_transition() (in %s)"
              % (p[0].file, p[0].line, int(p[0].column) + 1, fld, p[0].current_element))

@script:python depends on report@
p << assign.p;
fld << assign.fld;
@@
print_finding(p, "field '%s'" % fld)

@script:python depends on report@
p << packed.p;
M << packed.M;
@@
print_finding(p, "bits under " + M)

@script:python depends on report@
p << incdec.p;
fld << incdec.fld;
@@
print_finding(p, "field '%s'" % fld)
