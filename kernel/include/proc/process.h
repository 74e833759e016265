/**
 * @file
 * @brief User processes: an address space, a capability table, threads, and an exit status.
 *
 * Process machine (process_transition()):
 *
 *     PROCESS_LIVE -> PROCESS_EXITING    first exit cause recorded (exit, last thread, fault,
 *                                        kill); the status never changes afterwards
 *     PROCESS_EXITING -> PROCESS_EXITED  the reaper tore it down: capabilities dropped,
 *                                        threads reaped, address space and frames freed
 *
 * Teardown runs in the reaper kernel thread, after the process's threads have left their
 * stacks, and cannot fail. The struct itself lives until the last reference (capabilities
 * naming it, waiters) is gone.
 */
#ifndef CAPOS_PROC_PROCESS_H
#define CAPOS_PROC_PROCESS_H

#include <capos/abi.h>
#include <kern/spinlock.h>
#include <capos/images.h>
#include <lib/captable.h>
#include <proc/thread.h>

struct acct;
struct aspace;
struct thread;
struct trap_frame;

#define PROCESS_CAP_SLOTS 64   /**< Capability table capacity of every process. */
#define PROCESS_MAX_THREADS 16 /**< Threads of a process not yet exited (KERR_NO_SLOTS beyond). */

/** @brief States of a process (see the file comment). */
enum process_state {
	PROCESS_LIVE = 0,   /**< Running threads. */
	PROCESS_EXITING,    /**< Exit status fixed; waiting for the reaper. */
	PROCESS_EXITED,     /**< Torn down; only the status remains. */
	PROCESS_STATE_COUNT /**< Number of states; not a state. */
};

/**
 * @brief A user process.
 *
 * Invariants:
 *   I1. status.reason != CAPOS_EXIT_NONE iff state != PROCESS_LIVE; it is written once.
 *   I2. refs counts the capabilities naming this process in any table, plus one while it is
 *       not PROCESS_EXITED (the reaper drops it), plus temporary holders.
 *   I3. In PROCESS_EXITED: as == NULL, caps is empty, every thread reaped (listed structs
 *       kept until the process is freed, for Thread capabilities).
 *   I4. threads lists its started threads except those that exited while others still ran
 *       (they go to the reaper, which frees their stacks, and their slots count again:
 *       nthreads is the list's length); nlive of them have not left; the one that makes
 *       nlive 0 stays listed and queues the process for the reaper (exactly once).
 *   I5. A Thread capability holds a reference on its thread's process.
 * Locking: lock protects caps, state, status, threads and nlive; refs is atomic.
 * States: see enum process_state.
 */
struct process {
	struct spinlock lock;            /**< Protects caps, state, status. */
	unsigned id;                     /**< Unique id. */
	uint8_t state;                   /**< enum process_state, only via process_transition(). */
	uint32_t refs;                   /**< See I2. */
	struct aspace *as;               /**< Address space (NULL once torn down). */
	struct thread *threads;          /**< All its threads (I4), linked by proc_next. */
	unsigned nthreads;               /**< Threads in the list. */
	unsigned nlive;                  /**< Threads that have not exited (I4). */
	struct captable caps;            /**< Capability table over slots. */
	struct cap_slot *slots;          /**< PROCESS_CAP_SLOTS slots. */
	struct capos_exit_status status; /**< Why it ended (I1). */
	bool kill_pending;               /**< Killed: the thread ends at its next user return. */
	struct process *reap_next;       /**< Link in the reaper's queue. */
	paddr_t start_info;              /**< Frame of the start record page. */
};

/** @brief Start the reaper kernel thread (boot CPU, once, after the scheduler). */
void process_init(void);

/**
 * @brief Create a process from the embedded image @p name and start its thread.
 * @param name Image name. @param arg Argument string (NUL-terminated, < CAPOS_START_ARG_MAX).
 * @param give Capabilities placed in its table, in order (the table takes one reference on
 *        each; the caller's references are untouched). @param ngive Their number (at most
 *        CAPOS_START_MAX_CAPS).
 * @param out Receives the process with one reference for the caller.
 * @return KERR_OK; KERR_INVALID_ARG (unknown image, invalid ELF, argument too long);
 *         KERR_NO_MEMORY (nothing left behind).
 */
kerr_t process_spawn(const char *name, const char *arg, const struct cap *give, size_t ngive,
		     struct process **out);

