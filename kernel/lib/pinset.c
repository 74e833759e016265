/*
 * pinset.c - the pin records of one address space: add, find, overlap and release, each
 * record released exactly once (lib/pinset.h).
 */
#include <lib/assert.h>
#include <lib/pinset.h>

static const uint8_t legal[PIN_STATE_COUNT] = {
	[PIN_FREE] = 1u << PIN_HELD,
	[PIN_HELD] = 1u << PIN_FREE,
};

void pin_transition(struct pin *p, enum pin_state from, enum pin_state to)
{
	DASSERT(p->state == from);
	DASSERT(from < PIN_STATE_COUNT && to < PIN_STATE_COUNT && ((legal[from] >> to) & 1));
	p->state = (uint8_t)to;
}

kerr_t pinset_add(struct pinset *s, uint64_t lo, uint64_t hi, uintptr_t payer, unsigned *slot)
{
	if (lo >= hi || !IS_PAGE_ALIGNED(lo) || !IS_PAGE_ALIGNED(hi))
		return KERR_INVALID_ARG;
	for (unsigned i = 0; i < PINSET_MAX; i++) {
		struct pin *p = &s->pins[i];
		if (p->state != PIN_FREE)
			continue;
		p->lo = lo;
		p->hi = hi;
		p->payer = payer;
		pin_transition(p, PIN_FREE, PIN_HELD);
		s->held++;
		*slot = i;
		return KERR_OK;
	}
	return KERR_NO_SLOTS;
}

static bool pin_overlaps(const struct pin *p, uint64_t lo, uint64_t hi)
{
	return p->state == PIN_HELD && p->lo < hi && lo < p->hi;
}

bool pinset_overlaps(const struct pinset *s, uint64_t lo, uint64_t hi)
{
	unsigned i = 0;

	return s->held > 0 && pinset_next_overlap(s, lo, hi, &i);
}

bool pinset_find(const struct pinset *s, uint64_t lo, uint64_t hi, unsigned *slot)
{
	for (unsigned i = 0; i < PINSET_MAX; i++) {
		const struct pin *p = &s->pins[i];
		if (p->state == PIN_HELD && p->lo == lo && p->hi == hi) {
			*slot = i;
			return true;
		}
	}
	return false;
}

bool pinset_next_overlap(const struct pinset *s, uint64_t lo, uint64_t hi, unsigned *slot)
{
	for (unsigned i = *slot; i < PINSET_MAX; i++) {
		if (pin_overlaps(&s->pins[i], lo, hi)) {
			*slot = i;
			return true;
		}
	}
	return false;
}

void pinset_release(struct pinset *s, unsigned slot, struct pin *out)
{
	struct pin *p = &s->pins[slot];

	KASSERT(slot < PINSET_MAX && p->state == PIN_HELD && s->held > 0);
	*out = *p;
	pin_transition(p, PIN_HELD, PIN_FREE);
	p->lo = p->hi = 0;
	p->payer = 0; /* I1: a free record is all zeros */
	s->held--;
}

unsigned pinset_check(const struct pinset *s)
{
	unsigned held = 0;

	for (unsigned i = 0; i < PINSET_MAX; i++) {
		const struct pin *p = &s->pins[i];
		if (p->state == PIN_HELD) {
			if (p->lo >= p->hi || !IS_PAGE_ALIGNED(p->lo) || !IS_PAGE_ALIGNED(p->hi))
				return 1;
			held++;
		} else if (p->state != PIN_FREE || p->lo || p->hi || p->payer) {
			return 1;
		}
	}
	return held == s->held ? 0 : 2;
}
