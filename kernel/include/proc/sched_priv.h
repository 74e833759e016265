/**
 * @file
 * @brief Scheduler internals shared by proc/sched.c and proc/thread.c (not for other users).
 */
#ifndef CAPOS_PROC_SCHED_PRIV_H
#define CAPOS_PROC_SCHED_PRIV_H

#include <kern/spinlock.h>
#include <proc/thread.h>

extern struct spinlock sched_lock;  /**< Protects run queue, thread states, all_threads. */
extern struct thread *all_threads;  /**< Every thread not yet joined. */

/** @brief Append a RUNNABLE thread to the run queue. @param t The thread. */
void sched_enqueue_locked(struct thread *t);

/** @brief Switch to the next runnable thread or the idle thread (sched_lock held). */
void sched_switch_locked(void);

/** @brief Whether a thread is waiting on the run queue. @return true if so. */
bool sched_runnable_locked(void);

#endif /* CAPOS_PROC_SCHED_PRIV_H */
