/* Each function turns a user address into a kernel pointer:
 * tools/cocci/uaccess/user_addr_cast.cocci must report each one. */
#include "fixture.h"

/* An invocation argument register read as a message pointer. */
uint64_t inv_arg_cast(struct invocation *inv)
{
	const struct msg *m = (const struct msg *)inv->a[0];

	return m->len;
}

/* The argument kept in a local first, then cast with an offset. */
void inv_local_cast(struct invocation *inv)
{
	vaddr_t ubuf = inv->a[1];

	*(uint64_t *)(ubuf + 8) = 0;
}

/* An address delivered by argaddr(), written through as a kernel pointer. */
void argaddr_cast(void)
{
	uint64_t addr;

	argaddr(0, &addr);
	((struct msg *)addr)->len = 1;
}
