/*
 * test_vmspace.c - host tests of one address space's ownership bookkeeping
 * (kernel/lib/vmspace*.c): every Slice B case of the memory authority backlog. vmspace_check()
 * runs after every mutation (the CHECK macro); failed calls are proven to change nothing by
 * comparing a snapshot (state digest, ledger, live allocations) before and after; every
 * allocation point is failed once.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include <lib/vmspace.h>

#include "lib_test_alloc.h"

#define PG(n) ((uint64_t)(n) * PAGE_SIZE)
#define LO PG(16)
#define HI PG(16 + 1024)
#define RW (VM_PROT_READ | VM_PROT_WRITE)
#define R VM_PROT_READ

struct fx {
	struct vmspace as;
	struct ledger led;
	struct test_alloc ta;
	struct lib_alloc hook;
};

struct snap {
	uint64_t digest;
	struct ledger led;
	long live;
};

static struct fx F;

#define CHECK() assert_true(vmspace_check(&F.as))

static void fx_init_limits(uint64_t virt, uint64_t commit, uint64_t mapping)
{
	uint64_t lim[LEDGER_KIND_COUNT] = { virt, commit, 1000, mapping, 1000, 1000 };

	ledger_init(&F.led, lim);
	F.hook = test_alloc_hook(&F.ta);
	assert_int_equal(vmspace_init(&F.as, LO, HI, &F.led, &F.hook), KERR_OK);
	CHECK();
}

static int setup(void **state)
{
	(void)state;
	fx_init_limits(1000, 1000, 1000);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	vmspace_destroy(&F.as);
	CHECK();
	/* Process exit: every charge released exactly once, every allocation returned. */
	for (int k = 0; k < LEDGER_KIND_COUNT; k++)
		assert_int_equal(F.led.used[k], 0);
	assert_int_equal(F.ta.live, 0);
	return 0;
}

static struct snap snap_take(void)
{
	return (struct snap){ vmspace_digest(&F.as), F.led, F.ta.live };
}

static void snap_same(const struct snap *s)
{
	struct snap now = snap_take();

	assert_int_equal(now.digest, s->digest);
	assert_memory_equal(&now.led, &s->led, sizeof(now.led));
	assert_int_equal(now.live, s->live);
	CHECK();
}

/* Expect err and no observable change. */
#define FAILS(err, call)                                  \
	do {                                              \
		struct snap s_ = snap_take();             \
		assert_int_equal((call), (err));          \
		snap_same(&s_);                           \
	} while (0)

static uint64_t reserve_at(uint64_t page, uint64_t npages, unsigned max)
{
	uint64_t at = 0;

	assert_int_equal(vmspace_reserve(&F.as, LO + PG(page), PG(npages), VM_FIXED, max, &at),
			 KERR_OK);
	CHECK();
	return at;
}

static struct vm_info info(uint64_t page)
{
	struct vm_info i;

	assert_int_equal(vmspace_lookup(&F.as, LO + PG(page), &i), KERR_OK);
	return i;
}

static void ok(kerr_t err)
{
	assert_int_equal(err, KERR_OK);
	CHECK();
}

/* @proves host_vmspace: MAM-B1 MAM-B2 vres:VRES_FREE->VRES_RESERVED */
static void test_vmspace_reserve_fixed_noreplace_rejects_overlap(void **state)
{
	uint64_t at;
	struct vm_objref o = { 9, 1, 0, 1, 0 };

	(void)state;
	reserve_at(10, 10, RW);
	ok(vmspace_map_object(&F.as, LO + PG(30), PG(4), VM_FIXED, &o, R, R, &at));
	/* Any overlap, anywhere in the range, with either provenance, is rejected. */
	FAILS(KERR_CONFLICT, vmspace_reserve(&F.as, LO + PG(5), PG(6), VM_FIXED, RW, &at));
	FAILS(KERR_CONFLICT, vmspace_reserve(&F.as, LO + PG(19), PG(2), VM_FIXED, RW, &at));
	FAILS(KERR_CONFLICT, vmspace_reserve(&F.as, LO + PG(12), PG(1), VM_FIXED, RW, &at));
	FAILS(KERR_CONFLICT, vmspace_reserve(&F.as, LO + PG(0), PG(40), VM_FIXED, RW, &at));
	FAILS(KERR_CONFLICT, vmspace_reserve(&F.as, LO + PG(33), PG(1), VM_FIXED, RW, &at));
	FAILS(KERR_CONFLICT, vmspace_map_object(&F.as, LO + PG(15), PG(1), VM_FIXED, &o, R, R, &at));
	FAILS(KERR_INVALID_ARG, vmspace_reserve(&F.as, HI, PG(1), VM_FIXED, RW, &at));
	FAILS(KERR_INVALID_ARG, vmspace_reserve(&F.as, LO + 1, PG(1), VM_FIXED, RW, &at));
	FAILS(KERR_INVALID_ARG, vmspace_reserve(&F.as, LO, 0, VM_FIXED, RW, &at));
	FAILS(KERR_INVALID_ARG, vmspace_reserve(&F.as, LO, PG(1), VM_FIXED | 1, RW, &at));
	FAILS(KERR_INVALID_ARG, vmspace_reserve(&F.as, LO, PG(1), VM_FIXED, 8, &at));
	/* Adjacent on both sides is not an overlap. */
	reserve_at(9, 1, RW);
	reserve_at(20, 1, RW);
	assert_int_equal(F.led.used[LEDGER_VIRTUAL], 12);
	assert_int_equal(F.led.used[LEDGER_MAPPING], 4);
}

