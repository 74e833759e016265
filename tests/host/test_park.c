/*
 * test_park.c - host tests of ParkSpace keys and waiter queues (kernel/lib/park.c): keys by
 * identity (a new object or address space never matches an old key), FIFO wake by key with a
 * count, failure of exactly the waiters of a removed range, cancellation, and every edge of
 * the park_waiter machine (illegal edges assert).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include <lib/park.h>

static const struct kident AS1 = { 10, 1 }, AS2 = { 11, 1 }, OBJ = { 12, 1 }, OBJ2 = { 13, 1 };

/* @proves host_park: MAM-C4 */
static void test_park_key_identity_not_address(void **state)
{
	struct park_key p1 = park_key_private(&AS1, 0x1000), p2 = park_key_private(&AS2, 0x1000);
	struct park_key s1 = park_key_shared(&OBJ, 0x10), s2 = park_key_shared(&OBJ2, 0x10);
	struct park_key s1b = park_key_shared(&OBJ, 0x10);
	struct kident gen2 = { OBJ.id, OBJ.gen + 1 };
	struct park_key s1g = park_key_shared(&gen2, 0x10);

	(void)state;
	assert_false(park_key_equal(&p1, &p2)); /* same address, other address space */
	assert_false(park_key_equal(&s1, &s2)); /* same offset, other object */
	assert_true(park_key_equal(&s1, &s1b)); /* any mapping of the object: the same key */
	assert_false(park_key_equal(&s1, &s1g)); /* another generation */
	/* A private key never equals a shared one, even with colliding numbers. */
	struct kident same_num = { AS1.id, AS1.gen };
	struct park_key sp = park_key_shared(&same_num, 0x1000);
	assert_false(park_key_equal(&p1, &sp));
	assert_int_equal(p1.kind, PARK_KEY_PRIVATE);
	assert_int_equal(s1.kind, PARK_KEY_SHARED);
}

static unsigned notified;
static void count_notify(struct park_waiter *w, void *ctx)
{
	(void)ctx;
	assert_int_not_equal(w->state, PARK_WAITING);
	notified++;
}

/* @proves host_park: park_waiter:PARK_IDLE->PARK_WAITING park_waiter:PARK_WAITING->PARK_WOKEN park_waiter:PARK_WOKEN->PARK_IDLE */
static void test_park_wake_fifo_by_key_with_count(void **state)
{
	struct park_queue q;
	struct park_waiter w[5];
	struct park_key a = park_key_shared(&OBJ, 0), b = park_key_shared(&OBJ, 4);

	(void)state;
	park_queue_init(&q);
	for (int i = 0; i < 5; i++) {
		park_waiter_init(&w[i], &w[i]);
		park_enqueue(&q, &w[i], i == 2 ? &b : &a, AS1.id, 0x1000);
		assert_int_equal(park_check(&q), 0);
	}
	notified = 0;
	assert_int_equal(park_wake(&q, &a, 0, count_notify, NULL), 0);
	assert_int_equal(park_wake(&q, &a, 2, count_notify, NULL), 2);
	assert_int_equal(notified, 2);
	assert_int_equal(w[0].state, PARK_WOKEN); /* oldest first */
	assert_int_equal(w[1].state, PARK_WOKEN);
	assert_int_equal(w[3].state, PARK_WAITING);
	assert_int_equal(w[2].state, PARK_WAITING); /* other key untouched */
	assert_int_equal(park_check(&q), 0);
	assert_int_equal(park_wake(&q, &a, 100, NULL, NULL), 2);
	assert_int_equal(q.count, 1);
	assert_int_equal(park_wake(&q, &b, 100, NULL, NULL), 1);
	assert_int_equal(q.count, 0);
	assert_int_equal(park_check(&q), 0);
	for (int i = 0; i < 5; i++) {
		assert_int_equal(park_finish(&w[i]), KERR_OK);
		assert_int_equal(w[i].state, PARK_IDLE);
	}
}

