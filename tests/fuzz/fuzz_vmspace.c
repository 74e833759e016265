/*
 * fuzz_vmspace.c - libFuzzer differential harness for kernel/lib's address-space ownership
 * logic (vmspace + resmap + ledger), compiled from the unchanged kernel/lib sources.
 *
 * Each input is a header (ledger limits) and a sequence of 6-byte operations. Every operation
 * runs on the real struct vmspace and on a naive reference model, a flat array with one entry
 * per page of a small user range; return codes must be equal, and afterwards every page
 * (provenance, record bounds, state, protection, zero-fill flag, object offset) and every
 * ledger counter must agree after each success, and vmspace_check() must hold; a call that
 * fails on both sides must leave the real state's digest, ledger and allocations unchanged. Allocation failures are injected at
 * random allocation points: the real call must then fail with KERR_NO_MEMORY and change
 * nothing (digest and ledger compared), where the model expected success or a quota error.
 * Each input ends with vmspace_destroy(): every charge released, every allocation returned.
 */
/* @proves fuzz_vmspace: MAM-B2 MAM-B3 MAM-B4 MAM-B5 vres:VRES_FREE->VRES_RESERVED vres:VRES_RESERVED->VRES_FREE vres:VRES_FREE->VRES_MAPPED vres:VRES_MAPPED->VRES_FREE */
/* @proves fuzz_vmspace: vpage:VPAGE_RESERVED->VPAGE_COMMITTED vpage:VPAGE_COMMITTED->VPAGE_RESERVED vpage:VPAGE_COMMITTED->VPAGE_PROT_NONE vpage:VPAGE_PROT_NONE->VPAGE_COMMITTED vpage:VPAGE_PROT_NONE->VPAGE_RESERVED */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <lib/vmspace.h>

#include "fuzz_support.h"

#define NPG 64                 /* pages in the user range */
#define SPAN 80                /* page numbers the fuzzer addresses (some outside) */
#define LO ((uint64_t)8 << PAGE_SHIFT)
#define HI (LO + ((uint64_t)NPG << PAGE_SHIFT))
#define PG(p) ((uint64_t)(p) << PAGE_SHIFT)

/* ---- the reference model: one entry per page of [0, SPAN) ---- */

struct rpage {
	uint32_t rid;  /* record id, 0 = free; split pieces keep their id (a hole separates them) */
	uint8_t kind;  /* VRES_RESERVED or VRES_MAPPED */
	uint8_t max;
	uint8_t state; /* enum vpage_state */
	uint8_t prot;
	uint8_t zero;
	uint64_t oid, ogen, ooff;
};

struct model {
	struct rpage pg[SPAN];
	uint32_t next_rid;
	uint64_t used[LEDGER_KIND_COUNT];
	uint64_t limit[LEDGER_KIND_COUNT];
};

static bool in_range(uint64_t p)
{
	return p >= LO >> PAGE_SHIFT && p < HI >> PAGE_SHIFT;
}

static bool m_free(const struct model *m, uint64_t p)
{
	return p >= SPAN || m->pg[p].rid == 0;
}

/* Page-granular arguments: the harness only passes page-aligned values unless testing. */
static kerr_t m_range_valid(uint64_t addr, uint64_t len)
{
	if (len == 0 || (addr & PAGE_MASK) || (len & PAGE_MASK) || addr + len < addr)
		return KERR_INVALID_ARG;
	return KERR_OK;
}

static kerr_t m_place(const struct model *m, uint64_t addr, uint64_t size, unsigned flags,
		      uint64_t *out)
{
	uint64_t n = size >> PAGE_SHIFT, p0;

	if (size == 0 || (addr & PAGE_MASK) || (size & PAGE_MASK) || (flags & ~VM_FIXED))
		return KERR_INVALID_ARG;
	if (flags & VM_FIXED) {
		if (addr < LO || addr >= HI || size > HI - addr)
			return KERR_INVALID_ARG;
		for (uint64_t p = addr >> PAGE_SHIFT; p < (addr >> PAGE_SHIFT) + n; p++)
			if (!m_free(m, p))
				return KERR_CONFLICT;
		*out = addr;
		return KERR_OK;
	}
	p0 = (addr > LO ? addr : LO) >> PAGE_SHIFT;
	for (uint64_t p = p0; p + n <= HI >> PAGE_SHIFT; p++) {
		uint64_t q = 0;

		while (q < n && m_free(m, p + q))
			q++;
		if (q == n) {
			*out = PG(p);
			return KERR_OK;
		}
	}
	return KERR_CONFLICT;
}

static kerr_t m_charge(struct model *m, enum ledger_kind k, uint64_t n)
{
	if (n > m->limit[k] - m->used[k])
		return ledger_quota_error(k);
	m->used[k] += n;
	return KERR_OK;
}

