/**
 * @file
 * @brief Local TLB flushes (the shootdown protocol builds on these and ipi_call()).
 */
#ifndef CAPOS_ARCH_TLB_H
#define CAPOS_ARCH_TLB_H

#include <lib/types.h>

/**
 * @brief Invalidate this CPU's TLB and paging-structure caches for one page.
 * @param va Any address in the page.
 */
void tlb_flush_local_page(vaddr_t va);

/** @brief Invalidate this CPU's whole (non-global) TLB by reloading CR3. */
void tlb_flush_local_all(void);

/** @brief Local flushes done on this CPU since boot (read by tests). @return Count. */
uint64_t tlb_local_flush_count(void);

#endif /* CAPOS_ARCH_TLB_H */
