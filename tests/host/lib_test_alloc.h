/*
 * lib_test_alloc.h - the allocator hook the kernel/lib host tests pass to vmspace: counts
 * live allocations (so a leak or double free fails the test) and can fail the Nth allocation
 * (allocation-failure injection at every allocation point). Header-only: tests/host builds one
 * program per test_*.c file.
 */
#ifndef CAPOS_TEST_LIB_ALLOC_H
#define CAPOS_TEST_LIB_ALLOC_H

#include <stdlib.h>

#include <lib/alloc.h>

struct test_alloc {
	long calls;   /* allocations attempted */
	long fail_at; /* index of the attempt that fails (-1: none) */
	long live;    /* allocations not yet freed */
	long bytes;   /* bytes not yet freed */
};

static void *test_alloc_alloc(void *ctx, size_t size)
{
	struct test_alloc *t = ctx;

	if (t->calls++ == t->fail_at)
		return NULL;
	t->live++;
	t->bytes += (long)size;
	return malloc(size);
}

static void test_alloc_free(void *ctx, void *p, size_t size)
{
	struct test_alloc *t = ctx;

	t->live--;
	t->bytes -= (long)size;
	free(p);
}

static inline struct lib_alloc test_alloc_hook(struct test_alloc *t)
{
	t->calls = 0;
	t->fail_at = -1;
	t->live = 0;
	t->bytes = 0;
	return (struct lib_alloc){ test_alloc_alloc, test_alloc_free, t };
}

#endif /* CAPOS_TEST_LIB_ALLOC_H */
