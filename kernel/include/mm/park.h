/**
 * @file
 * @brief The kernel side of ParkSpace: one waiter queue under one lock, keys derived from the
 *        caller's mapping under its address-space lock, and the hook that fails the waiters
 *        of a mapping that goes away.
 *
 * Locking: the park lock nests inside an address space's lock and outside sched_lock
 * (as->lock -> park lock -> sched_lock). Key derivation, the read of the word, the comparison
 * and the queueing of the waiter happen under as->lock and the park lock together: that is the
 * validation critical section which replaces pins (docs/architecture/park.md). Every change
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

#endif /* CAPOS_MM_PARK_H */
