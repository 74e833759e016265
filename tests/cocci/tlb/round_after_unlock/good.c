/* The round is issued before the lock guarding the address space is released, or the lock
 * released first guards something else: tlb/round_after_unlock reports none of these. */
#include "fixture.h"

/* TLB: shootdown (caller's round). */
static void unhook_locked(struct aspace *as, vaddr_t va, unsigned long n, struct tlb_gather *tg)
{
	for (unsigned long i = 0; i < n; i++) {
		arch_mmu_unmap(as->root, va + i * 4096, 0, 0);
		tlb_gather_page(tg, va + i * 4096);
	}
}

/* TLB: shootdown (caller's round). */
static kerr_t unmap_object_locked(struct aspace *as, vaddr_t va, unsigned long n,
				  struct tlb_gather *tg)
{
	kerr_t err = vmspace_unmap(as, va, n);

	if (err != KERR_OK)
		return err;
	unhook_locked(as, va, n, tg);
	return KERR_OK;
}

/* The round under the lock on success; the failed path (nothing changed) unlocks without one:
 * not every path releases the lock unflushed, so nothing is reported. The object's own lock
 * is released before the round: it is taken after the change and guards no page table. */
kerr_t object_unmap(struct memobj *o, struct aspace *as, vaddr_t va, unsigned long n)
{
	struct tlb_gather tg;
	kerr_t err;

	tlb_gather_init(&tg, as);
	spin_lock(&as->lock);
	err = range_pinned_locked(as, va, n) ? KERR_PINNED : unmap_object_locked(as, va, n, &tg);
	if (err == KERR_OK) {
		spin_lock(&o->lock);
		o->maps--;
		spin_unlock(&o->lock);
		tlb_shootdown(&tg);
	}
	spin_unlock(&as->lock);
	if (err != KERR_OK)
		return err;
	tlb_shootdown_wait(&tg);
	return KERR_OK;
}

/* A lock taken inside the address-space lock (the account's), released before the round:
 * the address-space lock still covers the change until the round is issued. */
void protect_acct_inner(struct aspace *as, vaddr_t va, unsigned prot)
{
	struct tlb_gather tg;

	tlb_gather_init(&tg, as);
	spin_lock(&as->lock);
	spin_lock(&as->acct->lock);
	arch_mmu_protect(as->root, va, prot);
	tlb_gather_page(&tg, va);
	spin_unlock(&as->acct->lock);
	tlb_shootdown(&tg);
	spin_unlock(&as->lock);
	tlb_shootdown_wait(&tg);
}

static int stack_lock;

/* Kernel mappings under a global lock that guards no address space (the slot stays taken
 * until the frames were released on every CPU): not this rule's concern. TLB: caller. */
static void stack_unmap_locked(unsigned slot, struct frame_list *fl)
{
	arch_mmu_unmap(arch_mmu_kernel_root(), slot * 4096, 0, fl);
}

/* TLB: shootdown (tlb_kernel_release_frames flushes every CPU before freeing). */
void stack_free(unsigned slot)
{
	struct frame_list fl = { 0, 0 };

	spin_lock(&stack_lock);
	stack_unmap_locked(slot, &fl);
	spin_unlock(&stack_lock);
	tlb_kernel_release_frames(&fl);
}

/* Round issued inside the lock, wait after it: the usual shape. */
void protect_ok(struct aspace *as, vaddr_t va, unsigned prot)
{
	struct tlb_gather tg;

	tlb_gather_init(&tg, as);
	spin_lock(&as->lock);
	arch_mmu_protect(as->root, va, prot);
	tlb_gather_page(&tg, va);
	tlb_shootdown(&tg);
	spin_unlock(&as->lock);
	tlb_shootdown_wait(&tg);
}
