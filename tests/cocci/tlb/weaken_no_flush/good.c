/* Every PTE change is covered before each return: the rule must stay silent. */
#include "fixture.h"

/* Shootdown issued and completed. */
void protect_shootdown(struct aspace *as, vaddr_t va)
{
	arch_mmu_protect(as, va, PROT_READ);
	tlb_shootdown(as, va, 1);
	tlb_shootdown_wait(as);
}

/* Error path that returns before any PTE changed. */
kerr_t unmap_checked(struct aspace *as, vaddr_t va)
{
	if (va == 0)
		return KERR_INVALID_ARG;
	arch_mmu_unmap(as, va);
	tlb_shootdown(as, va, 1);
	return KERR_OK;
}

/* A synchronous flush IPI to every CPU. */
void protect_ipi(struct aspace *as, vaddr_t va)
{
	arch_mmu_protect(as, va, PROT_NONE);
	ipi_call(cpumask_all(), flush_all_cpus, as);
}

/* Loaded nowhere: no TLB holds its entries. */
void unmap_not_resident(struct aspace *as, vaddr_t va)
{
	tlb_assert_not_resident(as);
	arch_mmu_unmap(as, va);
	tlb_assert_not_resident(as);
}

/* Before the APs run, a local flush is a complete flush. */
void boot_unmap_identity(struct aspace *as, vaddr_t va)
{
	arch_mmu_unmap(as, va);
	tlb_flush_local_all();
}

/* TLB: caller (the caller flushes va before the frame is reused). */
void unmap_for_caller(struct aspace *as, vaddr_t va)
{
	arch_mmu_unmap(as, va);
}

/*
 * Recorded in the caller's gather.
 * TLB: shootdown (caller's round).
 */
void unmap_into_gather(struct aspace *as, vaddr_t va)
{
	arch_mmu_unmap(as, va);
}

/* Flushed on every path, the loop included. */
void unmap_loop_flush(struct aspace *as, vaddr_t va, size_t n)
{
	for (size_t i = 0; i < n; i++)
		arch_mmu_unmap(as, va + i * PAGE_SIZE);
	tlb_shootdown(as, va, n);
	tlb_shootdown_wait(as);
}
