/// A state is written around its machine's transition function through another
/// representation than a plain field store (which state/direct_assign reports): through a
/// cast pointer to the field (`*(uint8_t *)&pg->state = X`), through a pointer variable
/// taken from the field's address (`u8 *s = &pg->state; ... *s = X`), or as an element of
/// a state array (`states[i] = X`, `obj->page_states[i] = X`). Each bypasses the
/// transition function's from-state assertion and hides the edge from the inventory.
///
/// A state field or array is one named `state`, `states`, `*_state` or `*_states`; X is
/// any value (a constant or computed). Writes inside the transition functions (the
/// config's `transitions.function`, capOS `<machine>_transition`) are the permitted ones.
///
//# A pointer to the field passed to another function (`set_byte(&pg->state, X)`) is not
//# followed; nor is memset/memcpy over the whole object.
//# Any field or array with such a name counts, also of a struct that is not a state
//# machine: rename it, or give the machine its transition function.
// Confidence: High
// Copyright: capOS contributors.
// Comments: naming contract from HACKING.md "State machines".
// Options: --no-includes --include-headers --macro-file tools/cocci/capos.h

virtual report
virtual context

// *(T *)&E->fld = X, *(T *)&E.fld = X
@castptr@
expression E, X;
type T;
identifier fld =~ "^(state|states|[A-Za-z0-9_]*_states?)$";
assignment operator aop;
position p;
@@
(
 *(T *)&E->fld@p aop X
|
 *(T *)&E.fld@p aop X
|
 *(T)&E->fld@p aop X
|
 *(T)&E.fld@p aop X
)

// s = &E->fld; ... *s = X (or s[0] = X)
@alias exists@
expression E, E2, X, I;
type T;
identifier s;
identifier fld =~ "^(state|states|[A-Za-z0-9_]*_states?)$";
assignment operator aop;
position p;
@@
(
T *s = &E->fld;
|
T *s = &E.fld;
|
T *s = (T *)&E->fld;
|
T *s = (T *)&E.fld;
|
s = &E->fld
|
s = &E.fld
|
s = (T *)&E->fld
|
s = (T *)&E.fld
)
... when != s = E2
(
 *s@p aop X
|
s@p[I] aop X
)

// states[i] = X, E->fld[i] = X
@array@
expression E, I, X;
identifier arr =~ "^(state|states|[A-Za-z0-9_]*_states?)$";
assignment operator aop;
position p;
@@
(
arr@p[I] aop X
|
E->arr@p[I] aop X
|
E.arr@p[I] aop X
)

@depends on context@
position castptr.p;
expression E;
@@
* E@p

@initialize:python@
@@
import re
TRANSITION = re.compile(r"{{transition}}")

def print_finding(p, how):
    if not TRANSITION.match(p[0].current_element):
        print("%s:%s:%d: ERROR: state written %s, bypassing the transition function (in %s)"
              % (p[0].file, p[0].line, int(p[0].column) + 1, how, p[0].current_element))

@script:python depends on report@
p << castptr.p;
fld << castptr.fld;
@@
print_finding(p, "through a cast pointer to field '%s'" % fld)

@script:python depends on report@
p << alias.p;
s << alias.s;
fld << alias.fld;
@@
print_finding(p, "through pointer '%s' to field '%s'" % (s, fld))

@script:python depends on report@
p << array.p;
arr << array.arr;
@@
print_finding(p, "as an element of state array '%s'" % arr)
