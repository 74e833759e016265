/**
 * @file
 * @brief Run a function on a set of CPUs and wait until every one of them acknowledged.
 */
#ifndef CAPOS_KERN_IPI_H
#define CAPOS_KERN_IPI_H

#include <lib/types.h>

/** @brief A set of CPUs by dense id (bit i = cpus[i]). */
typedef uint64_t cpumask_t;

/** @brief The mask of every online CPU. @return Mask. */
cpumask_t cpumask_all(void);

/** @brief Register the ipi_call vector (boot CPU, once, before APs start). */
void ipi_init(void);

/**
 * @brief Run @p fn(@p arg) on every CPU in @p mask, including this one if its bit is set, and
 *        return when every CPU in @p mask has finished it. Remote CPUs run @p fn in interrupt
 *        context (interrupts disabled); this CPU runs it with interrupts disabled too.
 *        Calls are serialised system-wide. Must be called with interrupts enabled (so this CPU
 *        can serve another CPU's call while waiting for the lock), never from an interrupt.
 * @param mask CPUs (a subset of the online CPUs, asserted). @param fn Function. @param arg Its
 *        argument.
 */
void ipi_call(cpumask_t mask, void (*fn)(void *arg), void *arg);

#endif /* CAPOS_KERN_IPI_H */
