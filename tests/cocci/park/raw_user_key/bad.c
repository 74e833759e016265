/* Bad cases for cocci/park/raw_user_key: every marked key must be reported. */
#include "fixture.h"

/* The key is only the user address: a stale waiter is woken by the next owner of va. */
kerr_t bad_field(struct parkspace *ps, vaddr_t uva, uint32_t expect)
{
	struct park_key key;

	key.addr = uva;
	return park_wait(ps, &key, expect);
}

/* A designated initialiser from the address, without the space identity. */
unsigned bad_init(struct parkspace *ps, vaddr_t uva)
{
	struct park_key key = { .addr = uva };

	return park_wake(ps, &key, 1);
}

/* A compound literal, through a pointer parameter. */
void bad_ptr(struct park_key *out, vaddr_t uva)
{
	*out = (struct park_key){ .addr = uva, .kind = 0 };
}

/* Writing the fields through a pointer, with a made-up generation. */
void bad_arrow(struct park_key *out, const struct aspace *as, vaddr_t uva)
{
	out->space = as->id;
	out->gen = 0;
	out->addr = uva;
}

/* Reinterpreting the user address as a key. */
kerr_t bad_cast(struct parkspace *ps, vaddr_t uva, uint32_t expect)
{
	return park_wait(ps, (const struct park_key *)uva, expect);
}
