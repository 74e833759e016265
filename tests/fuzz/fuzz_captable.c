/*
 * fuzz_captable.c - libFuzzer differential harness for the capability table
 * (kernel/lib/captable.c, compiled unchanged).
 *
 * Two tables (a source of 8 slots and a destination of 4) run a sequence of 4-byte operations
 * (insert, drop, copy, lookup, decode, transfer, teardown) next to a naive model: an array of
 * slots and an explicit LIFO list of free slots. Handles are picked from the live handles, the
 * dropped ones, or forged from the input. Every return code and every returned handle must
 * equal the model's prediction, and after each operation captable_check() must hold and every
 * slot (state, generation, capability), the counters and the free-list order must match the
 * model. The first input byte ages some free slots to one generation below the last, so slot
 * retirement is reached.
 *
 * Every slot edge is taken and compared with the model (insert, drop/teardown, retirement):
 * @proves fuzz_captable: capslot:CAPSLOT_FREE->CAPSLOT_USED capslot:CAPSLOT_USED->CAPSLOT_FREE
 * @proves fuzz_captable: capslot:CAPSLOT_USED->CAPSLOT_RETIRED
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <lib/captable.h>

#include "fuzz_support.h"

#define NT 2
static const uint32_t caps_of[NT] = { 8, 4 };

struct mslot {
	enum capslot_state state;
	uint32_t gen;
	struct cap cap;
};

struct mtable {
	uint32_t cap;
	struct mslot s[8];
	uint32_t freelist[8]; /* freelist[0] is the head */
	uint32_t nfree;
};

static struct captable real[NT];
static struct cap_slot storage[NT][8];
static struct mtable model[NT];
static cap_handle_t issued[NT][64]; /* every handle ever issued, live or dead */
static unsigned nissued[NT];

static void remember(int t, cap_handle_t h)
{
	if (nissued[t] < 64)
		issued[t][nissued[t]++] = h;
}

static void model_init(struct mtable *m, uint32_t cap)
{
	memset(m, 0, sizeof(*m));
	m->cap = cap;
	for (uint32_t i = 0; i < cap; i++)
		m->freelist[i] = i;
	m->nfree = cap;
}

static kerr_t model_slot(const struct mtable *m, cap_handle_t h, uint32_t *idx)
{
	uint32_t i = CAP_HANDLE_SLOT(h), g = CAP_HANDLE_GEN(h);
	if (i >= m->cap || g == 0 || m->s[i].state != CAPSLOT_USED)
		return KERR_INVALID_HANDLE;
	if (m->s[i].gen != g)
		return KERR_STALE_HANDLE;
	*idx = i;
	return KERR_OK;
}

static cap_handle_t model_fill(struct mtable *m, struct cap c)
{
	uint32_t i = m->freelist[0];
	memmove(m->freelist, m->freelist + 1, (m->nfree - 1) * sizeof(uint32_t));
	m->nfree--;
	m->s[i].state = CAPSLOT_USED;
	m->s[i].gen++;
	m->s[i].cap = c;
	return CAP_HANDLE_MAKE(i, m->s[i].gen);
}

static void model_clear(struct mtable *m, uint32_t i)
{
	memset(&m->s[i].cap, 0, sizeof(m->s[i].cap));
	if (m->s[i].gen == CAPTABLE_GEN_MAX) {
		m->s[i].state = CAPSLOT_RETIRED;
		return;
	}
	m->s[i].state = CAPSLOT_FREE;
	memmove(m->freelist + 1, m->freelist, m->nfree * sizeof(uint32_t));
	m->freelist[0] = i;
	m->nfree++;
}

/* Real table == model, slot by slot, counters and free-list order. */
static void compare(int t)
{
	const struct captable *r = &real[t];
	const struct mtable *m = &model[t];
	uint32_t used = 0, retired = 0;
	REQUIRE(captable_check(r) == 0);
	for (uint32_t i = 0; i < m->cap; i++) {
		REQUIRE(r->slots[i].state == m->s[i].state);
		REQUIRE(r->slots[i].gen == m->s[i].gen);
		REQUIRE(memcmp(&r->slots[i].cap, &m->s[i].cap, sizeof(struct cap)) == 0);
		used += m->s[i].state == CAPSLOT_USED;
		retired += m->s[i].state == CAPSLOT_RETIRED;
	}
	REQUIRE(captable_used(r) == used && r->nretired == retired);
	REQUIRE(captable_free_slots(r) == m->nfree);
	uint32_t idx = r->free_head;
	for (uint32_t k = 0; k < m->nfree; k++, idx = r->slots[idx].next_free)
		REQUIRE(idx == m->freelist[k]);
	REQUIRE(idx == CAPTABLE_NIL);
}

