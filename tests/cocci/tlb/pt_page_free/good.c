/* Tables freed only after the covering flush completed: the rule must stay silent. */
#include "fixture.h"

void unmap_then_free_tables(struct aspace *as, paddr_t root, vaddr_t va)
{
	struct frame_list pts = { 0, 0 };
	paddr_t pa;

	arch_mmu_unmap(root, va, &pa, &pts);
	tlb_shootdown(as, va, 1);
	tlb_shootdown_wait(as);
	frame_list_free(&pts);
}

/* The address space is loaded nowhere: no walker caches its tables. */
void teardown_not_resident(struct aspace *as, paddr_t root, vaddr_t va)
{
	struct frame_list pts = { 0, 0 };

	arch_mmu_unmap(root, va, NULL, &pts);
	tlb_assert_not_resident(as);
	frame_list_free(&pts);
}

/* Before the APs run a local flush is complete. */
void boot_drop_tables(paddr_t root, vaddr_t va)
{
	struct frame_list pts = { 0, 0 };

	arch_mmu_unmap(root, va, NULL, &pts);
	tlb_flush_local_all();
	frame_list_free(&pts);
}

/* A list that the clear never saw, freed: not this rule's business. */
void free_other_list(paddr_t root, vaddr_t va, struct frame_list *spare)
{
	struct frame_list pts = { 0, 0 };

	frame_list_free(spare);
	arch_mmu_unmap(root, va, NULL, &pts);
}

/* A store-cleared table freed after a completed shootdown. */
void free_table_after_flush(struct aspace *as, ptable_t table)
{
	table[0] = 0;
	tlb_shootdown(as, 0, 1);
	tlb_shootdown_wait(as);
	frame_free((paddr_t)table);
}