static void test_vmspace_reserve_hint_first_fit_at_or_after(void **state)
{
	uint64_t at;

	(void)state;
	reserve_at(0, 4, RW);
	reserve_at(6, 4, RW);
	ok(vmspace_reserve(&F.as, 0, PG(2), 0, RW, &at)); /* hint below lo: from lo */
	assert_int_equal(at, LO + PG(4));
	ok(vmspace_reserve(&F.as, LO + PG(1), PG(1), 0, RW, &at));
	assert_int_equal(at, LO + PG(10));
	ok(vmspace_reserve(&F.as, LO + PG(100), PG(3), 0, RW, &at)); /* free at the hint */
	assert_int_equal(at, LO + PG(100));
	FAILS(KERR_CONFLICT, vmspace_reserve(&F.as, LO + PG(1000), PG(30), 0, RW, &at));
	FAILS(KERR_CONFLICT, vmspace_reserve(&F.as, HI, PG(1), 0, RW, &at));
}

/* Commit [page, page + n) with prot. */
static void commit(uint64_t page, uint64_t n, unsigned prot)
{
	ok(vmspace_commit(&F.as, LO + PG(page), PG(n), prot));
}

/* @proves host_vmspace: MAM-B2 vres:VRES_RESERVED->VRES_FREE */
static void test_vmspace_unmap_middle_split_keeps_both_sides(void **state)
{
	(void)state;
	reserve_at(0, 10, RW);
	commit(1, 2, R);  /* pages 1, 2: R */
	commit(4, 2, RW); /* pages 4, 5: RW, in the hole */
	commit(8, 1, RW); /* page 8: RW */
	ok(vmspace_unmap(&F.as, LO + PG(3), PG(4)));
	assert_int_equal(F.as.map.count, 2);
	assert_int_equal(info(0).end, LO + PG(3));
	assert_int_equal(info(7).base, LO + PG(7));
	assert_int_equal(info(9).end, LO + PG(10));
	assert_int_equal(vmspace_lookup(&F.as, LO + PG(5), &(struct vm_info){ 0 }), KERR_NOT_FOUND);
	assert_int_equal(info(2).prot, R);
	assert_int_equal(info(8).state, VPAGE_COMMITTED);
	assert_int_equal(info(8).prot, RW);
	assert_int_equal(info(7).state, VPAGE_RESERVED);
	assert_int_equal(info(9).max_prot, RW);
	assert_int_equal(F.led.used[LEDGER_VIRTUAL], 6);
	assert_int_equal(F.led.used[LEDGER_COMMIT], 3); /* pages 4 and 5 released with the hole */
}

static void test_vmspace_unmap_tail_and_head_split(void **state)
{
	(void)state;
	reserve_at(0, 10, RW);
	commit(0, 10, RW);
	ok(vmspace_unmap(&F.as, LO + PG(7), PG(3))); /* tail */
	assert_int_equal(info(0).end, LO + PG(7));
	ok(vmspace_unmap(&F.as, LO + PG(0), PG(2))); /* head */
	assert_int_equal(info(2).base, LO + PG(2));
	assert_int_equal(info(2).state, VPAGE_COMMITTED);
	assert_int_equal(F.led.used[LEDGER_VIRTUAL], 5);
	assert_int_equal(F.led.used[LEDGER_COMMIT], 5);
	FAILS(KERR_NOT_FOUND, vmspace_unmap(&F.as, LO + PG(0), PG(3))); /* head already gone */
}

