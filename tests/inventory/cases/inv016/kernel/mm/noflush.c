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

/* Fires (path-sensitive): the shootdown is on one branch only; the other returns with the PTE
 * cleared and unflushed. TLB: shootdown. */
void perform_nf_branch(struct aspace *as, vaddr_t va, int all)
{
	arch_mmu_unmap(as, va);
	if (all) {
		tlb_shootdown(as, va);
		return;
	}
}

/* Hands its clear to the caller, and only when it succeeds. TLB: caller. */
static kerr_t nf_unhook(struct aspace *as, vaddr_t va)
{
	if (!va)
		return KERR_INVALID_ARG;
	arch_mmu_unmap(as, va);
	return KERR_OK;
}

/* Near miss (function summary on return values): the clear nf_unhook hands over exists only
 * when it succeeded, and that path shoots down. TLB: shootdown. */
kerr_t perform_nf_onsuccess(struct aspace *as, vaddr_t va)
{
	kerr_t err = nf_unhook(as, va);
	if (err != KERR_OK)
		return err;
	tlb_shootdown(as, va);
	return KERR_OK;
}

/* Near miss (correlated tests): the clear and the shootdown are under the same test of err, as
 * in a failed allocation's unwind. TLB: shootdown. */
kerr_t perform_nf_correlated(struct aspace *as, vaddr_t va, kerr_t err)
{
	if (err != KERR_OK)
		arch_mmu_unmap(as, va);
	spin_lock(&as->lock);
	spin_unlock(&as->lock);
	if (err != KERR_OK) {
		tlb_shootdown(as, va);
		return err;
	}
	return KERR_OK;
}
