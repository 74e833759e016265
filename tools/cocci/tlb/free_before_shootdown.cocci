/// A frame (data page or page-table page) goes back to the allocator with frame_free() or
/// frame_list_free() after a PTE was cleared (arch_mmu_unmap) or weakened
/// (arch_mmu_protect), on a path that does not pass tlb_shootdown_wait() in between. Another CPU may still hold the old
/// translation in its TLB and reach the frame after it was reused ("unhook, flush, then
/// free"). Free through tlb_defer_frame_free(), or wait for the shootdown first.
///
/// A local flush (tlb_flush_local_page/tlb_flush_local_all) is accepted in place of
/// tlb_shootdown_wait() only in functions named boot_* or early_*: they run before the
/// application processors start, so no other TLB can hold the translation. Everywhere else
/// a local-only flush is reported: whether other CPUs are resident is decided at run time
/// inside tlb_shootdown(), never by the caller.
///
//# Intraprocedural: an unmap in a callee followed by a free in the caller is not seen.
//# Any frame_free() on the path is reported, even of a frame unrelated to the PTE
//# (data flow is not followed); move such frees before the PTE change or defer them.
//# A free in the failure branch of an arch_mmu_unmap() that changed nothing is reported.
// Confidence: High
// Copyright: capOS contributors.
// Comments: names from HACKING.md "Names the audit reads".
// Options: --no-includes --include-headers --macro-file tools/cocci/capos.h

virtual report
virtual context

// Path with no completion and no flush at all.
@nowait exists@
position p1, p2;
@@
(
arch_mmu_unmap@p1(...)
|
arch_mmu_protect@p1(...)
)
... when != tlb_shootdown_wait(...)
    when != tlb_flush_local_page(...)
    when != tlb_flush_local_all(...)
\(frame_free@p2\|frame_list_free@p2\)(...)

// Path with no completion, only a local flush (sufficient in boot_*/early_* only).
@localonly exists@
position p1 != nowait.p1, p2 != nowait.p2;
identifier fn !~ "^(boot|early)_";
@@
fn(...) {
<+...
(
arch_mmu_unmap@p1(...)
|
arch_mmu_protect@p1(...)
)
... when != tlb_shootdown_wait(...)
\(frame_free@p2\|frame_list_free@p2\)(...)
...+>
}

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

@script:python depends on report@
p1 << nowait.p1;
p2 << nowait.p2;
@@
print("%s:%s:%d: ERROR: frame freed after the PTE change at line %s without tlb_shootdown_wait() on some path (in %s)"
      % (p2[0].file, p2[0].line, int(p2[0].column) + 1, p1[0].line, p2[0].current_element))

@script:python depends on report@
p1 << localonly.p1;
p2 << localonly.p2;
@@
print("%s:%s:%d: ERROR: frame freed after the PTE change at line %s with only a local TLB flush on some path (in %s)"
      % (p2[0].file, p2[0].line, int(p2[0].column) + 1, p1[0].line, p2[0].current_element))
