/**
 * @file
 * @brief The kernel side of ParkSpace: one waiter queue under one lock, keys derived from the
 *        caller's mapping under its address-space lock, and the hook that fails the waiters
 *        of a mapping that goes away.
 *
 * Locking: the park lock nests inside an address space's lock and outside sched_lock
 * (as->lock -> park lock -> sched_lock). Key derivation, the read of the word, the comparison
 * and the queueing of the waiter happen under as->lock and the park lock together: that is the
 * validation critical section which replaces pins (docs/architecture/shared-memory.md). Every change
 * of a mapping takes as->lock, and every unmap and decommit calls park_mapping_gone_locked()
 * before releasing it, so a waiter is either queued before the change (and failed by it) or
 * derives its key after it (from the new mapping).
 */
#ifndef CAPOS_MM_PARK_H
#define CAPOS_MM_PARK_H

#include <capos/errors.h>
#include <lib/park.h>
#include <lib/types.h>

struct aspace;

/**
 * @brief Wait on the 32-bit word at user address @p va of @p as while it equals @p expected.
 *        Blocks the calling thread (its preallocated waiter; no allocation, no pin).
 * @param as The caller's address space. @param va 4-byte aligned user address.
 * @param expected The value that keeps it waiting.
 * @return KERR_OK (woken); KERR_WOULD_BLOCK (the word differed, or the process is ending);
 *         KERR_BAD_ADDRESS (not a committed readable page); KERR_NOT_FOUND (the page was
 *         unmapped or decommitted while it waited).
 */
kerr_t park_wait_user(struct aspace *as, uint64_t va, uint32_t expected);

/**
 * @brief Wake up to @p count waiters of the word at @p va of @p as (key derived like the wait).
 * @param as The caller's address space. @param va 4-byte aligned user address.
 * @param count Most to wake. @param woken Receives how many were woken.
 * @return KERR_OK; KERR_BAD_ADDRESS (not a committed readable page).
 */
kerr_t park_wake_user(struct aspace *as, uint64_t va, unsigned count, unsigned *woken);

/**
 * @brief [addr, addr + len) of @p as stops mapping what it mapped (unmap, decommit, object
 *        teardown): fail the waiters that came through it with KERR_NOT_FOUND. Called with
 *        as->lock held, after the records changed and before the lock is released.
 * @param as Address space. @param addr Start. @param len Bytes.
 * @return Waiters failed.
 */
unsigned park_mapping_gone_locked(struct aspace *as, uint64_t addr, uint64_t len);

/**
 * @brief Wake up to @p count waiters of a key the kernel derived itself (SharedBuffer
 *        notification: a word of its object's header).
 * @param key Key from park_key_shared(). @param count Most to wake. @return Woken.
 */
unsigned park_wake_key(const struct park_key *key, unsigned count);

/** @brief Threads waiting in any ParkSpace now (tests). @return Count. */
unsigned park_waiting_count(void);

#ifdef CAPOS_DEBUG
/**
 * @brief Kernel tests: what the armed waker did (park_test_arm_waker()).
 * Invariants: I1. armed is cleared by the first wait that reaches its comparison point.
 */
struct park_test_waker {
	volatile uint32_t *word; /**< The word the waker changes (through the direct map). */
	uint32_t value;          /**< The value it stores. */
	bool armed;              /**< Set by park_test_arm_waker(), cleared when it acted. */
	unsigned acted;          /**< Times it acted (1 after one wait). */
	bool wake_ran;           /**< Its wake ran at once (the park lock was free). */
	unsigned woken;          /**< What that wake woke. */
};

/**
 * @brief Kernel tests: the next park_wait_user() that reaches the point where it has read and
 *        compared the word (it matched) and has not yet queued itself plays a waker at that
 *        worst moment: it stores @p value into @p word, then runs a whole wake of the word's key
 *        if the park lock is free (as a waker on another CPU would) or records that such a
 *        waker would have to wait. Debug kernels only; one test at a time.
 * @param word The word (kernel direct-map address of the user word). @param value New value.
 * @return The record the waker fills (static).
 */
struct park_test_waker *park_test_arm_waker(volatile uint32_t *word, uint32_t value);
#endif

#endif /* CAPOS_MM_PARK_H */
