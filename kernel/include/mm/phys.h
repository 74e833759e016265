/**
 * @file
 * @brief Converting between physical addresses and their direct-map virtual addresses.
 */
#ifndef CAPOS_MM_PHYS_H
#define CAPOS_MM_PHYS_H

#include <arch/layout.h>
#include <lib/assert.h>
#include <lib/types.h>

/**
 * @brief Direct-map address of a physical address.
 * @param pa Physical address below KERNEL_DIRECT_SIZE.
 * @return Kernel pointer to it.
 */
static inline void *phys_to_virt(paddr_t pa)
{
	DASSERT(pa < KERNEL_DIRECT_SIZE);
	return (void *)(pa + KERNEL_DIRECT_BASE);
}

/**
 * @brief Physical address of a kernel pointer (direct map or kernel image).
 * @param va The pointer.
 * @return The physical address.
 */
static inline paddr_t virt_to_phys(const void *va)
{
	uint64_t v = (uint64_t)va;

	if (v >= KERNEL_VMA)
		return v - KERNEL_VMA;
	DASSERT(v >= KERNEL_DIRECT_BASE && v < KERNEL_DIRECT_BASE + KERNEL_DIRECT_SIZE);
	return v - KERNEL_DIRECT_BASE;
}

#endif /* CAPOS_MM_PHYS_H */