static kerr_t m_create(struct model *m, uint64_t addr, uint64_t size, unsigned flags,
		       const struct rpage *proto, enum ledger_kind k)
{
	uint64_t at;
	kerr_t err = m_place(m, addr, size, flags, &at);

	if (err == KERR_OK)
		err = m_charge(m, k, size >> PAGE_SHIFT);
	if (err != KERR_OK)
		return err;
	m->next_rid++;
	for (uint64_t i = 0; i < size >> PAGE_SHIFT; i++) {
		struct rpage *pg = &m->pg[(at >> PAGE_SHIFT) + i];

		*pg = *proto;
		pg->rid = m->next_rid;
		pg->ooff = proto->ooff + PG(i);
	}
	return KERR_OK;
}

static kerr_t m_unmap(struct model *m, uint64_t addr, uint64_t len, bool object, uint64_t id,
		      uint64_t gen)
{
	uint64_t p0 = addr >> PAGE_SHIFT, n = len >> PAGE_SHIFT;
	kerr_t err = m_range_valid(addr, len);

	if (err != KERR_OK)
		return err;
	for (uint64_t p = p0; p < p0 + n; p++) {
		const struct rpage *pg = &m->pg[p < SPAN ? p : 0];

		if (m_free(m, p))
			return KERR_NOT_FOUND;
		if ((pg->kind == VRES_MAPPED) != object ||
		    (object && (pg->oid != id || pg->ogen != gen)))
			return object ? KERR_WRONG_OBJECT : KERR_CONFLICT;
	}
	for (uint64_t p = p0; p < p0 + n; p++) {
		struct rpage *pg = &m->pg[p];

		if (object) {
			m->used[LEDGER_MAPPING]--;
		} else {
			m->used[LEDGER_VIRTUAL]--;
			m->used[LEDGER_COMMIT] -= pg->state != VPAGE_RESERVED;
		}
		memset(pg, 0, sizeof(*pg));
	}
	return KERR_OK;
}

/* The one record holding [addr, addr + len) (same rid on every page), or KERR_NOT_FOUND. */
static kerr_t m_single(const struct model *m, uint64_t addr, uint64_t len)
{
	uint64_t p0 = addr >> PAGE_SHIFT, n = len >> PAGE_SHIFT;
	kerr_t err = m_range_valid(addr, len);

	if (err != KERR_OK)
		return err;
	for (uint64_t p = p0; p < p0 + n; p++)
		if (m_free(m, p) || m->pg[p].rid != m->pg[p0].rid)
			return KERR_NOT_FOUND;
	return KERR_OK;
}

static kerr_t m_commit(struct model *m, uint64_t addr, uint64_t len, unsigned prot)
{
	uint64_t p0 = addr >> PAGE_SHIFT, n = len >> PAGE_SHIFT, fresh = 0;
	kerr_t err;

	if (prot == 0 || (prot & ~VM_PROT_ALL))
		return KERR_INVALID_ARG;
	if ((err = m_single(m, addr, len)) != KERR_OK)
		return err;
	if (m->pg[p0].kind != VRES_RESERVED)
		return KERR_CONFLICT;
	if (prot & ~m->pg[p0].max)
		return KERR_NO_RIGHTS;
	for (uint64_t p = p0; p < p0 + n; p++)
		fresh += m->pg[p].state == VPAGE_RESERVED;
	if ((err = m_charge(m, LEDGER_COMMIT, fresh)) != KERR_OK)
		return err;
	for (uint64_t p = p0; p < p0 + n; p++) {
		if (m->pg[p].state != VPAGE_RESERVED)
			continue;
		m->pg[p].state = VPAGE_COMMITTED;
		m->pg[p].prot = (uint8_t)prot;
		m->pg[p].zero = 1;
	}
	return KERR_OK;
}

static kerr_t m_decommit(struct model *m, uint64_t addr, uint64_t len)
{
	uint64_t p0 = addr >> PAGE_SHIFT, n = len >> PAGE_SHIFT;
	kerr_t err;

	if ((err = m_single(m, addr, len)) != KERR_OK)
		return err;
	if (m->pg[p0].kind != VRES_RESERVED)
		return KERR_CONFLICT;
	for (uint64_t p = p0; p < p0 + n; p++) {
		if (m->pg[p].state == VPAGE_RESERVED)
			continue;
		m->used[LEDGER_COMMIT]--;
		m->pg[p].state = VPAGE_RESERVED;
		m->pg[p].prot = 0;
		m->pg[p].zero = 0;
	}
	return KERR_OK;
}

