/* Good cases for cocci/park/raw_user_key: nothing below may be reported. */
#include "fixture.h"

/* The constructors are the one place a key is assembled. */
struct park_key park_key_private(const struct aspace *as, vaddr_t va)
{
	struct park_key k = { .space = as->id, .gen = as->gen, .addr = va, .kind = 0 };

	return k;
}

struct park_key park_key_shared(const struct memobj *obj, uint64_t off)
{
	struct park_key k;

	k.space = obj->id;
	k.gen = obj->gen;
	k.addr = off;
	k.kind = 1;
	return k;
}

/* Callers take the key from a constructor. */
kerr_t good_wait(struct parkspace *ps, const struct aspace *as, vaddr_t uva, uint32_t expect)
{
	struct park_key key = park_key_private(as, uva);

	return park_wait(ps, &key, expect);
}

/* Copying a key keeps its identity. */
unsigned good_copy(struct parkspace *ps, const struct park_key *in)
{
	struct park_key key = *in;

	return park_wake(ps, &key, 1);
}

/* Reading key fields is fine. */
uint64_t good_read(const struct park_key *k)
{
	return k->addr + k->gen;
}