static void test_vmspace_unmap_adjacent_split_each_keeps_its_own(void **state)
{
	(void)state;
	reserve_at(0, 10, RW);
	reserve_at(10, 10, R);
	commit(9, 1, RW);
	commit(10, 1, R);
	commit(11, 1, R);
	/* A range across the boundary trims the tail of one and the head of the other. */
	ok(vmspace_unmap(&F.as, LO + PG(8), PG(3)));
	assert_int_equal(F.as.map.count, 2);
	assert_int_equal(info(0).end, LO + PG(8));
	assert_int_equal(info(11).base, LO + PG(11));
	assert_int_equal(info(11).max_prot, R);
	assert_int_equal(info(11).state, VPAGE_COMMITTED);
	assert_int_equal(F.led.used[LEDGER_COMMIT], 1);
	/* A range over a hole is refused whole: nothing is released. */
	FAILS(KERR_NOT_FOUND, vmspace_unmap(&F.as, LO + PG(6), PG(6)));
	FAILS(KERR_NOT_FOUND, vmspace_unmap(&F.as, LO + PG(30), PG(1)));
}

static void test_vmspace_unmap_full_range_release(void **state)
{
	uint64_t at;

	(void)state;
	reserve_at(0, 4, RW);
	reserve_at(4, 4, RW);
	reserve_at(8, 4, RW);
	commit(0, 4, RW);
	commit(5, 2, R);
	ok(vmspace_unmap(&F.as, LO, PG(12)));
	assert_int_equal(F.as.map.count, 0);
	assert_int_equal(F.led.used[LEDGER_VIRTUAL], 0);
	assert_int_equal(F.led.used[LEDGER_COMMIT], 0);
	assert_int_equal(F.ta.live, 0);
	ok(vmspace_reserve(&F.as, LO, PG(12), VM_FIXED, RW, &at)); /* the range is free again */
}

/* @proves host_vmspace: MAM-B3 vpage:VPAGE_RESERVED->VPAGE_COMMITTED vpage:VPAGE_COMMITTED->VPAGE_RESERVED */
static void test_vmspace_decommit_partial_bookkeeping(void **state)
{
	(void)state;
	reserve_at(0, 8, RW);
	commit(0, 8, RW);
	assert_int_equal(F.led.used[LEDGER_COMMIT], 8);
	commit(2, 2, R); /* already committed: unchanged, not charged again */
	assert_int_equal(info(2).prot, RW);
	assert_int_equal(F.led.used[LEDGER_COMMIT], 8);
	ok(vmspace_decommit(&F.as, LO + PG(3), PG(3)));
	assert_int_equal(F.as.commit_pages, 5);
	assert_int_equal(F.led.used[LEDGER_COMMIT], 5);
	for (int p = 0; p < 8; p++) {
		struct vm_info i = info((uint64_t)p);
		bool gone = p >= 3 && p < 6;

		assert_int_equal(i.state, gone ? VPAGE_RESERVED : VPAGE_COMMITTED);
		assert_int_equal(i.prot, gone ? 0 : RW);
	}
	ok(vmspace_decommit(&F.as, LO + PG(2), PG(3))); /* mixed: only page 2 is committed */
	assert_int_equal(F.led.used[LEDGER_COMMIT], 4);
	ok(vmspace_decommit(&F.as, LO + PG(3), PG(3))); /* nothing committed: no-op */
	assert_int_equal(F.led.used[LEDGER_COMMIT], 4);
	FAILS(KERR_NOT_FOUND, vmspace_decommit(&F.as, LO + PG(6), PG(3))); /* past the end */
	FAILS(KERR_INVALID_ARG, vmspace_decommit(&F.as, LO + PG(6), 0));
}

