/*
 * test_resmap.c - host tests of the reservation map (kernel/lib/resmap.c): fixed no-replace
 * placement, overlap rejection anywhere in a range, first fit at a hint, lookup, removal and
 * trims, plus a seeded random differential test against a naive sorted array, with
 * resmap_check() after every mutation. Randomized tests print their seed on failure.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include <lib/resmap.h>

#define PG(n) ((uint64_t)(n) * PAGE_SIZE)
#define LO PG(16)
#define HI PG(16 + 4096)

static struct resmap_node *mk(struct resmap_node *n, uint64_t base, uint64_t end)
{
	n->base = base;
	n->end = end;
	return n;
}

/* @proves host_resmap: MAM-B1 MAM-B2 */
static void test_resmap_fixed_noreplace_rejects_any_overlap(void **state)
{
	struct resmap m;
	struct resmap_node a;

	(void)state;
	assert_int_equal(resmap_init(&m, LO, HI), KERR_OK);
	assert_int_equal(resmap_check_fixed(&m, LO + PG(10), PG(10)), KERR_OK);
	resmap_insert(&m, mk(&a, LO + PG(10), LO + PG(20)));
	assert_true(resmap_check(&m));
	/* Overlap at the head, tail, inside, around, and exact: all rejected. */
	assert_int_equal(resmap_check_fixed(&m, LO + PG(5), PG(6)), KERR_CONFLICT);
	assert_int_equal(resmap_check_fixed(&m, LO + PG(19), PG(5)), KERR_CONFLICT);
	assert_int_equal(resmap_check_fixed(&m, LO + PG(12), PG(2)), KERR_CONFLICT);
	assert_int_equal(resmap_check_fixed(&m, LO + PG(0), PG(100)), KERR_CONFLICT);
	assert_int_equal(resmap_check_fixed(&m, LO + PG(10), PG(10)), KERR_CONFLICT);
	/* Adjacent on either side is fine (half-open ranges). */
	assert_int_equal(resmap_check_fixed(&m, LO + PG(5), PG(5)), KERR_OK);
	assert_int_equal(resmap_check_fixed(&m, LO + PG(20), PG(5)), KERR_OK);
	/* Bounds: below lo, past hi, wrapping. */
	assert_int_equal(resmap_check_fixed(&m, 0, PG(1)), KERR_INVALID_ARG);
	assert_int_equal(resmap_check_fixed(&m, HI - PG(1), PG(2)), KERR_INVALID_ARG);
	assert_int_equal(resmap_check_fixed(&m, LO, UINT64_MAX - PAGE_MASK), KERR_INVALID_ARG);
	assert_int_equal(resmap_check_fixed(&m, LO, 0), KERR_INVALID_ARG);
}

static void test_resmap_find_fit_hint_first_fit(void **state)
{
	struct resmap m;
	struct resmap_node a, b, c;
	uint64_t at;

	(void)state;
	assert_int_equal(resmap_init(&m, LO, LO + PG(100)), KERR_OK);
	resmap_insert(&m, mk(&a, LO + PG(0), LO + PG(10)));
	assert_true(resmap_check(&m));
	resmap_insert(&m, mk(&b, LO + PG(12), LO + PG(20)));
	assert_true(resmap_check(&m));
	resmap_insert(&m, mk(&c, LO + PG(25), LO + PG(30)));
	assert_true(resmap_check(&m));
	assert_int_equal(resmap_find_fit(&m, 0, PG(2), &at), KERR_OK);
	assert_int_equal(at, LO + PG(10)); /* first gap big enough */
	assert_int_equal(resmap_find_fit(&m, 0, PG(3), &at), KERR_OK);
	assert_int_equal(at, LO + PG(20)); /* skips the 2-page gap */
	assert_int_equal(resmap_find_fit(&m, LO + PG(21), PG(3), &at), KERR_OK);
	assert_int_equal(at, LO + PG(21)); /* inside a gap, clipped to the hint */
	assert_int_equal(resmap_find_fit(&m, LO + PG(23), PG(3), &at), KERR_OK);
	assert_int_equal(at, LO + PG(30)); /* the hint's gap is too short from the hint on */
	assert_int_equal(resmap_find_fit(&m, LO + PG(5), PG(70), &at), KERR_OK);
	assert_int_equal(at, LO + PG(30));
	assert_int_equal(resmap_find_fit(&m, LO, PG(71), &at), KERR_CONFLICT);
	assert_int_equal(resmap_find_fit(&m, LO + PG(100), PG(1), &at), KERR_CONFLICT);
}

