/*
 * ledger.c - per-process resource ledgers: charge, release and transfer per kind with limits,
 * and quota donation from a spawner to its child. A release of more than is charged is a
 * kernel invariant violation (KASSERT), never clamped, so a double release cannot hide.
 */
#include <lib/assert.h>
#include <lib/ledger.h>

/* ACSL: the contracts below are proven with Frama-C WP (tests/proofs, proof_ledger). */
/*@ predicate ledger_ok(struct ledger *l) =
      \forall integer k; 0 <= k < LEDGER_KIND_COUNT ==> l->used[k] <= l->limit[k];
*/

/*@ requires \valid(l) && \valid_read(limit + (0 .. LEDGER_KIND_COUNT - 1));
    requires \separated(l, limit + (0 .. LEDGER_KIND_COUNT - 1));
    assigns *l;
    ensures l->parent == \null;
*/
void ledger_init(struct ledger *l, const uint64_t limit[LEDGER_KIND_COUNT])
{
	*l = (struct ledger){ .parent = NULL }; /* nothing charged */
	/*@ loop invariant 0 <= k <= LEDGER_KIND_COUNT;
	    loop assigns k, l->limit[0 .. LEDGER_KIND_COUNT - 1];
	    loop variant LEDGER_KIND_COUNT - k;
	*/
	for (int k = 0; k < LEDGER_KIND_COUNT; k++)
		l->limit[k] = limit[k];
}

/*@ requires 0 <= kind < LEDGER_KIND_COUNT;
    assigns \nothing;
    ensures \result != KERR_OK;
*/
kerr_t ledger_quota_error(enum ledger_kind kind)
{
	static const kerr_t errs[LEDGER_KIND_COUNT] = {
		[LEDGER_VIRTUAL] = KERR_QUOTA_VIRTUAL,
		[LEDGER_COMMIT] = KERR_QUOTA_COMMIT,
		[LEDGER_OBJECT] = KERR_QUOTA_OBJECT,
		[LEDGER_MAPPING] = KERR_QUOTA_MAPPING,
		[LEDGER_PAGETABLE] = KERR_QUOTA_PAGETABLE,
		[LEDGER_PIN] = KERR_QUOTA_PIN,
	};

	KASSERT((unsigned)kind < LEDGER_KIND_COUNT);
	return errs[kind];
}

/* Would charging amount of kind stay within the limit? (I1; written to avoid overflow.) */
/*@ requires \valid_read(l) && 0 <= kind < LEDGER_KIND_COUNT;
    requires l->used[kind] <= l->limit[kind];
    assigns \nothing;
    ensures \result != 0 <==> l->used[kind] + amount <= l->limit[kind];
*/
static bool ledger_fits(const struct ledger *l, enum ledger_kind kind, uint64_t amount)
{
	return amount <= l->limit[kind] - l->used[kind];
}

/*@ requires \valid(l) && 0 <= kind < LEDGER_KIND_COUNT;
    requires l->used[kind] <= l->limit[kind];
    assigns l->used[kind];
    ensures l->used[kind] <= l->limit[kind];
    behavior fits:
      assumes l->used[kind] + amount <= l->limit[kind];
      ensures \result == KERR_OK;
      ensures l->used[kind] == \old(l->used[kind]) + amount;
    behavior over:
      assumes l->used[kind] + amount > l->limit[kind];
      ensures \result != KERR_OK;
      ensures l->used[kind] == \old(l->used[kind]);
    complete behaviors;
    disjoint behaviors;
*/
kerr_t ledger_charge(struct ledger *l, enum ledger_kind kind, uint64_t amount)
{
	KASSERT((unsigned)kind < LEDGER_KIND_COUNT);
	if (!ledger_fits(l, kind, amount))
		return ledger_quota_error(kind);
	l->used[kind] += amount;
	return KERR_OK;
}

