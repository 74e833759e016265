/* INV018 on the paths: a frame freed while a page-table change is not yet flushed on that path,
 * here or inside a callee (function summaries), where source order alone shows nothing wrong. */
#include "fx.h"

/* Frees a frame and flushes nothing: called with a change pending, it frees before the flush. */
static void tf_release(struct frame *f)
{
	frame_free(f);
}

/* Fires: the callee frees the frame before the shootdown that follows. TLB: shootdown. */
void perform_tf_helper(struct aspace *as, vaddr_t va, struct frame *f)
{
	arch_mmu_unmap(as, va);
	tf_release(f);
	tlb_shootdown(as, va);
}

/* Fires: on the fast path the free comes with no shootdown before it (the shootdown is written
 * before the free, on the other branch). TLB: shootdown. */
void perform_tf_branch(struct aspace *as, vaddr_t va, struct frame *f, int fast)
{
	arch_mmu_unmap(as, va);
	if (!fast)
		tlb_shootdown(as, va);
	frame_free(f);
}

/* Near miss: shoots down and waits, then the callee frees. TLB: shootdown. */
void perform_tf_ok(struct aspace *as, vaddr_t va, struct frame *f)
{
	arch_mmu_unmap(as, va);
	tlb_shootdown(as, va);
	tlb_shootdown_wait(as);
	tf_release(f);
}
