/**
 * @file
 * @brief Kernel stacks for threads: KSTACK_PAGES pages in the vmap area, each below an
 *        unmapped guard page, so an overflow faults instead of corrupting a neighbour.
 */
#ifndef CAPOS_MM_KSTACK_H
#define CAPOS_MM_KSTACK_H

#include <capos/errors.h>
#include <lib/types.h>

#define KSTACK_PAGES 4 /**< Pages per kernel stack (16 KiB). */

/**
 * @brief Map a new kernel stack. TLB: none (new PTEs only).
 * @param top Receives the stack's top (16-byte aligned, exclusive).
 * @return KERR_OK; KERR_NO_SLOTS (all stack slots used); KERR_NO_MEMORY (nothing changed).
 */
kerr_t kstack_alloc(vaddr_t *top);

/**
 * @brief Unmap and free a kernel stack. TLB: shootdown (flushes on every CPU through
 *        ipi_call() before the frames are freed), so it needs interrupts enabled and must not
 *        run on the stack it frees.
 * @param top Value returned by kstack_alloc().
 */
void kstack_free(vaddr_t top);

/** @brief Kernel stacks currently allocated. @return Count. */
unsigned kstack_live_count(void);

#endif /* CAPOS_MM_KSTACK_H */