/* @proves host_vmspace: MAM-B3 vpage:VPAGE_COMMITTED->VPAGE_PROT_NONE vpage:VPAGE_PROT_NONE->VPAGE_COMMITTED vpage:VPAGE_PROT_NONE->VPAGE_RESERVED */
static void test_vmspace_protect_none_restore_previous(void **state)
{
	(void)state;
	reserve_at(0, 6, RW);
	commit(0, 6, RW);
	ok(vmspace_protect(&F.as, LO + PG(0), PG(2), R));
	ok(vmspace_protect(&F.as, LO, PG(6), VM_PROT_NONE));
	for (int p = 0; p < 6; p++) {
		assert_int_equal(info((uint64_t)p).state, VPAGE_PROT_NONE);
		assert_int_equal(info((uint64_t)p).prot, p < 2 ? R : RW); /* kept for restore */
	}
	ok(vmspace_protect(&F.as, LO, PG(6), VM_PROT_NONE)); /* again: still restorable */
	ok(vmspace_restore(&F.as, LO + PG(1), PG(4)));
	assert_int_equal(info(0).state, VPAGE_PROT_NONE);
	assert_int_equal(info(1).state, VPAGE_COMMITTED);
	assert_int_equal(info(1).prot, R);
	assert_int_equal(info(4).prot, RW);
	assert_int_equal(info(5).state, VPAGE_PROT_NONE);
	/* Rights captured at creation bound every protect; beyond them: refused, no change. */
	FAILS(KERR_NO_RIGHTS, vmspace_protect(&F.as, LO, PG(1), VM_PROT_EXEC | R));
	FAILS(KERR_NO_RIGHTS, vmspace_commit(&F.as, LO, PG(1), VM_PROT_EXEC));
	FAILS(KERR_INVALID_ARG, vmspace_protect(&F.as, LO, PG(1), 8));
	/* Protect and restore need committed pages. */
	ok(vmspace_decommit(&F.as, LO + PG(5), PG(1))); /* PROT_NONE -> RESERVED */
	assert_int_equal(info(5).prot, 0);
	FAILS(KERR_NOT_FOUND, vmspace_protect(&F.as, LO + PG(4), PG(2), R));
	FAILS(KERR_NOT_FOUND, vmspace_restore(&F.as, LO + PG(4), PG(2)));
	assert_int_equal(F.led.used[LEDGER_COMMIT], 5);
}

/* @proves host_vmspace: MAM-B3 */
static void test_vmspace_recommit_reads_zeros(void **state)
{
	(void)state;
	reserve_at(0, 2, RW);
	commit(0, 2, RW);
	assert_true(info(0).zero_pending);
	ok(vmspace_filled(&F.as, LO));
	assert_false(info(0).zero_pending);
	FAILS(KERR_INVALID_ARG, vmspace_filled(&F.as, LO)); /* filled twice: a kernel mistake */
	ok(vmspace_protect(&F.as, LO, PG(1), VM_PROT_NONE));
	ok(vmspace_restore(&F.as, LO, PG(1)));
	assert_false(info(0).zero_pending); /* protection changes keep the contents */
	ok(vmspace_decommit(&F.as, LO, PG(1)));
	assert_false(info(0).zero_pending);
	FAILS(KERR_NOT_FOUND, vmspace_filled(&F.as, LO)); /* reserved page */
	commit(0, 1, R);
	assert_true(info(0).zero_pending); /* a recommitted page must read zeros */
	assert_true(info(1).zero_pending); /* never filled */
	FAILS(KERR_INVALID_ARG, vmspace_filled(&F.as, LO + 1));
	FAILS(KERR_NOT_FOUND, vmspace_filled(&F.as, LO + PG(2)));
}

