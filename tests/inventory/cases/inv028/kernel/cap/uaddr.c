/* INV028: user addresses used as kernel memory. A user address is a parameter declared with the
 * marker (__user: empty to the compiler) or a variable a source function filled. */
#include "fx.h"

#define __user
struct stat_out { long a, b; };
void fetch_user_arg(int n, vaddr_t *out);

/* Fires: the user pointer's member written directly. */
kerr_t perform_ua_member(struct aspace *as, struct stat_out __user *uso)
{
	(void)as;
	uso->a = 1;
	return KERR_OK;
}

/* Fires: an integer user address cast to a pointer and written, and one read by index. */
kerr_t perform_ua_cast(struct aspace *as, vaddr_t va, unsigned long n)
{
	vaddr_t addr;
	long v;
	(void)va;
	fetch_user_arg(0, &addr);
	*(long *)addr = (long)n;
	v = ((long *)addr)[1];
	spin_lock(&as->lock);
	kerr_t err = copy_to_user(addr, &v, sizeof v);
	spin_unlock(&as->lock);
	return err;
}

/* Quiet: the user address handed to the copy helper, and an address computed from it. */
kerr_t perform_ua_copy(struct aspace *as, struct stat_out __user *uso)
{
	struct stat_out k = {1, 2};
	kerr_t err = KERR_OK;
	spin_lock(&as->lock);
	if (copy_to_user((vaddr_t)&uso->b, &k.b, sizeof k.b))
		err = KERR_BAD_ADDRESS;
	else
		err = copy_to_user((vaddr_t)uso, &k, sizeof k);
	spin_unlock(&as->lock);
	return err;
}

/* Quiet: a kernel pointer parameter (no marker) and a value fetch_user_ptr did not fill. */
kerr_t perform_ua_kernel(struct aspace *as, struct stat_out *kso)
{
	vaddr_t other = 0;
	(void)as;
	kso->a = 2;
	return other ? KERR_INVALID_ARG : KERR_OK;
}

/* The argument registers of an invocation: user_addresses.fields names invk.a. */
struct invk { struct aspace *as; unsigned long a[3]; };
void *kmemcpy(void *dst, const void *src, unsigned long n);

/* Fires: an argument register made a pointer, for memcpy and for a store. */
kerr_t perform_ua_regs(struct invk *iv)
{
	char buf[16];
	kmemcpy(buf, (const void *)(unsigned long)iv->a[0], sizeof buf);
	*(long *)iv->a[1] = 0;
	return KERR_OK;
}

/* Quiet: registers compared, passed to the copy helper, and a kernel copy of the array. */
kerr_t perform_ua_regs_ok(struct invk *iv)
{
	unsigned long k[3];
	long v = 1;
	if (iv->a[2] > 4)
		return KERR_INVALID_ARG;
	k[0] = iv->a[0];
	spin_lock(&iv->as->lock);
	kerr_t err = copy_to_user(iv->a[0], &v, sizeof v);
	spin_unlock(&iv->as->lock);
	return k[0] ? err : KERR_OK;
}
