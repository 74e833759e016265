/**
 * @file
 * @brief Per-test site coverage of the witness kernel (docs/audit/witnesses.md).
 *
 * The witness build of the kernel (`capos-witness.elf`, CMake option CAPOS_WITNESS) compiles
 * the kernel and kernel/lib sources with `-fsanitize-coverage=inline-bool-flag,pc-table,no-prune`:
 * each basic block sets its own flag byte. The kernel test harness opens a record (clears the
 * flags) before each kernel test, the scenario runner before each scenario, and closes it after,
 * printing the addresses of the blocks that ran to the console:
 *
 *     sitecov: begin <kind> <name> blocks=<n>
 *     sitecov: d <hex> <hex> ...            (blocks hit, offsets from KERNEL_VMA)
 *     sitecov: end <kind> <name> hits=<k>
 *
 * ci/qemu-evidence turns each record into a witness file. In the release/default kernel
 * (CAPOS_WITNESS undefined) both calls are empty inline functions and nothing is instrumented.
 */
#ifndef CAPOS_KERN_SITECOV_H
#define CAPOS_KERN_SITECOV_H

#include <lib/types.h>

#ifdef CAPOS_WITNESS
/**
 * @brief Clear the hit record (every CPU's hits count from here).
 * @param kind "ktest" or "scenario". @param name The test or scenario name (no spaces).
 */
void sitecov_begin(const char *kind, const char *name);

/**
 * @brief Print the blocks hit since sitecov_begin() to the console.
 * @param kind Same as sitecov_begin(). @param name Same as sitecov_begin().
 */
void sitecov_end(const char *kind, const char *name);
#else
/** @brief Release/default kernel: no record (see the witness build's declaration). @param kind Unused. @param name Unused. */
static inline void sitecov_begin(const char *kind, const char *name)
{
	(void)kind;
	(void)name;
}

/** @brief Release/default kernel: no record. @param kind Unused. @param name Unused. */
static inline void sitecov_end(const char *kind, const char *name)
{
	(void)kind;
	(void)name;
}
#endif

#endif /* CAPOS_KERN_SITECOV_H */
