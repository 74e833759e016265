/* Bad cases for cocci/ledger/charge_leak: every marked return must be reported. */
#include "fixture.h"

/* The frame allocation fails and the commit charge is not given back. */
kerr_t bad_commit(struct ledger *l, paddr_t *pa)
{
	kerr_t err = ledger_charge(l, LEDGER_COMMIT, 1);

	if (err != KERR_OK)
		return err;
	err = frame_alloc(pa);
	if (err != KERR_OK)
		return err; /* leak */
	return KERR_OK;
}

/* Charge checked inline; a validation failure after it returns a constant. */
static kerr_t bad_const(struct ledger *l, size_t pages)
{
	if (ledger_charge(l, LEDGER_OBJECT, pages) != KERR_OK)
		return KERR_QUOTA_COMMIT;
	if (pages > 512)
		return KERR_INVALID_ARG; /* leak */
	return KERR_OK;
}

/* A goto error path that skips the release label. */
kerr_t bad_goto(struct ledger *l, struct memobj *o)
{
	kerr_t err;

	err = ledger_charge(l, LEDGER_OBJECT, o->pages);
	if (err)
		return err;
	err = cap_publish(o);
	if (err != KERR_OK)
		goto out; /* leak: out does not release */
	return KERR_OK;
undo:
	ledger_release(l, LEDGER_OBJECT, o->pages);
out:
	return err;
}

/* A pointer-returning constructor returns NULL after the charge. */
struct memobj *bad_ptr(struct ledger *l, size_t pages)
{
	struct memobj *o;

	if (ledger_charge(l, LEDGER_OBJECT, pages))
		return NULL;
	o = memobj_new(pages);
	if (o == NULL)
		return NULL; /* leak */
	o->owner = l;
	return o;
}

/* All-or-nothing charge of several kinds, then a failure that keeps them all. */
kerr_t bad_all(struct ledger *l, const uint64_t amount[2], paddr_t *pa)
{
	kerr_t err = ledger_charge_all(l, amount);

	if (err != KERR_OK)
		return err;
	if (frame_alloc(pa) != KERR_OK)
		return KERR_NO_MEMORY; /* leak */
	return KERR_OK;
}
