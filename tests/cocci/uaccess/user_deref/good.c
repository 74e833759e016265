/* Good cases for cocci/uaccess/user_deref: nothing below may be reported. */
#include "fixture.h"

/* The validated helpers move the data. */
kerr_t good_copy(struct msg __user *um, struct msg *k)
{
	kerr_t err = copy_from_user(k, um, sizeof(*k));

	if (err != KERR_OK)
		return err;
	k->len++;
	return copy_to_user(um, k, sizeof(*k));
}

/* Pointer arithmetic and comparisons on a user pointer are not accesses. */
kerr_t good_arith(const uint64_t __user *base, size_t i, uint64_t *out)
{
	const uint64_t __user *p = base + i;

	if (p == NULL)
		return KERR_BAD_ADDRESS;
	return copy_from_user(out, p, sizeof(*out));
}

/* Kernel pointers are dereferenced freely. */
uint64_t good_kernel(const struct msg *k)
{
	return k->len + k->words[0];
}

/* The copy helper itself touches user memory: it validated the range first. */
kerr_t copy_from_user(void *dst, const void __user *src, size_t n)
{
	const uint8_t __user *s = src;
	uint8_t *d = dst;

	for (size_t i = 0; i < n; i++)
		d[i] = s[i];
	return KERR_OK;
}

/* The address of a field of a user struct is computed, not read: copy to it. */
kerr_t good_field_address(struct msg __user *um, const struct msg *k)
{
	return copy_to_user(&um->len, &k->len, sizeof(k->len));
}
