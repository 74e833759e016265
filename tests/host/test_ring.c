/*
 * test_ring.c - host tests of SharedBuffer ring indices and roles (kernel/lib/ring.c,
 * ring_role.c): counts beyond the free space or the produced bytes are refused and change
 * nothing, positions stay inside the data area across wrap-around, and each role opens once
 * and closes for good. Also a long random run against a model with 64-bit counters.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include <lib/ring.h>

/* @proves host_ring: MAM-C5 */
static void test_ring_counts_validated_change_nothing(void **state)
{
	struct ring r, before;
	uint32_t a, b;

	(void)state;
	assert_int_equal(ring_init(&r, 0), KERR_INVALID_ARG);
	assert_int_equal(ring_init(&r, RING_MAX + 1), KERR_INVALID_ARG);
	assert_int_equal(ring_init(&r, 100), KERR_OK);
	before = r;
	assert_int_equal(ring_consume(&r, 1), KERR_INVALID_ARG); /* nothing produced */
	assert_int_equal(ring_produce(&r, 101), KERR_INVALID_ARG); /* bigger than the ring */
	assert_int_equal(ring_produce(&r, UINT32_MAX), KERR_INVALID_ARG);
	assert_memory_equal(&r, &before, sizeof(r));
	assert_int_equal(ring_produce(&r, 70), KERR_OK);
	assert_int_equal(ring_produce(&r, 31), KERR_INVALID_ARG); /* only 30 free */
	assert_int_equal(ring_consume(&r, 71), KERR_INVALID_ARG);
	assert_int_equal(ring_consume(&r, 60), KERR_OK);
	assert_int_equal(ring_tail(&r), 60);
	assert_int_equal(ring_produce(&r, 80), KERR_OK); /* wraps: head 150 % 100 */
	assert_int_equal(r.head, 50);
	assert_int_equal(r.used, 90);
	assert_int_equal(ring_tail(&r), 60);
	ring_span(&r, ring_tail(&r), r.used, &a, &b);
	assert_int_equal(a, 40); /* [60, 100) */
	assert_int_equal(b, 50); /* [0, 50) */
	assert_true(ring_check(&r));
	r.used = 101;
	assert_false(ring_check(&r));
}

/* Random produce/consume against 64-bit model counters: positions always in range. */
static void test_ring_random_against_model(void **state)
{
	uint64_t seed = 0x5eed5eedull, produced = 0, consumed = 0;
	struct ring r;

	(void)state;
	assert_int_equal(ring_init(&r, 4093), KERR_OK); /* not a power of two on purpose */
	for (int i = 0; i < 200000; i++) {
		seed = seed * 6364136223846793005ull + 1442695040888963407ull;
		uint32_t n = (uint32_t)(seed >> 33) % 5000;
		bool prod = (seed >> 20) & 1;
		kerr_t want = prod ? (n <= 4093 - (produced - consumed) ? KERR_OK : KERR_INVALID_ARG)
				   : (n <= produced - consumed ? KERR_OK : KERR_INVALID_ARG);
		kerr_t got = prod ? ring_produce(&r, n) : ring_consume(&r, n);
		if (got != want)
			fail_msg("seed step %d: n=%u prod=%d got %d want %d", i, n, prod, got, want);
		if (got == KERR_OK)
			*(prod ? &produced : &consumed) += n;
		assert_true(ring_check(&r));
		assert_int_equal(r.used, produced - consumed);
		assert_int_equal(r.head, produced % 4093);
		assert_int_equal(ring_tail(&r), consumed % 4093);
		uint32_t a, b;
		ring_span(&r, ring_tail(&r), r.used, &a, &b);
		assert_true(ring_tail(&r) + a <= r.size && a + b == r.used);
	}
}

/* @proves host_ring: ring_role:RING_ROLE_NONE->RING_ROLE_OPEN ring_role:RING_ROLE_OPEN->RING_ROLE_CLOSED */
static void test_ring_role_opens_once_closes_for_good(void **state)
{
	struct ring_role role = { RING_ROLE_NONE, 0 };

	(void)state;
	assert_int_equal(ring_role_get(&role), KERR_OK);
	assert_int_equal(role.state, RING_ROLE_OPEN);
	assert_int_equal(ring_role_get(&role), KERR_OK);
	assert_false(ring_role_put(&role));
	assert_true(ring_role_put(&role));
	assert_int_equal(role.state, RING_ROLE_CLOSED);
	assert_int_equal(ring_role_get(&role), KERR_NOT_FOUND); /* never reopened */
	expect_assert_failure(ring_role_put(&role));
	expect_assert_failure(ring_role_transition(&role, RING_ROLE_CLOSED, RING_ROLE_OPEN));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ring_counts_validated_change_nothing),
		cmocka_unit_test(test_ring_random_against_model),
		cmocka_unit_test(test_ring_role_opens_once_closes_for_good),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