/* A hint inside a page starts the search at the next page boundary (I1: ranges are aligned). */
static void test_resmap_find_fit_unaligned_hint_rounds_up(void **state)
{
	struct resmap m;
	struct resmap_node a;
	uint64_t at;

	(void)state;
	assert_int_equal(resmap_init(&m, LO, LO + PG(8)), KERR_OK);
	assert_int_equal(resmap_find_fit(&m, LO + PG(3) + 5, PG(1), &at), KERR_OK);
	assert_int_equal(at, LO + PG(4));
	resmap_insert(&m, mk(&a, at, at + PG(1)));
	assert_true(resmap_check(&m));
	/* Rounding up can leave no room: the last page's hint inside it finds nothing. */
	assert_int_equal(resmap_find_fit(&m, LO + PG(7) + 1, PG(1), &at), KERR_CONFLICT);
	assert_int_equal(resmap_find_fit(&m, LO + PG(4) + 1, PG(1), &at), KERR_OK);
	assert_int_equal(at, LO + PG(5));
}

/* Linking a range that breaks I1 is a kernel bug, caught at the insert. */
static void test_resmap_insert_misaligned_or_outside_asserts(void **state)
{
	struct resmap m;
	struct resmap_node a;

	(void)state;
	assert_int_equal(resmap_init(&m, LO, LO + PG(8)), KERR_OK);
	expect_assert_failure(resmap_insert(&m, mk(&a, LO + 8, LO + PG(1))));
	expect_assert_failure(resmap_insert(&m, mk(&a, LO, LO + PG(1) + 8)));
	expect_assert_failure(resmap_insert(&m, mk(&a, LO + PG(7), LO + PG(9))));
	expect_assert_failure(resmap_insert(&m, mk(&a, LO + PG(1), LO + PG(1))));
	assert_int_equal(m.count, 0);
	assert_true(resmap_check(&m));
}

/* The map's bounds at the top of the 64-bit space: no sum may wrap. */
static void test_resmap_bounds_at_top_of_address_space(void **state)
{
	const uint64_t hi = UINT64_MAX & ~PAGE_MASK, lo = hi - PG(4);
	struct resmap m;
	struct resmap_node a;
	uint64_t at;

	(void)state;
	assert_int_equal(resmap_init(&m, lo, hi), KERR_OK);
	assert_int_equal(resmap_find_fit(&m, UINT64_MAX, PG(1), &at), KERR_CONFLICT);
	assert_int_equal(resmap_find_fit(&m, hi - PG(1) + 1, PG(1), &at), KERR_CONFLICT);
	assert_int_equal(resmap_find_fit(&m, 0, UINT64_MAX & ~PAGE_MASK, &at), KERR_CONFLICT);
	assert_int_equal(resmap_find_fit(&m, hi - PG(1), PG(1), &at), KERR_OK);
	assert_int_equal(at, hi - PG(1));
	assert_int_equal(resmap_check_fixed(&m, hi - PG(1), PG(2)), KERR_INVALID_ARG);
	resmap_insert(&m, mk(&a, hi - PG(1), hi));
	assert_true(resmap_check(&m));
	assert_int_equal(resmap_find_fit(&m, 0, PG(3), &at), KERR_OK);
	assert_int_equal(at, lo);
	assert_int_equal(resmap_find_fit(&m, 0, PG(4), &at), KERR_CONFLICT);
	assert_int_equal(resmap_find_fit(&m, lo + PG(1), PG(3), &at), KERR_CONFLICT);
	assert_int_equal(resmap_check_fixed(&m, hi - PG(1), PG(1)), KERR_CONFLICT);
}

static void test_resmap_lookup_remove_shrink(void **state)
{
	struct resmap m;
	struct resmap_node a, b;

	(void)state;
	assert_int_equal(resmap_init(&m, LO, HI), KERR_OK);
	resmap_insert(&m, mk(&a, LO + PG(0), LO + PG(10)));
	assert_true(resmap_check(&m));
	resmap_insert(&m, mk(&b, LO + PG(10), LO + PG(20)));
	assert_true(resmap_check(&m));
	assert_ptr_equal(resmap_find(&m, LO + PG(9) + 5), &a);
	assert_ptr_equal(resmap_find(&m, LO + PG(10)), &b);
	assert_null(resmap_find(&m, LO + PG(20)));
	assert_ptr_equal(resmap_next(&m, &a), &b);
	assert_null(resmap_next(&m, &b));
	resmap_shrink(&m, &a, LO + PG(2), LO + PG(8));
	assert_true(resmap_check(&m));
	assert_null(resmap_find(&m, LO + PG(1)));
	assert_ptr_equal(resmap_first_after(&m, LO), &a);
	resmap_remove(&m, &a);
	assert_true(resmap_check(&m));
	assert_ptr_equal(resmap_first_after(&m, LO), &b);
	resmap_remove(&m, &b);
	assert_true(resmap_check(&m));
	assert_int_equal(m.count, 0);
	assert_int_equal(resmap_init(&m, LO, LO), KERR_INVALID_ARG);
	assert_int_equal(resmap_init(&m, LO + 1, HI), KERR_INVALID_ARG);
}