/* A handle chosen by byte b: an issued one (live or dead) or a forged one. */
static cap_handle_t pick(int t, uint8_t b, uint8_t c)
{
	if (b & 0x80 || nissued[t] == 0)
		return CAP_HANDLE_MAKE(b & 0xf, (b & 0x40) ? CAPTABLE_GEN_MAX - (c & 3) : c & 7);
	return issued[t][b % nissued[t]];
}

static struct cap mkcap(uint8_t a, uint8_t b)
{
	struct cap c = { (enum cap_type)(1 + a % (CAP_TYPE_COUNT - 1)),
			 (uint32_t)(a >> 4 | b << 4) & CAP_RIGHTS_ALL, (uintptr_t)b + 1 };
	return c;
}

static void op_insert(int t, uint8_t a, uint8_t b)
{
	struct cap c = mkcap(a, b);
	cap_handle_t h = 0;
	kerr_t want = model[t].nfree ? KERR_OK : KERR_NO_SLOTS;
	REQUIRE(captable_insert(&real[t], &c, &h) == want);
	if (want == KERR_OK) {
		REQUIRE(h == model_fill(&model[t], c));
		remember(t, h);
	}
}

static void op_drop(int t, cap_handle_t h)
{
	uint32_t i = 0;
	struct cap d, expect;
	kerr_t want = model_slot(&model[t], h, &i);
	if (want == KERR_OK)
		expect = model[t].s[i].cap;
	REQUIRE(captable_drop(&real[t], h, &d) == want);
	if (want == KERR_OK) {
		REQUIRE(memcmp(&d, &expect, sizeof(d)) == 0);
		model_clear(&model[t], i);
	}
}

static void op_copy(int t, cap_handle_t h, uint64_t rights)
{
	uint32_t i;
	kerr_t want = model_slot(&model[t], h, &i);
	if (want == KERR_OK) {
		struct cap c = model[t].s[i].cap;
		want = !(c.rights & CAP_RIGHT_COPY)          ? KERR_NO_RIGHTS :
		       (rights & ~(uint64_t)CAP_RIGHTS_ALL) ? KERR_INVALID_ARG :
		       (c.rights & rights) != rights        ? KERR_NO_RIGHTS :
		       model[t].nfree == 0                  ? KERR_NO_SLOTS : KERR_OK;
	}
	cap_handle_t out = 0;
	REQUIRE(captable_copy(&real[t], h, rights, &out, NULL) == want);
	if (want == KERR_OK) {
		struct cap c = model[t].s[i].cap;
		c.rights = (uint32_t)rights;
		REQUIRE(out == model_fill(&model[t], c));
		remember(t, out);
	}
}

static void op_lookup(int t, cap_handle_t h, uint8_t a, uint8_t b)
{
	uint32_t i;
	enum cap_type type = (enum cap_type)(a % CAP_TYPE_COUNT);
	uint32_t rights = (uint32_t)b & CAP_RIGHTS_ALL;
	kerr_t want = model_slot(&model[t], h, &i);
	if (want == KERR_OK) {
		const struct cap *c = &model[t].s[i].cap;
		want = type != CAP_TYPE_NULL && c->type != type ? KERR_WRONG_TYPE :
		       (c->rights & rights) != rights          ? KERR_NO_RIGHTS : KERR_OK;
	}
	REQUIRE(captable_lookup(&real[t], h, type, rights, NULL) == want);
	/* decode: the method's own type and rights, after the method check */
	capos_method_t m = a & 1 ? (capos_method_t)b : CAP_METHOD_BASE(a % CAP_TYPE_COUNT) + (b & 7);
	enum cap_type mt;
	uint32_t mr;
	want = model_slot(&model[t], h, &i);
	if (want == KERR_OK) {
		const struct cap *c = &model[t].s[i].cap;
		want = !cap_method_lookup(m, &mt, &mr)           ? KERR_UNKNOWN_METHOD :
		       mt != CAP_TYPE_NULL && c->type != mt       ? KERR_WRONG_TYPE :
		       (c->rights & mr) != mr                     ? KERR_NO_RIGHTS : KERR_OK;
	}
	REQUIRE(captable_decode(&real[t], h, m, NULL) == want);
}

