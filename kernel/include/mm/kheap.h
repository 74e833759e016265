/**
 * @file
 * @brief The kernel heap: small objects in power-of-two size classes (16 B .. 4 KiB).
 *
 * Slabs are single frames (owner FRAME_OWNER_HEAP, size class in struct frame aux); a slab
 * whose last object is freed returns to the frame allocator. Freed objects are poisoned and
 * the poison is checked when they are handed out again. kheap_used() is the number of bytes in
 * live objects (rounded to their class): it and the free-frame count return to their start
 * values when every allocation was freed, which the process-lifecycle tests check.
 */
#ifndef CAPOS_MM_KHEAP_H
#define CAPOS_MM_KHEAP_H

#include <lib/types.h>

#define KHEAP_MAX PAGE_SIZE /**< Largest allocation kmalloc() serves. */

/**
 * @brief Allocate @p size bytes, zeroed, 16-byte aligned.
 * @param size 1..KHEAP_MAX.
 * @return The object, or NULL when size is 0 or too large or no frame is free.
 */
void *kmalloc(size_t size);

/**
 * @brief Free an object from kmalloc().
 * @param p The object, or NULL (ignored).
 */
void kfree(void *p);

/** @brief Bytes in live heap objects (by size class). @return Bytes. */
size_t kheap_used(void);

/** @brief Live heap objects. @return Count. */
size_t kheap_live_objects(void);

#endif /* CAPOS_MM_KHEAP_H */