/* Naive model: a bitmap of used pages of [LO, HI). */
#define NPAGES 4096
static unsigned char model[NPAGES];

static uint64_t rnd(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

static int model_fit(uint64_t hint, uint64_t size)
{
	for (uint64_t p = hint; p + size <= NPAGES; p++) {
		uint64_t q = 0;

		while (q < size && !model[p + q])
			q++;
		if (q == size)
			return (int)p;
	}
	return -1;
}

static void model_set(uint64_t p, uint64_t n, unsigned char v)
{
	for (uint64_t i = 0; i < n; i++)
		model[p + i] = v;
}

#define POOL 1024
static struct resmap_node pool[POOL];
static int pool_used[POOL];

static void one_random_step(struct resmap *m, uint64_t *s)
{
	int k = (int)(rnd(s) % POOL);
	uint64_t size = 1 + rnd(s) % 16, hint = rnd(s) % NPAGES, at;

	if (pool_used[k]) {
		struct resmap_node *n = &pool[k];
		uint64_t p = (n->base - LO) / PAGE_SIZE, np = (n->end - n->base) / PAGE_SIZE;

		if (np > 2 && rnd(s) % 2) { /* trim one page off the tail */
			resmap_shrink(m, n, n->base, n->end - PAGE_SIZE);
			model_set(p + np - 1, 1, 0);
		} else if (np > 2 && rnd(s) % 2) { /* trim one page off the head */
			resmap_shrink(m, n, n->base + PAGE_SIZE, n->end);
			model_set(p, 1, 0);
		} else {
			resmap_remove(m, n);
			model_set(p, np, 0);
			pool_used[k] = 0;
		}
		return;
	}
	/* The hint as passed: usually a page of the map, sometimes below lo, past hi, or inside a
	 * page (then the model searches from the next page). */
	uint64_t arg = LO + PG(hint);
	switch (rnd(s) % 8) {
	case 0:
		arg = rnd(s) % (LO + 1);
		hint = 0;
		break;
	case 1:
		hint = NPAGES + rnd(s) % 4;
		arg = LO + PG(hint) + rnd(s) % PAGE_SIZE;
		break;
	case 2:
		arg += 1 + rnd(s) % (PAGE_SIZE - 1);
		hint++;
		break;
	}
	int want = model_fit(hint, size);
	kerr_t err = resmap_find_fit(m, arg, PG(size), &at);

	if (want < 0) {
		assert_int_equal(err, KERR_CONFLICT);
		return;
	}
	assert_int_equal(err, KERR_OK);
	assert_int_equal(at, LO + PG(want));
	assert_int_equal(resmap_check_fixed(m, at, PG(size)), KERR_OK);
	resmap_insert(m, mk(&pool[k], at, at + PG(size)));
	model_set((uint64_t)want, size, 1);
	pool_used[k] = 1;
}

static void test_resmap_random_differential_seeded(void **state)
{
	const uint64_t seeds[] = { 1, 0x5eed, 0xdeadbeef, 20261124 };

	(void)state;
	for (size_t i = 0; i < sizeof(seeds) / sizeof(seeds[0]); i++) {
		struct resmap m;
		uint64_t s = seeds[i];

		print_message("seed %llu\n", (unsigned long long)seeds[i]);
		memset(model, 0, sizeof(model));
		memset(pool_used, 0, sizeof(pool_used));
		assert_int_equal(resmap_init(&m, LO, HI), KERR_OK);
		for (int step = 0; step < 20000; step++) {
			one_random_step(&m, &s);
			if (!resmap_check(&m))
				fail_msg("resmap_check failed: seed %llu step %d",
					 (unsigned long long)seeds[i], step);
		}
		/* Every page agrees with the model. */
		for (uint64_t p = 0; p < NPAGES; p++)
			assert_int_equal(resmap_find(&m, LO + PG(p)) != NULL, model[p]);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_resmap_fixed_noreplace_rejects_any_overlap),
		cmocka_unit_test(test_resmap_find_fit_hint_first_fit),
		cmocka_unit_test(test_resmap_find_fit_unaligned_hint_rounds_up),
		cmocka_unit_test(test_resmap_bounds_at_top_of_address_space),
		cmocka_unit_test(test_resmap_insert_misaligned_or_outside_asserts),
		cmocka_unit_test(test_resmap_lookup_remove_shrink),
		cmocka_unit_test(test_resmap_random_differential_seeded),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