/* Model of one transfer item's decode; idx receives its source slot. */
static kerr_t model_xfer_item(const struct captable_xfer *it, size_t i, uint32_t *idx)
{
	kerr_t e = model_slot(&model[0], it[i].handle, idx);
	if (e != KERR_OK)
		return e;
	uint32_t have = model[0].s[*idx].cap.rights;
	if (!(have & CAP_RIGHT_TRANSFER))
		return KERR_NO_RIGHTS;
	if (it[i].rights & ~CAP_RIGHTS_ALL)
		return KERR_INVALID_ARG;
	if ((have & it[i].rights) != it[i].rights)
		return KERR_NO_RIGHTS;
	for (size_t j = 0; j < i; j++)
		if (CAP_HANDLE_SLOT(it[j].handle) == CAP_HANDLE_SLOT(it[i].handle))
			return KERR_INVALID_ARG;
	return KERR_OK;
}

static void op_transfer(const uint8_t *d, size_t n)
{
	struct captable_xfer it[4];
	uint32_t idx[4];
	cap_handle_t out[4];
	size_t cnt = n / 3 > 4 ? 4 : n / 3, bad = 99, want_bad = 99;
	kerr_t want = KERR_OK;
	for (size_t i = 0; i < cnt; i++) {
		it[i].handle = pick(0, d[3 * i], d[3 * i + 1]);
		it[i].rights = (uint32_t)d[3 * i + 2] << 4 | (d[3 * i + 1] & 0xf);
		it[i].rights &= (d[3 * i + 2] & 1) ? 0xffffffffu : CAP_RIGHTS_ALL;
		it[i].move = d[3 * i + 1] & 0x10;
	}
	for (size_t i = 0; i < cnt && want == KERR_OK; i++)
		if ((want = model_xfer_item(it, i, &idx[i])) != KERR_OK)
			want_bad = i;
	if (want == KERR_OK && cnt > model[1].nfree)
		want = KERR_NO_SLOTS;
	REQUIRE(captable_transfer(&real[0], &real[1], it, cnt, out, &bad) == want);
	REQUIRE(bad == want_bad);
	if (want != KERR_OK)
		return;
	for (size_t i = 0; i < cnt; i++) {
		struct cap c = model[0].s[idx[i]].cap;
		c.rights = it[i].rights;
		REQUIRE(out[i] == model_fill(&model[1], c));
		remember(1, out[i]);
		if (it[i].move)
			model_clear(&model[0], idx[i]);
	}
}

static void op_teardown(int t)
{
	uint32_t cur = 0;
	struct cap c;
	uint32_t i = 0;
	while (captable_take_next(&real[t], &cur, &c)) {
		while (model[t].s[i].state != CAPSLOT_USED)
			i++;
		REQUIRE(memcmp(&c, &model[t].s[i].cap, sizeof(c)) == 0);
		model_clear(&model[t], i);
		compare(t);
	}
	REQUIRE(captable_used(&real[t]) == 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	memset(issued, 0, sizeof(issued));
	memset(nissued, 0, sizeof(nissued));
	for (int t = 0; t < NT; t++) {
		REQUIRE(captable_init(&real[t], storage[t], caps_of[t]) == KERR_OK);
		model_init(&model[t], caps_of[t]);
	}
	if (size == 0)
		return 0;
	/* Byte 0: which free slots start one generation below the last (reaching retirement). */
	for (uint32_t i = 0; i < 8; i++)
		if (data[0] & (1u << i))
			storage[0][i].gen = model[0].s[i].gen = CAPTABLE_GEN_MAX - 1;
	for (size_t p = 1; p + 4 <= size; p += 4) {
		const uint8_t *d = data + p;
		int t = d[0] >> 7;
		switch (d[0] & 7) {
		case 0: case 1: op_insert(t, d[1], d[2]); break;
		case 2: op_drop(t, pick(t, d[1], d[2])); break;
		case 3: /* rights byte shifted into any byte of the 64-bit argument */
			op_copy(t, pick(t, d[1], d[2]), (uint64_t)d[3] << (8 * (d[0] >> 3 & 7)));
			break;
		case 4: op_lookup(t, pick(t, d[1], d[2]), d[3], d[2]); break;
		case 5: case 6: op_transfer(d + 1, p + 13 <= size ? 12 : 3); break;
		case 7: op_teardown(t); break;
		}
		compare(0);
		compare(1);
	}
	return 0;
}
