/*
 * test_ledger.c - host tests of the per-process ledger (kernel/lib/ledger.c): per-kind limits
 * and typed quota errors, exactly-once release (a double release or over-release is a KASSERT,
 * never clamped), transfer between ledgers, and quota donation from a spawner to its child.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include <lib/ledger.h>

static const uint64_t LIM[LEDGER_KIND_COUNT] = { 10, 20, 30, 40, 50, 60 };

/* @proves host_ledger: MAM-B5 */
static void test_ledger_charge_limit_typed_quota_error(void **state)
{
	static const kerr_t want[LEDGER_KIND_COUNT] = {
		KERR_QUOTA_VIRTUAL, KERR_QUOTA_COMMIT, KERR_QUOTA_OBJECT,
		KERR_QUOTA_MAPPING, KERR_QUOTA_PAGETABLE, KERR_QUOTA_PIN,
	};
	struct ledger l, before;

	(void)state;
	ledger_init(&l, LIM);
	for (int k = 0; k < LEDGER_KIND_COUNT; k++) {
		assert_int_equal(ledger_charge(&l, k, LIM[k] - 1), KERR_OK);
		assert_true(ledger_check(&l));
		before = l;
		assert_int_equal(ledger_charge(&l, k, 2), want[k]);
		assert_true(ledger_check(&l));
		assert_memory_equal(&l, &before, sizeof(l)); /* a refused charge changes nothing */
		assert_int_equal(ledger_charge(&l, k, 1), KERR_OK);
		assert_true(ledger_check(&l));
		assert_int_equal(ledger_charge(&l, k, 0), KERR_OK);
		assert_true(ledger_check(&l));
		assert_int_equal(ledger_quota_error(k), want[k]);
		assert_true(ledger_check(&l));
	}
	/* Huge amounts cannot wrap around the limit check. */
	assert_int_equal(ledger_charge(&l, LEDGER_VIRTUAL, UINT64_MAX), KERR_QUOTA_VIRTUAL);
	assert_true(ledger_check(&l));
	for (int k = 0; k < LEDGER_KIND_COUNT; k++)
		ledger_release(&l, k, LIM[k]);
		assert_true(ledger_check(&l));
	assert_true(ledger_check(&l));
}

static void test_ledger_charge_all_is_all_or_nothing(void **state)
{
	struct ledger l, before;
	uint64_t a[LEDGER_KIND_COUNT] = { 1, 2, 3, 41, 0, 0 };

	(void)state;
	ledger_init(&l, LIM);
	before = l;
	assert_int_equal(ledger_charge_all(&l, a), KERR_QUOTA_MAPPING);
	assert_true(ledger_check(&l));
	assert_memory_equal(&l, &before, sizeof(l));
	a[LEDGER_MAPPING] = 40;
	assert_int_equal(ledger_charge_all(&l, a), KERR_OK);
	assert_true(ledger_check(&l));
	assert_int_equal(l.used[LEDGER_COMMIT], 2);
	assert_int_equal(l.used[LEDGER_MAPPING], 40);
}

static void test_ledger_release_more_than_charged_asserts(void **state)
{
	struct ledger l;

	(void)state;
	ledger_init(&l, LIM);
	assert_int_equal(ledger_charge(&l, LEDGER_COMMIT, 3), KERR_OK);
	assert_true(ledger_check(&l));
	expect_assert_failure(ledger_release(&l, LEDGER_COMMIT, 4));
	assert_int_equal(l.used[LEDGER_COMMIT], 3); /* not clamped */
	ledger_release(&l, LEDGER_COMMIT, 3);
	assert_true(ledger_check(&l));
	/* The same charge released a second time is detected. */
	expect_assert_failure(ledger_release(&l, LEDGER_COMMIT, 3));
	assert_int_equal(l.used[LEDGER_COMMIT], 0);
	expect_assert_failure(ledger_release(&l, LEDGER_VIRTUAL, 1));
}