/* @proves host_vmspace: MAM-B4 vres:VRES_FREE->VRES_MAPPED vres:VRES_MAPPED->VRES_FREE */
static void test_vmspace_object_unmap_rejects_other_object(void **state)
{
	uint64_t at;
	struct vm_objref o = { 7, 3, PG(100), 2, 0 };

	(void)state;
	reserve_at(0, 4, RW);
	ok(vmspace_map_object(&F.as, LO + PG(4), PG(6), VM_FIXED, &o, R, RW, &at));
	assert_int_equal(info(4).kind, VRES_MAPPED);
	assert_int_equal(info(6).obj.offset, PG(102));
	assert_int_equal(info(6).state, VPAGE_COMMITTED);
	assert_int_equal(info(0).kind, VRES_RESERVED);
	/* Object-specific unmap: another object, another generation, or anonymous memory. */
	FAILS(KERR_WRONG_OBJECT, vmspace_unmap_object(&F.as, LO + PG(4), PG(1), 8, 3));
	FAILS(KERR_WRONG_OBJECT, vmspace_unmap_object(&F.as, LO + PG(4), PG(1), 7, 2));
	FAILS(KERR_WRONG_OBJECT, vmspace_unmap_object(&F.as, LO + PG(2), PG(4), 7, 3));
	FAILS(KERR_NOT_FOUND, vmspace_unmap_object(&F.as, LO + PG(8), PG(4), 7, 3));
	/* Anonymous operations do not reach into the borrowed mapping. */
	FAILS(KERR_CONFLICT, vmspace_unmap(&F.as, LO + PG(2), PG(4)));
	FAILS(KERR_CONFLICT, vmspace_commit(&F.as, LO + PG(4), PG(1), R));
	FAILS(KERR_CONFLICT, vmspace_decommit(&F.as, LO + PG(4), PG(1)));
	FAILS(KERR_NOT_FOUND, vmspace_commit(&F.as, LO + PG(2), PG(4), R)); /* spans two */
	/* The mapping's rights bound protect; PROT_NONE restores. */
	ok(vmspace_protect(&F.as, LO + PG(5), PG(1), VM_PROT_NONE));
	FAILS(KERR_NO_RIGHTS, vmspace_protect(&F.as, LO + PG(5), PG(1), VM_PROT_EXEC));
	ok(vmspace_restore(&F.as, LO + PG(4), PG(6)));
	assert_int_equal(info(5).prot, R);
	/* Middle unmap of the right object splits it; offsets follow the pages. */
	ok(vmspace_unmap_object(&F.as, LO + PG(6), PG(2), 7, 3));
	assert_int_equal(info(8).obj.offset, PG(104));
	assert_int_equal(info(8).base, LO + PG(8));
	assert_int_equal(info(5).end, LO + PG(6));
	assert_int_equal(F.led.used[LEDGER_MAPPING], 4);
	ok(vmspace_unmap_object(&F.as, LO + PG(4), PG(2), 7, 3));
	ok(vmspace_unmap_object(&F.as, LO + PG(8), PG(2), 7, 3));
	assert_int_equal(F.led.used[LEDGER_MAPPING], 0);
	assert_int_equal(F.led.used[LEDGER_VIRTUAL], 4);
	FAILS(KERR_INVALID_ARG, vmspace_map_object(&F.as, LO + PG(4), PG(1), VM_FIXED, &o, 0, R, &at));
	FAILS(KERR_INVALID_ARG, vmspace_map_object(&F.as, LO + PG(4), PG(1), VM_FIXED, &o, RW, R, &at));
	o.offset = 5;
	FAILS(KERR_INVALID_ARG, vmspace_map_object(&F.as, LO + PG(4), PG(1), VM_FIXED, &o, R, R, &at));
}

/* A record is FREE when its memory is returned: the vres machine ends every record's life with
 * a transition to FREE (RESERVED or MAPPED -> FREE) before vm_drop frees it. Nothing else
 * observes that last transition (the record is gone right after), so the mutation run found
 * both vm_drop transitions removable with every test passing; the allocator hook sees each
 * record as it is freed. Page arrays here are 4 bytes, never a record's size. */
static int freed_records, freed_not_free;

static void free_checking_records(void *ctx, void *p, size_t size)
{
	if (size == sizeof(struct vmres)) {
		freed_records++;
		freed_not_free += ((const struct vmres *)p)->state != VRES_FREE;
	}
	F.hook.free(ctx, p, size);
}

static void test_vmspace_records_are_free_when_freed(void **state)
{
	uint64_t at;
	struct vm_objref o = { 7, 3, 0, 1, 0 };

	(void)state;
	assert_true(sizeof(struct vmres) > 4);
	freed_records = freed_not_free = 0;
	F.as.alloc.free = free_checking_records;
	reserve_at(0, 4, RW);
	commit(1, 1, R); /* a page array: the anonymous record diverges */
	ok(vmspace_map_object(&F.as, LO + PG(8), PG(2), VM_FIXED, &o, R, RW, &at));
	ok(vmspace_unmap(&F.as, LO, PG(4)));                      /* RESERVED -> FREE, freed */
	ok(vmspace_unmap_object(&F.as, LO + PG(8), PG(2), 7, 3)); /* MAPPED -> FREE, freed */
	F.as.alloc.free = F.hook.free;
	assert_int_equal(freed_records, 2);
	assert_int_equal(freed_not_free, 0);
}

/* The mapping identity record of object-backed pages: object id, generation, page offset and
 * mapping generation, kept by splits and distinct for a second mapping of the same object. */
