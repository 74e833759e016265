/*
 * tlb.c - local TLB invalidation (invlpg, CR3 reload) with a per-system flush counter.
 */
#include <arch/cpu.h>
#include <arch/tlb.h>

static uint64_t local_flushes;

void tlb_flush_local_page(vaddr_t va)
{
	__asm__ volatile("invlpg (%0)" : : "r"(va) : "memory");
	__atomic_add_fetch(&local_flushes, 1, __ATOMIC_RELAXED);
}

void tlb_flush_local_all(void)
{
	write_cr3(read_cr3());
	__atomic_add_fetch(&local_flushes, 1, __ATOMIC_RELAXED);
}

uint64_t tlb_local_flush_count(void)
{
	return __atomic_load_n(&local_flushes, __ATOMIC_RELAXED);
}
