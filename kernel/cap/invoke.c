/*
 * invoke.c - capability invocation: common decode, generic methods
 * (CAP_INFO, CAP_COPY, CAP_DROP), a reference on the object for the whole call, and dispatch
 * by type through cap/capobj.h's table. kern/entry.c calls it for every `syscall`.
 */
#include <arch/cpu.h>
#include <arch/layout.h>
#include <arch/trap.h>
#include <arch/user.h>
#include <cap/capobj.h>
#include <cap/invoke.h>
#include <kern/string.h>
#include <kern/witness.h>
#include <proc/process.h>
#include <proc/thread.h>

static kerr_t invoke_generic(struct invocation *inv)
{
	struct process *p = inv->proc;
	struct cap dropped, copied;
	cap_handle_t h;
	kerr_t err;

	switch (inv->method) {
	case CAP_INFO:
		inv->r[0] = inv->cap.type;
		inv->r[1] = inv->cap.rights;
		return KERR_OK;
	case CAP_COPY:
		if (inv->a[0] > UINT32_MAX)
			return KERR_INVALID_ARG; /* rights bits the table cannot even see */
		spin_lock(&p->lock);
		err = captable_copy(&p->caps, inv->handle, (uint32_t)inv->a[0], &h, &copied);
		spin_unlock(&p->lock);
		if (err != KERR_OK)
			return err;
		cap_obj_get(&copied);
		inv->r[0] = h;
		return KERR_OK;
	case CAP_DROP:
		spin_lock(&p->lock);
		err = captable_drop(&p->caps, inv->handle, &dropped);
		spin_unlock(&p->lock);
		if (err == KERR_OK)
			cap_obj_put(&dropped);
		return err;
	}
	return KERR_UNKNOWN_METHOD;
}

void invoke_release(struct invocation *inv)
{
	if (inv->held) {
		inv->held = false;
		cap_obj_put(&inv->cap);
	}
}

kerr_t invoke(struct invocation *inv)
{
	struct process *p = inv->proc;
	const struct cap_obj_ops *ops;
	kerr_t err;

	spin_lock(&p->lock);
	err = captable_decode(&p->caps, inv->handle, inv->method, &inv->cap);
	if (err == KERR_OK) {
		/* The table's capability keeps the object alive until here: hold it for the
		 * whole call, whatever another thread drops meanwhile (cap/capobj.h). */
		cap_obj_get(&inv->cap);
		inv->held = true;
	}
	spin_unlock(&p->lock);
	if (err != KERR_OK)
		return err;
	if (CAP_METHOD_TYPE(inv->method) == CAP_TYPE_NULL) {
		err = invoke_generic(inv);
	} else {
		ops = cap_obj_ops_of(inv->cap.type);
		/* decode found a held capability: its type is one that is handed out */
		err = ops ? ops->invoke(inv) : KERR_WRONG_TYPE;
	}
	invoke_release(inv);
	return err;
}
