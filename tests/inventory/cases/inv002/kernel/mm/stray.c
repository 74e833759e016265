/* Fires INV002: maps a page from a function no operation or entry point reaches. */
#include "fx.h"

/* TLB: none (new PTEs only). */
kerr_t stray_map(struct aspace *as, vaddr_t va)
{
	return arch_mmu_map(as, va, 0x1000, 1);
}
