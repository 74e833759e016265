/* INV024: a page-table change made under the address space's lock, flushed only after that lock
 * is released; a global lock around kernel mappings and a flush handed to the caller are not. */
#include "fx.h"

struct spinlock kmap_lock;
void tlb_flush_local_page(vaddr_t va);

/* Fires: the shootdown after the unlock (a shorter hold time). TLB: shootdown. */
void perform_rl_after(struct aspace *as, vaddr_t va)
{
	spin_lock(&as->lock);
	arch_mmu_unmap(as, va);
	spin_unlock(&as->lock);
	tlb_shootdown(as, va);
	tlb_shootdown_wait(as);
}

/* Fires: on the error path only, the unlock comes first. TLB: shootdown. */
kerr_t perform_rl_somepath(struct aspace *as, vaddr_t va, int fast)
{
	spin_lock(&as->lock);
	arch_mmu_unmap(as, va);
	if (fast) {
		spin_unlock(&as->lock);
		tlb_shootdown(as, va);
		tlb_shootdown_wait(as);
		return KERR_INVALID_ARG;
	}
	tlb_shootdown(as, va);
	spin_unlock(&as->lock);
	tlb_shootdown_wait(as);
	return KERR_OK;
}

/* Quiet: the round issued under the lock, waited for after it. TLB: shootdown. */
void perform_rl_under(struct aspace *as, vaddr_t va)
{
	spin_lock(&as->lock);
	arch_mmu_unmap(as, va);
	tlb_shootdown(as, va);
	spin_unlock(&as->lock);
	tlb_shootdown_wait(as);
}

/* Quiet: a global lock around a kernel mapping guards no address space. TLB: shootdown. */
void perform_rl_kernel(struct aspace *kas, vaddr_t va)
{
	spin_lock(&kmap_lock);
	arch_mmu_unmap(kas, va);
	spin_unlock(&kmap_lock);
	tlb_shootdown(kas, va);
	tlb_shootdown_wait(kas);
}

/* Quiet here: the flush is the caller's, who gets the change with the lock. TLB: caller. */
void perform_rl_for_caller(struct aspace *as, vaddr_t va)
{
	spin_lock(&as->lock);
	arch_mmu_unmap(as, va);
	spin_unlock(&as->lock);
}

struct objx { struct spinlock lock; int maps; };

/* Fires at the address-space unlock: an inner lock taken after the change and released first
 * is not the one that ordered it. TLB: shootdown. */
void perform_rl_inner(struct aspace *as, struct objx *o, vaddr_t va)
{
	spin_lock(&as->lock);
	arch_mmu_unmap(as, va);
	spin_lock(&o->lock);
	o->maps--;
	spin_unlock(&o->lock);
	spin_unlock(&as->lock);
	tlb_shootdown(as, va);
	tlb_shootdown_wait(as);
}
