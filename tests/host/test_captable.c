/*
 * test_captable.c - capability tables (kernel/lib/captable.c): every error path leaves both
 * tables byte-for-byte unchanged, stale handles are rejected after slot reuse, retirement at the
 * last generation, all-or-nothing transfer, teardown, the invariant validator, and a seeded
 * random sequence checked against a model after every mutation.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <lib/captable.h>

#define CAP 8

struct fixture {
	struct captable t;
	struct cap_slot slots[CAP];
};

/* A byte image of a table and its slots, to show a failed call changed nothing. */
struct snap {
	struct captable t;
	struct cap_slot slots[CAP];
};

static void snap_take(const struct fixture *f, struct snap *s)
{
	memcpy(&s->t, &f->t, sizeof(s->t));
	memcpy(s->slots, f->slots, sizeof(s->slots));
}

static void snap_assert_same(const struct fixture *f, const struct snap *s)
{
	assert_memory_equal(&s->t, &f->t, sizeof(s->t));
	assert_memory_equal(s->slots, f->slots, sizeof(s->slots));
}

static void fx_init(struct fixture *f, uint32_t capacity)
{
	memset(f, 0, sizeof(*f));
	assert_int_equal(captable_init(&f->t, f->slots, capacity), KERR_OK);
	assert_int_equal(captable_check(&f->t), 0);
}

static struct cap mkcap(enum cap_type type, uint32_t rights, uintptr_t obj)
{
	struct cap c = { type, rights, obj };
	return c;
}

static cap_handle_t put(struct fixture *f, enum cap_type type, uint32_t rights, uintptr_t obj)
{
	struct cap c = mkcap(type, rights, obj);
	cap_handle_t h = CAP_HANDLE_NONE;
	assert_int_equal(captable_insert(&f->t, &c, &h), KERR_OK);
	assert_int_equal(captable_check(&f->t), 0);
	return h;
}

/* @proves host_captable: capslot:CAPSLOT_FREE->CAPSLOT_USED */
static void test_captable_init_rejects_bad_arguments(void **state)
{
	(void)state;
	struct fixture f;
	memset(&f, 0xa5, sizeof(f));
	struct captable before = f.t;
	assert_int_equal(captable_init(&f.t, NULL, 4), KERR_INVALID_ARG);
	assert_int_equal(captable_init(&f.t, f.slots, 0), KERR_INVALID_ARG);
	assert_int_equal(captable_init(&f.t, f.slots, CAPTABLE_MAX_SLOTS + 1u), KERR_INVALID_ARG);
	assert_memory_equal(&before, &f.t, sizeof(before));

	fx_init(&f, CAP);
	assert_int_equal(captable_used(&f.t), 0);
	assert_int_equal(captable_free_slots(&f.t), CAP);
	cap_handle_t h = put(&f, CAP_TYPE_CONSOLE, CAP_RIGHT_WRITE, 0x1000);
	assert_int_equal(CAP_HANDLE_SLOT(h), 0);
	assert_int_equal(CAP_HANDLE_GEN(h), 1);
	assert_int_equal(captable_used(&f.t), 1);
	assert_int_equal(captable_free_slots(&f.t), CAP - 1);
}

static void test_captable_lookup_checks_type_and_rights(void **state)
{
	(void)state;
	struct fixture f;
	fx_init(&f, CAP);
	cap_handle_t h = put(&f, CAP_TYPE_PROCESS, CAP_RIGHT_WAIT | CAP_RIGHT_KILL, 0x2000);
	struct cap c;
	assert_int_equal(captable_lookup(&f.t, h, CAP_TYPE_PROCESS, CAP_RIGHT_WAIT, &c), KERR_OK);
	assert_int_equal(c.type, CAP_TYPE_PROCESS);
	assert_int_equal(c.obj, 0x2000);
	assert_int_equal(c.rights, CAP_RIGHT_WAIT | CAP_RIGHT_KILL);
	assert_int_equal(captable_lookup(&f.t, h, CAP_TYPE_NULL, 0, NULL), KERR_OK);
	assert_int_equal(captable_lookup(&f.t, h, CAP_TYPE_PROCESS,
					 CAP_RIGHT_WAIT | CAP_RIGHT_KILL, NULL), KERR_OK);

	struct snap s;
	snap_take(&f, &s);
	assert_int_equal(captable_lookup(&f.t, h, CAP_TYPE_CONSOLE, 0, NULL), KERR_WRONG_TYPE);
	assert_int_equal(captable_lookup(&f.t, h, CAP_TYPE_PROCESS, CAP_RIGHT_SPAWN, NULL),
			 KERR_NO_RIGHTS);
	assert_int_equal(captable_lookup(&f.t, h, CAP_TYPE_PROCESS,
					 CAP_RIGHT_WAIT | CAP_RIGHT_EXIT, NULL), KERR_NO_RIGHTS);
	/* Type is checked before rights. */
	assert_int_equal(captable_lookup(&f.t, h, CAP_TYPE_CONSOLE, CAP_RIGHT_SPAWN, NULL),
			 KERR_WRONG_TYPE);
	snap_assert_same(&f, &s);
}

