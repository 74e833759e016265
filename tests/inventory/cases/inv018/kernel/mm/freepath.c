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

void tlb_flush_local_page(vaddr_t va);

/* Fires: the flush is the caller's round, but this function frees the frame first (after only
 * a local flush on its "resident only here" path). TLB: caller. */
void perform_tf_handoff_free(struct aspace *as, vaddr_t va, struct frame *f, int only_here)
{
	arch_mmu_unmap(as, va);
	if (only_here) {
		tlb_flush_local_page(va);
		frame_free(f);
		return;
	}
	tlb_defer_frame_free(as, f);
}

/* Quiet: handed to the caller's round with the frame deferred to it. TLB: caller. */
void perform_tf_handoff_defer(struct aspace *as, vaddr_t va, struct frame *f)
{
	arch_mmu_unmap(as, va);
	tlb_defer_frame_free(as, f);
}

/* A helper that only frees (it changes no page table itself). */
void tf_free_list(struct frame **l, int n)
{
	for (int i = 0; i < n; i++)
		frame_free(l[i]);
}

/* Fires: the emptied tables go back through the helper before the caller's round. TLB: caller. */
void perform_tf_handoff_tables(struct aspace *as, vaddr_t va, struct frame **tables, int n)
{
	arch_mmu_unmap(as, va);
	tf_free_list(tables, n);
}
