/**
 * @file
 * @brief Accounts: a process's ledger (lib/ledger.h) with its lock, reference count and the
 *        account its limits were donated from.
 *
 * Every process charges one account: its address space (virtual reservation, commit, borrowed
 * mappings, page-table pages) and the MemoryObjects it allocates. A child's account is carved
 * from its spawner's (ledger_donate()); the donation is returned (ledger_reclaim()) when the
 * child's account is freed, i.e. when the last of its holders is gone: the process struct, its
 * address space, MemoryObjects charged to it, Ledger capabilities, and child accounts.
 */
#ifndef CAPOS_MM_ACCT_H
#define CAPOS_MM_ACCT_H

#include <capos/errors.h>
#include <kern/spinlock.h>
#include <lib/ledger.h>

/**
 * @brief An account.
 *
 * Invariants:
 *   I1. led.parent == &parent->led when parent != NULL, and this account holds a reference on
 *       parent (so a parent's ledger outlives every donation charged to it).
 *   I2. Every charge on led is made and released under lock (lib/ledger.h I2).
 *   I3. When refs drops to 0 every charge of led has been released (asserted by
 *       ledger_reclaim()), and the donation goes back to the parent exactly once.
 * Locking: lock protects led; it nests inside an address space's lock and takes no other
 *   lock, except a parent's lock in acct_donate()/the final acct_put() (child, then parent;
 *   the child's lock is never held then).
 * States: live -> freed (last reference).
 */
struct acct {
	struct spinlock lock; /**< Protects led. */
	struct ledger led;    /**< Usage and limits. */
	struct acct *parent;  /**< Donor account or NULL (I1). */
	uint32_t refs;        /**< Holders (atomic). */
};

/**
 * @brief Create a root account (no donor) with nominal limits of 2^24 pages per kind (none
 *        for pins): the frame pool, not the root ledger, bounds what processes commit together
 *        (KERR_NO_MEMORY is global pressure; quotas bind on donated accounts).
 * @param out Receives it with one reference.
 * @return KERR_OK; KERR_NO_MEMORY.
 */
kerr_t acct_create_root(struct acct **out);

/**
 * @brief Create a child account whose limits are donated from @p parent (charged to it until
 *        the child is freed).
 * @param parent The donor. @param limit Limits per ledger kind (pages).
 * @param out Receives the child with one reference.
 * @return KERR_OK; the KERR_QUOTA_* of the first kind the parent cannot give;
 *         KERR_NO_MEMORY. Nothing changes on error.
 */
kerr_t acct_donate(struct acct *parent, const uint64_t limit[LEDGER_KIND_COUNT],
		   struct acct **out);

/** @brief Take a reference. @param a Account. */
void acct_get(struct acct *a);

/**
 * @brief Drop a reference; the last one returns the donation to the parent (every charge
 *        must be released: asserted) and drops the parent's reference.
 * @param a Account.
 */
void acct_put(struct acct *a);

/**
 * @brief Charge @p amount of @p kind under the account's lock.
 * @param a Account. @param kind Kind. @param amount Pages.
 * @return KERR_OK or the kind's quota error (nothing charged).
 */
kerr_t acct_charge(struct acct *a, enum ledger_kind kind, uint64_t amount);

/**
 * @brief Release @p amount of @p kind charged earlier (over-release is a KASSERT).
 * @param a Account. @param kind Kind. @param amount Pages.
 */
void acct_release(struct acct *a, enum ledger_kind kind, uint64_t amount);

/**
 * @brief Read usage and limit of one kind.
 * @param a Account. @param kind Kind. @param used Receives the charged pages.
 * @param limit Receives the limit.
 */
void acct_usage(struct acct *a, enum ledger_kind kind, uint64_t *used, uint64_t *limit);

/** @brief Accounts alive (tests: back to the start value after processes are reaped).
 *  @return Count. */
unsigned acct_live_count(void);

#endif /* CAPOS_MM_ACCT_H */