static void test_captable_lookup_invalid_handles(void **state)
{
	(void)state;
	struct fixture f;
	fx_init(&f, CAP);
	cap_handle_t h = put(&f, CAP_TYPE_CONSOLE, CAP_RIGHT_WRITE, 1);
	struct snap s;
	snap_take(&f, &s);
	/* Out-of-range slot index, generation 0, the none handle, an empty slot. */
	assert_int_equal(captable_lookup(&f.t, CAP_HANDLE_MAKE(CAP, 1), CAP_TYPE_NULL, 0, NULL),
			 KERR_INVALID_HANDLE);
	assert_int_equal(captable_lookup(&f.t, CAP_HANDLE_MAKE(0xffffffffu, 1), CAP_TYPE_NULL, 0,
					 NULL), KERR_INVALID_HANDLE);
	assert_int_equal(captable_lookup(&f.t, CAP_HANDLE_MAKE(0, 0), CAP_TYPE_NULL, 0, NULL),
			 KERR_INVALID_HANDLE);
	assert_int_equal(captable_lookup(&f.t, CAP_HANDLE_NONE, CAP_TYPE_NULL, 0, NULL),
			 KERR_INVALID_HANDLE);
	assert_int_equal(captable_lookup(&f.t, CAP_HANDLE_MAKE(1, 1), CAP_TYPE_NULL, 0, NULL),
			 KERR_INVALID_HANDLE);
	/* Right slot, future generation: stale, not valid. */
	assert_int_equal(captable_lookup(&f.t, h + (1ull << 32), CAP_TYPE_NULL, 0, NULL),
			 KERR_STALE_HANDLE);
	snap_assert_same(&f, &s);
}

/* @proves host_captable: capslot:CAPSLOT_USED->CAPSLOT_FREE */
static void test_captable_drop_then_reuse_rejects_stale_handle(void **state)
{
	(void)state;
	struct fixture f;
	fx_init(&f, CAP);
	cap_handle_t a = put(&f, CAP_TYPE_CONSOLE, CAP_RIGHT_WRITE, 0x10);
	cap_handle_t b = put(&f, CAP_TYPE_THREAD, CAP_RIGHT_WAIT, 0x20);
	struct cap d;
	assert_int_equal(captable_drop(&f.t, a, &d), KERR_OK);
	assert_int_equal(captable_check(&f.t), 0);
	assert_int_equal(d.type, CAP_TYPE_CONSOLE);
	assert_int_equal(d.obj, 0x10);
	assert_int_equal(captable_used(&f.t), 1);

	/* Empty slot: invalid. Dropping again changes nothing. */
	struct snap s;
	snap_take(&f, &s);
	assert_int_equal(captable_lookup(&f.t, a, CAP_TYPE_NULL, 0, NULL), KERR_INVALID_HANDLE);
	assert_int_equal(captable_drop(&f.t, a, &d), KERR_INVALID_HANDLE);
	snap_assert_same(&f, &s);

	/* LIFO reuse: the next insert takes a's slot with the next generation. */
	cap_handle_t c = put(&f, CAP_TYPE_LEDGER, CAP_RIGHT_READ, 0x30);
	assert_int_equal(CAP_HANDLE_SLOT(c), CAP_HANDLE_SLOT(a));
	assert_int_equal(CAP_HANDLE_GEN(c), CAP_HANDLE_GEN(a) + 1);
	snap_take(&f, &s);
	assert_int_equal(captable_lookup(&f.t, a, CAP_TYPE_NULL, 0, NULL), KERR_STALE_HANDLE);
	assert_int_equal(captable_drop(&f.t, a, &d), KERR_STALE_HANDLE);
	assert_int_equal(captable_copy(&f.t, a, 0, &c, NULL), KERR_STALE_HANDLE);
	snap_assert_same(&f, &s);
	assert_int_equal(captable_lookup(&f.t, c, CAP_TYPE_LEDGER, CAP_RIGHT_READ, NULL), KERR_OK);
	assert_int_equal(captable_lookup(&f.t, b, CAP_TYPE_THREAD, CAP_RIGHT_WAIT, NULL), KERR_OK);
}

static void test_captable_insert_full_is_no_slots(void **state)
{
	(void)state;
	struct fixture f;
	fx_init(&f, 3);
	for (int i = 0; i < 3; i++)
		put(&f, CAP_TYPE_CONSOLE, CAP_RIGHT_WRITE, (uintptr_t)i + 1);
	struct snap s;
	snap_take(&f, &s);
	struct cap c = mkcap(CAP_TYPE_CONSOLE, 0, 9);
	cap_handle_t h = 0x1234;
	assert_int_equal(captable_insert(&f.t, &c, &h), KERR_NO_SLOTS);
	assert_int_equal(h, 0x1234);
	snap_assert_same(&f, &s);
}

