/**
 * @file
 * @brief Expected faults: a kernel test provokes an exception on purpose and resumes.
 *
 *     struct kfault_expect fe;
 *     if (kfault_expect_begin(&fe, VEC_PF) == 0) {
 *             *(volatile int *)bad_address = 1;   // faults
 *             kfault_expect_end(&fe);             // not reached when it faulted
 *     }
 *     // fe.hit, fe.vector, fe.cr2, fe.error, fe.rip describe the fault
 *
 * The exception handler sees the armed expectation on the faulting CPU, records the fault,
 * disarms it, and resumes at the kfault_expect_begin() call site, which then returns 1
 * (setjmp-style: locals changed after the call must be volatile).
 */
#ifndef CAPOS_KERN_KFAULT_H
#define CAPOS_KERN_KFAULT_H

#include <lib/types.h>

struct trap_frame;

/** @brief Pseudo-vector for kfault_arm(): expect a failed KASSERT/DASSERT instead of a CPU
 *  exception (recovered by capos_assert_fail; the test must not hold locks at that point). */
#define KFAULT_ASSERT 256

/** @brief Saved callee-saved registers, stack and resume address (kernel setjmp). */
struct kjmp_buf {
	uint64_t rbx; /**< Saved RBX. */
	uint64_t rbp; /**< Saved RBP. */
	uint64_t r12; /**< Saved R12. */
	uint64_t r13; /**< Saved R13. */
	uint64_t r14; /**< Saved R14. */
	uint64_t r15; /**< Saved R15. */
	uint64_t rsp; /**< Stack pointer after ksetjmp() returns. */
	uint64_t rip; /**< Where ksetjmp() returns to. */
};

/**
 * @brief Save the calling context. @param b Buffer.
 * @return 0 when called, the value passed to klongjmp() when resumed.
 */
int ksetjmp(struct kjmp_buf *b) __attribute__((returns_twice));

/**
 * @brief Resume a context saved by ksetjmp(), whose call then returns @p v.
 * @param b Saved context (its frame must still be live). @param v Non-zero return value.
 */
void klongjmp(struct kjmp_buf *b, int v) __attribute__((noreturn));

/**
 * @brief An armed expectation of one exception on this CPU.
 *
 * Invariants:
 *   I1. While armed, this_cpu()->fault_expect points here and the frame that armed it is live.
 *   I2. hit is set exactly once, by the handler, which also disarms it.
 * Locking: only the owning CPU touches it (armed and consumed on the same CPU).
 * States: armed -> hit (handler) | armed -> disarmed (kfault_expect_end).
 */
struct kfault_expect {
	struct kjmp_buf jb;    /**< Where to resume. */
	uint64_t want_vector;  /**< Vector expected (others still panic). */
	bool hit;              /**< The fault happened. */
	uint64_t vector;       /**< Vector taken. */
	uint64_t error;        /**< Error code. */
	uint64_t rip;          /**< Faulting instruction. */
	uint64_t cr2;          /**< CR2 at the fault (page faults). */
	bool irq_on;           /**< Interrupts were enabled when armed (restored on resume). */
	const char *expr;      /**< The failed assertion (KFAULT_ASSERT). */
};

/**
 * @brief Arm @p fe for exception @p vector on this CPU (interrupts must stay on this CPU).
 * @param fe Expectation (lives in the caller's frame). @param vector e.g. VEC_PF.
 */
void kfault_arm(struct kfault_expect *fe, uint64_t vector);

/** @brief Arm and save the resume point: evaluates to 0 now and to 1 after the fault. */
#define kfault_expect_begin(fe, vec) (kfault_arm((fe), (vec)), ksetjmp(&(fe)->jb))

/**
 * @brief Disarm an expectation whose fault did not happen.
 * @param fe The armed expectation.
 */
void kfault_expect_end(struct kfault_expect *fe);

/**
 * @brief Called by the exception handler: when this CPU has an armed expectation for
 *        tf->vector and the fault came from kernel mode, record it, disarm, and redirect @p tf
 *        to resume at the kfault_expect_begin() site.
 * @param tf The exception's trap frame.
 * @return true when the fault was expected and @p tf was redirected.
 */
bool kfault_recover(struct trap_frame *tf);

/**
 * @brief Called by capos_assert_fail(): when this CPU expects an assertion (KFAULT_ASSERT),
 *        record @p expr, disarm and resume at the kfault_expect_begin() site (no return).
 *        Returns only when no assertion was expected.
 * @param expr The failed assertion's text.
 */
void kfault_recover_assert(const char *expr);

#endif /* CAPOS_KERN_KFAULT_H */
