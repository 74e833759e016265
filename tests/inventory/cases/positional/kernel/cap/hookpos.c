/*
 * Must not fire INV011: the operation calls through a struct member, and the only static
 * instance of that struct is initialised positionally ({ f, g }, no designators). The call
 * through ->run resolves to the function in run's position (which takes a lock), not to the
 * one in stop's position (which frees a frame).
 */
#include "fx.h"

struct hook_vtable {
	kerr_t (*run)(struct aspace *as);
	kerr_t (*stop)(struct aspace *as);
};

static struct spinlock hook_lock;

static kerr_t hook_run_impl(struct aspace *as)
{
	(void)as;
	spin_lock(&hook_lock);
	spin_unlock(&hook_lock);
	return KERR_OK;
}

static kerr_t hook_stop_impl(struct aspace *as)
{
	(void)as;
	frame_free(frame_alloc());
	return KERR_OK;
}

static const struct hook_vtable hook_vt = { hook_run_impl, hook_stop_impl };

kerr_t perform_hook_run(struct aspace *as, const struct hook_vtable *vt)
{
	return vt->run(as);
}

kerr_t perform_hook_start(struct aspace *as)
{
	return perform_hook_run(as, &hook_vt);
}