/* @proves host_vmspace: MAM-C1 */
static void test_vmspace_map_identity_survives_split_distinct_per_mapping(void **state)
{
	uint64_t at;
	struct vm_objref o = { 41, 1, PG(10), 900, 0xabc };
	struct vm_objref o2 = { 41, 1, PG(10), 901, 0xabc };

	(void)state;
	ok(vmspace_map_object(&F.as, LO, PG(6), VM_FIXED, &o, R, RW, &at));
	ok(vmspace_map_object(&F.as, LO + PG(8), PG(2), VM_FIXED, &o2, R, RW, &at));
	ok(vmspace_unmap_object(&F.as, LO + PG(2), PG(2), 41, 1)); /* split in two */
	for (unsigned i = 0; i < 6; i++) {
		if (i == 2 || i == 3) {
			assert_int_equal(vmspace_lookup(&F.as, LO + PG(i), &(struct vm_info){ 0 }),
					 KERR_NOT_FOUND);
			continue;
		}
		struct vm_info vi = info(i);
		assert_int_equal(vi.obj.id, 41);
		assert_int_equal(vi.obj.gen, 1);
		assert_int_equal(vi.obj.offset, PG(10 + i));
		assert_int_equal(vi.obj.mapgen, 900); /* both halves keep the mapping's generation */
		assert_int_equal(vi.obj.owner, 0xabc);
	}
	/* The same object and offset mapped again is the same backing, another mapping. */
	assert_int_equal(info(8).obj.offset, PG(10));
	assert_int_equal(info(8).obj.mapgen, 901);
	/* Anonymous pages carry no object identity. */
	reserve_at(12, 1, RW);
	assert_int_equal(info(12).obj.id, 0);
	assert_int_equal(info(12).obj.mapgen, 0);
	ok(vmspace_unmap_object(&F.as, LO, PG(2), 41, 1));
	ok(vmspace_unmap_object(&F.as, LO + PG(4), PG(2), 41, 1));
	ok(vmspace_unmap_object(&F.as, LO + PG(8), PG(2), 41, 1));
	assert_int_equal(F.led.used[LEDGER_MAPPING], 0);
}

/* @proves host_vmspace: MAM-B5 */
static void test_vmspace_quota_errors_change_nothing(void **state)
{
	uint64_t at;
	struct vm_objref o = { 1, 1, 0, 3, 0 };

	(void)state;
	vmspace_destroy(&F.as);
	CHECK();
	fx_init_limits(10, 4, 3);
	reserve_at(0, 8, RW);
	/* A refused commit on a record without a page array leaves no array behind. */
	FAILS(KERR_QUOTA_COMMIT, vmspace_commit(&F.as, LO, PG(5), RW));
	FAILS(KERR_QUOTA_VIRTUAL, vmspace_reserve(&F.as, LO + PG(20), PG(3), VM_FIXED, RW, &at));
	commit(0, 3, RW);
	FAILS(KERR_QUOTA_COMMIT, vmspace_commit(&F.as, LO + PG(2), PG(3), RW)); /* 2 new > 1 left */
	commit(2, 2, RW);                                                        /* 1 new fits */
	FAILS(KERR_QUOTA_MAPPING, vmspace_map_object(&F.as, LO + PG(20), PG(4), 0, &o, R, R, &at));
	ok(vmspace_map_object(&F.as, LO + PG(20), PG(3), 0, &o, R, R, &at));
	/* A release frees quota for the next charge, exactly once. */
	ok(vmspace_decommit(&F.as, LO, PG(8)));
	commit(4, 4, RW);
	assert_int_equal(F.led.used[LEDGER_COMMIT], 4);
}

/* Run op with the k-th allocation from now failing, for k = 0, 1, ... until it succeeds.
 * Every failure must be KERR_NO_MEMORY with no change; returns the number of failures. */
static int fail_each_allocation(kerr_t (*op)(void))
{
	int failures = 0;

	for (long k = 0;; k++) {
		struct snap s = snap_take();
		kerr_t err;

		F.ta.fail_at = F.ta.calls + k;
		err = op();
		F.ta.fail_at = -1;
		if (err == KERR_OK) {
			CHECK();
			return failures;
		}
		assert_int_equal(err, KERR_NO_MEMORY);
		snap_same(&s);
		failures++;
	}
}

