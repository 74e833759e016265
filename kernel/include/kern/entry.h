/**
 * @file
 * @brief The kernel entry interface: what arch/ calls after it decoded a trap, an interrupt or
 *        a system call (issue 12). arch/ knows registers and vectors; everything about
 *        threads, processes and capabilities is behind these calls, so arch/ includes no
 *        proc/ or cap/ header.
 */
#ifndef CAPOS_KERN_ENTRY_H
#define CAPOS_KERN_ENTRY_H

#include <capos/errors.h>
#include <lib/types.h>

struct trap_frame;

/** @brief One invocation as arch/ decoded it from the `syscall` registers (capos/abi.h). */
struct kernel_call {
	uint64_t handle; /**< rdi. */
	uint64_t method; /**< rax. */
	uint64_t a[5];   /**< rsi, rdx, r10, r8, r9. */
	uint64_t r[3];   /**< Out: results (rdi, rsi, rdx); zero when the status is not KERR_OK. */
};

/**
 * @brief Perform one invocation of the calling user thread, then run the debug invariant
 *        checks (kern/debug_checks.h). Interrupts enabled. May not return (exit methods).
 * @param call Decoded registers in, results out.
 * @return The status for rax.
 */
kerr_t kernel_syscall(struct kernel_call *call);

/**
 * @brief Last step before any return to user mode: the thread ends here if its process was
 *        killed or exited meanwhile, and the debug kernel's witnesses check that this CPU holds
 *        no spinlock and has no weakened or removed PTE waiting for its flush (kern/witness.h).
 */
void kernel_return_to_user(void);

/**
 * @brief A page fault taken in user mode. Fills a lazily committed page and returns (the
 *        access is retried), or ends the faulting process (FAULT or OOM) and does not return.
 * @param tf The user frame (vector, error code, rip; CR2 is read by the callee).
 * @return false when the current thread is not a user thread (arch/ reports and panics).
 */
bool kernel_page_fault(struct trap_frame *tf);

/**
 * @brief Any other exception taken in user mode: the process ends with a FAULT status.
 * @param tf The user frame.
 * @return false when the current thread is not a user thread; otherwise it does not return.
 */
bool kernel_user_fault(struct trap_frame *tf);

/**
 * @brief The timer interrupt on this CPU: preempt a thread interrupted in user mode when
 *        another is runnable, then end it if its process is ending.
 * @param from_user Whether the interrupted context was ring 3.
 */
void kernel_tick(bool from_user);

#endif /* CAPOS_KERN_ENTRY_H */
