/**
 * @file
 * @brief The kernel's virtual memory layout (x86_64), usable from C and assembly.
 *
 * Kernel half (PML4 entries 256..511, shared by every address space):
 *   - KERNEL_DIRECT_BASE: every physical byte below 4 GiB, at a fixed offset (2 MiB pages).
 *   - KERNEL_VMAP_BASE: one PML4 slot (512 GiB) of 4 KiB mappings made through arch_mmu_map
 *     (kernel tests, later kernel stacks with guard pages).
 *   - KERNEL_VMA: the kernel image, linked at KERNEL_VMA + its physical load address (1 MiB).
 * User half: PML4 entries 0..255 (below USER_TOP).
 */
#ifndef CAPOS_ARCH_LAYOUT_H
#define CAPOS_ARCH_LAYOUT_H

#define KERNEL_VMA 0xffffffff80000000         /**< Kernel image base (phys 0 maps here). */
#define KERNEL_DIRECT_BASE 0xffff800000000000 /**< Direct map of physical memory. */
#define KERNEL_DIRECT_SIZE 0x100000000        /**< Bytes covered by the direct map (4 GiB). */
#define KERNEL_VMAP_BASE 0xffffc00000000000   /**< 4 KiB kernel mappings (one PML4 slot). */
#define KERNEL_VMAP_SIZE 0x8000000000         /**< 512 GiB. */
#define USER_TOP 0x0000800000000000           /**< First address above the user half. */
#define AP_TRAMPOLINE_PHYS 0x8000             /**< Where the AP real-mode trampoline runs. */

#endif /* CAPOS_ARCH_LAYOUT_H */
