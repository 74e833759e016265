/* INV027: a `TLB:` comment checked against the TLB action computed from the paths. */
#include "fx.h"

void tlb_flush_local_page(vaddr_t va);

/* Fires: says the caller flushes, but every path shoots down here. TLB: caller. */
void perform_tc_caller(struct aspace *as, vaddr_t va)
{
	arch_mmu_unmap(as, va);
	tlb_shootdown(as, va);
}

/* Fires: says shootdown, but only this CPU is flushed. TLB: shootdown. */
void perform_tc_local(struct aspace *as, vaddr_t va)
{
	arch_mmu_unmap(as, va);
	tlb_flush_local_page(va);
}

/* Fires: says none, but the clear is shot down. TLB: none. */
void perform_tc_none(struct aspace *as, vaddr_t va)
{
	arch_mmu_unmap(as, va);
	tlb_shootdown(as, va);
}

/* Fires: names no action. TLB: handled elsewhere. */
void perform_tc_vague(struct aspace *as, vaddr_t va)
{
	arch_mmu_unmap(as, va);
	tlb_shootdown(as, va);
}

/* Fires: says deferred, but one path neither flushes nor defers. TLB: deferred. */
void perform_tc_defer_bad(struct aspace *as, vaddr_t va, struct frame *f, int keep)
{
	arch_mmu_unmap(as, va);
	if (!keep)
		tlb_defer_frame_free(as, f);
}

/* Near miss: says shootdown and shoots down on every path. TLB: shootdown. */
void perform_tc_ok(struct aspace *as, vaddr_t va)
{
	arch_mmu_unmap(as, va);
	tlb_shootdown(as, va);
	tlb_shootdown_wait(as);
}

/* Near miss: the frame waits for the next round. TLB: deferred (freed after the next round). */
void perform_tc_defer(struct aspace *as, vaddr_t va, struct frame *f)
{
	arch_mmu_unmap(as, va);
	tlb_defer_frame_free(as, f);
}
