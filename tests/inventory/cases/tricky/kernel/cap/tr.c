/* Case tricky: the model on C that hides what it does. Expected: exactly one INV012 (the ladder's
 * `goto out` skips the release; the `out_uncharge` path releases through TR_UNCHARGE, whose key
 * must match TR_CHARGE's), exactly one INV013 (the early return inside the loop; the success
 * return unlocks through TR_UNLOCK), and no INV011: tr_wait_cb reaches tr_lvl1's `fn(as)`
 * through three levels of function-pointer parameters. */
#include "tr.h"

static void tr_lvl1(void (*fn)(struct aspace *), struct aspace *as) { fn(as); }
static void tr_lvl2(void (*fn)(struct aspace *), struct aspace *as) { tr_lvl1(fn, as); }
static void tr_lvl3(void (*fn)(struct aspace *), struct aspace *as) { tr_lvl2(fn, as); }
static void tr_wait_cb(struct aspace *as) { tlb_shootdown_wait(as); }

/* Macro-wrapped charge; leaks on the second error return (ladder skips the release). */
static kerr_t perform_tr_macro(struct aspace *as, vaddr_t va, unsigned long arg)
{
	kerr_t err = TR_CHARGE(as);
	if (err != KERR_OK)
		return err;
	if (arg == 1)
		goto out_uncharge;
	if (arg == 2)
		goto out;
	TR_UNCHARGE(as);
	return KERR_OK;
out_uncharge:
	TR_UNCHARGE(as);
out:
	return KERR_INVALID_ARG;
}

/* Early return inside a loop with the lock held. */
static kerr_t perform_tr_loop(struct aspace *as, vaddr_t va, unsigned long n)
{
	TR_LOCK(as);
	for (unsigned long i = 0; i < n; i++) {
		if (vpage_lookup(as, va + i) == 0)
			return KERR_BAD_ADDRESS;
	}
	TR_UNLOCK(as);
	return KERR_OK;
}

/* Transition with macro-constant args; inline header helper; fn pointer through 3 levels. */
static kerr_t perform_tr_unmap(struct aspace *as, vaddr_t va, unsigned long arg)
{
	struct frame fr = {FRAME_MAPPED, 0};
	frame_transition(&fr, TR_FROM, TR_TO);
	tr_unmap_free(as, va, &fr);
	tr_lvl3(tr_wait_cb, as);
	return KERR_OK;
}

static const struct cap_method tr_methods[] = {
	{.invoke = perform_tr_macro}, {.invoke = perform_tr_loop}, {.invoke = perform_tr_unmap},
};
kerr_t tr_invoke(struct aspace *as, unsigned m, vaddr_t va, unsigned long arg)
{
	return tr_methods[m % 3].invoke(as, va, arg);
}