static kerr_t m_committed(const struct model *m, uint64_t addr, uint64_t len)
{
	kerr_t err = m_single(m, addr, len);

	for (uint64_t p = addr >> PAGE_SHIFT; err == KERR_OK && p < (addr + len) >> PAGE_SHIFT; p++)
		if (m->pg[p].state == VPAGE_RESERVED)
			err = KERR_NOT_FOUND;
	return err;
}

static kerr_t m_protect(struct model *m, uint64_t addr, uint64_t len, unsigned prot)
{
	kerr_t err;

	if (prot & ~VM_PROT_ALL)
		return KERR_INVALID_ARG;
	if ((err = m_committed(m, addr, len)) != KERR_OK)
		return err;
	if (prot & ~m->pg[addr >> PAGE_SHIFT].max)
		return KERR_NO_RIGHTS;
	for (uint64_t p = addr >> PAGE_SHIFT; p < (addr + len) >> PAGE_SHIFT; p++) {
		if (prot == VM_PROT_NONE) {
			m->pg[p].state = VPAGE_PROT_NONE; /* keeps prot for restore */
		} else {
			m->pg[p].state = VPAGE_COMMITTED;
			m->pg[p].prot = (uint8_t)prot;
		}
	}
	return KERR_OK;
}

static kerr_t m_restore(struct model *m, uint64_t addr, uint64_t len)
{
	kerr_t err = m_committed(m, addr, len);

	for (uint64_t p = addr >> PAGE_SHIFT; err == KERR_OK && p < (addr + len) >> PAGE_SHIFT; p++)
		m->pg[p].state = VPAGE_COMMITTED;
	return err;
}

static kerr_t m_filled(struct model *m, uint64_t addr)
{
	kerr_t err = m_single(m, addr, PAGE_SIZE);
	struct rpage *pg;

	if (err != KERR_OK)
		return err;
	pg = &m->pg[addr >> PAGE_SHIFT];
	if (pg->kind != VRES_RESERVED)
		return KERR_CONFLICT;
	if (pg->state == VPAGE_RESERVED)
		return KERR_NOT_FOUND;
	if (!pg->zero)
		return KERR_INVALID_ARG;
	pg->zero = 0;
	return KERR_OK;
}

/* ---- the allocator hook with failure injection ---- */

struct fz_alloc {
	long calls, fail_at, live;
};

static void *fz_alloc(void *ctx, size_t size)
{
	struct fz_alloc *a = ctx;

	if (a->calls++ == a->fail_at)
		return NULL;
	a->live++;
	return malloc(size);
}

static void fz_free(void *ctx, void *p, size_t size)
{
	struct fz_alloc *a = ctx;

	(void)size;
	a->live--;
	free(p);
}

/* ---- comparison ---- */

static void compare(const struct vmspace *as, const struct ledger *l, const struct model *m)
{
	uint64_t run_b = 0, run_e = 0; /* extent of the model record holding page p */

	REQUIRE(vmspace_check(as));
	for (int k = 0; k < LEDGER_KIND_COUNT; k++)
		REQUIRE(l->used[k] == m->used[k]);
	for (uint64_t p = 0; p < SPAN; p++) {
		struct vm_info vi;
		const struct rpage *pg = &m->pg[p];
		kerr_t err = vmspace_lookup(as, PG(p), &vi);

		if (pg->rid == 0) {
			REQUIRE(err == KERR_NOT_FOUND);
			continue;
		}
		if (p >= run_e) { /* a new record starts here: same rid up to run_e */
			run_b = p;
			for (run_e = p + 1; run_e < SPAN && m->pg[run_e].rid == pg->rid; run_e++)
				;
		}
		REQUIRE(err == KERR_OK && in_range(p));
		REQUIRE(vi.base == PG(run_b) && vi.end == PG(run_e));
		REQUIRE(vi.kind == pg->kind && vi.max_prot == pg->max);
		REQUIRE(vi.state == pg->state && vi.prot == pg->prot && vi.zero_pending == pg->zero);
		if (pg->kind == VRES_MAPPED)
			REQUIRE(vi.obj.id == pg->oid && vi.obj.gen == pg->ogen && vi.obj.offset == pg->ooff);
	}
}

