/* Case tricky: calls wrapped in macros (the pair keys must match the same keys written out),
 * transition states given by macros that expand to enum constants, and a static inline helper
 * in a header. */
#ifndef TR_H
#define TR_H
#include "fx.h"
#define TR_CHARGE(as) ledger_charge((as)->ledger, LEDGER_COMMIT, 1)
#define TR_UNCHARGE(as) ledger_release((as)->ledger, LEDGER_COMMIT, 1)
#define TR_LOCK(as) spin_lock(&(as)->lock)
#define TR_UNLOCK(as) spin_unlock(&(as)->lock)
#define TR_FROM FRAME_MAPPED
#define TR_TO FRAME_UNHOOKED
/* Static inline in a header: frees without a shootdown. */
static inline void tr_unmap_free(struct aspace *as, vaddr_t va, struct frame *f)
{
	arch_mmu_unmap(as, va);
	tlb_shootdown(as, va);
	tlb_shootdown_wait(as);
	frame_free(f);
}
#endif
