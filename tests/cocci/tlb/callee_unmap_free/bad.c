/* A frame is freed after a callee removed PTEs and left the flush to its caller, with no
 * completed shootdown on the way: tlb/callee_unmap_free reports each free. */
#include "fixture.h"

#define STACK_PAGES 4

/* Unmaps a kernel stack; the frames go to fl. TLB: caller. */
static void stack_unmap_locked(unsigned slot, struct frame_list *fl)
{
	paddr_t pa;

	for (unsigned i = 0; i < STACK_PAGES; i++) {
		arch_mmu_unmap(arch_mmu_kernel_root(), (slot * 8 + i) * 4096, &pa, fl);
		frame_list_push(fl, frame_of(pa));
	}
}

/* "Only the CPU the exited thread last ran on can cache its stack": a local flush, then free
 * (the kernel half is loaded on every CPU). */
void stack_free_local(unsigned slot)
{
	struct frame_list fl = { 0, 0 };

	stack_unmap_locked(slot, &fl);
	tlb_flush_local_all();
	for (struct frame *f = frame_list_pop(&fl); f; f = frame_list_pop(&fl))
		frame_free(frame_paddr(f));
}

/* No flush at all before the list goes back. */
void stack_free_noflush(unsigned slot)
{
	struct frame_list fl = { 0, 0 };

	stack_unmap_locked(slot, &fl);
	frame_list_free(&fl);
}

/* A wrapper that only forwards: its callers inherit the duty (two levels). TLB: caller. */
static void stack_release_locked(unsigned slot, struct frame_list *fl)
{
	stack_unmap_locked(slot, fl);
}

/* The round is issued but not waited for: another CPU may not have flushed yet. */
void stack_free_nowait(struct aspace *as, unsigned slot)
{
	struct frame_list fl = { 0, 0 };
	struct tlb_gather tg;

	tlb_gather_init(&tg, as);
	stack_release_locked(slot, &fl);
	tlb_shootdown(&tg);
	frame_list_free(&fl);
	tlb_shootdown_wait(&tg);
}
