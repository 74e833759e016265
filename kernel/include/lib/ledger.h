/**
 * @file
 * @brief Per-process resource ledger: charges per kind against limits, released exactly once.
 *
 * Every resource a process holds is charged to its ledger when acquired and released when
 * given back, on success, error, rollback and exit alike. A charge over the limit fails with the
 * kind's typed quota error and changes nothing; releasing more than is charged is a kernel bug
 * (KASSERT), never clamped. Child ledgers are carved from the parent's (quota donation): the
 * child's limits are charged to the parent until the child is reclaimed.
 * Units: pages for VIRTUAL, COMMIT, OBJECT, MAPPING and PIN; page-table pages for PAGETABLE.
 */
#ifndef CAPOS_LIB_LEDGER_H
#define CAPOS_LIB_LEDGER_H

#include <capos/errors.h>
#include <lib/types.h>

/** @brief What a charge is for. */
enum ledger_kind {
	LEDGER_VIRTUAL,   /**< Anonymous virtual reservation (pages). */
	LEDGER_COMMIT,    /**< Committed anonymous memory (pages). */
	LEDGER_OBJECT,    /**< Backing of held MemoryObjects (pages). */
	LEDGER_MAPPING,   /**< Borrowed object-backed mappings (pages). */
	LEDGER_PAGETABLE, /**< Page-table pages. */
	LEDGER_PIN,       /**< Pinned pages. */
	LEDGER_KIND_COUNT /**< Number of kinds; not a kind. */
};

/**
 * @brief A process's ledger.
 *
 * Invariants (ledger_check()):
 *   I1. used[k] <= limit[k] for every kind k.
 *   I2. used[k] is the sum of the live charges of kind k: each charge is released exactly once.
 *   I3. A ledger with a parent has its limits charged to the parent (donated) until
 *       ledger_reclaim(); it is reclaimed only when every used[k] is 0.
 * Locking: the owning process's lock (the kernel serialises charges per process).
 * States: LIVE (after ledger_init/ledger_donate) -> reclaimed (after ledger_reclaim).
 */
struct ledger {
	uint64_t used[LEDGER_KIND_COUNT];  /**< Live charges per kind. */
	uint64_t limit[LEDGER_KIND_COUNT]; /**< Limits per kind. */
	struct ledger *parent;             /**< The ledger the limits were carved from, or NULL. */
};

/**
 * @brief Initialise a root ledger (no parent) with the given limits and nothing charged.
 * @param l The ledger.
 * @param limit Limit per kind (LEDGER_KIND_COUNT entries).
 */
void ledger_init(struct ledger *l, const uint64_t limit[LEDGER_KIND_COUNT]);

/**
 * @brief The typed quota error of a kind (e.g. KERR_QUOTA_COMMIT for LEDGER_COMMIT).
 * @param kind A ledger kind.
 * @return The KERR_QUOTA_* code; LEDGER_PIN maps to KERR_QUOTA_PIN.
 */
kerr_t ledger_quota_error(enum ledger_kind kind);

/**
 * @brief Charge @p amount of @p kind.
 * @param l The ledger.
 * @param kind What is charged.
 * @param amount How much (0 is a no-op).
 * @return KERR_OK, or the kind's KERR_QUOTA_* when used + amount would exceed the limit
 *         (nothing charged).
 */
kerr_t ledger_charge(struct ledger *l, enum ledger_kind kind, uint64_t amount);

/**
 * @brief Charge several kinds at once, all or nothing.
 * @param l The ledger.
 * @param amount Amount per kind (LEDGER_KIND_COUNT entries, zeros allowed).
 * @return KERR_OK, or the KERR_QUOTA_* of the first kind (in enum order) over its limit;
 *         then nothing is charged.
 */
kerr_t ledger_charge_all(struct ledger *l, const uint64_t amount[LEDGER_KIND_COUNT]);

/**
 * @brief Release @p amount of @p kind, charged earlier. Releasing more than is charged is a
 * kernel bug: KASSERT, never clamped.
 * @param l The ledger.
 * @param kind What is released.
 * @param amount How much (<= used[kind]).
 */
void ledger_release(struct ledger *l, enum ledger_kind kind, uint64_t amount);

/**
 * @brief Move @p amount of a live charge of @p kind from @p from to @p to (e.g. a
 * MemoryObject's backing handed to another process). @p from must hold the charge (KASSERT).
 * @param from The ledger now charged.
 * @param to The ledger to charge instead.
 * @param kind What moves.
 * @param amount How much.
 * @return KERR_OK, or the kind's KERR_QUOTA_* when @p to is over its limit (nothing moved).
 */
kerr_t ledger_transfer(struct ledger *from, struct ledger *to, enum ledger_kind kind,
		       uint64_t amount);

/**
 * @brief Carve a child ledger out of @p parent: the child gets @p limit and the parent is
 * charged that much of each kind until ledger_reclaim() (quota donation, as at spawn).
 * @param parent The spawner's ledger.
 * @param child The new ledger (overwritten).
 * @param limit The child's limits.
 * @return KERR_OK, or the KERR_QUOTA_* of the first kind the parent cannot give (nothing
 *         charged, child untouched).
 */
kerr_t ledger_donate(struct ledger *parent, struct ledger *child,
		     const uint64_t limit[LEDGER_KIND_COUNT]);

/**
 * @brief Give a child's limits back to its parent at process exit. Every charge of the child
 * must have been released (KASSERT: a leaked charge is a kernel bug).
 * @param child A donated ledger with nothing charged.
 */
void ledger_reclaim(struct ledger *child);

/**
 * @brief Validate I1 (and I3's donation where the parent is known).
 * @param l The ledger.
 * @return true when the invariants hold.
 */
bool ledger_check(const struct ledger *l);

#endif /* CAPOS_LIB_LEDGER_H */
