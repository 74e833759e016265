/**
 * @file
 * @brief Kernel-invariant assertions, usable from kernel/lib, the kernel and host tests.
 *
 * KASSERT checks an invariant in every build; DASSERT only when CAPOS_DEBUG is defined (debug
 * builds: the transition functions' from-state checks). Asserts are for kernel invariants only,
 * never for anything a user process can cause: user input is validated and gets a ::kerr.
 *
 * The failure hook is provided by the environment: the kernel panics (and ends the QEMU run
 * with the panic code); host tests route it into cmocka so a test can expect an assertion.
 */
#ifndef CAPOS_LIB_ASSERT_H
#define CAPOS_LIB_ASSERT_H

/**
 * @brief Report a failed assertion. Provided by the kernel (panic) or the host test harness.
 * @param expr The failed expression as text.
 * @param file Source file of the assertion.
 * @param line Source line of the assertion.
 */
/*@ assigns \nothing;
    ensures \false; // never returns: the kernel panics, a host test unwinds
*/
void capos_assert_fail(const char *expr, const char *file, int line);

/** @brief Assert a kernel invariant in every build. */
#define KASSERT(e) ((e) ? (void)0 : capos_assert_fail(#e, __FILE__, __LINE__))

#ifdef CAPOS_DEBUG
/** @brief Assert a kernel invariant in debug builds only. */
#define DASSERT(e) KASSERT(e)
#else
/* Not evaluated, but its operands count as used (no unused-variable warnings). */
#define DASSERT(e) ((void)sizeof(!(e)))
#endif

#endif /* CAPOS_LIB_ASSERT_H */
