/* Fires INV016: clears a PTE, flushes nothing, says nothing about the TLB. */
#include "fx.h"

void perform_nf_quiet(struct aspace *as, vaddr_t va)
{
	arch_mmu_unmap(as, va);
}

/* Near miss (does not fire): the caller flushes, and says so. TLB: caller. */
void perform_nf_caller(struct aspace *as, vaddr_t va)
{
	arch_mmu_unmap(as, va);
}

/* Fires: clearing a PTE cannot be "new PTEs only". TLB: none (new PTEs only). */
void perform_nf_claim(struct aspace *as, vaddr_t va)
{
	arch_mmu_unmap(as, va);
	tlb_shootdown(as, va);
}
