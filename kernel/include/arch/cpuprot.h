/**
 * @file
 * @brief CPU protections of the kernel against user memory: SMEP (no kernel execution of user
 *        pages), SMAP (no kernel data access to user pages) and UMIP (no SGDT/SIDT/SLDT/SMSW/STR
 *        in user mode), switched on in CR4 on every CPU whose model has them, and the decoding
 *        of a kernel page fault on a user address into the defect it reveals.
 *
 * capOS copies user memory through the direct map (mm/uaccess.c: copy_from_user() and
 * copy_to_user() translate each user page and copy from its physical frame), so no kernel code
 * needs to touch a user virtual address at all and there is no `stac`/`clac` window: with SMAP
 * on, every kernel load or store through a user address faults and is reported by name.
 * The only `stac`/`clac` window is user_access_begin()/user_access_end(), used by kernel tests
 * that must put user translations into a TLB on purpose (test_shootdown.c); a Coccinelle rule
 * or review keeps it out of kernel code.
 */
#ifndef CAPOS_ARCH_CPUPROT_H
#define CAPOS_ARCH_CPUPROT_H

#include <lib/types.h>

#define CR4_UMIP (1ull << 11) /**< User-mode instruction prevention. */
#define CR4_SMEP (1ull << 20) /**< Supervisor-mode execution prevention. */
#define CR4_SMAP (1ull << 21) /**< Supervisor-mode access prevention. */

#define PF_ERR_P 0x1   /**< Page-fault error: protection violation (page present). */
#define PF_ERR_W 0x2   /**< Page-fault error: write access. */
#define PF_ERR_U 0x4   /**< Page-fault error: access from user mode. */
#define PF_ERR_ID 0x10 /**< Page-fault error: instruction fetch. */

extern bool cpu_smap_on; /**< SMAP is on (set once by the boot CPU; every CPU is alike). */

/** @brief Open a window in which kernel code may touch user pages (`stac`; kernel tests only).
 *  Close it with user_access_end() on every path, including after an expected fault. */
static inline void user_access_begin(void)
{
	if (cpu_smap_on)
		__asm__ volatile("stac" : : : "memory", "cc");
}

/** @brief Close the window of user_access_begin() (`clac`). */
static inline void user_access_end(void)
{
	if (cpu_smap_on)
		__asm__ volatile("clac" : : : "memory", "cc");
}

/**
 * @brief Turn on SMEP, SMAP and UMIP on this CPU where CPUID says the model has them. Called
 *        once on every CPU during its setup; the boot CPU prints which ones are on.
 * @return The CR4 protection bits now set (CR4_SMEP | CR4_SMAP | CR4_UMIP subset).
 */
uint64_t cpu_protect_init(void);

/** @brief The protection bits set in this CPU's CR4. @return CR4 & (SMEP|SMAP|UMIP). */
uint64_t cpu_protect_enabled(void);

/**
 * @brief Name the defect a kernel-mode page fault reveals, or NULL when it is none of these:
 *        "SMAP violation (kernel read of a user page)", "... write ...", "SMEP violation (kernel
 *        executed a user page)", "kernel access to an unmapped user address".
 * @param err The page-fault error code. @param cr2 The faulting address.
 * @return A static string, or NULL (user-mode fault, or not a user address).
 */
const char *cpu_pf_defect(uint64_t err, uint64_t cr2);

#endif /* CAPOS_ARCH_CPUPROT_H */