static void test_captable_insert_malformed_cap_asserts(void **state)
{
	(void)state;
	struct fixture f;
	fx_init(&f, CAP);
	cap_handle_t h;
	struct cap bad_type = mkcap(CAP_TYPE_NULL, 0, 1);
	struct cap bad_type2 = mkcap(CAP_TYPE_COUNT, 0, 1);
	struct cap bad_rights = mkcap(CAP_TYPE_CONSOLE, CAP_RIGHTS_ALL + 1u, 1);
	expect_assert_failure(captable_insert(&f.t, &bad_type, &h));
	expect_assert_failure(captable_insert(&f.t, &bad_type2, &h));
	expect_assert_failure(captable_insert(&f.t, &bad_rights, &h));
	assert_int_equal(captable_check(&f.t), 0);
	assert_int_equal(captable_used(&f.t), 0);
}

static void test_captable_copy_equal_or_fewer_rights(void **state)
{
	(void)state;
	struct fixture f;
	fx_init(&f, CAP);
	uint32_t r = CAP_RIGHT_READ | CAP_RIGHT_WRITE | CAP_RIGHT_COPY;
	cap_handle_t h = put(&f, CAP_TYPE_MEMORY_OBJECT, r, 0x40);
	cap_handle_t h2, h3;
	struct cap c;
	assert_int_equal(captable_copy(&f.t, h, r, &h2, &c), KERR_OK);
	assert_int_equal(captable_check(&f.t), 0);
	assert_int_equal(c.rights, r);
	assert_int_equal(c.obj, 0x40);
	assert_int_equal(captable_copy(&f.t, h, CAP_RIGHT_READ, &h3, NULL), KERR_OK);
	assert_int_equal(captable_check(&f.t), 0);
	assert_int_not_equal(h2, h);
	assert_int_not_equal(h3, h2);
	assert_int_equal(captable_used(&f.t), 3);
	assert_int_equal(captable_lookup(&f.t, h3, CAP_TYPE_MEMORY_OBJECT, CAP_RIGHT_READ, &c),
			 KERR_OK);
	assert_int_equal(c.rights, CAP_RIGHT_READ);
	assert_int_equal(captable_lookup(&f.t, h3, CAP_TYPE_MEMORY_OBJECT, CAP_RIGHT_WRITE, NULL),
			 KERR_NO_RIGHTS);
	/* The copy without COPY cannot be copied again. */
	cap_handle_t h4 = 0x77;
	struct snap s;
	snap_take(&f, &s);
	assert_int_equal(captable_copy(&f.t, h3, CAP_RIGHT_READ, &h4, NULL), KERR_NO_RIGHTS);
	assert_int_equal(captable_copy(&f.t, h3, 0, &h4, NULL), KERR_NO_RIGHTS);
	snap_assert_same(&f, &s);
	assert_int_equal(h4, 0x77);
}

static void test_captable_copy_errors_change_nothing(void **state)
{
	(void)state;
	struct fixture f;
	fx_init(&f, 2);
	cap_handle_t h = put(&f, CAP_TYPE_CONSOLE, CAP_RIGHT_WRITE | CAP_RIGHT_COPY, 0x50);
	cap_handle_t out = 0x99;
	struct snap s;
	snap_take(&f, &s);
	/* More rights than held. */
	assert_int_equal(captable_copy(&f.t, h, CAP_RIGHT_WRITE | CAP_RIGHT_READ, &out, NULL),
			 KERR_NO_RIGHTS);
	/* Bits outside every defined right. */
	assert_int_equal(captable_copy(&f.t, h, CAP_RIGHTS_ALL + 1u, &out, NULL),
			 KERR_INVALID_ARG);
	assert_int_equal(captable_copy(&f.t, h, 0x80000000u | CAP_RIGHT_WRITE, &out, NULL),
			 KERR_INVALID_ARG);
	assert_int_equal(captable_copy(&f.t, h, (1ull << 40) | CAP_RIGHT_WRITE, &out, NULL),
			 KERR_INVALID_ARG);
	assert_int_equal(captable_copy(&f.t, h, 1ull << 32, &out, NULL), KERR_INVALID_ARG);
	/* Bad handles. */
	assert_int_equal(captable_copy(&f.t, CAP_HANDLE_NONE, 0, &out, NULL), KERR_INVALID_HANDLE);
	assert_int_equal(captable_copy(&f.t, CAP_HANDLE_MAKE(1, 1), 0, &out, NULL),
			 KERR_INVALID_HANDLE);
	snap_assert_same(&f, &s);
	assert_int_equal(out, 0x99);
	/* Fill the table, then a valid copy has no slot. */
	assert_int_equal(captable_copy(&f.t, h, CAP_RIGHT_WRITE, &out, NULL), KERR_OK);
	assert_int_equal(captable_check(&f.t), 0);
	snap_take(&f, &s);
	cap_handle_t out2 = 0x98;
	assert_int_equal(captable_copy(&f.t, h, CAP_RIGHT_WRITE, &out2, NULL), KERR_NO_SLOTS);
	snap_assert_same(&f, &s);
	assert_int_equal(out2, 0x98);
}

