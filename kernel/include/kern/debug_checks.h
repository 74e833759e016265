/**
 * @file
 * @brief Invariant checks at system-call exit in debug kernels (issue 12).
 *
 * With CAPOS_DEBUG (the default configuration, `CAPOS_DEBUG_ASSERTS=ON`, which every QEMU test
 * boots) every DEBUG_CHECKS_EVERY-th system call, on its way back to user mode, runs the
 * kernel/lib checkers over what the calling process owns: captable_check() on its capability
 * table, vmspace_check() on its address space, ledger_check() on its account and every donor
 * above it, and the frame counts (free <= total). A violation panics with the checker's
 * verdict: the run stops at the first system call after the corruption, not when it is used.
 * Without CAPOS_DEBUG nothing runs and debug_checks_count() stays 0.
 */
#ifndef CAPOS_KERN_DEBUG_CHECKS_H
#define CAPOS_KERN_DEBUG_CHECKS_H

#include <lib/types.h>

/** @brief Run the checks on one system call in this many (all CPUs together). */
#define DEBUG_CHECKS_EVERY 16u

/**
 * @brief Called once per system call before the return to user mode (interrupts enabled, no
 *        lock held): every DEBUG_CHECKS_EVERY-th call checks the calling process's table,
 *        address space, account chain and the frame counts; panics on a violation.
 */
void debug_checks_syscall_exit(void);

/** @brief Check rounds run since boot (::CAPOS_DIAG_DEBUG_CHECKS). @return Count. */
uint64_t debug_checks_count(void);

#endif /* CAPOS_KERN_DEBUG_CHECKS_H */