/* One operation from 6 input bytes on both sides. */
static void step(struct vmspace *as, struct ledger *l, struct model *m, struct fz_alloc *fa,
		 const uint8_t *b)
{
	uint64_t addr = PG(b[1] % SPAN), len = PG(b[2] % 12), at;
	unsigned prot = b[3] & 7, max = (b[3] >> 3) & 7;
	unsigned flags = (b[3] >> 6) & 1 ? VM_FIXED : 0;
	struct vm_objref o = { b[4] & 3, (b[4] >> 2) & 1, PG(b[5] % 8), 1, 0 };
	struct model m2 = *m;
	struct rpage proto;
	uint64_t before = vmspace_digest(as);
	struct ledger lbefore = *l;
	long live_before = fa->live;
	kerr_t want, got;

	if (b[3] & 0x80) { /* rarely: a misaligned argument or an unknown flag */
		addr += b[5] & 1 ? 1 : 0;
		len += b[5] & 2 ? 2 : 0;
		flags |= b[5] & 4 ? 1 : 0;
	}
	fa->fail_at = (b[0] & 0x80) ? fa->calls + ((b[0] >> 5) & 1) : -1;
	switch (b[0] % 9) {
	case 0:
		memset(&proto, 0, sizeof(proto));
		proto.kind = VRES_RESERVED;
		proto.max = (uint8_t)max;
		want = (max & ~VM_PROT_ALL) ? KERR_INVALID_ARG
					    : m_create(&m2, addr, len, flags, &proto, LEDGER_VIRTUAL);
		got = vmspace_reserve(as, addr, len, flags, max, &at);
		break;
	case 1:
		memset(&proto, 0, sizeof(proto));
		proto.kind = VRES_MAPPED;
		proto.max = (uint8_t)max;
		proto.state = VPAGE_COMMITTED;
		proto.prot = (uint8_t)prot;
		proto.oid = o.id, proto.ogen = o.gen, proto.ooff = o.offset;
		want = (prot == 0 || (prot & ~max)) ? KERR_INVALID_ARG
			: m_create(&m2, addr, len, flags, &proto, LEDGER_MAPPING);
		got = vmspace_map_object(as, addr, len, flags, &o, prot, max, &at);
		break;
	case 2:
		want = m_unmap(&m2, addr, len, false, 0, 0);
		got = vmspace_unmap(as, addr, len);
		break;
	case 3:
		want = m_unmap(&m2, addr, len, true, o.id, o.gen);
		got = vmspace_unmap_object(as, addr, len, o.id, o.gen);
		break;
	case 4:
		want = m_commit(&m2, addr, len, prot);
		got = vmspace_commit(as, addr, len, prot);
		break;
	case 5:
		want = m_decommit(&m2, addr, len);
		got = vmspace_decommit(as, addr, len);
		break;
	case 6:
		want = m_protect(&m2, addr, len, prot);
		got = vmspace_protect(as, addr, len, prot);
		break;
	case 7:
		want = m_restore(&m2, addr, len);
		got = vmspace_restore(as, addr, len);
		break;
	default:
		want = m_filled(&m2, addr);
		got = vmspace_filled(as, addr);
		break;
	}
	fa->fail_at = -1;
	if (got == KERR_NO_MEMORY) {
		/* Only an injected failure, only where the model got as far as allocating, and
		 * the failed call changed nothing. */
		REQUIRE(b[0] & 0x80);
		REQUIRE(want == KERR_OK || (want >= KERR_QUOTA_VIRTUAL && want <= KERR_QUOTA_PAGETABLE));
		REQUIRE(vmspace_digest(as) == before && !memcmp(l, &lbefore, sizeof(*l)));
		REQUIRE(fa->live == live_before);
	} else {
		if (got != want) {
			fprintf(stderr, "op %u: real %s, model %s\n", b[0] % 9, kerr_name(got),
				kerr_name(want));
			abort();
		}
		if (got != KERR_OK) {
			/* Failed on both sides: neither may have changed. */
			REQUIRE(vmspace_digest(as) == before && !memcmp(l, &lbefore, sizeof(*l)));
			REQUIRE(fa->live == live_before);
			return;
		}
		*m = m2;
		compare(as, l, m);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct model m;
	struct fz_alloc fa = { 0, -1, 0 };
	struct lib_alloc hook = { fz_alloc, fz_free, &fa };
	uint64_t lim[LEDGER_KIND_COUNT] = { 64, 64, 0, 64, 0, 0 };
	struct ledger l;
	struct vmspace as;

	if (size < 3)
		return 0;
	lim[LEDGER_VIRTUAL] = data[0] % 80;
	lim[LEDGER_COMMIT] = data[1] % 80;
	lim[LEDGER_MAPPING] = data[2] % 80;
	ledger_init(&l, lim);
	memset(&m, 0, sizeof(m));
	memcpy(m.limit, lim, sizeof(lim));
	REQUIRE(vmspace_init(&as, LO, HI, &l, &hook) == KERR_OK);
	for (size_t i = 3; i + 6 <= size; i += 6)
		step(&as, &l, &m, &fa, data + i);
	vmspace_destroy(&as);
	for (int k = 0; k < LEDGER_KIND_COUNT; k++)
		REQUIRE(l.used[k] == 0);
	REQUIRE(fa.live == 0);
	return 0;
}