/* @proves host_park: MAM-C2 park_waiter:PARK_WAITING->PARK_FAILED park_waiter:PARK_FAILED->PARK_IDLE */
static void test_park_fail_range_only_its_mapping(void **state)
{
	struct park_queue q;
	struct park_waiter w[4];
	struct park_key k = park_key_shared(&OBJ, 0);

	(void)state;
	park_queue_init(&q);
	for (int i = 0; i < 4; i++)
		park_waiter_init(&w[i], NULL);
	/* Same object word, through different mappings: AS1 at 0x1000 and 0x3000, AS2 at
	 * 0x1000, AS1 at 0x2ffc (just below the range). */
	park_enqueue(&q, &w[0], &k, AS1.id, 0x1000);
	park_enqueue(&q, &w[1], &k, AS1.id, 0x3000);
	park_enqueue(&q, &w[2], &k, AS2.id, 0x1000);
	park_enqueue(&q, &w[3], &k, AS1.id, 0x2ffc);
	assert_int_equal(park_fail_range(&q, AS1.id, 0x3000, 0x4000, KERR_NOT_FOUND, NULL, NULL),
			 1);
	assert_int_equal(w[1].state, PARK_FAILED);
	assert_int_equal(w[1].result, KERR_NOT_FOUND);
	assert_int_equal(park_check(&q), 0);
	assert_int_equal(park_count_space(&q, AS1.id), 2);
	assert_int_equal(park_fail_range(&q, AS1.id, 0x1000, 0x2000, KERR_NOT_FOUND, NULL, NULL),
			 1);
	assert_int_equal(w[2].state, PARK_WAITING); /* another address space's mapping */
	assert_int_equal(park_finish(&w[1]), KERR_NOT_FOUND);
	assert_int_equal(w[1].result, KERR_OK);
	assert_int_equal(park_finish(&w[0]), KERR_NOT_FOUND);
	/* The survivors are still woken by the object's key. */
	assert_int_equal(park_wake(&q, &k, 10, NULL, NULL), 2);
	assert_int_equal(park_finish(&w[2]), KERR_OK);
	assert_int_equal(park_finish(&w[3]), KERR_OK);
	expect_assert_failure(park_fail_range(&q, AS1.id, 0, 1, KERR_OK, NULL, NULL));
}

/* @proves host_park: park_waiter:PARK_WAITING->PARK_CANCELLED park_waiter:PARK_CANCELLED->PARK_IDLE */
static void test_park_cancel_after_wake_keeps_outcome(void **state)
{
	struct park_queue q;
	struct park_waiter w[2];
	struct park_key k = park_key_private(&AS1, 0x5000);

	(void)state;
	park_queue_init(&q);
	park_waiter_init(&w[0], NULL);
	park_waiter_init(&w[1], NULL);
	park_enqueue(&q, &w[0], &k, AS1.id, 0x5000);
	park_enqueue(&q, &w[1], &k, AS1.id, 0x5000);
	assert_true(park_cancel(&q, &w[0]));
	assert_int_equal(w[0].state, PARK_CANCELLED);
	assert_int_equal(park_check(&q), 0);
	assert_int_equal(park_wake(&q, &k, 10, NULL, NULL), 1); /* the cancelled one is gone */
	assert_false(park_cancel(&q, &w[1]));                   /* woken first: stays woken */
	assert_int_equal(park_finish(&w[0]), KERR_WOULD_BLOCK);
	assert_int_equal(park_finish(&w[1]), KERR_OK);
	assert_int_equal(q.count, 0);
}

static void test_park_illegal_edges_assert(void **state)
{
	struct park_queue q;
	struct park_waiter w;
	struct park_key k = park_key_private(&AS1, 0);

	(void)state;
	park_queue_init(&q);
	park_waiter_init(&w, NULL);
	expect_assert_failure(park_waiter_transition(&w, PARK_IDLE, PARK_WOKEN));
	expect_assert_failure(park_cancel(&q, &w)); /* an idle node is in no queue */
	park_enqueue(&q, &w, &k, AS1.id, 0);
	expect_assert_failure(park_waiter_transition(&w, PARK_WAITING, PARK_IDLE));
	expect_assert_failure(park_waiter_transition(&w, PARK_IDLE, PARK_WAITING));
	assert_int_equal(park_wake(&q, &k, 1, NULL, NULL), 1);
	expect_assert_failure(park_waiter_transition(&w, PARK_WOKEN, PARK_FAILED));
	assert_int_equal(park_finish(&w), KERR_OK);
	/* park_check() sees a corrupted queue. */
	park_enqueue(&q, &w, &k, AS1.id, 0);
	q.count = 2;
	assert_int_equal(park_check(&q), 1);
	q.count = 1;
	w.result = KERR_NOT_FOUND;
	assert_int_equal(park_check(&q), 2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_park_key_identity_not_address),
		cmocka_unit_test(test_park_wake_fifo_by_key_with_count),
		cmocka_unit_test(test_park_fail_range_only_its_mapping),
		cmocka_unit_test(test_park_cancel_after_wake_keeps_outcome),
		cmocka_unit_test(test_park_illegal_edges_assert),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
