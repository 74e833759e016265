/// PTEs of an address space are removed or weakened under the lock that guards it, and that
/// lock is released before the shootdown round for them is issued (role tlb_shootdown, or a
/// completion: tlb_wait, tlb_not_resident, an all-CPU flush IPI): between the unlock and the
/// round another thread can take the lock, see the range unmapped or downgraded, and map or
/// use it again while other CPUs still hold the old translations (a page that should be gone
/// or read-only is still reachable or writable there).
///
/// The change may be in a callee: functions are summarised over every file checked (the
/// rule's Python carries the facts to its finalize step). A function gathers into its
/// parameter P when it changes a PTE (roles pte_clear, pte_weaken) and passes P as the first
/// argument of role tlb_gather (capOS tlb_gather_page(tg, va)), or passes P on to a function
/// that gathers into it. A call of such a function with the gather argument is the change.
///
/// The lock guards the address space whose page tables change: it is acquired (role
/// lock_acquire) before the change, still held there, and it is an argument of the change
/// or the lock of one (`spin_lock(&as->lock)` for `aspace_unmap_locked(as, ..., &tg)` or
/// `arch_mmu_protect(as->root, ...)`; `PMAP_LOCK(pmap)` for `pmap_remove_pte(pmap, ...)`),
/// or of the object a local variable passed to the change was assigned from (`pte =
/// pmap_pte(pmap, va); ... pte_clear_bits(pte, PG_RW)`; one assignment deep).
/// Reported when every path from the change reaches that lock's release (role lock_release)
/// with no round issued on the way.
///
//# Every path, not some path: a shootdown missing only on some paths (or only after an
//# error the path analysis cannot tell from success) is not reported; tlb/weaken_no_flush
//# and tlb/weaken_not_gathered check that a round exists at all.
//# Locks of other objects (a global lock around kernel mappings) are not judged: kernel
//# mappings have no address-space lock to race through.
//# Function names are global: two static functions of the same name in different files
//# share one summary. A callee reached only through a function pointer is not summarised.
// Confidence: Moderate
// Copyright: capOS contributors.
// Comments: names from the config's primitives (tools/cocci/README.md "Config").
// Options: --no-includes --include-headers --macro-file tools/cocci/capos.h

virtual report
virtual context

@initialize:python@
@@
import re
import coccinelle
# Facts travel through the coccinelle module: with -j N every worker keeps its own, and the
# finalize step gets the list of them (merge.*).
coccinelle.PARAMS = []    # (function, its parameter list)
coccinelle.CHANGES = []   # function that changes a PTE itself
coccinelle.CALLS = []     # (function, callee, its arguments): calls naming an identifier
coccinelle.ASSIGNS = []   # (function, variable, value assigned)
coccinelle.SITES = []     # (file, line, col, function, callee, its arguments, lock, kind)

// Every function's parameters, and every call whose arguments name a plain identifier (a
// parameter handed on, or a gather): from these the finalize step works out which functions
// gather a PTE change into which parameter. (Matching the parameter inside the function
// body instead costs minutes per file.)
@fps@
identifier fn;
parameter list ps;
@@
fn(ps) { ... }

@script:python depends on report@
fn << fps.fn;
ps << fps.ps;
@@
coccinelle.PARAMS.append((str(fn), str(ps)))

@changes@
identifier fn;
@@
fn(...) {
<+... {{event:pte_clear|pte_weaken}} ...+>
}

@script:python depends on report@
fn << changes.fn;
@@
coccinelle.CHANGES.append(str(fn))

@call@
identifier H;
expression list args;
position p;
@@
H@p(args)

@script:python depends on report@
H << call.H;
args << call.args;
p << call.p;
@@
if re.search(r"(^|,)\s*[A-Za-z_][A-Za-z0-9_]*\s*(,|$)", str(args)):
    coccinelle.CALLS.append((p[0].current_element, str(H), str(args)))

// Local variables and what they were assigned (`pte = pmap_pte(pmap, va)`): an argument of
// the change that was computed from the lock's object counts as that object.
@asg@
identifier x;
expression E;
position p;
@@
x@p = E

@script:python depends on report@
x << asg.x;
E << asg.E;
p << asg.p;
@@
coccinelle.ASSIGNS.append((p[0].current_element, str(x), str(E)))

@asgdecl@
identifier x;
expression E;
type T;
position p;
@@
T x@p = E;

@script:python depends on report@
x << asgdecl.x;
E << asgdecl.E;
p << asgdecl.p;
@@
coccinelle.ASSIGNS.append((p[0].current_element, str(x), str(E)))

// A call made with a lock held that the function took itself.
@held exists@
identifier A =~ "{{lock_acquire}}";
identifier U =~ "{{lock_release}}";
identifier H;
expression LK;
expression list args;
position p1;
@@
A(LK, ...)
... when != U(LK, ...)
H@p1(args)

