/**
 * @file
 * @brief Ending the run: panic(), the QEMU exit codes (isa-debug-exit, port 0xf4).
 */
#ifndef CAPOS_KERN_PANIC_H
#define CAPOS_KERN_PANIC_H

#include <lib/types.h>

#define QEMU_EXIT_SUCCESS 0x10 /**< Every test passed (QEMU exits 33). */
#define QEMU_EXIT_FAILURE 0x11 /**< A test failed (QEMU exits 35). */
#define QEMU_EXIT_PANIC 0x12   /**< Kernel panic (QEMU exits 37). */

/**
 * @brief End the QEMU run with @p code (QEMU exits with (code << 1) | 1). Never returns: if the
 *        debug-exit device is missing, the CPU halts forever (a hang the runner reports).
 * @param code QEMU_EXIT_SUCCESS, QEMU_EXIT_FAILURE or QEMU_EXIT_PANIC.
 */
void qemu_exit(uint8_t code) __attribute__((noreturn));

/**
 * @brief Print "PANIC (cpu N): message", a stack trace from the caller, and end the run with
 *        QEMU_EXIT_PANIC. Safe from any context; a nested panic exits at once.
 * @param fmt printf-style message (kern/printf.h), followed by its arguments.
 */
void panic(const char *fmt, ...) __attribute__((noreturn, format(printf, 1, 2)));

/**
 * @brief Print a frame-pointer stack trace starting at frame pointer @p rbp.
 * @param rbp A saved RBP (0 ends the chain); at most 16 frames, stopping at non-kernel addresses.
 */
void stack_trace(uint64_t rbp);

#endif /* CAPOS_KERN_PANIC_H */
