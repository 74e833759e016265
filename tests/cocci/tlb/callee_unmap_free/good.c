/* Frames freed after a callee's unmap only once a shootdown completed (or where no other CPU
 * can hold the entry): tlb/callee_unmap_free reports none of these. */
#include "fixture.h"

/* TLB: caller. */
static void unmap_locked(struct aspace *as, vaddr_t va, struct frame_list *fl)
{
	paddr_t pa;

	arch_mmu_unmap(as->root, va, &pa, fl);
	frame_list_push(fl, frame_of(pa));
}

/* The round completes before the free. */
void unmap_wait_free(struct aspace *as, vaddr_t va)
{
	struct frame_list fl = { 0, 0 };
	struct tlb_gather tg;

	tlb_gather_init(&tg, as);
	spin_lock(&as->lock);
	unmap_locked(as, va, &fl);
	tlb_gather_page(&tg, va);
	tlb_shootdown(&tg);
	spin_unlock(&as->lock);
	tlb_shootdown_wait(&tg);
	frame_list_free(&fl);
}

/* A callee that completes its own round before returning leaves its callers nothing. */
static void unmap_and_flush(struct aspace *as, vaddr_t va, struct frame_list *fl)
{
	struct tlb_gather tg;

	tlb_gather_init(&tg, as);
	unmap_locked(as, va, fl);
	tlb_gather_page(&tg, va);
	tlb_shootdown(&tg);
	tlb_shootdown_wait(&tg);
}

void unmap_flushed_callee_free(struct aspace *as, vaddr_t va)
{
	struct frame_list fl = { 0, 0 };

	unmap_and_flush(as, va, &fl);
	frame_list_free(&fl);
}

/* A synchronous flush IPI to every CPU, then the free. */
void unmap_ipi_free(struct aspace *as, vaddr_t va)
{
	struct frame_list fl = { 0, 0 };

	unmap_locked(as, va, &fl);
	ipi_call(cpumask_all(), flush_all_on_cpu, 0);
	frame_list_free(&fl);
}

/* An address space loaded on no CPU (asserted at run time): no TLB can hold its entries. */
void teardown_free(struct aspace *as, vaddr_t va)
{
	struct frame_list fl = { 0, 0 };

	unmap_locked(as, va, &fl);
	tlb_assert_not_resident(as);
	frame_list_free(&fl);
}

/* Boot code runs before the other CPUs start: the local flush is complete. */
void boot_unmap_free(struct aspace *as, vaddr_t va)
{
	struct frame_list fl = { 0, 0 };

	unmap_locked(as, va, &fl);
	tlb_flush_local_all();
	frame_list_free(&fl);
}

/* The free comes before the unmap, of a frame it never mapped. */
void free_then_unmap(struct aspace *as, vaddr_t va, paddr_t spare)
{
	struct frame_list fl = { 0, 0 };
	struct tlb_gather tg;

	frame_free(spare);
	tlb_gather_init(&tg, as);
	unmap_locked(as, va, &fl);
	tlb_gather_page(&tg, va);
	tlb_shootdown(&tg);
	tlb_shootdown_wait(&tg);
	frame_list_free(&fl);
}
