/*
 * ledger.c - per-process resource ledgers: charge, release and transfer per kind with limits,
 * and quota donation from a spawner to its child. A release of more than is charged is a
 * kernel invariant violation (KASSERT), never clamped, so a double release cannot hide.
 */
#include <lib/assert.h>
#include <lib/ledger.h>

void ledger_init(struct ledger *l, const uint64_t limit[LEDGER_KIND_COUNT])
{
	for (int k = 0; k < LEDGER_KIND_COUNT; k++) {
		l->used[k] = 0;
		l->limit[k] = limit[k];
	}
	l->parent = NULL;
}

kerr_t ledger_quota_error(enum ledger_kind kind)
{
	static const kerr_t errs[LEDGER_KIND_COUNT] = {
		[LEDGER_VIRTUAL] = KERR_QUOTA_VIRTUAL,
		[LEDGER_COMMIT] = KERR_QUOTA_COMMIT,
		[LEDGER_OBJECT] = KERR_QUOTA_OBJECT,
		[LEDGER_MAPPING] = KERR_QUOTA_MAPPING,
		[LEDGER_PAGETABLE] = KERR_QUOTA_PAGETABLE,
		[LEDGER_PIN] = KERR_PINNED,
	};

	KASSERT((unsigned)kind < LEDGER_KIND_COUNT);
	return errs[kind];
}

/* Would charging amount of kind stay within the limit? (I1; written to avoid overflow.) */
static bool ledger_fits(const struct ledger *l, enum ledger_kind kind, uint64_t amount)
{
	return amount <= l->limit[kind] - l->used[kind];
}

kerr_t ledger_charge(struct ledger *l, enum ledger_kind kind, uint64_t amount)
{
	KASSERT((unsigned)kind < LEDGER_KIND_COUNT);
	if (!ledger_fits(l, kind, amount))
		return ledger_quota_error(kind);
	l->used[kind] += amount;
	return KERR_OK;
}

kerr_t ledger_charge_all(struct ledger *l, const uint64_t amount[LEDGER_KIND_COUNT])
{
	for (int k = 0; k < LEDGER_KIND_COUNT; k++)
		if (!ledger_fits(l, k, amount[k]))
			return ledger_quota_error(k);
	for (int k = 0; k < LEDGER_KIND_COUNT; k++)
		l->used[k] += amount[k];
	return KERR_OK;
}

void ledger_release(struct ledger *l, enum ledger_kind kind, uint64_t amount)
{
	KASSERT((unsigned)kind < LEDGER_KIND_COUNT);
	/* I2: a release of more than is live means some charge was released twice. */
	KASSERT(amount <= l->used[kind]);
	l->used[kind] -= amount;
}

kerr_t ledger_transfer(struct ledger *from, struct ledger *to, enum ledger_kind kind,
		       uint64_t amount)
{
	kerr_t err;

	KASSERT((unsigned)kind < LEDGER_KIND_COUNT);
	KASSERT(amount <= from->used[kind]);
	if (from == to)
		return KERR_OK;
	err = ledger_charge(to, kind, amount);
	if (err != KERR_OK)
		return err;
	ledger_release(from, kind, amount);
	return KERR_OK;
}

kerr_t ledger_donate(struct ledger *parent, struct ledger *child,
		     const uint64_t limit[LEDGER_KIND_COUNT])
{
	kerr_t err = ledger_charge_all(parent, limit);

	if (err != KERR_OK)
		return err;
	ledger_init(child, limit);
	child->parent = parent;
	return KERR_OK;
}

void ledger_reclaim(struct ledger *child)
{
	KASSERT(child->parent != NULL);
	for (int k = 0; k < LEDGER_KIND_COUNT; k++)
		KASSERT(child->used[k] == 0); /* every charge released exactly once before exit */
	for (int k = 0; k < LEDGER_KIND_COUNT; k++)
		ledger_release(child->parent, k, child->limit[k]);
	child->parent = NULL;
}

bool ledger_check(const struct ledger *l)
{
	for (int k = 0; k < LEDGER_KIND_COUNT; k++) {
		if (l->used[k] > l->limit[k])
			return false; /* I1 */
		if (l->parent && l->parent->used[k] < l->limit[k])
			return false; /* I3: the donation is still charged to the parent */
	}
	return true;
}
