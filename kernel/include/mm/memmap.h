/**
 * @file
 * @brief The physical memory map from the boot loader, minus what the kernel already uses.
 */
#ifndef CAPOS_MM_MEMMAP_H
#define CAPOS_MM_MEMMAP_H

#include <lib/types.h>

#define MEMMAP_MAX 32 /**< Most usable ranges kept; extra ranges are dropped with a message. */

/** @brief A page-aligned range [base, end) of usable RAM. */
struct mem_range {
	paddr_t base; /**< First byte (page aligned). */
	paddr_t end;  /**< One past the last byte (page aligned). */
};

/**
 * @brief Read the multiboot memory map: keep the available ranges, page aligned, clipped to
 *        the direct map (4 GiB) and with the first 1 MiB and the kernel image removed.
 *        Prints every range. Panics when the loader gave no memory map.
 * @param mbi_phys Physical address of the multiboot information.
 */
void memmap_init(paddr_t mbi_phys);

/** @brief Number of usable ranges. @return Count. */
unsigned memmap_count(void);

/**
 * @brief One usable range.
 * @param i Index, below memmap_count().
 * @return The range.
 */
const struct mem_range *memmap_range(unsigned i);

/** @brief One past the highest usable physical address. @return The address. */
paddr_t memmap_top(void);

#endif /* CAPOS_MM_MEMMAP_H */
