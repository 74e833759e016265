/**
 * @file
 * @brief The caller-supplied allocator hook through which kernel/lib allocates all its memory.
 *
 * kernel/lib never calls a global allocator: every structure that needs memory is given a
 * ::lib_alloc at initialisation. The kernel passes its slab/heap allocator; host tests pass a
 * counting allocator that can fail the Nth allocation, so every allocation point is tested.
 */
#ifndef CAPOS_LIB_ALLOC_H
#define CAPOS_LIB_ALLOC_H

#include <lib/types.h>

/**
 * @brief An allocator: `alloc(ctx, size)` returns @p size bytes (or NULL on failure) and
 * `free(ctx, ptr, size)` returns them, with the same size that was allocated.
 *
 * Invariants:
 *   I1. alloc and free are non-NULL; free accepts exactly the pointers alloc returned.
 *   I2. alloc may fail at any call; a NULL return is reported as KERR_NO_MEMORY and the caller
 *       leaves its structures as they were.
 * Locking: the hook is called with the owning structure's lock held; it must not sleep.
 */
struct lib_alloc {
	void *(*alloc)(void *ctx, size_t size); /**< Returns memory or NULL. */
	void (*free)(void *ctx, void *ptr, size_t size); /**< Frees what alloc returned. */
	void *ctx; /**< Passed unchanged to both hooks. */
};

#endif /* CAPOS_LIB_ALLOC_H */
