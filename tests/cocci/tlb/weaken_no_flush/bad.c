/* Each function weakens or removes a PTE and returns on some path with no flush that
 * covers it: tools/cocci/tlb/weaken_no_flush.cocci must report each one. */
#include "fixture.h"

/* Made read-only, returned: other CPUs keep the writable entry. */
void protect_no_flush(struct aspace *as, vaddr_t va)
{
	arch_mmu_protect(as, va, PROT_READ);
}

/* Unmapped in a loop, the function falls off its end with nothing flushed. */
void unmap_loop_no_flush(struct aspace *as, vaddr_t va, size_t n)
{
	for (size_t i = 0; i < n; i++)
		arch_mmu_unmap(as, va + i * PAGE_SIZE);
}

/* The error path after the change returns before the shootdown. */
kerr_t protect_error_path(struct aspace *as, vaddr_t va, int fail)
{
	arch_mmu_protect(as, va, PROT_NONE);
	if (fail)
		return KERR_INVALID_ARG;
	tlb_shootdown(as, va, 1);
	tlb_shootdown_wait(as);
	return KERR_OK;
}

/* Only this CPU flushed, outside boot code. */
void protect_local_only(struct aspace *as, vaddr_t va)
{
	arch_mmu_protect(as, va, PROT_READ);
	tlb_flush_local_page(va);
}

/* A comment that names no duty of the caller: "TLB: none" is wrong here. */
/* TLB: none. */
void unmap_claims_none(struct aspace *as, vaddr_t va)
{
	arch_mmu_unmap(as, va);
}
