/**
 * @file
 * @brief Ring 3: the `syscall` MSRs and the first entry of a thread into user mode.
 */
#ifndef CAPOS_ARCH_USER_H
#define CAPOS_ARCH_USER_H

#include <lib/types.h>

struct trap_frame;

#define SYSCALL_VECTOR_MARK 0x100 /**< trap_frame.vector of a frame saved by syscall_entry. */

/** @brief Enable `syscall` on this CPU (EFER.SCE, STAR, LSTAR, FMASK). */
void syscall_init_cpu(void);

/**
 * @brief Kernel entry of a thread that runs in user mode: builds the ring-3 frame from the
 *        thread's ustart on its kernel stack and returns to user mode (never returns).
 * @param arg Unused (thread_create() signature).
 */
void user_thread_entry(void *arg) __attribute__((noreturn));

/**
 * @brief Handle an invocation (`syscall`): called by syscall_entry with the saved user state;
 *        decodes the registers for kernel_syscall() (kern/entry.h) and writes the results back
 *        into @p tf.
 * @param tf The user frame (rax method, rdi handle, rsi/rdx/r10/r8/r9 arguments).
 */
void syscall_dispatch(struct trap_frame *tf);

#endif /* CAPOS_ARCH_USER_H */