static kerr_t op_reserve(void)
{
	uint64_t at;

	return vmspace_reserve(&F.as, LO + PG(40), PG(8), VM_FIXED, RW, &at);
}

static kerr_t op_map(void)
{
	uint64_t at;
	struct vm_objref o = { 5, 1, 0, 4, 0 };

	return vmspace_map_object(&F.as, LO + PG(60), PG(8), VM_FIXED, &o, R, RW, &at);
}

static kerr_t op_commit(void)
{
	return vmspace_commit(&F.as, LO + PG(41), PG(4), RW);
}

static kerr_t op_protect_object(void)
{
	return vmspace_protect(&F.as, LO + PG(61), PG(2), VM_PROT_NONE);
}

static kerr_t op_unmap_middle_with_pages(void)
{
	return vmspace_unmap(&F.as, LO + PG(42), PG(2));
}

static kerr_t op_unmap_object_middle_with_pages(void)
{
	return vmspace_unmap_object(&F.as, LO + PG(62), PG(1), 5, 1);
}

static kerr_t op_unmap_middle_no_pages(void)
{
	return vmspace_unmap(&F.as, LO + PG(81), PG(1));
}

/* @proves host_vmspace: MAM-B2 MAM-B5 */
static void test_vmspace_alloc_failure_every_point_changes_nothing(void **state)
{
	(void)state;
	assert_int_equal(fail_each_allocation(op_reserve), 1);  /* record */
	assert_int_equal(fail_each_allocation(op_map), 1);      /* record */
	assert_int_equal(fail_each_allocation(op_commit), 1);   /* page array */
	assert_int_equal(fail_each_allocation(op_protect_object), 1); /* page array */
	assert_int_equal(fail_each_allocation(op_unmap_middle_with_pages), 2); /* record, pages */
	assert_int_equal(fail_each_allocation(op_unmap_object_middle_with_pages), 2);
	reserve_at(80, 3, RW);
	assert_int_equal(fail_each_allocation(op_unmap_middle_no_pages), 1); /* record */
	/* Operations without an allocation point never fail with KERR_NO_MEMORY. */
	F.ta.fail_at = F.ta.calls;
	ok(vmspace_decommit(&F.as, LO + PG(41), PG(1)));
	ok(vmspace_restore(&F.as, LO + PG(60), PG(2)));
	ok(vmspace_unmap(&F.as, LO + PG(80), PG(1))); /* head trim */
	F.ta.fail_at = -1;
}

/* @proves host_vmspace: MAM-B5 */
static void test_vmspace_exit_releases_each_charge_once(void **state)
{
	struct ledger parent, *saved = F.as.ledger;
	uint64_t plim[LEDGER_KIND_COUNT] = { 100, 100, 100, 100, 100, 100 };
	uint64_t clim[LEDGER_KIND_COUNT] = { 50, 5, 10, 10, 10, 0 };
	struct vm_objref o = { 2, 1, 0, 5, 0 };
	uint64_t at;

	(void)state;
	/* A child process whose ledger was carved from its parent's (spawn). */
	vmspace_destroy(&F.as);
	CHECK();
	ledger_init(&parent, plim);
	assert_int_equal(ledger_donate(&parent, &F.led, clim), KERR_OK);
	assert_true(ledger_check(&F.led));
	assert_int_equal(parent.used[LEDGER_VIRTUAL], 50);
	assert_int_equal(vmspace_init(&F.as, LO, HI, saved, &F.hook), KERR_OK);
	reserve_at(0, 10, RW);
	commit(0, 5, RW);
	ok(vmspace_map_object(&F.as, 0, PG(5), 0, &o, R, R, &at));
	ok(vmspace_unmap(&F.as, LO + PG(2), PG(2)));     /* success path releases */
	FAILS(KERR_QUOTA_COMMIT, vmspace_commit(&F.as, LO + PG(4), PG(6), RW)); /* error path */
	/* Exit: vmspace_destroy releases every remaining charge exactly once... */
	vmspace_destroy(&F.as);
	CHECK();
	for (int k = 0; k < LEDGER_KIND_COUNT; k++)
		assert_int_equal(F.led.used[k], 0);
	/* ...so the child's limits go back to the parent intact. */
	ledger_reclaim(&F.led);
	for (int k = 0; k < LEDGER_KIND_COUNT; k++)
		assert_int_equal(parent.used[k], 0);
	ledger_init(&F.led, plim);
	assert_int_equal(vmspace_init(&F.as, LO, HI, &F.led, &F.hook), KERR_OK);
}

