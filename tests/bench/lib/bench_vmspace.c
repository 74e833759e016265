/*
 * bench_vmspace.c - instruction counts per reserve, lookup and release of kernel/lib's
 * address-space bookkeeping (vmspace over the AVL reservation map) with 1k, 10k, 100k and
 * 1M live reservations. Run under callgrind by run.sh: collection is off except around each
 * measured loop (CALLGRIND_TOGGLE_COLLECT), and each loop is dumped under its own label, so
 * setup never counts. Not a CTest test (HACKING.md: benchmarks are run by hand).
 *
 * Layout: N one-page reservations at every other page, so every gap is one page. Measured,
 * K operations each, at pseudo-random places (fixed seed):
 *   lookup         vmspace_lookup of a live reservation's page
 *   reserve_fixed  VM_FIXED one page into a distinct one-page gap (no-replace check + insert)
 *   reserve_hint   two pages at a hint: no gap near the hint fits, so first fit must search
 *                  the gap-augmented tree to the tail (the worst case the augmentation serves)
 *   release        vmspace_unmap of a distinct whole live reservation
 */
#include <stdio.h>
#include <stdlib.h>
#include <valgrind/callgrind.h>

#include <lib/vmspace.h>

#define K 1000
#define LO ((uint64_t)1 << 32)

void capos_assert_fail(const char *expr, const char *file, int line)
{
	fprintf(stderr, "KASSERT failed: %s at %s:%d\n", expr, file, line);
	abort();
}

/* A free-list allocator of fixed-size blocks, so the counts are the library's, not malloc's. */
struct pool {
	void *free;
};

static void *pool_alloc(void *ctx, size_t size)
{
	struct pool *p = ctx;
	void *b = p->free;

	if (size > sizeof(struct vmres))
		return malloc(size);
	if (!b)
		return malloc(sizeof(struct vmres));
	p->free = *(void **)b;
	return b;
}

static void pool_free(void *ctx, void *b, size_t size)
{
	struct pool *p = ctx;

	if (size > sizeof(struct vmres)) {
		free(b);
		return;
	}
	*(void **)b = p->free;
	p->free = b;
}

static uint64_t rnd(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

/* The k-th of n distinct indices spread over [0, n) (7919 is prime, n a power of ten; k < n). */
static uint64_t spread(uint64_t k, uint64_t n)
{
	return (k * 7919) % n;
}

static void die(const char *what, kerr_t err)
{
	fprintf(stderr, "bench: %s: %s\n", what, kerr_name(err));
	exit(1);
}

static void bench(uint64_t n)
{
	uint64_t lim[LEDGER_KIND_COUNT] = { ~0ull, ~0ull, ~0ull, ~0ull, ~0ull, ~0ull };
	uint64_t pages = 4 * n + 4 * K, s = 0x9e3779b97f4a7c15ull, at, sink = 0;
	struct pool pool = { NULL };
	struct lib_alloc hook = { pool_alloc, pool_free, &pool };
	struct ledger led;
	struct vmspace as;
	struct vm_info vi;
	char label[64];
	kerr_t err;

	ledger_init(&led, lim);
	if ((err = vmspace_init(&as, LO, LO + pages * PAGE_SIZE, &led, &hook)) != KERR_OK)
		die("init", err);
	for (uint64_t i = 0; i < n; i++)
		if ((err = vmspace_reserve(&as, LO + 2 * i * PAGE_SIZE, PAGE_SIZE, VM_FIXED,
					   VM_PROT_ALL, &at)) != KERR_OK)
			die("setup", err);

	CALLGRIND_TOGGLE_COLLECT;
	for (int k = 0; k < K; k++)
		sink += vmspace_lookup(&as, LO + 2 * (rnd(&s) % n) * PAGE_SIZE, &vi) + vi.base;
	CALLGRIND_TOGGLE_COLLECT;
	snprintf(label, sizeof(label), "lookup %llu", (unsigned long long)n);
	CALLGRIND_DUMP_STATS_AT(label);

	CALLGRIND_TOGGLE_COLLECT;
	for (int k = 0; k < K; k++) {
		uint64_t gap = 2 * spread(k, n) + 1;

		if ((err = vmspace_reserve(&as, LO + gap * PAGE_SIZE, PAGE_SIZE, VM_FIXED,
					   VM_PROT_ALL, &at)) != KERR_OK)
			die("reserve_fixed", err);
	}
	CALLGRIND_TOGGLE_COLLECT;
	snprintf(label, sizeof(label), "reserve_fixed %llu", (unsigned long long)n);
	CALLGRIND_DUMP_STATS_AT(label);

	CALLGRIND_TOGGLE_COLLECT;
	for (int k = 0; k < K; k++)
		if ((err = vmspace_reserve(&as, LO + (rnd(&s) % (2 * n)) * PAGE_SIZE, 2 * PAGE_SIZE, 0,
					   VM_PROT_ALL, &at)) != KERR_OK)
			die("reserve_hint", err);
	CALLGRIND_TOGGLE_COLLECT;
	snprintf(label, sizeof(label), "reserve_hint %llu", (unsigned long long)n);
	CALLGRIND_DUMP_STATS_AT(label);

	CALLGRIND_TOGGLE_COLLECT;
	for (int k = 0; k < K; k++) {
		uint64_t page = 2 * spread(k + K, n);

		if ((err = vmspace_unmap(&as, LO + page * PAGE_SIZE, PAGE_SIZE)) != KERR_OK)
			die("release", err);
	}
	CALLGRIND_TOGGLE_COLLECT;
	snprintf(label, sizeof(label), "release %llu", (unsigned long long)n);
	CALLGRIND_DUMP_STATS_AT(label);

	if (!vmspace_check(&as))
		die("check", KERR_INVALID_ARG);
	vmspace_destroy(&as);
	while (pool.free) {
		void *b = pool.free;

		pool.free = *(void **)b;
		free(b);
	}
	printf("n=%llu done (%llu)\n", (unsigned long long)n, (unsigned long long)sink);
}

int main(int argc, char **argv)
{
	for (int i = 1; i < argc; i++)
		bench(strtoull(argv[i], NULL, 10));
	if (argc < 2) {
		fprintf(stderr, "usage: bench_vmspace N...\n");
		return 2;
	}
	return 0;
}
