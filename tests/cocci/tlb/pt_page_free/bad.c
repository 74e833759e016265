/* Each function frees a page-table page before the flush that covers its unhook:
 * tools/cocci/tlb/pt_page_free.cocci must report each one. */
#include "fixture.h"

/* The tables arch_mmu_unmap() queued are freed before any shootdown. */
void unmap_free_tables_early(struct aspace *as, paddr_t root, vaddr_t va)
{
	struct frame_list pts = { 0, 0 };
	paddr_t pa;

	arch_mmu_unmap(root, va, &pa, &pts);
	frame_list_free(&pts);
	tlb_shootdown(as, va, 1);
	tlb_shootdown_wait(as);
}

/* The shootdown is issued but not waited for. */
void unmap_free_tables_no_wait(struct aspace *as, paddr_t root, vaddr_t va)
{
	struct frame_list pts = { 0, 0 };

	if (arch_mmu_unmap(root, va, NULL, &pts) != KERR_OK)
		return;
	tlb_shootdown(as, va, 1);
	frame_list_free(&pts);
}

/* An emptied table's parent entry cleared by a store, the table freed with no flush. */
void free_table_by_store(ptable_t parent, ptable_t table, int i)
{
	parent[i] = 0;
	table[0] = 0;
	frame_free((paddr_t)table);
}
