/**
 * @file
 * @brief Threads and the scheduler: kernel stacks, context switch, a global run queue served
 *        by every CPU, blocking and wake-up, exit and join.
 *
 * Thread machine (thread_transition()):
 *
 *     THREAD_NEW -> THREAD_RUNNABLE         thread_start() (or an idle thread set up)
 *     THREAD_NEW -> THREAD_RUNNING          a CPU's running boot context adopted as a thread
 *     THREAD_RUNNABLE -> THREAD_RUNNING     picked by a CPU
 *     THREAD_RUNNING -> THREAD_RUNNABLE     yield or preemption (user mode timer tick)
 *     THREAD_RUNNING -> THREAD_BLOCKED      sleeps on a channel
 *     THREAD_BLOCKED -> THREAD_RUNNABLE     woken
 *     THREAD_RUNNING -> THREAD_EXITED       thread_exit(); reaped by thread_join()
 *
 * Kernel code is not preempted: a thread in kernel mode runs until it blocks, yields or exits.
 * The LAPIC timer preempts threads running in user mode.
 */
#ifndef CAPOS_PROC_THREAD_H
#define CAPOS_PROC_THREAD_H

#include <capos/errors.h>
#include <kern/ipi.h>
#include <lib/park.h>
#include <lib/types.h>

struct aspace;
struct process;

/** @brief States of a thread (see the file comment for the edges). */
enum thread_state {
	THREAD_NEW = 0,      /**< Created, not started. */
	THREAD_RUNNABLE,     /**< On the run queue (or an idle thread not running). */
	THREAD_RUNNING,      /**< On a CPU. */
	THREAD_BLOCKED,      /**< Waiting on wait_chan. */
	THREAD_EXITED,       /**< Finished; its stack is freed by thread_join(). */
	THREAD_STATE_COUNT   /**< Number of states; not a state. */
};

/** @brief Registers a user thread starts with (capos/abi.h, "Entry state"). */
struct user_start {
	uint64_t rip; /**< Entry point. */
	uint64_t rsp; /**< Stack top. */
	uint64_t rdi; /**< First argument. */
	uint64_t rsi; /**< Second argument. */
	uint64_t rdx; /**< Third argument. */
};

/**
 * @brief A thread: a kernel stack, saved context and scheduling state.
 *
 * Invariants:
 *   I1. state == THREAD_RUNNABLE and !idle iff the thread is on the run queue.
 *   I2. state == THREAD_RUNNING iff some CPU's current is this thread.
 *   I3. An EXITED thread no longer runs on its stack once sched_lock is released after it
 *       exited, so thread_join() may free it.
 *   I4. as (when set) holds a reference; it is the address space loaded while it runs.
 *   I5. refs counts its owner's hold (the process's thread list, or the reaper's queue once
 *       a thread that was not its process's last has exited) plus one per Thread capability;
 *       the last thread_put() frees the struct (after thread_reap()).
 * Locking: state, rq_next, wait_chan and cpu under sched_lock; refs is atomic; the rest is
 *   written before the thread first runs, or by the thread itself.
 * States: see enum thread_state.
 */
struct thread {
	uint64_t saved_rsp;       /**< Kernel RSP while switched out. */
	uint64_t kstack_top;      /**< Top of its kernel stack (TSS.RSP0 and syscall stack). */
	uint8_t state;            /**< enum thread_state, written only by thread_transition(). */
	bool idle;                /**< A CPU's idle thread (never queued, never exits). */
	unsigned id;              /**< Unique id. */
	uint32_t refs;            /**< References (I5). */
	unsigned cpu;             /**< CPU it runs or last ran on. */
	struct aspace *as;        /**< User address space, NULL for kernel-only threads (I4). */
	struct thread *rq_next;   /**< Run-queue link. */
	struct thread *all_next;  /**< Link in the list of all threads. */
	const void *wait_chan;    /**< What a BLOCKED thread waits for. */
	void (*fn)(void *arg);    /**< Kernel entry. */
	void *arg;                /**< Its argument. */
	uint64_t exit_value;      /**< Set by thread_exit(). */
	cpumask_t ran_on;         /**< CPUs it has run on (diagnostics, tests). */
	struct process *owner;    /**< Process it belongs to, NULL for kernel threads. */
	struct user_start ustart; /**< Ring-3 entry state, for threads that enter user mode. */
	struct thread *proc_next; /**< Next thread of the same process. */
	bool pinned;              /**< Runs only on CPU pin_cpu. */
	unsigned pin_cpu;         /**< The CPU a pinned thread runs on. */
	struct park_waiter park;  /**< Its ParkSpace waiter, preallocated (mm/park.h). */
};

/**
 * @brief Set up scheduling on this CPU: the running boot context becomes @p boot (RUNNING);
 *        on the boot CPU also create the idle thread. APs use their boot context as idle.
 * @param boot Static thread struct for the context that calls this.
 * @param is_idle Whether @p boot is this CPU's idle thread.
 */
