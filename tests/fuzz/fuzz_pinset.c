/*
 * fuzz_pinset.c - libFuzzer differential harness for the pin records of an address space
 * (kernel/lib/pinset.c, compiled unchanged).
 *
 * Each 6-byte operation adds a pin (kind, range, payer, object, sometimes malformed), releases
 * one, or asks overlaps/find/next_overlap/next_held, next to a flat model of up to PINSET_MAX
 * records. Every result must equal the model's: an add is refused with KERR_INVALID_ARG for an
 * empty or misaligned range or an object that does not match the kind, with KERR_NO_SLOTS when
 * every record is held, and otherwise lands in a record the model has free; a release hands back
 * exactly the record the model holds. After every operation pinset_check() holds and the held
 * count equals the model's.
 *
 * @proves fuzz_pinset: pin:PIN_FREE->PIN_HELD pin:PIN_HELD->PIN_FREE
 */
#include <stdint.h>
#include <string.h>

#include <lib/pinset.h>

#include "fuzz_support.h"

struct model_pin {
	bool held;
	enum pin_kind kind;
	uint64_t lo, hi;
	uintptr_t payer, obj;
};

static bool model_overlap(const struct model_pin *m, uint64_t lo, uint64_t hi)
{
	return m->held && m->kind == PIN_MAPPING && m->lo < hi && lo < m->hi;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pinset s;
	struct model_pin m[PINSET_MAX];
	unsigned held = 0;

	memset(&s, 0, sizeof(s));
	memset(m, 0, sizeof(m));
	for (size_t off = 0; off + 6 <= size; off += 6) {
		const uint8_t *b = data + off;
		enum pin_kind kind = (b[1] & 1) ? PIN_OBJECT : PIN_MAPPING;
		uint64_t lo = (uint64_t)(b[2] % 16) * 4096 + ((b[1] & 0x80) ? 8 : 0);
		uint64_t hi = lo - ((b[1] & 0x80) ? 8 : 0) + (uint64_t)(b[3] % 6) * 4096;
		uintptr_t obj = (b[1] & 1) ? (uintptr_t)(b[4] % 4) : (uintptr_t)((b[1] & 0x40) ? 1 : 0);
		uintptr_t payer = 0x100 + b[5];
		unsigned slot = b[4] % PINSET_MAX, got = PINSET_MAX;

		switch (b[0] % 6) {
		case 0: { /* add */
			bool bad = lo >= hi || (lo & 4095) || (hi & 4095) ||
				   (kind == PIN_OBJECT) != (obj != 0);
			kerr_t want = bad ? KERR_INVALID_ARG : held == PINSET_MAX ? KERR_NO_SLOTS : KERR_OK;
			kerr_t e = pinset_add(&s, kind, lo, hi, payer, obj, &got);
			REQUIRE(e == want);
			if (e == KERR_OK) {
				REQUIRE(got < PINSET_MAX && !m[got].held);
				m[got] = (struct model_pin){ true, kind, lo, hi, payer, obj };
				held++;
			}
			break;
		}
		case 1: /* release */
			if (!m[slot].held)
				break;
			{
				struct pin out;
				pinset_release(&s, slot, &out);
				REQUIRE(out.state == PIN_HELD && out.kind == m[slot].kind &&
					out.lo == m[slot].lo && out.hi == m[slot].hi &&
					out.payer == m[slot].payer && out.obj == m[slot].obj);
				memset(&m[slot], 0, sizeof(m[slot]));
				held--;
			}
			break;
		case 2: { /* overlaps */
			bool want = false;
			for (unsigned i = 0; i < PINSET_MAX; i++)
				want |= model_overlap(&m[i], lo, hi);
			REQUIRE(pinset_overlaps(&s, lo, hi) == want);
			break;
		}
		case 3: { /* find: the lowest held record of exactly (kind, obj, lo, hi) */
			unsigned want = PINSET_MAX;
			for (unsigned i = 0; i < PINSET_MAX && want == PINSET_MAX; i++)
				if (m[i].held && m[i].kind == kind && m[i].obj == obj && m[i].lo == lo &&
				    m[i].hi == hi)
					want = i;
			bool found = pinset_find(&s, kind, obj, lo, hi, &got);
			REQUIRE(found == (want < PINSET_MAX));
			REQUIRE(!found || got == want);
			break;
		}
		case 4: { /* next_overlap from slot */
			unsigned want = PINSET_MAX, i = slot;
			for (unsigned k = slot; k < PINSET_MAX && want == PINSET_MAX; k++)
				if (model_overlap(&m[k], lo, hi))
					want = k;
			bool found = pinset_next_overlap(&s, lo, hi, &i);
			REQUIRE(found == (want < PINSET_MAX));
			REQUIRE(!found || i == want);
			break;
		}
		default: { /* next_held from slot */
			unsigned want = PINSET_MAX, i = slot;
			for (unsigned k = slot; k < PINSET_MAX && want == PINSET_MAX; k++)
				if (m[k].held)
					want = k;
			bool found = pinset_next_held(&s, &i);
			REQUIRE(found == (want < PINSET_MAX));
			REQUIRE(!found || i == want);
			break;
		}
		}
		REQUIRE(pinset_check(&s) == 0);
		REQUIRE(s.held == held);
	}
	return 0;
}