/* @proves host_captable: capslot:CAPSLOT_USED->CAPSLOT_RETIRED */
static void test_captable_last_generation_retires_slot(void **state)
{
	(void)state;
	struct fixture f;
	fx_init(&f, 2);
	/* Slot 0 is at the head of the free list; age it to one below the last generation. */
	f.slots[0].gen = CAPTABLE_GEN_MAX - 1;
	assert_int_equal(captable_check(&f.t), 0);
	cap_handle_t h = put(&f, CAP_TYPE_CONSOLE, CAP_RIGHT_WRITE, 7);
	assert_int_equal(CAP_HANDLE_SLOT(h), 0);
	assert_int_equal(CAP_HANDLE_GEN(h), CAPTABLE_GEN_MAX);
	assert_int_equal(captable_drop(&f.t, h, NULL), KERR_OK);
	assert_int_equal(captable_check(&f.t), 0);
	assert_int_equal(f.slots[0].state, CAPSLOT_RETIRED);
	assert_int_equal(f.t.nretired, 1);
	assert_int_equal(captable_free_slots(&f.t), 1);
	assert_int_equal(captable_lookup(&f.t, h, CAP_TYPE_NULL, 0, NULL), KERR_INVALID_HANDLE);
	/* The next insert takes slot 1; then the table is full for good. */
	cap_handle_t h2 = put(&f, CAP_TYPE_CONSOLE, CAP_RIGHT_WRITE, 8);
	assert_int_equal(CAP_HANDLE_SLOT(h2), 1);
	struct cap c = mkcap(CAP_TYPE_CONSOLE, 0, 9);
	cap_handle_t h3;
	assert_int_equal(captable_insert(&f.t, &c, &h3), KERR_NO_SLOTS);
	/* Teardown skips retired slots. */
	uint32_t cur = 0;
	struct cap got;
	assert_true(captable_take_next(&f.t, &cur, &got));
	assert_int_equal(got.obj, 8);
	assert_false(captable_take_next(&f.t, &cur, &got));
	assert_int_equal(captable_check(&f.t), 0);
}

static void test_captable_transfer_copy_and_move(void **state)
{
	(void)state;
	struct fixture src, dst;
	fx_init(&src, CAP);
	fx_init(&dst, CAP);
	uint32_t tr = CAP_RIGHT_TRANSFER | CAP_RIGHT_WRITE | CAP_RIGHT_COPY;
	cap_handle_t con = put(&src, CAP_TYPE_CONSOLE, tr, 0x100);
	cap_handle_t mo = put(&src, CAP_TYPE_MEMORY_OBJECT, tr | CAP_RIGHT_MAP, 0x200);
	cap_handle_t pre = put(&dst, CAP_TYPE_LEDGER, CAP_RIGHT_READ, 0x300);
	struct captable_xfer items[2] = {
		{ con, CAP_RIGHT_WRITE, false },
		{ mo, CAP_RIGHT_MAP | CAP_RIGHT_TRANSFER, true },
	};
	cap_handle_t out[2];
	size_t bad = 42;
	assert_int_equal(captable_transfer(&src.t, &dst.t, items, 2, out, &bad), KERR_OK);
	assert_int_equal(bad, 42);
	assert_int_equal(captable_check(&src.t), 0);
	assert_int_equal(captable_check(&dst.t), 0);
	struct cap c;
	assert_int_equal(captable_lookup(&dst.t, out[0], CAP_TYPE_CONSOLE, CAP_RIGHT_WRITE, &c),
			 KERR_OK);
	assert_int_equal(c.rights, CAP_RIGHT_WRITE);
	assert_int_equal(c.obj, 0x100);
	assert_int_equal(captable_lookup(&dst.t, out[1], CAP_TYPE_MEMORY_OBJECT, CAP_RIGHT_MAP, &c),
			 KERR_OK);
	assert_int_equal(c.rights, CAP_RIGHT_MAP | CAP_RIGHT_TRANSFER);
	assert_int_equal(c.obj, 0x200);
	assert_int_equal(captable_lookup(&dst.t, pre, CAP_TYPE_LEDGER, 0, NULL), KERR_OK);
	/* The copy stays in the source with its rights; the moved one is gone. */
	assert_int_equal(captable_lookup(&src.t, con, CAP_TYPE_CONSOLE, tr, NULL), KERR_OK);
	assert_int_equal(captable_lookup(&src.t, mo, CAP_TYPE_NULL, 0, NULL), KERR_INVALID_HANDLE);
	assert_int_equal(captable_used(&src.t), 1);
	assert_int_equal(captable_used(&dst.t), 3);
	/* Zero items: success, nothing changes. */
	struct snap ss, sd;
	snap_take(&src, &ss);
	snap_take(&dst, &sd);
	assert_int_equal(captable_transfer(&src.t, &dst.t, items, 0, out, NULL), KERR_OK);
	snap_assert_same(&src, &ss);
	snap_assert_same(&dst, &sd);
}

