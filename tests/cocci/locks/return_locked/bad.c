/* Bad cases for cocci/locks/return_locked: every marked return must be reported. */
#include "fixture.h"

/* Validation after the lock returns an error without unlocking. */
kerr_t bad_const(struct aspace *as, vaddr_t va)
{
	spin_lock(&as->lock);
	if (va == 0)
		return KERR_INVALID_ARG; /* held */
	as->gen++;
	spin_unlock(&as->lock);
	return KERR_OK;
}

/* The callee's error is passed up with the lock held. */
kerr_t bad_var(struct aspace *as, vaddr_t va)
{
	kerr_t err;

	spin_lock(&as->lock);
	err = vm_insert_locked(as, va);
	if (err != KERR_OK)
		return err; /* held */
	spin_unlock(&as->lock);
	return KERR_OK;
}

/* irqsave form; the error label is reached before the unlock. */
kerr_t bad_irqsave(struct aspace *as, vaddr_t va)
{
	uint64_t flags = spin_lock_irqsave(&as->lock);
	kerr_t err = KERR_OK;

	if (va & 1) {
		err = KERR_INVALID_ARG;
		goto out;
	}
	as->gen++;
	spin_unlock_irqrestore(&as->lock, flags);
out:
	return err; /* held on the goto path */
}

/* A lookup that returns NULL after taking the object lock. */
struct obj *bad_null(struct aspace *as, int h)
{
	struct obj *o;

	spin_lock(&as->lock);
	o = table_lookup(h);
	if (o == NULL)
		return NULL; /* held */
	o->refs++;
	spin_unlock(&as->lock);
	return o;
}

/* The inner lock is released on the error path, the outer one is not. */
kerr_t bad_nested(struct aspace *as, struct obj *o)
{
	spin_lock(&as->lock);
	spin_lock(&o->lock);
	if (o->refs == 0) {
		spin_unlock(&o->lock);
		return KERR_CONFLICT; /* as->lock held */
	}
	o->refs--;
	spin_unlock(&o->lock);
	spin_unlock(&as->lock);
	return KERR_OK;
}

/* A void function bails out early and leaves the lock taken. */
void bad_void(struct aspace *as, int skip)
{
	spin_lock(&as->lock);
	if (skip)
		return; /* held */
	as->gen++;
	spin_unlock(&as->lock);
}
