/*
 * test_kident.c - host tests of kernel object identities (kernel/lib/kident.c): ids start at
 * 1, never repeat (also from four threads at once), and an exhausted allocator fails instead
 * of wrapping back to ids it handed out.
 */
#include <pthread.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <lib/kident.h>

static void test_kident_new_monotonic_from_one(void **state)
{
	struct kident_alloc a = KIDENT_ALLOC_INIT;
	struct kident k, prev = { 0, 0 };

	(void)state;
	for (int i = 0; i < 1000; i++) {
		assert_int_equal(kident_new(&a, &k), KERR_OK);
		assert_true(k.id > prev.id);
		assert_int_equal(k.gen, 1);
		assert_false(kident_same(&k, &prev));
		prev = k;
	}
	assert_int_equal(prev.id, 1000);
}

static void test_kident_new_exhausted_fails_never_wraps(void **state)
{
	struct kident_alloc a = { KIDENT_EXHAUSTED - 2 };
	struct kident k = { 77, 77 };

	(void)state;
	assert_int_equal(kident_new(&a, &k), KERR_OK);
	assert_int_equal(k.id, KIDENT_EXHAUSTED - 2);
	assert_int_equal(kident_new(&a, &k), KERR_OK);
	assert_int_equal(k.id, KIDENT_EXHAUSTED - 1);
	for (int i = 0; i < 3; i++) {
		struct kident before = k;
		assert_int_equal(kident_new(&a, &k), KERR_NO_SLOTS);
		assert_memory_equal(&k, &before, sizeof(k)); /* untouched */
		assert_int_equal(a.next, KIDENT_EXHAUSTED);
	}
}

#define THREADS 4
#define PER_THREAD 20000

static struct kident_alloc shared = KIDENT_ALLOC_INIT;
static uint64_t got[THREADS * PER_THREAD];

static void *take(void *arg)
{
	uint64_t *out = arg;
	struct kident k;

	for (int i = 0; i < PER_THREAD; i++) {
		if (kident_new(&shared, &k) != KERR_OK)
			return NULL;
		out[i] = k.id;
	}
	return arg;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

static void test_kident_new_concurrent_unique(void **state)
{
	pthread_t t[THREADS];
	void *r;

	(void)state;
	for (int i = 0; i < THREADS; i++)
		assert_int_equal(pthread_create(&t[i], NULL, take, &got[i * PER_THREAD]), 0);
	for (int i = 0; i < THREADS; i++) {
		assert_int_equal(pthread_join(t[i], &r), 0);
		assert_ptr_equal(r, &got[i * PER_THREAD]);
	}
	qsort(got, THREADS * PER_THREAD, sizeof(uint64_t), cmp_u64);
	for (int i = 0; i < THREADS * PER_THREAD; i++)
		assert_int_equal(got[i], (uint64_t)i + 1); /* exactly 1..N, each once */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_kident_new_monotonic_from_one),
		cmocka_unit_test(test_kident_new_exhausted_fails_never_wraps),
		cmocka_unit_test(test_kident_new_concurrent_unique),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