/* Run a transfer that must fail with @p want at item @p want_bad; neither table may change. */
static void expect_xfer_fail(struct fixture *src, struct fixture *dst,
			     const struct captable_xfer *items, size_t n, kerr_t want,
			     size_t want_bad)
{
	struct snap ss, sd;
	snap_take(src, &ss);
	snap_take(dst, &sd);
	cap_handle_t out[CAP];
	memset(out, 0x5a, sizeof(out));
	size_t bad = 1000;
	assert_int_equal(captable_transfer(&src->t, &dst->t, items, n, out, &bad), want);
	assert_int_equal(bad, want_bad);
	snap_assert_same(src, &ss);
	snap_assert_same(dst, &sd);
	for (size_t i = 0; i < CAP; i++)
		assert_int_equal(out[i], 0x5a5a5a5a5a5a5a5aull);
}

static void test_captable_transfer_all_or_nothing(void **state)
{
	(void)state;
	struct fixture src, dst;
	fx_init(&src, CAP);
	fx_init(&dst, 3);
	uint32_t tr = CAP_RIGHT_TRANSFER | CAP_RIGHT_WRITE;
	cap_handle_t a = put(&src, CAP_TYPE_CONSOLE, tr, 1);
	cap_handle_t b = put(&src, CAP_TYPE_THREAD, CAP_RIGHT_WAIT, 2); /* no TRANSFER */
	cap_handle_t c = put(&src, CAP_TYPE_PROCESS, tr, 3);
	cap_handle_t gone = put(&src, CAP_TYPE_LEDGER, tr, 4);
	assert_int_equal(captable_drop(&src.t, gone, NULL), KERR_OK);

	/* Each bad item is reported at its index, after good (even moving) items. */
	struct captable_xfer no_transfer[2] = { { a, CAP_RIGHT_WRITE, true }, { b, 0, false } };
	expect_xfer_fail(&src, &dst, no_transfer, 2, KERR_NO_RIGHTS, 1);
	struct captable_xfer more_rights[2] = { { a, 0, true }, { c, tr | CAP_RIGHT_KILL, false } };
	expect_xfer_fail(&src, &dst, more_rights, 2, KERR_NO_RIGHTS, 1);
	struct captable_xfer bad_bits[1] = { { a, 1u << 31, false } };
	expect_xfer_fail(&src, &dst, bad_bits, 1, KERR_INVALID_ARG, 0);
	struct captable_xfer dup[3] = { { a, 0, false }, { c, 0, false }, { a, 0, true } };
	expect_xfer_fail(&src, &dst, dup, 3, KERR_INVALID_ARG, 2);
	struct captable_xfer invalid[2] = { { c, 0, true }, { gone, 0, false } };
	expect_xfer_fail(&src, &dst, invalid, 2, KERR_INVALID_HANDLE, 1);
	cap_handle_t reused = put(&src, CAP_TYPE_CONSOLE, tr, 5);
	assert_int_equal(CAP_HANDLE_SLOT(reused), CAP_HANDLE_SLOT(gone));
	struct captable_xfer stale[2] = { { a, 0, true }, { gone, 0, true } };
	expect_xfer_fail(&src, &dst, stale, 2, KERR_STALE_HANDLE, 1);
	/* Room: dst has 3 slots; fill 2, then 2 items do not fit (bad index untouched). */
	put(&dst, CAP_TYPE_CONSOLE, 0, 6);
	put(&dst, CAP_TYPE_CONSOLE, 0, 7);
	struct captable_xfer two[2] = { { a, 0, true }, { c, 0, true } };
	expect_xfer_fail(&src, &dst, two, 2, KERR_NO_SLOTS, 1000);
	/* One fits. */
	cap_handle_t out[1];
	assert_int_equal(captable_transfer(&src.t, &dst.t, two, 1, out, NULL), KERR_OK);
	assert_int_equal(captable_check(&src.t), 0);
	assert_int_equal(captable_check(&dst.t), 0);
	assert_int_equal(captable_lookup(&src.t, a, CAP_TYPE_NULL, 0, NULL), KERR_INVALID_HANDLE);
}

static void test_captable_transfer_same_table_asserts(void **state)
{
	(void)state;
	struct fixture f;
	fx_init(&f, CAP);
	cap_handle_t a = put(&f, CAP_TYPE_CONSOLE, CAP_RIGHT_TRANSFER, 1);
	struct captable_xfer it = { a, 0, false };
	cap_handle_t out;
	expect_assert_failure(captable_transfer(&f.t, &f.t, &it, 1, &out, NULL));
}

