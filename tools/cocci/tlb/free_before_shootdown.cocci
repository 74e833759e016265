/// A frame (data page or page-table page) goes back to the allocator (role frame_free:
/// frame_free(), frame_list_free() in capOS) after a PTE was cleared or weakened (roles
/// pte_clear, pte_weaken: arch_mmu_unmap(), arch_mmu_protect(), or a configured store such
/// as `*pte = 0`), on a path that does not complete a shootdown (role tlb_wait, or
/// tlb_shootdown when the config has no tlb_wait: the shootdown is then synchronous) in
/// between; or it is freed before the PTE that may still map it is cleared, with no
/// completed shootdown between the free and the clear.
/// Another CPU may still hold the old translation in its TLB and reach the frame after it
/// was reused ("unhook, flush, then free"). Free through tlb_defer_frame_free(), or wait
/// for the shootdown first.
///
/// Completion is one of: tlb_shootdown_wait() (role tlb_wait); a synchronous flush IPI to
/// every CPU, `ipi_call(cpumask_all(), F, ...)` (role ipi) with F a function whose name
/// contains "flush" (ipi_call returns after every CPU acknowledged); or
/// tlb_assert_not_resident() (role tlb_not_resident), which asserts at run time that the
/// address space is loaded on no CPU, so no TLB can hold its entries. A local flush (role
/// tlb_local: tlb_flush_local_page/tlb_flush_local_all) is accepted in place of them only in
/// functions of role boot_function (boot_*, early_*), which run before the
/// application processors start. Everywhere else a local-only flush is reported: a mapping
/// of a live address space may be cached by another CPU through speculation, and whether
/// other CPUs are resident is decided at run time inside tlb_shootdown(), never by the
/// caller.
///
//# Intraprocedural: an unmap in a callee followed by a free in the caller is not seen.
//# Any frame_free() on the path is reported, even of a frame unrelated to the PTE
//# (data flow is not followed); move such frees before the PTE change or defer them.
//# A free in the failure branch of an arch_mmu_unmap() that changed nothing is reported.
//# The mask of an accepted ipi_call() flush must be cpumask_all() literally; the flush
//# function's body is not checked.
// Confidence: High
// Copyright: capOS contributors.
// Comments: names from the config's primitives (tools/cocci/README.md "Config").
// Options: --no-includes --include-headers --macro-file tools/cocci/capos.h

virtual report
virtual context

// Path with no completion and no flush at all.
@nowait exists@
identifier F =~ "flush";
identifier W =~ "{{tlb_complete|tlb_not_resident}}";
identifier I =~ "{{ipi}}";
identifier L =~ "{{tlb_local}}";
identifier FR =~ "{{frame_free}}";
position p1, p2;
@@
{{event:pte_clear|pte_weaken@p1}}
... when != W(...)
    when != I(cpumask_all(), F, ...)
    when != L(...)
FR@p2(...)

// Path whose only flush is a local one (sufficient in boot functions only).
@localonly exists@
identifier F =~ "flush";
identifier W =~ "{{tlb_complete|tlb_not_resident}}";
identifier I =~ "{{ipi}}";
identifier L =~ "{{tlb_local}}";
identifier FR =~ "{{frame_free}}";
position p1, p2, pl;
@@
{{event:pte_clear|pte_weaken@p1}}
... when != W(...)
    when != I(cpumask_all(), F, ...)
L@pl(...)
... when != W(...)
    when != I(cpumask_all(), F, ...)
FR@p2(...)

// Freed first, cleared later: the frame is reachable through a present PTE after the
// allocator got it back. Only frees that no PTE change precedes on some path from the
// function's entry (so a loop "clear, wait, free" is not read backwards).
@early exists@
identifier fn;
identifier W =~ "{{tlb_complete|tlb_not_resident}}";
identifier FR =~ "{{frame_free}}";
position p1, p2;
@@
fn(...) {
... when != {{event:pte_clear|pte_weaken}}
FR@p2(...)
... when != W(...)
{{event:pte_clear@p1}}
...
}

@depends on context exists@
position nowait.p1, nowait.p2;
identifier FR;
expression E;
@@
* E@p1
...
* FR@p2(...)

@depends on context exists@
position localonly.p1, localonly.p2;
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

def print_finding(p1, p2, how):
    print("%s:%s:%d: ERROR: frame freed after the PTE change at line %s %s on some path (in %s)"
          % (p2[0].file, p2[0].line, int(p2[0].column) + 1, p1[0].line, how, p2[0].current_element))

@script:python depends on report@
p1 << nowait.p1;
p2 << nowait.p2;
@@
print_finding(p1, p2, "without {{names:tlb_complete}}")

@script:python depends on report@
p1 << localonly.p1;
p2 << localonly.p2;
pl << localonly.pl;
@@
if not BOOT.match(p2[0].current_element):
    print_finding(p1, p2, "with only the local TLB flush of line %s" % pl[0].line)

@script:python depends on report@
p1 << early.p1;
p2 << early.p2;
@@
print("%s:%s:%d: ERROR: frame freed while a PTE may still map it: the PTE is cleared only later, at line %s, with no completed shootdown in between (in %s)"
      % (p2[0].file, p2[0].line, int(p2[0].column) + 1, p1[0].line, p2[0].current_element))
