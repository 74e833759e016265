/*
 * test_pinset.c - host tests of the pin records of an address space (kernel/lib/pinset.c):
 * add and exact find, overlap (what makes unmap and decommit fail with KERR_PINNED), release
 * exactly once, a full set, and the pin machine's edges.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include <lib/pinset.h>

#define PG 0x1000ull

/* @proves host_pinset: MAM-C3 pin:PIN_FREE->PIN_HELD pin:PIN_HELD->PIN_FREE */
static void test_pinset_overlap_and_release_exactly_once(void **state)
{
	struct pinset s;
	struct pin out;
	unsigned a, b, slot;

	(void)state;
	memset(&s, 0, sizeof(s));
	assert_int_equal(pinset_add(&s, PIN_MAPPING, 2 * PG, 4 * PG, 0x11, 0, &a), KERR_OK);
	assert_int_equal(pinset_add(&s, PIN_MAPPING, 3 * PG, 4 * PG, 0x22, 0, &b), KERR_OK); /* pins may overlap */
	assert_int_equal(pinset_check(&s), 0);
	assert_true(pinset_overlaps(&s, 0, 3 * PG));
	assert_true(pinset_overlaps(&s, 3 * PG, 9 * PG));
	assert_false(pinset_overlaps(&s, 0, 2 * PG)); /* ends where the pin starts */
	assert_false(pinset_overlaps(&s, 4 * PG, 5 * PG));
	assert_false(pinset_find(&s, PIN_MAPPING, 0, 2 * PG, 3 * PG, &slot)); /* exact ranges only */
	assert_true(pinset_find(&s, PIN_MAPPING, 0, 2 * PG, 4 * PG, &slot));
	assert_int_equal(slot, a);
	pinset_release(&s, a, &out);
	assert_int_equal(out.payer, 0x11);
	assert_int_equal(out.lo, 2 * PG);
	assert_int_equal(pinset_check(&s), 0);
	assert_false(pinset_find(&s, PIN_MAPPING, 0, 2 * PG, 4 * PG, &slot));
	expect_assert_failure(pinset_release(&s, a, &out)); /* a second release is a bug */
	assert_true(pinset_overlaps(&s, 3 * PG, 4 * PG)); /* the other pin still holds */
	slot = 0;
	assert_true(pinset_next_overlap(&s, 0, ~0ull, &slot));
	assert_int_equal(slot, b);
	pinset_release(&s, b, &out);
	assert_false(pinset_overlaps(&s, 0, ~0ull));
	assert_int_equal(s.held, 0);
}

/* Object pins are found by object and offsets, and never block an unmap of the space. */
static void test_pinset_object_pins_apart_from_mapping_pins(void **state)
{
	struct pinset s;
	struct pin out;
	unsigned a, slot;

	(void)state;
	memset(&s, 0, sizeof(s));
	assert_int_equal(pinset_add(&s, PIN_OBJECT, 0, PG, 0x11, 0, &a), KERR_INVALID_ARG);
	assert_int_equal(pinset_add(&s, PIN_MAPPING, 0, PG, 0x11, 0x77, &a), KERR_INVALID_ARG);
	assert_int_equal(pinset_add(&s, PIN_OBJECT, 0, 2 * PG, 0x11, 0x77, &a), KERR_OK);
	assert_int_equal(pinset_check(&s), 0);
	assert_false(pinset_overlaps(&s, 0, 4 * PG)); /* offsets, not addresses */
	assert_false(pinset_find(&s, PIN_OBJECT, 0x78, 0, 2 * PG, &slot)); /* other object */
	assert_false(pinset_find(&s, PIN_MAPPING, 0, 0, 2 * PG, &slot));
	assert_true(pinset_find(&s, PIN_OBJECT, 0x77, 0, 2 * PG, &slot));
	slot = 0;
	assert_true(pinset_next_held(&s, &slot));
	assert_int_equal(slot, a);
	pinset_release(&s, a, &out);
	assert_int_equal(out.obj, 0x77);
	assert_int_equal(out.kind, PIN_OBJECT);
	slot = 0;
	assert_false(pinset_next_held(&s, &slot));
	assert_int_equal(pinset_check(&s), 0);
}

static void test_pinset_full_or_bad_range_changes_nothing(void **state)
{
	struct pinset s, before;
	unsigned slot;

	(void)state;
	memset(&s, 0, sizeof(s));
	assert_int_equal(pinset_add(&s, PIN_MAPPING, PG, PG, 1, 0, &slot), KERR_INVALID_ARG);
	assert_int_equal(pinset_add(&s, PIN_MAPPING, PG + 1, 2 * PG, 1, 0, &slot), KERR_INVALID_ARG);
	for (unsigned i = 0; i < PINSET_MAX; i++)
		assert_int_equal(pinset_add(&s, PIN_MAPPING, i * PG, (i + 1) * PG, 1, 0, &slot), KERR_OK);
	before = s;
	assert_int_equal(pinset_add(&s, PIN_MAPPING, 100 * PG, 101 * PG, 1, 0, &slot), KERR_NO_SLOTS);
	assert_memory_equal(&s, &before, sizeof(s));
	assert_int_equal(pinset_check(&s), 0);
	s.held--;
	assert_int_equal(pinset_check(&s), 2);
	s.held++;
	s.pins[0].hi = s.pins[0].lo;
	assert_int_equal(pinset_check(&s), 1);
	expect_assert_failure(pin_transition(&s.pins[1], PIN_FREE, PIN_HELD));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pinset_overlap_and_release_exactly_once),
		cmocka_unit_test(test_pinset_object_pins_apart_from_mapping_pins),
		cmocka_unit_test(test_pinset_full_or_bad_range_changes_nothing),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
