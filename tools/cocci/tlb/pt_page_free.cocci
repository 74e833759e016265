/// A page-table page is freed before the flush that covers its unhook completed. When a
/// PTE clear empties a table, the table page is queued (capOS: the `struct frame_list *`
/// argument of arch_mmu_unmap(); BSD: the spglist of pmap_remove_pte()) or its entries are
/// cleared by plain stores (`pt[i] = 0`, a configured store pattern); the hardware walker
/// of another CPU may still hold paging-structure cache entries that point at the table
/// until every CPU flushed. Freeing the table first lets that walker read a reused page as
/// a page table.
///
/// Reported: a free (role frame_free) of an expression that was passed to a PTE clear
/// (role pte_clear) on a path without a completed shootdown (role tlb_wait, or
/// tlb_shootdown when the config has no tlb_wait; tlb_not_resident; an all-CPU flush IPI)
/// in between; and a free of a table whose entries the function cleared by a configured
/// index store (`T[I] = 0; ... free(T)`), with no completion in between. A local flush
/// (role tlb_local) counts only in boot functions (role boot_function).
///
//# tlb/free_before_shootdown reports the same frees without following the table: this
//# rule names the table and the clear that queued it.
//# Intraprocedural: a table freed by a callee (a recursive freewalk) is not seen.
// Confidence: High
// Copyright: capOS contributors.
// Comments: names from the config's primitives (tools/cocci/README.md "Config").
// Options: --no-includes --include-headers --macro-file tools/cocci/capos.h

virtual report
virtual context

// The table list passed to the clear, then freed.
@queued exists@
identifier C =~ "{{pte_clear}}";
identifier F =~ "flush";
identifier W =~ "{{tlb_complete|tlb_not_resident}}";
identifier I =~ "{{ipi}}";
identifier L =~ "{{tlb_local}}";
identifier FR =~ "{{frame_free}}";
expression T, E;
position p1, p2;
@@
C@p1(..., T, ...)
... when != W(...)
    when != I(cpumask_all(), F, ...)
    when != L(...)
    when != T = E
FR@p2(T)

// A table whose entry was cleared by a store, then freed.
@stored exists@
identifier F =~ "flush";
identifier W =~ "{{tlb_complete|tlb_not_resident}}";
identifier I =~ "{{ipi}}";
identifier L =~ "{{tlb_local}}";
identifier FR =~ "{{frame_free}}";
expression T;
type TT;
position p1, p2;
@@
{{event:pte_clear@p1}}
... when != W(...)
    when != I(cpumask_all(), F, ...)
    when != L(...)
\(FR@p2((TT)T)\|FR@p2(T)\)

@depends on context exists@
position queued.p1, queued.p2;
identifier FR;
expression E;
@@
* E@p1
...
* FR@p2(...)

@initialize:python@
@@
import re
BOOT = re.compile(r"{{boot_function}}")

def table_of_store(p1, t):
    """True when the store at p1 indexes the expression t (`t[...] = ...`)."""
    try:
        with open(p1[0].file, encoding="utf-8", errors="replace") as f:
            line = f.readlines()[int(p1[0].line) - 1]
    except (OSError, IndexError):
        return False
    t = re.sub(r"\s+", "", str(t))
    return re.search(r"(^|[^A-Za-z0-9_>.])" + re.escape(t) + r"\[", re.sub(r"\s+", "", line)) is not None

@script:python depends on report@
p1 << queued.p1;
p2 << queued.p2;
T << queued.T;
@@
if not BOOT.match(p2[0].current_element):
    print("%s:%s:%d: ERROR: page-table pages queued on %s by the PTE clear at line %s freed before a completed shootdown (in %s)"
          % (p2[0].file, p2[0].line, int(p2[0].column) + 1, re.sub(r"\s+", "", str(T)), p1[0].line, p2[0].current_element))

@script:python depends on report@
p1 << stored.p1;
p2 << stored.p2;
T << stored.T;
@@
if table_of_store(p1, T) and not BOOT.match(p2[0].current_element):
    print("%s:%s:%d: ERROR: page table %s freed after its entry was cleared at line %s, before a completed shootdown (in %s)"
          % (p2[0].file, p2[0].line, int(p2[0].column) + 1, re.sub(r"\s+", "", str(T)), p1[0].line, p2[0].current_element))
