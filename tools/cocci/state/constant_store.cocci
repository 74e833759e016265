/// A state constant of a machine is stored into memory outside the machine's transition
/// function, whatever the store looks like: through a pointer to the object or to its state
/// byte (`*(uint8_t *)f = FRAME_UNHOOKED`, `*sp = X`), as an array element, into any field
/// (`obj->flags = PGS_WIRED`), or into a global. state/direct_assign sees the field named
/// `state`, state/indirect_write the pointers taken from that field; this rule does not look
/// at the left-hand side at all: it asks whether the value is a state.
///
/// The state constants are learnt from the kernel itself: every identifier in capitals
/// passed to a transition function (the config's `transitions.function`, capOS
/// `<machine>_transition(obj, FROM, TO)`) after its first argument, in any file checked.
/// A store is any assignment (`=`, `|=`, ...) whose left-hand side is not a local variable
/// and whose value mentions such a constant outside a comparison (`X`, `(uint8_t)X`,
/// `(b & ~M) | X`). The transition functions' own stores are the permitted ones.
///
//# A state machine whose transition function is never called with constants (or a kernel
//# with none, such as xv6) teaches the rule nothing, and it reports nothing for it.
//# A constant shared by two enums (a value that is a state in one machine and a plain
//# number elsewhere) makes every store of it a finding: rename one of them.
//# Stores through memcpy/memset, or of a variable that holds a state, are not seen.
//# Output parameters of query functions (`*out = FRAME_FREE`) are reported: return the
//# state instead, or write it into a local first.
// Confidence: High
// Copyright: capOS contributors.
// Comments: the constants come from the transition calls (HACKING.md "State machines").
// Options: --no-includes --include-headers --macro-file tools/cocci/capos.h

virtual report
virtual context

@initialize:python@
@@
import re
import coccinelle
# Results travel through the coccinelle module: with -j N every worker keeps its own, and
# the finalize rule gets the list of them (merge.*).
coccinelle.STATES = []   # (constant, transition function): a state a transition call names
coccinelle.STORES = []   # (file, line, col, function, lhs, value)

@tcall@
identifier fn =~ "{{transition}}";
expression obj;
expression list args;
position p;
@@
fn@p(obj, args)

@script:python depends on report@
fn << tcall.fn;
args << tcall.args;
@@
for c in re.findall(r"\b[A-Z][A-Z0-9_]*\b", str(args)):
    coccinelle.STATES.append((c, str(fn)))

// A local object under construction (`proto.fill = X`, `buf[i] = X`) is no machine's object;
// those alternatives come first, so the disjunction takes them and binds no p.
@store@
expression E, I, V;
identifier fld;
local idexpression LX;
global idexpression G;
assignment operator aop;
position p;
@@
(
LX.fld aop V
|
LX[I] aop V
|
 *E@p aop V
|
E[I]@p aop V
|
E->fld@p aop V
|
E.fld@p aop V
|
G@p aop V
)

@script:python depends on report@
p << store.p;
V << store.V;
@@
coccinelle.STORES.append((p[0].file, p[0].line, int(p[0].column) + 1, p[0].current_element,
                          str(V)))

@depends on context@
position store.p;
expression E;
@@
* E@p

@finalize:python depends on report@
states << merge.STATES;
stores << merge.STORES;
@@
import re
TRANSITION = re.compile(r"{{transition}}")
# A comparison in the value makes it a truth value, not a state.
COMPARISON = re.compile(r"==|!=|<=|>=|(?<![-<>])[<>](?![<>=])")
# A whole object (re)initialised by a compound literal: an initialiser, as for direct_assign.
LITERAL = re.compile(r"^\s*(\(\s*(struct|union)\b[^()]*\)\s*)?\{")
known = {}
for part in states:
    for c, fn in part:
        known.setdefault(c, set()).add(fn)
out = set()
for part in stores:
    for f, line, col, fn, value in part:
        if TRANSITION.match(fn) or COMPARISON.search(value) or LITERAL.match(value):
            continue
        hits = [c for c in re.findall(r"\b[A-Z][A-Z0-9_]*\b", value) if c in known]
        if hits:
            out.add((f, int(line), col, fn, hits[0]))
for f, line, col, fn, c in sorted(out):
    print("%s:%d:%d: ERROR: state %s (of %s) stored directly into memory, bypassing the transition function (in %s)"
          % (f, line, col, c, "/".join(sorted(t + "()" for t in known[c])), fn))
