/* Bad cases for cocci/uaccess/user_deref: every marked access must be reported. */
#include "fixture.h"

/* Reading a user word directly. */
uint64_t bad_read(const uint64_t __user *uword)
{
	return *uword;
}

/* Field access and indexing through a user pointer. */
uint64_t bad_fields(struct msg __user *um, int i)
{
	uint64_t n = um->len;

	return n + um->words[i];
}

/* Writing a result through a user pointer held in a local. */
void bad_write(void __user *ubuf, uint64_t v)
{
	uint64_t __user *out = ubuf;

	out[0] = v;
}

/* memcpy does no validation: the user pointer goes around the copy helper. */
void bad_memcpy(struct msg *k, const struct msg __user *um)
{
	memcpy(k, um, sizeof(*k));
}

/* A cast drops __user and the result is used as a kernel pointer. */
uint64_t bad_cast(const uint64_t __user *uword)
{
	const uint64_t *k = (const uint64_t *)uword;

	return *k;
}
