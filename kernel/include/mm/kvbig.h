/**
 * @file
 * @brief Large kernel allocations (above KHEAP_MAX): zeroed frames mapped contiguously in a
 *        region of the vmap area, each allocation followed by an unmapped guard page.
 *
 * Used for the per-page state arrays of large reservations (lib/vmspace). Freeing flushes
 * every CPU's TLB (one ipi_call) before any frame or table goes back to the allocator.
 */
#ifndef CAPOS_MM_KVBIG_H
#define CAPOS_MM_KVBIG_H

#include <lib/types.h>

/**
 * @brief Allocate @p size bytes of zeroed, page-aligned kernel memory. TLB: none (new PTEs).
 * @param size Bytes (> 0).
 * @return The memory, or NULL when no frame or no virtual room is left (nothing changed).
 */
void *kvbig_alloc(size_t size);

/**
 * @brief Free memory from kvbig_alloc(). TLB: shootdown (every CPU flushes before the frames
 *        are freed).
 * @param p The memory. @param size The size it was allocated with.
 */
void kvbig_free(void *p, size_t size);

/** @brief Live kvbig allocations (tests). @return Count. */
unsigned kvbig_live_count(void);

#endif /* CAPOS_MM_KVBIG_H */
