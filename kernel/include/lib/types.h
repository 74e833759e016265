/**
 * @file
 * @brief Scalar types and page arithmetic shared by the kernel, kernel/lib and host tests.
 *
 * Only freestanding headers (stdint, stddef, stdbool) are used, so the same header works in the
 * kernel (-ffreestanding -nostdlibinc) and on the host.
 */
#ifndef CAPOS_LIB_TYPES_H
#define CAPOS_LIB_TYPES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/** @brief A physical address. */
typedef uint64_t paddr_t;
/** @brief A virtual address (user or kernel). */
typedef uint64_t vaddr_t;

#define PAGE_SHIFT 12                         /**< log2 of the page size. */
#define PAGE_SIZE ((uint64_t)1 << PAGE_SHIFT) /**< Bytes in a 4 KiB page. */
#define PAGE_MASK (PAGE_SIZE - 1)             /**< Offset bits within a page. */

/** @brief True when @p x is a multiple of PAGE_SIZE. */
#define IS_PAGE_ALIGNED(x) ((((uint64_t)(x)) & PAGE_MASK) == 0)
/** @brief Round @p x down to a page boundary. */
#define PAGE_ALIGN_DOWN(x) (((uint64_t)(x)) & ~PAGE_MASK)
/** @brief Round @p x up to a page boundary (caller guarantees no overflow). */
#define PAGE_ALIGN_UP(x) ((((uint64_t)(x)) + PAGE_MASK) & ~PAGE_MASK)

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0])) /**< Element count of an array. */

#endif /* CAPOS_LIB_TYPES_H */
