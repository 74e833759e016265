/* Every changed page is gathered before the shootdown: tlb/weaken_not_gathered stays quiet. */
#include "fixture.h"

void protect_all(struct aspace *as, vaddr_t va, unsigned long n, unsigned prot)
{
	struct tlb_gather tg;

	tlb_gather_init(&tg, as);
	spin_lock(&as->lock);
	for (unsigned long i = 0; i < n; i++) {
		arch_mmu_protect(as->root, va + i * 4096, prot);
		tlb_gather_page(&tg, va + i * 4096);
	}
	tlb_shootdown(&tg);
	spin_unlock(&as->lock);
	tlb_shootdown_wait(&tg);
}

/* No PTE change on the way to the round: nothing to gather. */
void round_only(struct aspace *as)
{
	struct tlb_gather tg;

	tlb_gather_init(&tg, as);
	tlb_shootdown(&tg);
	tlb_shootdown_wait(&tg);
}
