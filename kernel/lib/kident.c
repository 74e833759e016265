/*
 * kident.c - identities of kernel objects: a monotonic 64-bit id allocator that never wraps,
 * so an id never names two objects (lib/kident.h).
 */
#include <lib/kident.h>

kerr_t kident_new(struct kident_alloc *a, struct kident *out)
{
	uint64_t cur = __atomic_load_n(&a->next, __ATOMIC_RELAXED);

	/* I2: a compare loop rather than fetch_add, so the counter stops at the end instead of
	 * wrapping to 0 and handing out ids again. */
	do {
		if (cur == KIDENT_EXHAUSTED)
			return KERR_NO_SLOTS;
	} while (!__atomic_compare_exchange_n(&a->next, &cur, cur + 1, false, __ATOMIC_RELAXED,
					      __ATOMIC_RELAXED));
	out->id = cur;
	out->gen = 1;
	return KERR_OK;
}

bool kident_same(const struct kident *a, const struct kident *b)
{
	return a->id == b->id && a->gen == b->gen;
}