// Every path from that call reaches the lock's release with no round issued.
@late@
identifier held.H;
identifier U =~ "{{lock_release}}";
identifier S =~ "{{tlb_shootdown|tlb_complete|tlb_not_resident}}";
identifier I =~ "{{ipi}}";
identifier F =~ "flush";
expression held.LK;
expression list held.args;
position held.p1, p2;
@@
H@p1(args)
... when != S(...)
    when != I(cpumask_all(), F, ...)
    when any
U@p2(LK, ...)

@script:python depends on report@
p1 << held.p1;
p2 << late.p2;
H << held.H;
args << held.args;
LK << held.LK;
@@
coccinelle.SITES.append((p1[0].file, int(p1[0].line), int(p1[0].column) + 1,
                         p1[0].current_element, str(H), str(args), str(LK), int(p2[0].line)))

@depends on context@
position held.p1, late.p2;
identifier H, U;
@@
* H@p1(...)
...
* U@p2(...)

@finalize:python depends on report@
m_params << merge.PARAMS;
m_changes << merge.CHANGES;
m_calls << merge.CALLS;
m_assigns << merge.ASSIGNS;
m_sites << merge.SITES;
@@
import re
EVENT = re.compile(r"{{pte_clear|pte_weaken}}")

def split_args(s):
    """Top-level comma split of an argument list, whitespace removed."""
    out, depth, cur = [], 0, ""
    for ch in str(s):
        if ch in "([{":
            depth += 1
        elif ch in ")]}":
            depth -= 1
        if ch == "," and depth == 0:
            out.append(cur)
            cur = ""
        else:
            cur += ch
    out.append(cur)
    return [re.sub(r"\s+", "", a) for a in out if a.strip()]

def param_name(p):
    """The name a parameter declares (`struct x *tg` -> tg, `void (*cb)(int)` -> cb)."""
    m = re.search(r"\(\s*\*\s*([A-Za-z_][A-Za-z0-9_]*)\s*\)", p)
    if m:
        return m.group(1)
    ids = re.findall(r"[A-Za-z_][A-Za-z0-9_]*", re.sub(r"\[.*?\]", "", p))
    return ids[-1] if ids else ""

GATHER = re.compile(r"{{tlb_gather}}")
params = {}
for part in m_params:
    for fn, ps in part:
        params.setdefault(fn, [param_name(p) for p in split_args(ps)])
changes = {f for part in m_changes for f in part}
calls = [c for part in m_calls for c in part]
gathers = set()  # (function, parameter index): the function gathers a PTE change into it
for fn, h, args in calls:  # direct: a PTE change, and the parameter handed to the gather
    a = split_args(args)
    if fn in changes and GATHER.match(h) and a and a[0] in params.get(fn, []):
        gathers.add((fn, params[fn].index(a[0])))
grew = True
while grew:  # a function passing its parameter to one that gathers into it gathers too
    grew = False
    for fn, h, args in calls:
        for j, a in enumerate(split_args(args)):
            if (h, j) in gathers and a in params.get(fn, []) and \
                    (fn, params[fn].index(a)) not in gathers:
                gathers.add((fn, params[fn].index(a)))
                grew = True

assigned = {}
for part in m_assigns:
    for fn, x, e in part:
        assigned.setdefault((fn, x), []).append(re.sub(r"\s+", "", e))

def names(obj, e):
    """e is obj, a member of it (obj->f, obj.f), or mentions obj as a whole word."""
    return e in (obj,) or e.startswith((obj + "->", obj + ".")) or \
        re.search(r"(?<![A-Za-z0-9_>.])%s(?![A-Za-z0-9_])" % re.escape(obj), e) is not None

def guards(lock, args, fn):
    """The lock is an argument of the change, or the lock of one (&a->lock, a.lock), or of
    the object a local argument was computed from (pte = pmap_pte(pmap, va))."""
    lk = re.sub(r"\s+", "", lock).lstrip("&")
    base = re.sub(r"(->|\.)[A-Za-z_][A-Za-z0-9_]*$", "", lk)
    for a in args:
        a = a.lstrip("&")
        if a in (lk, base) or a.startswith((base + "->", base + ".")):
            return True
        if any(names(base, e) for e in assigned.get((fn, a), ())):
            return True
    return False

out = {}
for part in m_sites:
    for f, line, col, fn, h, args, lock, uline in part:
        a = split_args(args)
        if EVENT.match(h):
            what = "a PTE changed by %s()" % h
        elif any((h, j) in gathers for j in range(len(a))):
            what = "PTEs changed and gathered by %s()" % h
            a = [x for j, x in enumerate(a) if (h, j) not in gathers]
        else:
            continue
        if guards(lock, a, fn):
            out[(f, line, col)] = (fn, what, re.sub(r"\s+", "", lock), uline)
for (f, line, col), (fn, what, lock, uline) in sorted(out.items()):
    print("%s:%d:%d: ERROR: %s under lock %s, and that lock released at line %d before a shootdown round is issued: another thread can take it and reuse the range while other CPUs keep the old translations (in %s)"
          % (f, line, col, what, lock, uline, fn))
