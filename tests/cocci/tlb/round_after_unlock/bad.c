/* The lock guarding an address space is released before the shootdown round for PTEs changed
 * under it (here, or in a callee that gathers the change): tlb/round_after_unlock reports each
 * change (the call of the callee, or the PTE change itself). */
#include "fixture.h"

/* Clears the PTEs and gathers them into the caller's round. TLB: shootdown (caller's round). */
static void unhook_locked(struct aspace *as, vaddr_t va, unsigned long n, struct tlb_gather *tg)
{
	for (unsigned long i = 0; i < n; i++) {
		arch_mmu_unmap(as->root, va + i * 4096, 0, 0);
		tlb_gather_page(tg, va + i * 4096);
	}
}

/* Hands its gather on: it gathers too (two levels of callee). TLB: shootdown (caller's round). */
static kerr_t unmap_object_locked(struct aspace *as, vaddr_t va, unsigned long n,
				  struct tlb_gather *tg)
{
	kerr_t err = vmspace_unmap(as, va, n);

	if (err != KERR_OK)
		return err;
	unhook_locked(as, va, n, tg);
	return KERR_OK;
}

/* The round issued after the unlock "to shorten the hold time", the change in a callee. */
kerr_t object_unmap(struct aspace *as, vaddr_t va, unsigned long n)
{
	struct tlb_gather tg;
	kerr_t err;

	tlb_gather_init(&tg, as);
	spin_lock(&as->lock);
	err = range_pinned_locked(as, va, n) ? KERR_PINNED : unmap_object_locked(as, va, n, &tg);
	spin_unlock(&as->lock);
	if (err != KERR_OK)
		return err;
	tlb_shootdown(&tg);
	tlb_shootdown_wait(&tg);
	return KERR_OK;
}

/* The change in the function itself, gathered, but the round after the unlock. */
void protect_unlock_first(struct aspace *as, vaddr_t va, unsigned prot)
{
	struct tlb_gather tg;

	tlb_gather_init(&tg, as);
	spin_lock(&as->lock);
	arch_mmu_protect(as->root, va, prot);
	tlb_gather_page(&tg, va);
	spin_unlock(&as->lock);
	tlb_shootdown(&tg);
	tlb_shootdown_wait(&tg);
}

/* The page-table root read into a local first: still the address space's change. A loop,
 * and a skipped page, on the way to the unlock. */
void remove_loop(struct aspace *as, vaddr_t va, unsigned long n, const unsigned char *skip)
{
	struct tlb_gather tg;
	uint64_t root = as->root;

	tlb_gather_init(&tg, as);
	spin_lock(&as->lock);
	for (unsigned long i = 0; i < n; i++) {
		if (skip[i])
			continue;
		arch_mmu_unmap(root, va + i * 4096, 0, 0);
		tlb_gather_page(&tg, va + i * 4096);
	}
	spin_unlock(&as->lock);
	tlb_shootdown(&tg);
	tlb_shootdown_wait(&tg);
}

/* No round at all before the unlock: the caller was to issue it, after its own unlock. */
void unmap_no_round_here(struct aspace *as, vaddr_t va, unsigned long n, struct tlb_gather *tg)
{
	spin_lock(&as->lock);
	unhook_locked(as, va, n, tg);
	spin_unlock(&as->lock);
}
