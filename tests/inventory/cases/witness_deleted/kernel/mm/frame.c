/* Fixture: frame lifecycle helpers reached from the VM operations. */
#include "fx.h"

/* State: FREE -> ALLOCATED. TLB: none (no PTE). */
struct frame *frame_get(void)
{
	struct frame *f = frame_alloc();
	if (!f)
		return 0;
	/* the transition call was deleted here; the test still passes */
	return f;
}

/* Runs fn on every CPU: the inventory resolves fn from what callers pass. */
static void on_each_cpu(void (*fn)(struct aspace *), struct aspace *as)
{
	fn(as);
}

static void wait_cb(struct aspace *as)
{
	tlb_shootdown_wait(as);
}

/* Unhook, flush, then free. TLB: shootdown. */
void frame_unhook_and_free(struct aspace *as, vaddr_t va, struct frame *f)
{
	arch_mmu_unmap(as, va);
	frame_transition(f, FRAME_MAPPED, FRAME_UNHOOKED);
	tlb_shootdown(as, va);
	on_each_cpu(wait_cb, as);
	tlb_defer_frame_free(as, f);
}

/* Another site of FREE -> ALLOCATED: a frame for a page table. */
struct frame *frame_get_table(void)
{
	struct frame *f = frame_alloc();
	if (!f)
		return 0;
	frame_transition(f, FRAME_FREE, FRAME_ALLOCATED);
	return f;
}
