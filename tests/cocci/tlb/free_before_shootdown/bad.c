/* Bad cases for cocci/tlb/free_before_shootdown: every frame_free() below must be reported. */
#include "fixture.h"

/* Straight line: unmap, free, no shootdown at all. */
void bad_straight(struct aspace *as, vaddr_t va)
{
	paddr_t pa = arch_mmu_unmap(as, va);

	frame_free(pa);
}

/* The shootdown is issued but its completion is not awaited before the free. */
void bad_no_wait(struct aspace *as, vaddr_t va)
{
	paddr_t pa = arch_mmu_unmap(as, va);

	tlb_shootdown(as, va, 1);
	frame_free(pa);
	tlb_shootdown_wait(as);
}

/* Weakened PTE (protect) and the wait only on one branch. */
void bad_one_branch(struct aspace *as, vaddr_t va, paddr_t pa, bool sync)
{
	arch_mmu_protect(as, va, PROT_NONE);
	if (sync) {
		tlb_shootdown(as, va, 1);
		tlb_shootdown_wait(as);
	}
	frame_free(pa);
}

/* A goto path skips the wait. */
kerr_t bad_goto(struct aspace *as, vaddr_t va, bool fail)
{
	paddr_t pa = arch_mmu_unmap(as, va);

	if (fail)
		goto out;
	tlb_shootdown(as, va, 1);
	tlb_shootdown_wait(as);
out:
	frame_free(pa);
	return KERR_OK;
}

/* In a loop: the free of one iteration follows the unmap of the same iteration. */
void bad_loop(struct aspace *as, vaddr_t va, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		paddr_t pa = arch_mmu_unmap(as, va + i * PAGE_SIZE);
		frame_free(pa);
	}
	tlb_shootdown(as, va, n);
	tlb_shootdown_wait(as);
}

/* A local flush is not enough outside boot code: another CPU may be resident. */
void bad_local_flush(struct aspace *as, vaddr_t va)
{
	paddr_t pa = arch_mmu_unmap(as, va);

	tlb_flush_local_page(va);
	frame_free(pa);
}

/* A page-table page freed after its last entry was cleared. */
void bad_pt_page(struct aspace *as, vaddr_t va, paddr_t pt)
{
	arch_mmu_unmap(as, va);
	tlb_flush_local_all();
	frame_free(pt);
}

/* The emptied page-table pages go back to the allocator before the shootdown completed. */
void bad_pt_list(struct aspace *as, vaddr_t va, struct frame_list *pt_free)
{
	arch_mmu_unmap(as, va);
	tlb_shootdown(as, va, 1);
	frame_list_free(pt_free);
	tlb_shootdown_wait(as);
}

/* A flush IPI to this CPU only is a local flush with extra steps. */
void bad_ipi_self(struct aspace *as, vaddr_t va)
{
	paddr_t pa = arch_mmu_unmap(as, va);

	ipi_call(cpumask_self(), flush_all_cpus, NULL);
	frame_free(pa);
}

/* An IPI to every CPU that does not flush proves nothing about the TLBs. */
void bad_ipi_no_flush(struct aspace *as, vaddr_t va)
{
	paddr_t pa = arch_mmu_unmap(as, va);

	ipi_call(cpumask_all(), count_ticks, NULL);
	frame_free(pa);
}