/**
 * @brief Create a process from @p img without starting it: address space loaded, stack,
 *        start record, its thread (not started), and its own Process, Thread, VirtualMemory
 *        and Ledger capabilities. Image, stack and start record are charged to @p acct.
 * @param img Embedded image. @param arg Argument string (< CAPOS_START_ARG_MAX bytes).
 * @param acct The account the process charges (its address space takes a reference).
 * @param out Receives the process (its running reference only).
 * @return KERR_OK; KERR_INVALID_ARG (invalid ELF, argument too long); KERR_NO_MEMORY;
 *         KERR_QUOTA_VIRTUAL, KERR_QUOTA_COMMIT, KERR_QUOTA_PAGETABLE (the limits cannot hold
 *         the image); nothing is left behind.
 */
kerr_t process_create(const struct user_image *img, const char *arg, struct acct *acct,
		      struct process **out);

/**
 * @brief Record the handles of the capabilities given by the parent in the start record.
 * @param p A created, not started process. @param h Handles in @p p's table. @param n Count.
 */
void process_set_start_caps(struct process *p, const cap_handle_t *h, size_t n);

/** @brief Start a created process's thread. @param p The process. */
void process_start(struct process *p);

/**
 * @brief Destroy a created process that was never started (drops its capabilities, frees
 *        its thread, address space and struct).
 * @param p The process (only its running reference left).
 */
void process_discard(struct process *p);

/**
 * @brief Block until @p p has been torn down; copy its status.
 * @param p Process. @param status Receives the exit status.
 */
void process_wait(struct process *p, struct capos_exit_status *status);

/**
 * @brief process_wait() for a user thread: also returns when the caller's own process is
 *        being killed or exited (the thread then ends on its way back to user mode).
 * @param p Process waited for. @param status Receives its exit status.
 * @return KERR_OK; KERR_WOULD_BLOCK when interrupted (the caller never sees it).
 */
kerr_t process_wait_user(struct process *p, struct capos_exit_status *status);

/**
 * @brief Whether the calling thread's process is ending (killed, or exited by a sibling).
 * @return true when the thread must not block any longer.
 */
bool process_current_ending(void);

/** @brief Take a reference. @param p Process. */
void process_get(struct process *p);

/** @brief Drop a reference (the last frees the struct). @param p Process. */
void process_put(struct process *p);

/**
 * @brief End the calling thread's process with @p status (the first cause wins); never
 *        returns. The thread exits and the reaper tears the process down.
 * @param status Why.
 */
void process_exit_current(const struct capos_exit_status *status) __attribute__((noreturn));

/**
 * @brief A user-mode exception in the current thread: end its process with a FAULT status
 *        (vector, error code, rip, CR2 for page faults). Never returns.
 * @param tf The user trap frame.
 */
void process_fault_current(const struct trap_frame *tf) __attribute__((noreturn));

/**
 * @brief A user-mode page fault in the current thread. A not-present fault on a lazily
 *        committed page that was never touched fills it (aspace_vm_fault()) and returns, so
 *        the access is retried; if no frame is free the process ends with CAPOS_EXIT_OOM
 *        (rip, CR2); any other fault ends it like process_fault_current().
 * @param tf The user trap frame (vector VEC_PF).
 */
void process_page_fault_current(const struct trap_frame *tf);

/**
 * @brief End the calling thread of a user process with @p value; when it is the last one,
 *        the process ends with status NORMAL and that code. Never returns.
 * @param value The thread's exit value.
 */
void process_thread_exit_current(uint64_t value) __attribute__((noreturn));

/**
 * @brief Start another thread in the calling thread's process.
 * @param p The process (the caller's). @param us Its entry state (rdx is filled in with the
 *        new thread's handle). @param handle Receives the Thread handle published in p's table.
 * @return KERR_OK; KERR_NO_SLOTS (thread limit); KERR_NO_MEMORY; KERR_PUBLISH_FAILED (table
 *         full); KERR_INVALID_ARG (the process is exiting). Nothing changes on error.
 */
kerr_t process_thread_start(struct process *p, const struct user_start *us,
			    cap_handle_t *handle);

/**
 * @brief Kill @p p (status KILLED unless it already ended). Its threads end at their next
 *        return to user mode (a thread blocked in the kernel when it returns).
 * @param p Process.
 */
void process_kill(struct process *p);

/**
 * @brief Called before every return to user mode: end the process when it was killed.
 */
void process_check_killed(void);

/**
 * @brief Drop every capability of @p p's table, releasing their references (teardown).
 * @param p Process.
 */
void process_drop_all_caps(struct process *p);

/** @brief Processes not yet torn down. @return Count. */
unsigned process_live_count(void);

/**
 * @brief The one place a process's state changes; asserts the from-state and the edge.
 * @param p Process. @param from Current state. @param to New state.
 */
void process_transition(struct process *p, enum process_state from, enum process_state to);

#endif /* CAPOS_PROC_PROCESS_H */