static void test_captable_iter_and_teardown_visit_every_cap(void **state)
{
	(void)state;
	struct fixture f;
	fx_init(&f, CAP);
	cap_handle_t h[5];
	for (int i = 0; i < 5; i++)
		h[i] = put(&f, CAP_TYPE_CONSOLE, 0, (uintptr_t)(0x10 + i));
	assert_int_equal(captable_drop(&f.t, h[1], NULL), KERR_OK);
	assert_int_equal(captable_drop(&f.t, h[3], NULL), KERR_OK);
	uint32_t cur = 0;
	cap_handle_t got;
	struct cap c;
	int want[] = { 0, 2, 4 };
	for (int i = 0; i < 3; i++) {
		assert_true(captable_iter(&f.t, &cur, &got, &c));
		assert_int_equal(got, h[want[i]]);
		assert_int_equal(c.obj, 0x10 + want[i]);
	}
	assert_false(captable_iter(&f.t, &cur, &got, &c));
	assert_false(captable_iter(&f.t, &cur, NULL, NULL));
	assert_int_equal(captable_used(&f.t), 3);

	cur = 0;
	uintptr_t seen = 0;
	int n = 0;
	while (captable_take_next(&f.t, &cur, &c)) {
		assert_int_equal(captable_check(&f.t), 0);
		seen |= (uintptr_t)1 << (c.obj - 0x10);
		n++;
	}
	assert_int_equal(n, 3);
	assert_int_equal(seen, 0x15);
	assert_int_equal(captable_used(&f.t), 0);
	assert_int_equal(captable_free_slots(&f.t), CAP);
	for (int i = 0; i < 5; i++)
		assert_int_equal(captable_lookup(&f.t, h[i], CAP_TYPE_NULL, 0, NULL),
				 KERR_INVALID_HANDLE);
}

static void test_captable_check_detects_each_invariant(void **state)
{
	(void)state;
	struct fixture f;
	fx_init(&f, 4);
	put(&f, CAP_TYPE_CONSOLE, CAP_RIGHT_WRITE, 1);
	struct snap s;
	snap_take(&f, &s);
	struct fixture g;

	g = f; g.t.slots = g.slots;
	g.t.capacity = 0;
	assert_int_equal(captable_check(&g.t), 1);
	g = f; g.t.slots = NULL;
	assert_int_equal(captable_check(&g.t), 1);

	g = f; g.t.slots = g.slots;
	g.slots[0].cap.rights = 1u << 31; /* I2: rights outside the set */
	assert_int_equal(captable_check(&g.t), 2);
	g = f; g.t.slots = g.slots;
	g.slots[1].cap.obj = 5; /* I2: free slot not empty */
	assert_int_equal(captable_check(&g.t), 2);
	g = f; g.t.slots = g.slots;
	g.slots[1].state = (enum capslot_state)7; /* I2: no such state */
	assert_int_equal(captable_check(&g.t), 2);

	g = f; g.t.slots = g.slots;
	g.slots[0].gen = 0; /* I3: used at generation 0 */
	assert_int_equal(captable_check(&g.t), 3);
	g = f; g.t.slots = g.slots;
	g.slots[2].gen = CAPTABLE_GEN_MAX; /* I3: free with no generation left */
	assert_int_equal(captable_check(&g.t), 3);

	g = f; g.t.slots = g.slots;
	g.t.nused = 2; /* I4: counts */
	assert_int_equal(captable_check(&g.t), 4);

	g = f; g.t.slots = g.slots;
	g.slots[2].next_free = 1; /* I5: cycle 1 -> 2 -> 1 */
	assert_int_equal(captable_check(&g.t), 5);
	g = f; g.t.slots = g.slots;
	g.t.free_head = 0; /* I5: list starts at a used slot */
	assert_int_equal(captable_check(&g.t), 5);
	g = f; g.t.slots = g.slots;
	g.slots[1].next_free = CAPTABLE_NIL; /* I5: list too short */
	assert_int_equal(captable_check(&g.t), 5);
	g = f; g.t.slots = g.slots;
	g.slots[3].next_free = 77; /* I5: link out of range */
	assert_int_equal(captable_check(&g.t), 5);

	snap_assert_same(&f, &s);
	assert_int_equal(captable_check(&f.t), 0);
}

/*
 * Random operations against a model, from a fixed seed printed on failure. After every
 * mutation: captable_check() == 0, the model matches iteration, and every handle ever dropped
 * is still rejected (I6).
 */
#define RCAP 16
#define RSTEPS 20000

struct model {
	cap_handle_t live[RCAP];
	struct cap cap[RCAP];
	int nlive;
	cap_handle_t dead[RSTEPS];
	int ndead;
};

static void model_verify(const struct captable *t, const struct model *m, unsigned seed, int step)
{
	if (captable_check(t) != 0)
		fail_msg("seed %u step %d: invariant I%u", seed, step, captable_check(t));
	assert_int_equal(captable_used(t), (uint32_t)m->nlive);
	for (int i = 0; i < m->nlive; i++) {
		struct cap c;
		assert_int_equal(captable_lookup(t, m->live[i], m->cap[i].type, m->cap[i].rights, &c),
				 KERR_OK);
		assert_memory_equal(&c, &m->cap[i], sizeof(c));
	}
	for (int i = 0; i < m->ndead; i++) {
		kerr_t e = captable_lookup(t, m->dead[i], CAP_TYPE_NULL, 0, NULL);
		if (e != KERR_INVALID_HANDLE && e != KERR_STALE_HANDLE)
			fail_msg("seed %u step %d: dropped handle accepted", seed, step);
	}
}

static void model_kill(struct model *m, int i)
{
	m->dead[m->ndead++] = m->live[i];
	m->live[i] = m->live[m->nlive - 1];
	m->cap[i] = m->cap[m->nlive - 1];
	m->nlive--;
}

