/* Good cases for cocci/tlb/free_before_shootdown: nothing below may be reported. */
#include "fixture.h"

/* Unhook, flush (and wait), then free. */
void good_wait(struct aspace *as, vaddr_t va)
{
	paddr_t pa = arch_mmu_unmap(as, va);

	tlb_shootdown(as, va, 1);
	tlb_shootdown_wait(as);
	frame_free(pa);
}

/* Deferred free: the frame waits on the pending list until the generation completes. */
void good_deferred(struct aspace *as, vaddr_t va)
{
	paddr_t pa = arch_mmu_unmap(as, va);

	tlb_defer_frame_free(as, pa);
	tlb_shootdown(as, va, 1);
}

/* Every branch waits before the free. */
void good_both_branches(struct aspace *as, vaddr_t va, paddr_t pa, bool all)
{
	arch_mmu_protect(as, va, PROT_READ);
	if (all) {
		tlb_shootdown(as, 0, 0);
		tlb_shootdown_wait(as);
	} else {
		tlb_shootdown(as, va, 1);
		tlb_shootdown_wait(as);
	}
	frame_free(pa);
}

/* Batched: one shootdown round for the whole range, then the frees. */
void good_batched(struct aspace *as, vaddr_t va, size_t n, paddr_t *pas)
{
	for (size_t i = 0; i < n; i++)
		pas[i] = arch_mmu_unmap(as, va + i * PAGE_SIZE);
	tlb_shootdown(as, va, n);
	tlb_shootdown_wait(as);
	for (size_t i = 0; i < n; i++)
		frame_free(pas[i]);
}

/* Free of a frame that was never mapped, before any PTE change. */
kerr_t good_free_before_map(struct aspace *as, vaddr_t va, paddr_t pa, bool fail)
{
	if (fail) {
		frame_free(pa);
		return KERR_INVALID_ARG;
	}
	return arch_mmu_map(as, va, pa, PROT_READ);
}

/* Boot code runs before the APs start: a local flush is the whole shootdown. */
void boot_drop_identity_map(struct aspace *as, vaddr_t va, paddr_t pt)
{
	arch_mmu_unmap(as, va);
	tlb_flush_local_all();
	frame_free(pt);
}

/* Page-table pages collected by the unmap are freed after the wait. */
void good_pt_list(struct aspace *as, vaddr_t va, struct frame_list *pt_free)
{
	arch_mmu_unmap(as, va);
	tlb_shootdown(as, va, 1);
	tlb_shootdown_wait(as);
	frame_list_free(pt_free);
}

/* A synchronous flush on every CPU: ipi_call returns after all of them acknowledged. */
void good_ipi_flush_all(struct aspace *as, vaddr_t va, struct frame_list *pt_free)
{
	paddr_t pa = arch_mmu_unmap(as, va);

	ipi_call(cpumask_all(), flush_all_cpus, NULL);
	frame_list_free(pt_free);
	frame_free(pa);
}

/* An address space that was never loaded: asserted at run time, then no flush is needed. */
void good_never_loaded(struct aspace *as, vaddr_t va, struct frame_list *pt_free)
{
	paddr_t pa = arch_mmu_unmap(as, va);

	tlb_assert_not_resident(as);
	frame_list_free(pt_free);
	frame_free(pa);
}
