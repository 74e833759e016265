/* Good cases for cocci/locks/return_locked: nothing below may be reported. */
#include "fixture.h"

/* Every error path unlocks. */
kerr_t good_unlock(struct aspace *as, vaddr_t va)
{
	spin_lock(&as->lock);
	if (va == 0) {
		spin_unlock(&as->lock);
		return KERR_INVALID_ARG;
	}
	as->gen++;
	spin_unlock(&as->lock);
	return KERR_OK;
}

/* Single exit through a label that unlocks. */
kerr_t good_label(struct aspace *as, vaddr_t va)
{
	uint64_t flags = spin_lock_irqsave(&as->lock);
	kerr_t err = vm_insert_locked(as, va);

	if (err != KERR_OK)
		goto out;
	as->gen++;
out:
	spin_unlock_irqrestore(&as->lock, flags);
	return err;
}

/* Validation before the lock may return anything. */
kerr_t good_validate_first(struct aspace *as, vaddr_t va)
{
	if (va == 0)
		return KERR_INVALID_ARG;
	spin_lock(&as->lock);
	as->gen++;
	spin_unlock(&as->lock);
	return KERR_OK;
}

/* Returns the object with its lock held on success, by contract; unlocked on failure. */
struct obj *good_lookup_locked(struct aspace *as, int h)
{
	struct obj *o = table_lookup(h);

	if (o == NULL)
		return NULL;
	spin_lock(&o->lock);
	if (o->refs == 0) {
		spin_unlock(&o->lock);
		return NULL;
	}
	return o;
}

/* A lock wrapper: acquiring is its whole job. */
void good_wrapper(struct aspace *as)
{
	spin_lock(&as->lock);
}

/* A void function that unlocks before its early return. */
void good_void(struct aspace *as, int skip)
{
	spin_lock(&as->lock);
	if (skip) {
		spin_unlock(&as->lock);
		return;
	}
	as->gen++;
	spin_unlock(&as->lock);
}
