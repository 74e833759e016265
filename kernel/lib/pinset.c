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

kerr_t pinset_add(struct pinset *s, enum pin_kind kind, uint64_t lo, uint64_t hi,
		  uintptr_t payer, uintptr_t obj, unsigned *slot)
{
	if (lo >= hi || !IS_PAGE_ALIGNED(lo) || !IS_PAGE_ALIGNED(hi) ||
	    (kind == PIN_OBJECT) != (obj != 0) || (kind != PIN_OBJECT && kind != PIN_MAPPING))
		return KERR_INVALID_ARG;
	for (unsigned i = 0; i < PINSET_MAX; i++) {
		struct pin *p = &s->pins[i];
		if (p->state != PIN_FREE)
			continue;
		p->kind = (uint8_t)kind;
		p->lo = lo;
		p->hi = hi;
		p->payer = payer;
		p->obj = obj;
		pin_transition(p, PIN_FREE, PIN_HELD);
		s->held++;
		*slot = i;
		return KERR_OK;
	}
	return KERR_NO_SLOTS;
}

static bool pin_overlaps(const struct pin *p, uint64_t lo, uint64_t hi)
{
	return p->state == PIN_HELD && p->kind == PIN_MAPPING && p->lo < hi && lo < p->hi;
}

bool pinset_overlaps(const struct pinset *s, uint64_t lo, uint64_t hi)
{
	unsigned i = 0;

	return s->held > 0 && pinset_next_overlap(s, lo, hi, &i);
}

bool pinset_find(const struct pinset *s, enum pin_kind kind, uintptr_t obj, uint64_t lo,
		 uint64_t hi, unsigned *slot)
{
	for (unsigned i = 0; i < PINSET_MAX; i++) {
		const struct pin *p = &s->pins[i];
		if (p->state == PIN_HELD && p->kind == kind && p->obj == obj && p->lo == lo &&
		    p->hi == hi) {
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

bool pinset_next_held(const struct pinset *s, unsigned *slot)
{
	for (unsigned i = *slot; i < PINSET_MAX; i++) {
		if (s->pins[i].state == PIN_HELD) {
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
	p->kind = 0;
	p->lo = p->hi = 0;
	p->payer = p->obj = 0; /* I1: a free record is all zeros */
	s->held--;
}

unsigned pinset_check(const struct pinset *s)
{
	unsigned held = 0;

	for (unsigned i = 0; i < PINSET_MAX; i++) {
		const struct pin *p = &s->pins[i];
		if (p->state == PIN_HELD) {
			if (p->lo >= p->hi || !IS_PAGE_ALIGNED(p->lo) || !IS_PAGE_ALIGNED(p->hi) ||
			    (p->kind == PIN_OBJECT) != (p->obj != 0))
				return 1;
			held++;
		} else if (p->state != PIN_FREE || p->kind || p->lo || p->hi || p->payer || p->obj) {
			return 1;
		}
	}
	return held == s->held ? 0 : 2;
}
