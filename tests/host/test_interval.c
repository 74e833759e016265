/*
 * test_interval.c - host tests of the interval core (kernel/lib/interval.c): the overlap test,
 * gap fit, first fit and split arithmetic every reservation decision goes through. The same
 * functions are proven with Frama-C WP in tests/proofs/ (proof_interval).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <lib/interval.h>

/* @proves host_interval: MAM-B2 */
static void test_interval_overlaps_boundaries(void **state)
{
	(void)state;
	assert_true(ival_overlaps(0, 10, 5, 15));
	assert_true(ival_overlaps(5, 15, 0, 10));
	assert_true(ival_overlaps(0, 10, 2, 3));   /* contained */
	assert_false(ival_overlaps(0, 10, 10, 20)); /* adjacent: half-open */
	assert_false(ival_overlaps(10, 20, 0, 10));
	assert_false(ival_overlaps(0, 0, 0, 10));   /* empty overlaps nothing */
	assert_true(ival_overlaps(0, UINT64_MAX, UINT64_MAX - 1, UINT64_MAX));
}

static void test_interval_fits_gap_neighbours(void **state)
{
	(void)state;
	assert_true(ival_fits_gap(10, 20, 10, 20));  /* exactly the gap */
	assert_true(ival_fits_gap(10, 20, 12, 15));
	assert_false(ival_fits_gap(10, 20, 9, 15));  /* overlaps the predecessor */
	assert_false(ival_fits_gap(10, 20, 15, 21)); /* overlaps the successor */
	assert_false(ival_fits_gap(10, 20, 15, 15)); /* empty */
}

static void test_interval_first_fit_hint_and_overflow(void **state)
{
	uint64_t out = 7;

	(void)state;
	assert_true(ival_gap_first_fit(10, 20, 0, 10, &out));
	assert_int_equal(out, 10);
	assert_true(ival_gap_first_fit(10, 20, 12, 8, &out));
	assert_int_equal(out, 12);
	out = 7;
	assert_false(ival_gap_first_fit(10, 20, 12, 9, &out));
	assert_int_equal(out, 7); /* untouched on failure */
	assert_false(ival_gap_first_fit(10, 20, 25, 1, &out)); /* hint past the gap */
	/* A size that would wrap past 2^64 must not fit. */
	assert_false(ival_gap_first_fit(0, UINT64_MAX, UINT64_MAX - 4, 8, &out));
}

static void test_interval_cut_middle_head_tail_full(void **state)
{
	struct ival lo, hi;

	(void)state;
	ival_cut(0, 100, 40, 60, &lo, &hi); /* middle */
	assert_int_equal(lo.base, 0);
	assert_int_equal(lo.end, 40);
	assert_int_equal(hi.base, 60);
	assert_int_equal(hi.end, 100);
	ival_cut(0, 100, 0, 30, &lo, &hi); /* head */
	assert_int_equal(lo.end - lo.base, 0);
	assert_int_equal(hi.base, 30);
	ival_cut(0, 100, 70, 200, &lo, &hi); /* tail, cut beyond the range */
	assert_int_equal(lo.end, 70);
	assert_int_equal(hi.end - hi.base, 0);
	ival_cut(10, 20, 0, 30, &lo, &hi); /* full */
	assert_int_equal(lo.end - lo.base, 0);
	assert_int_equal(hi.end - hi.base, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_interval_overlaps_boundaries),
		cmocka_unit_test(test_interval_fits_gap_neighbours),
		cmocka_unit_test(test_interval_first_fit_hint_and_overflow),
		cmocka_unit_test(test_interval_cut_middle_head_tail_full),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