/*@ requires \valid(l) && ledger_ok(l);
    requires \valid_read(amount + (0 .. LEDGER_KIND_COUNT - 1));
    requires \separated(l, amount + (0 .. LEDGER_KIND_COUNT - 1));
    assigns l->used[0 .. LEDGER_KIND_COUNT - 1];
    ensures \result != KERR_OK ==> \forall integer k; 0 <= k < LEDGER_KIND_COUNT ==>
              l->used[k] == \old(l->used[k]);
*/
kerr_t ledger_charge_all(struct ledger *l, const uint64_t amount[LEDGER_KIND_COUNT])
{
	/*@ loop invariant 0 <= k <= LEDGER_KIND_COUNT;
	    loop assigns k;
	    loop variant LEDGER_KIND_COUNT - k;
	*/
	for (int k = 0; k < LEDGER_KIND_COUNT; k++)
		if (!ledger_fits(l, k, amount[k]))
			return ledger_quota_error(k);
	/*@ loop invariant 0 <= k <= LEDGER_KIND_COUNT;
	    loop assigns k, l->used[0 .. LEDGER_KIND_COUNT - 1];
	    loop variant LEDGER_KIND_COUNT - k;
	*/
	for (int k = 0; k < LEDGER_KIND_COUNT; k++)
		l->used[k] += amount[k];
	return KERR_OK;
}

/* Proven: a return implies the released amount was live (no clamp, no wrap below zero). */
/*@ requires \valid(l) && 0 <= kind < LEDGER_KIND_COUNT;
    assigns l->used[kind];
    ensures \old(l->used[kind]) >= amount;
    ensures l->used[kind] == \old(l->used[kind]) - amount;
*/
void ledger_release(struct ledger *l, enum ledger_kind kind, uint64_t amount)
{
	KASSERT((unsigned)kind < LEDGER_KIND_COUNT);
	/* I2: a release of more than is live means some charge was released twice. */
	KASSERT(amount <= l->used[kind]);
	l->used[kind] -= amount;
}

/*@ requires \valid(from) && \valid(to) && ledger_ok(from) && ledger_ok(to);
    requires 0 <= kind < LEDGER_KIND_COUNT;
    assigns from->used[kind], to->used[kind];
    ensures \old(from->used[kind]) >= amount;
*/
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

/*@ requires \valid(parent) && \valid(child) && ledger_ok(parent);
    requires \valid_read(limit + (0 .. LEDGER_KIND_COUNT - 1));
    requires \separated(parent, child, limit + (0 .. LEDGER_KIND_COUNT - 1));
    assigns parent->used[0 .. LEDGER_KIND_COUNT - 1], *child;
*/
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

/*@ requires \valid(child) && (child->parent == \null || \valid(child->parent));
    requires child->parent == \null || \separated(child, child->parent);
    assigns child->parent->used[0 .. LEDGER_KIND_COUNT - 1], child->parent;
    ensures \forall integer k; 0 <= k < LEDGER_KIND_COUNT ==> child->used[k] == 0;
*/
void ledger_reclaim(struct ledger *child)
{
	KASSERT(child->parent != NULL);
	/*@ loop invariant 0 <= k <= LEDGER_KIND_COUNT;
	    loop invariant \forall integer j; 0 <= j < k ==> child->used[j] == 0;
	    loop assigns k;
	    loop variant LEDGER_KIND_COUNT - k;
	*/
	for (int k = 0; k < LEDGER_KIND_COUNT; k++)
		KASSERT(child->used[k] == 0); /* every charge released exactly once before exit */
	/*@ loop invariant 0 <= k <= LEDGER_KIND_COUNT;
	    loop assigns k, child->parent->used[0 .. LEDGER_KIND_COUNT - 1];
	    loop variant LEDGER_KIND_COUNT - k;
	*/
	for (int k = 0; k < LEDGER_KIND_COUNT; k++)
		ledger_release(child->parent, k, child->limit[k]);
	child->parent = NULL;
}

/*@ requires \valid_read(l) && (l->parent == \null || \valid_read(l->parent));
    assigns \nothing;
*/
bool ledger_check(const struct ledger *l)
{
	/*@ loop invariant 0 <= k <= LEDGER_KIND_COUNT;
	    loop assigns k;
	    loop variant LEDGER_KIND_COUNT - k;
	*/
	for (int k = 0; k < LEDGER_KIND_COUNT; k++) {
		if (l->used[k] > l->limit[k])
			return false; /* I1 */
		if (l->parent && l->parent->used[k] < l->limit[k])
			return false; /* I3: the donation is still charged to the parent */
	}
	return true;
}