static void random_step(struct captable *t, struct model *m, unsigned *rs)
{
	int op = rand_r(rs) % 3;
	if (op == 0 || m->nlive == 0) {
		struct cap c = mkcap((enum cap_type)(1 + rand_r(rs) % (CAP_TYPE_COUNT - 1)),
				     (uint32_t)rand_r(rs) & CAP_RIGHTS_ALL, (uintptr_t)rand_r(rs));
		cap_handle_t h;
		kerr_t e = captable_insert(t, &c, &h);
		assert_int_equal(e, m->nlive == RCAP ? KERR_NO_SLOTS : KERR_OK);
		if (e == KERR_OK) {
			m->live[m->nlive] = h;
			m->cap[m->nlive++] = c;
		}
	} else if (op == 1) {
		int i = rand_r(rs) % m->nlive;
		struct cap d;
		assert_int_equal(captable_drop(t, m->live[i], &d), KERR_OK);
		assert_memory_equal(&d, &m->cap[i], sizeof(d));
		model_kill(m, i);
	} else {
		int i = rand_r(rs) % m->nlive;
		uint32_t r = (uint32_t)rand_r(rs) & m->cap[i].rights;
		cap_handle_t h;
		kerr_t want = !(m->cap[i].rights & CAP_RIGHT_COPY) ? KERR_NO_RIGHTS :
			      m->nlive == RCAP ? KERR_NO_SLOTS : KERR_OK;
		assert_int_equal(captable_copy(t, m->live[i], r, &h, NULL), want);
		if (want == KERR_OK) {
			m->live[m->nlive] = h;
			m->cap[m->nlive] = m->cap[i];
			m->cap[m->nlive++].rights = r;
		}
	}
}

static void test_captable_random_sequence_matches_model(void **state)
{
	(void)state;
	static struct cap_slot slots[RCAP];
	static struct model m;
	struct captable t;
	unsigned seed = 0xc0ffee;
	unsigned rs = seed;
	memset(&m, 0, sizeof(m));
	assert_int_equal(captable_init(&t, slots, RCAP), KERR_OK);
	print_message("captable random sequence: seed %u, %d steps\n", seed, RSTEPS);
	for (int step = 0; step < RSTEPS; step++) {
		random_step(&t, &m, &rs);
		/* Checking every dropped handle each step is quadratic: sample the full check. */
		if (step % 97 == 0 || step == RSTEPS - 1)
			model_verify(&t, &m, seed, step);
		else if (captable_check(&t) != 0)
			fail_msg("seed %u step %d: invariant I%u", seed, step, captable_check(&t));
	}
}

/* Every method abi.h defines (written out here, independently of the table in captable.c). */
static const capos_method_t abi_methods[] = {
	CAP_INFO, CAP_COPY, CAP_DROP, CAP_CONSOLE_WRITE, CAP_SPAWNER_SPAWN, CAP_PROCESS_WAIT,
	CAP_PROCESS_KILL, CAP_PROCESS_EXIT, CAP_PROCESS_THREAD_START, CAP_PROCESS_STAT,
	CAP_THREAD_EXIT, CAP_THREAD_WAIT, CAP_THREAD_CPU, CAP_VM_RESERVE, CAP_VM_COMMIT,
	CAP_VM_PROTECT, CAP_VM_DECOMMIT, CAP_VM_UNMAP, CAP_VM_QUERY, CAP_FRAMEALLOC_ALLOCATE,
	CAP_MEMOBJ_MAP, CAP_MEMOBJ_UNMAP, CAP_MEMOBJ_PROTECT, CAP_MEMOBJ_INFO, CAP_LEDGER_USAGE,
	CAP_DIAG_READ, CAP_PARK_WAIT, CAP_PARK_WAKE, CAP_VM_PIN, CAP_VM_UNPIN,
	CAP_MEMOBJ_SHARED_BUFFER, CAP_SBUF_MAP, CAP_SBUF_UNMAP, CAP_SBUF_PRODUCE, CAP_SBUF_CONSUME,
	CAP_SBUF_INFO, CAP_MEMOBJ_PIN, CAP_MEMOBJ_UNPIN, CAP_VM_ELIGIBILITY,
};

static void test_captable_method_table_matches_abi_encoding(void **state)
{
	(void)state;
	size_t defined = 0;
	for (capos_method_t m = 0; m < CAP_METHOD_BASE(CAP_TYPE_COUNT) + 0x100; m++) {
		enum cap_type type = CAP_TYPE_COUNT;
		uint32_t rights = 0xdead;
		if (!cap_method_lookup(m, &type, &rights)) {
			assert_int_equal(type, CAP_TYPE_COUNT); /* outputs untouched */
			assert_int_equal(rights, 0xdead);
			continue;
		}
		defined++;
		/* The number encodes the owning type; generic methods are below 0x100. */
		assert_int_equal(type, CAP_METHOD_TYPE(m));
		assert_int_equal(rights & ~CAP_RIGHTS_ALL, 0);
		bool listed = false;
		for (size_t i = 0; i < ARRAY_SIZE(abi_methods); i++)
			listed |= abi_methods[i] == m;
		assert_true(listed);
	}
	assert_int_equal(defined, ARRAY_SIZE(abi_methods));
	enum cap_type type;
	uint32_t rights;
	assert_false(cap_method_lookup(0xffffffffffffffffull, &type, &rights));
	assert_false(cap_method_lookup(CAP_SBUF_INFO + 1, &type, &rights));
}