static uint64_t rnd(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

/* One random operation; any outcome is allowed, but a failure must change nothing. */
static void random_op(uint64_t *s)
{
	uint64_t page = rnd(s) % 64, n = 1 + rnd(s) % 8, at;
	unsigned prot = (unsigned)(rnd(s) % 8);
	struct vm_objref o = { rnd(s) % 3, 1, PG(rnd(s) % 4), 1, 0 };
	struct snap before = snap_take();
	kerr_t err;

	F.ta.fail_at = rnd(s) % 8 == 0 ? F.ta.calls : -1;
	switch (rnd(s) % 9) {
	case 0: err = vmspace_reserve(&F.as, LO + PG(page), PG(n), rnd(s) % 2 ? VM_FIXED : 0, prot, &at); break;
	case 1: err = vmspace_map_object(&F.as, LO + PG(page), PG(n), rnd(s) % 2 ? VM_FIXED : 0, &o, prot, prot | R, &at); break;
	case 2: err = vmspace_unmap(&F.as, LO + PG(page), PG(n)); break;
	case 3: err = vmspace_unmap_object(&F.as, LO + PG(page), PG(n), o.id, 1); break;
	case 4: err = vmspace_commit(&F.as, LO + PG(page), PG(n), prot); break;
	case 5: err = vmspace_decommit(&F.as, LO + PG(page), PG(n)); break;
	case 6: err = vmspace_protect(&F.as, LO + PG(page), PG(n), prot); break;
	case 7: err = vmspace_restore(&F.as, LO + PG(page), PG(n)); break;
	default: err = vmspace_filled(&F.as, LO + PG(page)); break;
	}
	F.ta.fail_at = -1;
	if (err != KERR_OK)
		snap_same(&before);
	CHECK();
}

static void test_vmspace_random_ops_keep_invariants_seeded(void **state)
{
	const uint64_t seeds[] = { 7, 0xc0ffee, 123456789 };

	(void)state;
	for (size_t i = 0; i < sizeof(seeds) / sizeof(seeds[0]); i++) {
		uint64_t s = seeds[i];

		print_message("seed %llu\n", (unsigned long long)seeds[i]);
		for (int step = 0; step < 5000; step++)
			random_op(&s);
		vmspace_destroy(&F.as);
		CHECK();
	CHECK();
		for (int k = 0; k < LEDGER_KIND_COUNT; k++)
			assert_int_equal(F.led.used[k], 0);
		assert_int_equal(F.ta.live, 0);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_vmspace_reserve_fixed_noreplace_rejects_overlap, setup, teardown),
		cmocka_unit_test_setup_teardown(test_vmspace_map_identity_survives_split_distinct_per_mapping, setup, teardown),
		cmocka_unit_test_setup_teardown(test_vmspace_reserve_hint_first_fit_at_or_after, setup, teardown),
		cmocka_unit_test_setup_teardown(test_vmspace_unmap_middle_split_keeps_both_sides, setup, teardown),
		cmocka_unit_test_setup_teardown(test_vmspace_records_are_free_when_freed, setup, teardown),
		cmocka_unit_test_setup_teardown(test_vmspace_unmap_tail_and_head_split, setup, teardown),
		cmocka_unit_test_setup_teardown(test_vmspace_unmap_adjacent_split_each_keeps_its_own, setup, teardown),
		cmocka_unit_test_setup_teardown(test_vmspace_unmap_full_range_release, setup, teardown),
		cmocka_unit_test_setup_teardown(test_vmspace_decommit_partial_bookkeeping, setup, teardown),
		cmocka_unit_test_setup_teardown(test_vmspace_protect_none_restore_previous, setup, teardown),
		cmocka_unit_test_setup_teardown(test_vmspace_recommit_reads_zeros, setup, teardown),
		cmocka_unit_test_setup_teardown(test_vmspace_object_unmap_rejects_other_object, setup, teardown),
		cmocka_unit_test_setup_teardown(test_vmspace_quota_errors_change_nothing, setup, teardown),
		cmocka_unit_test_setup_teardown(test_vmspace_alloc_failure_every_point_changes_nothing, setup, teardown),
		cmocka_unit_test_setup_teardown(test_vmspace_exit_releases_each_charge_once, setup, teardown),
		cmocka_unit_test_setup_teardown(test_vmspace_random_ops_keep_invariants_seeded, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