static void test_ledger_transfer_moves_or_changes_nothing(void **state)
{
	struct ledger a, b, sa, sb;
	uint64_t small[LEDGER_KIND_COUNT] = { 0, 0, 5, 0, 0, 0 };

	(void)state;
	ledger_init(&a, LIM);
	ledger_init(&b, small);
	assert_int_equal(ledger_charge(&a, LEDGER_OBJECT, 8), KERR_OK);
	assert_true(ledger_check(&a));
	assert_int_equal(ledger_transfer(&a, &b, LEDGER_OBJECT, 4), KERR_OK);
	assert_true(ledger_check(&a));
	assert_int_equal(a.used[LEDGER_OBJECT], 4);
	assert_int_equal(b.used[LEDGER_OBJECT], 4);
	sa = a;
	sb = b;
	assert_int_equal(ledger_transfer(&a, &b, LEDGER_OBJECT, 2), KERR_QUOTA_OBJECT);
	assert_true(ledger_check(&a));
	assert_memory_equal(&a, &sa, sizeof(a));
	assert_memory_equal(&b, &sb, sizeof(b));
	/* Moving more than the source holds is a kernel bug. */
	expect_assert_failure(ledger_transfer(&a, &b, LEDGER_OBJECT, 5));
	assert_int_equal(ledger_transfer(&a, &a, LEDGER_OBJECT, 4), KERR_OK);
	assert_true(ledger_check(&a));
	assert_int_equal(a.used[LEDGER_OBJECT], 4);
	assert_true(ledger_check(&a) && ledger_check(&b));
}

/* @proves host_ledger: MAM-B5 */
static void test_ledger_donate_reclaim_exactly_once(void **state)
{
	struct ledger parent, child, sp;
	uint64_t climit[LEDGER_KIND_COUNT] = { 5, 5, 5, 5, 5, 5 };
	uint64_t too_big[LEDGER_KIND_COUNT] = { 5, 5, 31, 5, 5, 5 };

	(void)state;
	ledger_init(&parent, LIM);
	sp = parent;
	assert_int_equal(ledger_donate(&parent, &child, too_big), KERR_QUOTA_OBJECT);
	assert_true(ledger_check(&parent));
	assert_memory_equal(&parent, &sp, sizeof(parent));
	assert_int_equal(ledger_donate(&parent, &child, climit), KERR_OK);
	assert_true(ledger_check(&parent));
	assert_int_equal(parent.used[LEDGER_VIRTUAL], 5);
	assert_true(ledger_check(&child));
	/* The child is bounded by its own limits, not the parent's. */
	assert_int_equal(ledger_charge(&child, LEDGER_VIRTUAL, 6), KERR_QUOTA_VIRTUAL);
	assert_true(ledger_check(&child));
	assert_int_equal(ledger_charge(&child, LEDGER_VIRTUAL, 5), KERR_OK);
	assert_true(ledger_check(&child));
	/* Exit with a charge still live is a leak: detected. */
	expect_assert_failure(ledger_reclaim(&child));
	ledger_release(&child, LEDGER_VIRTUAL, 5);
	assert_true(ledger_check(&child));
	ledger_reclaim(&child);
	assert_true(ledger_check(&child));
	for (int k = 0; k < LEDGER_KIND_COUNT; k++)
		assert_int_equal(parent.used[k], 0);
	/* Reclaiming twice would give the quota back twice: detected. */
	expect_assert_failure(ledger_reclaim(&child));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ledger_charge_limit_typed_quota_error),
		cmocka_unit_test(test_ledger_charge_all_is_all_or_nothing),
		cmocka_unit_test(test_ledger_release_more_than_charged_asserts),
		cmocka_unit_test(test_ledger_transfer_moves_or_changes_nothing),
		cmocka_unit_test(test_ledger_donate_reclaim_exactly_once),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