/* Decode order of capos/abi.h: handle, method defined, type, rights. */
static void test_captable_decode_order_and_every_method(void **state)
{
	(void)state;
	struct fixture f;
	fx_init(&f, CAP);
	for (size_t i = 0; i < ARRAY_SIZE(abi_methods); i++) {
		capos_method_t m = abi_methods[i];
		enum cap_type type;
		uint32_t need;
		assert_true(cap_method_lookup(m, &type, &need));
		enum cap_type own = type == CAP_TYPE_NULL ? CAP_TYPE_CONSOLE : type;
		enum cap_type other = own == CAP_TYPE_CONSOLE ? CAP_TYPE_DIAG : CAP_TYPE_CONSOLE;
		struct snap s;
		/* Exactly the needed rights: accepted, and the capability is returned. */
		cap_handle_t h = put(&f, own, need, 0x99);
		struct cap c;
		assert_int_equal(captable_decode(&f.t, h, m, &c), KERR_OK);
		assert_int_equal(c.type, own);
		snap_take(&f, &s);
		/* Each needed right missing on its own: NO_RIGHTS. */
		for (uint32_t bit = 1; bit & CAP_RIGHTS_ALL; bit <<= 1) {
			if (!(need & bit))
				continue;
			cap_handle_t weak = put(&f, own, need & ~bit, 0x98);
			assert_int_equal(captable_decode(&f.t, weak, m, NULL), KERR_NO_RIGHTS);
			assert_int_equal(captable_drop(&f.t, weak, NULL), KERR_OK);
		}
		/* Another type: WRONG_TYPE before rights, unless the method is generic. */
		cap_handle_t o = put(&f, other, 0, 0x97);
		assert_int_equal(captable_decode(&f.t, o, m, NULL),
				 type == CAP_TYPE_NULL ? (need ? KERR_NO_RIGHTS : KERR_OK) :
							 KERR_WRONG_TYPE);
		assert_int_equal(captable_drop(&f.t, o, NULL), KERR_OK);
		assert_int_equal(captable_drop(&f.t, h, NULL), KERR_OK);
		assert_int_equal(captable_check(&f.t), 0);
	}
	/* Handle errors come before an unknown method; unknown before type and rights. */
	cap_handle_t h = put(&f, CAP_TYPE_CONSOLE, 0, 1);
	assert_int_equal(captable_drop(&f.t, h, NULL), KERR_OK);
	assert_int_equal(captable_decode(&f.t, h, 0xfff, NULL), KERR_INVALID_HANDLE);
	cap_handle_t h2 = put(&f, CAP_TYPE_CONSOLE, 0, 2);
	assert_int_equal(captable_decode(&f.t, h, 0xfff, NULL), KERR_STALE_HANDLE);
	assert_int_equal(captable_decode(&f.t, h2, 3, NULL), KERR_UNKNOWN_METHOD);
	assert_int_equal(captable_decode(&f.t, h2, CAP_CONSOLE_WRITE + 1, NULL), KERR_UNKNOWN_METHOD);
	assert_int_equal(captable_decode(&f.t, h2, CAP_SBUF_INFO + 1, NULL),
			 KERR_UNKNOWN_METHOD);
	assert_int_equal(captable_decode(&f.t, h2, CAP_CONSOLE_WRITE, NULL), KERR_NO_RIGHTS);
	assert_int_equal(captable_decode(&f.t, h2, CAP_PROCESS_KILL, NULL), KERR_WRONG_TYPE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_captable_init_rejects_bad_arguments),
		cmocka_unit_test(test_captable_lookup_checks_type_and_rights),
		cmocka_unit_test(test_captable_lookup_invalid_handles),
		cmocka_unit_test(test_captable_drop_then_reuse_rejects_stale_handle),
		cmocka_unit_test(test_captable_insert_full_is_no_slots),
		cmocka_unit_test(test_captable_insert_malformed_cap_asserts),
		cmocka_unit_test(test_captable_copy_equal_or_fewer_rights),
		cmocka_unit_test(test_captable_copy_errors_change_nothing),
		cmocka_unit_test(test_captable_last_generation_retires_slot),
		cmocka_unit_test(test_captable_transfer_copy_and_move),
		cmocka_unit_test(test_captable_transfer_all_or_nothing),
		cmocka_unit_test(test_captable_transfer_same_table_asserts),
		cmocka_unit_test(test_captable_iter_and_teardown_visit_every_cap),
		cmocka_unit_test(test_captable_check_detects_each_invariant),
		cmocka_unit_test(test_captable_random_sequence_matches_model),
		cmocka_unit_test(test_captable_method_table_matches_abi_encoding),
		cmocka_unit_test(test_captable_decode_order_and_every_method),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
