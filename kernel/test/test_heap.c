/*
 * test_heap.c - kernel tests of kmalloc/kfree: sizes, alignment, zeroing, the usage counter
 * returning to its start value, poisoning of freed objects, refusals.
 */
#include <kern/ktest.h>
#include <kern/string.h>
#include <mm/frame.h>
#include <mm/kheap.h>

#define NOBJ 300

static void test_kheap_usage_returns_to_start(struct ktest_ctx *t)
{
	static void *obj[NOBJ];
	size_t used0 = kheap_used(), live0 = kheap_live_objects(), free0 = frame_free_count();

	for (int i = 0; i < NOBJ; i++) {
		size_t size = 1 + (size_t)(i * 37) % KHEAP_MAX;
		uint8_t *p = kmalloc(size);
		KT_ASSERT(t, p != NULL);
		KT_ASSERT_EQ(t, (uint64_t)p & 15, 0);
		KT_ASSERT(t, p[0] == 0 && p[size - 1] == 0);
		memset(p, 0xa5, size);
		obj[i] = p;
	}
	KT_ASSERT(t, kheap_used() > used0);
	KT_ASSERT_EQ(t, kheap_live_objects(), live0 + NOBJ);
	for (int i = 0; i < NOBJ; i += 2) /* free in two interleaved passes */
		kfree(obj[i]);
	for (int i = 1; i < NOBJ; i += 2)
		kfree(obj[i]);
	KT_ASSERT_EQ(t, kheap_used(), used0);
	KT_ASSERT_EQ(t, kheap_live_objects(), live0);
	KT_ASSERT_EQ(t, frame_free_count(), free0); /* empty slabs went back */
}
KTEST_REGISTER(test_kheap_usage_returns_to_start);

static void test_kheap_freed_object_poisoned(struct ktest_ctx *t)
{
	uint8_t *keep = kmalloc(64), *p = kmalloc(64), *q; /* keep holds the slab */

	KT_ASSERT(t, keep != NULL && p != NULL);
	memset(p, 0x11, 64);
	kfree(p);
	for (int i = 4; i < 64; i++) /* the first 4 bytes hold the free-list link */
		KT_ASSERT_EQ(t, p[i], 0x6b);
	q = kmalloc(64); /* LIFO: the same object comes back, zeroed */
	KT_ASSERT(t, q == p);
	for (int i = 0; i < 64; i++)
		KT_ASSERT_EQ(t, q[i], 0);
	kfree(q);
	kfree(keep);
}
KTEST_REGISTER(test_kheap_freed_object_poisoned);

static void test_kheap_refuses_bad_sizes(struct ktest_ctx *t)
{
	size_t used0 = kheap_used();

	KT_ASSERT(t, kmalloc(0) == NULL);
	KT_ASSERT(t, kmalloc(KHEAP_MAX + 1) == NULL);
	kfree(NULL);
	KT_ASSERT_EQ(t, kheap_used(), used0);
}
KTEST_REGISTER(test_kheap_refuses_bad_sizes);
