/* Good cases for cocci/ledger/charge_leak: nothing below may be reported. */
#include "fixture.h"

/* Every error path after the charge releases it. */
kerr_t good_commit(struct ledger *l, paddr_t *pa)
{
	kerr_t err = ledger_charge(l, LEDGER_COMMIT, 1);

	if (err != KERR_OK)
		return err;
	err = frame_alloc(pa);
	if (err != KERR_OK) {
		ledger_release(l, LEDGER_COMMIT, 1);
		return err;
	}
	return KERR_OK;
}

/* Goto unwinding: the error label releases the charge. */
kerr_t good_goto(struct ledger *l, struct memobj *o)
{
	kerr_t err;

	err = ledger_charge(l, LEDGER_OBJECT, o->pages);
	if (err)
		return err;
	err = cap_publish(o);
	if (err != KERR_OK)
		goto undo;
	return KERR_OK;
undo:
	ledger_release(l, LEDGER_OBJECT, o->pages);
	return err;
}

/* On failure the charge is transferred to the object's owner, who releases it. */
kerr_t good_transfer(struct ledger *l, struct ledger *owner, struct memobj *o)
{
	if (ledger_charge(l, LEDGER_OBJECT, o->pages) != KERR_OK)
		return KERR_QUOTA_COMMIT;
	if (cap_publish(o) != KERR_OK) {
		ledger_transfer(l, owner, LEDGER_OBJECT, o->pages);
		return KERR_PUBLISH_FAILED;
	}
	return KERR_OK;
}

/* The failed charge itself needs no release; success keeps the charge with the object. */
struct memobj *good_ptr(struct ledger *l, size_t pages)
{
	struct memobj *o;

	if (ledger_charge(l, LEDGER_OBJECT, pages))
		return NULL;
	o = memobj_new(pages);
	if (o == NULL) {
		ledger_release(l, LEDGER_OBJECT, pages);
		return NULL;
	}
	o->owner = l;
	return o;
}

/* Validation before the charge may return anything. */
kerr_t good_validate_first(struct ledger *l, size_t pages)
{
	if (pages == 0)
		return KERR_INVALID_ARG;
	return ledger_charge(l, LEDGER_COMMIT, pages);
}
