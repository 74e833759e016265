/// A frame goes back to the allocator (role frame_free) after a call of a function that
/// removed or weakened PTEs and returned without completing a shootdown for them (it left
/// the flush to its caller, as a `*_locked` unmap helper does), on a path with no completed
/// shootdown in between: none at all, or only a local flush (role tlb_local) outside boot
/// functions (role boot_function). tlb/free_before_shootdown sees the same mistake when the
/// PTE change is in the freeing function itself; this rule follows it into the callees.
/// Another CPU may still cache the old translation and reach the frame after it was reused.
/// A local flush is not enough for a kernel mapping either: the kernel half is loaded on
/// every CPU, so an exited thread's stack may sit in any CPU's TLB.
///
/// The callees are summarised over every file checked (the rule's Python carries the facts
/// to its finalize step): a function leaves a PTE change unflushed when, on some path from a
/// PTE change (roles pte_clear, pte_weaken, or a configured store) or from a call of such a
/// function, it reaches its end without a completed shootdown (role tlb_wait, or a
/// synchronous tlb_shootdown; an all-CPU flush IPI `ipi_call(cpumask_all(), <flush fn>,
/// ...)`; role tlb_not_resident). Completion is judged the same way in the caller.
///
//# Any free after such a call is reported, also of a frame the callee did not unmap (data
//# flow is not followed): free it before the call, or after the shootdown.
//# Function names are global: two static functions of the same name in different files
//# share one summary.
//# A callee reached only through a function pointer is not summarised.
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
coccinelle.DIRECT = []   # function that reaches its end with its own PTE change unflushed
coccinelle.EDGES = []    # (function, callee): the function reaches its end after the call
coccinelle.CANDS = []    # (file, line, col, function, callee, call line, local-flush line)

// A function whose own PTE change reaches its end without a completed shootdown.
@direct exists@
identifier fn;
identifier F =~ "flush";
identifier W =~ "{{tlb_complete|tlb_not_resident}}";
identifier I =~ "{{ipi}}";
@@
fn(...) {
...
{{event:pte_clear|pte_weaken}}
... when != W(...)
    when != I(cpumask_all(), F, ...)
}

@script:python depends on report@
fn << direct.fn;
@@
coccinelle.DIRECT.append(str(fn))

// Calls after which the function reaches its end without a completed shootdown.
@edge exists@
identifier fn, H;
identifier F =~ "flush";
identifier W =~ "{{tlb_complete|tlb_not_resident}}";
identifier I =~ "{{ipi}}";
@@
fn(...) {
...
H(...)
... when != W(...)
    when != I(cpumask_all(), F, ...)
}

@script:python depends on report@
fn << edge.fn;
H << edge.H;
@@
coccinelle.EDGES.append((str(fn), str(H)))

// A call, then a free with no completion and no flush at all on the way.
@nowait exists@
identifier H;
identifier F =~ "flush";
identifier W =~ "{{tlb_complete|tlb_not_resident}}";
identifier I =~ "{{ipi}}";
identifier L =~ "{{tlb_local}}";
identifier FR =~ "{{frame_free}}";
position p1, p2;
@@
H@p1(...)
... when != W(...)
    when != I(cpumask_all(), F, ...)
    when != L(...)
FR@p2(...)

@script:python depends on report@
p1 << nowait.p1;
p2 << nowait.p2;
H << nowait.H;
@@
coccinelle.CANDS.append((p2[0].file, int(p2[0].line), int(p2[0].column) + 1,
                         p2[0].current_element, str(H), int(p1[0].line), 0))

// A call, then a free whose only flush on the way is a local one.
@localonly exists@
identifier H;
identifier F =~ "flush";
identifier W =~ "{{tlb_complete|tlb_not_resident}}";
identifier I =~ "{{ipi}}";
identifier L =~ "{{tlb_local}}";
identifier FR =~ "{{frame_free}}";
position p1, p2, pl;
@@
H@p1(...)
... when != W(...)
    when != I(cpumask_all(), F, ...)
L@pl(...)
... when != W(...)
    when != I(cpumask_all(), F, ...)
FR@p2(...)

@script:python depends on report@
p1 << localonly.p1;
p2 << localonly.p2;
pl << localonly.pl;
H << localonly.H;
@@
coccinelle.CANDS.append((p2[0].file, int(p2[0].line), int(p2[0].column) + 1,
                         p2[0].current_element, str(H), int(p1[0].line), int(pl[0].line)))

@depends on context exists@
position nowait.p1, nowait.p2;
identifier H, FR;
@@
* H@p1(...)
...
* FR@p2(...)

@finalize:python depends on report@
m_direct << merge.DIRECT;
m_edges << merge.EDGES;
m_cands << merge.CANDS;
@@
import re
BOOT = re.compile(r"{{boot_function}}")
EVENT = re.compile(r"{{pte_clear|pte_weaken}}")
leaves = {f for part in m_direct for f in part}
callers = {}
for part in m_edges:
    for fn, h in part:
        callers.setdefault(h, set()).add(fn)
work = list(leaves)
while work:  # every function that reaches its end after a call of one that leaves a change
    h = work.pop()
    for fn in callers.get(h, ()):
        if fn not in leaves:
            leaves.add(fn)
            work.append(fn)
out = {}
for part in m_cands:
    for f, line, col, fn, h, cline, lline in part:
        # Direct PTE changes belong to tlb/free_before_shootdown; a function calling itself
        # (recursion) is not a callee here.
        if h not in leaves or EVENT.match(h) or h == fn:
            continue
        if lline and BOOT.match(fn):
            continue  # a local flush completes in boot code (one CPU)
        how = ("with only the local TLB flush of line %d" % lline if lline
               else "without {{names:tlb_complete}}")
        key = (f, line, col)
        if key not in out or (lline, cline) < out[key][1:3]:
            out[key] = (fn, lline, cline, h, how)
for (f, line, col), (fn, lline, cline, h, how) in sorted(out.items()):
    print("%s:%d:%d: ERROR: frame freed after %s() (line %d) removed or weakened PTEs and left the flush to its caller, %s on some path (in %s)"
          % (f, line, col, h, cline, how, fn))
