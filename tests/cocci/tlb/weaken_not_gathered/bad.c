/* Each function changes PTEs and shoots down through a gather, but some path reaches the
 * shootdown without gathering the changed page: tlb/weaken_not_gathered reports each one. */
#include "fixture.h"

/* Only the pages made inaccessible are gathered: a read-only downgrade is not shot down. */
void protect_only_none(struct aspace *as, vaddr_t va, unsigned long n, unsigned prot)
{
	struct tlb_gather tg;

	tlb_gather_init(&tg, as);
	spin_lock(&as->lock);
	for (unsigned long i = 0; i < n; i++) {
		arch_mmu_protect(as->root, va + i * 4096, prot);
		if (prot == PROT_NONE)
			tlb_gather_page(&tg, va + i * 4096);
	}
	tlb_shootdown(&tg);
	spin_unlock(&as->lock);
	tlb_shootdown_wait(&tg);
}
