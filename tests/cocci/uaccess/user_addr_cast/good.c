/* User addresses used only through the copy helpers: the rule must stay silent. */
#include "fixture.h"

kerr_t inv_copy(struct invocation *inv, struct msg *k)
{
	return copy_from_user(inv->proc->as, k, inv->a[0], sizeof(*k));
}

kerr_t argaddr_copy(struct aspace *as, const struct msg *k)
{
	uint64_t addr;

	argaddr(0, &addr);
	return copy_to_user(as, addr, k, sizeof(*k));
}

/* Other integers cast to pointers are not user addresses. */
void *kernel_cast(struct invocation *inv, uintptr_t kva)
{
	(void)inv;
	return (void *)kva;
}

/* The local re-assigned from a kernel value before the cast. */
void *reassigned(struct invocation *inv, uintptr_t kva)
{
	uintptr_t v = inv->a[0];

	v = kva;
	return (void *)v;
}

/* Casting the invocation itself (a kernel object) is fine. */
const void *inv_itself(struct invocation *inv)
{
	return (const void *)inv;
}
