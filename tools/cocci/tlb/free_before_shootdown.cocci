/// A frame (data page or page-table page) goes back to the allocator with frame_free() or
/// frame_list_free() after a PTE was cleared (arch_mmu_unmap) or weakened
/// (arch_mmu_protect), on a path that does not pass tlb_shootdown_wait() in between.
/// Another CPU may still hold the old translation in its TLB and reach the frame after it
/// was reused ("unhook, flush, then free"). Free through tlb_defer_frame_free(), or wait
/// for the shootdown first.
///
/// Completion is one of: tlb_shootdown_wait(); a synchronous flush IPI to every CPU,
/// `ipi_call(cpumask_all(), F, ...)` with F a function whose name contains "flush"
/// (ipi_call returns after every CPU acknowledged); or tlb_assert_not_resident(), which
/// asserts at run time that the address space is loaded on no CPU, so no TLB can hold
/// its entries. A local flush (tlb_flush_local_page/tlb_flush_local_all) is accepted
/// in place of them only in functions named boot_* or early_*, which run before the
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
// Comments: names from HACKING.md "Names the audit reads".
// Options: --no-includes --include-headers --macro-file tools/cocci/capos.h

virtual report
virtual context

// Path with no completion and no flush at all.
@nowait exists@
identifier F =~ "flush";
position p1, p2;
@@
(
arch_mmu_unmap@p1(...)
|
arch_mmu_protect@p1(...)
)
... when != tlb_shootdown_wait(...)
    when != ipi_call(cpumask_all(), F, ...)
    when != tlb_assert_not_resident(...)
    when != tlb_flush_local_page(...)
    when != tlb_flush_local_all(...)
\(frame_free@p2\|frame_list_free@p2\)(...)

// Path whose only flush is a local one (sufficient in boot_*/early_* functions only).
@localonly exists@
identifier F =~ "flush";
position p1, p2, pl;
@@
(
arch_mmu_unmap@p1(...)
|
arch_mmu_protect@p1(...)
)
... when != tlb_shootdown_wait(...)
    when != ipi_call(cpumask_all(), F, ...)
    when != tlb_assert_not_resident(...)
\(tlb_flush_local_page@pl\|tlb_flush_local_all@pl\)(...)
... when != tlb_shootdown_wait(...)
    when != ipi_call(cpumask_all(), F, ...)
    when != tlb_assert_not_resident(...)
\(frame_free@p2\|frame_list_free@p2\)(...)

@depends on context exists@
position nowait.p1, nowait.p2;
@@
(
* arch_mmu_unmap@p1(...)
|
* arch_mmu_protect@p1(...)
)
...
* \(frame_free@p2\|frame_list_free@p2\)(...)

@depends on context exists@
position localonly.p1, localonly.p2;
@@
(
* arch_mmu_unmap@p1(...)
|
* arch_mmu_protect@p1(...)
)
...
* \(frame_free@p2\|frame_list_free@p2\)(...)

@initialize:python@
@@
import re
BOOT = re.compile(r"^(boot|early)_")

def print_finding(p1, p2, how):
    print("%s:%s:%d: ERROR: frame freed after the PTE change at line %s %s on some path (in %s)"
          % (p2[0].file, p2[0].line, int(p2[0].column) + 1, p1[0].line, how, p2[0].current_element))

@script:python depends on report@
p1 << nowait.p1;
p2 << nowait.p2;
@@
print_finding(p1, p2, "without tlb_shootdown_wait()")

@script:python depends on report@
p1 << localonly.p1;
p2 << localonly.p2;
pl << localonly.pl;
@@
if not BOOT.match(p2[0].current_element):
    print_finding(p1, p2, "with only the local TLB flush of line %s" % pl[0].line)