void sched_init_cpu(struct thread *boot, bool is_idle);

/** @brief Boot CPU: create its idle thread (the boot context goes on running kmain). */
void sched_init_bsp_idle(void);

/**
 * @brief Pin the calling thread to the CPU it runs on now (it never migrates afterwards).
 *        The boot CPU's main thread (kmain, the test harness) is pinned to CPU 0.
 */
void thread_pin_current(void);

/** @brief The thread running on this CPU. @return It. */
struct thread *thread_current(void);

/**
 * @brief Create a kernel thread that runs @p fn(@p arg) and is then runnable.
 * @param fn Entry. @param arg Argument. @param as Address space to run in (a reference is
 *        taken), or NULL. @param out Receives the thread.
 * @return KERR_OK; KERR_NO_MEMORY or KERR_NO_SLOTS (nothing changed).
 */
kerr_t thread_create(void (*fn)(void *), void *arg, struct aspace *as, struct thread **out);

/**
 * @brief Create a thread like thread_create() without making it runnable (the caller
 *        finishes its setup, then calls thread_start()).
 * @param fn Entry. @param arg Argument. @param as Address space (a reference is taken), or
 *        NULL. @param out Receives the thread (state THREAD_NEW).
 * @return As thread_create().
 */
kerr_t thread_create_stopped(void (*fn)(void *), void *arg, struct aspace *as,
			     struct thread **out);

/**
 * @brief Make a thread from thread_create_stopped() runnable.
 * @param t The thread.
 */
void thread_start(struct thread *t);

/**
 * @brief Free a thread that was created stopped and never started.
 * @param t The thread (THREAD_NEW).
 */
void thread_discard(struct thread *t);

/**
 * @brief End the calling thread (never returns).
 * @param value Exit value, returned by thread_join().
 */
void thread_exit(uint64_t value) __attribute__((noreturn));

/**
 * @brief Wait until @p t exited, free it and return its exit value. Exactly one join per
 *        thread. Needs interrupts enabled (frees the kernel stack with a TLB shootdown).
 * @param t A thread that is not the caller. @return Its exit value.
 */
uint64_t thread_join(struct thread *t);

/**
 * @brief Wait until @p t exited and free its kernel stack and address-space reference, but
 *        keep the struct (user threads: capabilities may still name it until the process is
 *        freed). Needs interrupts enabled.
 * @param t A thread that is not the caller.
 */
void thread_reap(struct thread *t);

/**
 * @brief Take a reference on a thread's struct (a Thread capability). @param t The thread
 *        (the caller holds a reference already).
 */
void thread_get(struct thread *t);

/**
 * @brief Drop a reference; the last one frees the struct, which must be reaped by then.
 * @param t The thread.
 */
void thread_put(struct thread *t);

/**
 * @brief Free the struct of a reaped thread.
 * @param t The thread (thread_reap() done).
 */
void thread_free(struct thread *t);

/** @brief Let other runnable threads run; the caller stays runnable. */
void sched_yield(void);

/**
 * @brief Called from the timer interrupt: preempt the current thread when it was interrupted
 *        in user mode and another thread is runnable.
 * @param from_user Whether the interrupted context was ring 3.
 */
void sched_tick(bool from_user);

/**
 * @brief Block the calling thread until sched_wakeup(@p chan). The caller holds sched_lock
 *        via sched_lock_irqsave(); it is released while blocked and held again on return.
 * @param chan Any address naming the event.
 */
void sched_sleep_locked(const void *chan);

/**
 * @brief Make @p t runnable if it is blocked (sched_lock held); it re-checks what it waits
 *        for and may block again (used to interrupt waits of a killed process).
 * @param t The thread.
 */
void sched_wake_thread_locked(struct thread *t);

/**
 * @brief Make every thread blocked on @p chan runnable (sched_lock held).
 * @param chan Event.
 */
void sched_wakeup_locked(const void *chan);

/** @brief Take the scheduler lock with interrupts disabled. @return Saved flags. */
uint64_t sched_lock_irqsave(void);

/** @brief Release the scheduler lock. @param flags Value from sched_lock_irqsave(). */
void sched_unlock_irqrestore(uint64_t flags);

/** @brief Idle loop of a CPU (never returns). */
void sched_idle_loop(void) __attribute__((noreturn));

/** @brief Threads that exist (created and not yet joined). @return Count. */
unsigned thread_live_count(void);

/**
 * @brief The one place a thread's state changes; asserts the from-state and the edge.
 * @param t Thread. @param from Current state. @param to New state.
 */
void thread_transition(struct thread *t, enum thread_state from, enum thread_state to);

#endif /* CAPOS_PROC_THREAD_H */
