/*
 * vm.c - VirtualMemory scenario cases (issue 4), one per argument; each checks its own ledger
 * is back to its start value before exiting 0. init runs them (scenario vm_<case>) and checks
 * the exit status, its own ledger and the free-frame count afterwards.
 *   split_middle split_tail split_adjacent fixed_conflict decommit_partial recommit_zero
 *   prot_none_restore rights_bound quota_virtual quota_commit oom_global lazy_commit
 *   lazy_race: exit 0 when every check held;
 *   prot_none_fault: ends with a user page fault (present) at FIXED_AT;
 *   uncommitted_fault: ends with a user page fault (not present) at FIXED_AT + 4096;
 *   obj_release_fault: maps a MemoryObject at FIXED_AT, drops it, touches it: a fault there.
 *   lazy_commit: exits 0 when every check of CAPOS_COMMIT_LAZY held;
 *   oom_fault: lazily commits its whole commit quota at FIXED_AT and writes every page: ends
 *   with CAPOS_EXIT_OOM at the first page no frame was left for.
 *   obj_* / quota_object / full_table also need the FrameAllocator (caps[1]).
 * Capabilities: start caps Console (caps[0]); the process's own VirtualMemory and Ledger.
 */
#include <caprt.h>

#define PG 4096ull
#define RW (CAPOS_PROT_READ | CAPOS_PROT_WRITE)
#define FIXED_AT 0x300000000000ull /* fixed-address cases (non-fixed ones start lower) */

static cap_handle_t vm, led;

/* The process's ledger, every kind. */
struct snap {
	uint64_t used[CAPOS_LEDGER_KIND_COUNT];
};

static struct snap snap(void)
{
	struct snap s;
	uint64_t limit;
	for (unsigned k = 0; k < CAPOS_LEDGER_KIND_COUNT; k++)
		RT_EXPECT_ERR(ledger_usage(led, k, &s.used[k], &limit), KERR_OK);
	return s;
}

static void same(const struct snap *a, const struct snap *b)
{
	for (unsigned k = 0; k < CAPOS_LEDGER_KIND_COUNT; k++) {
		if (a->used[k] != b->used[k]) {
			rt_printf("vm: ledger kind %u: %lu != %lu\n", k, (unsigned long)a->used[k],
				  (unsigned long)b->used[k]);
			RT_ASSERT(0);
		}
	}
}

static uint64_t page_state(uint64_t va, uint64_t *prot)
{
	uint64_t st, p, max;
	RT_EXPECT_ERR(vm_query(vm, va, &st, &p, &max), KERR_OK);
	if (prot)
		*prot = p;
	return st;
}

/* Reserve n pages anywhere, commit them RW and tag page i with tag + i. */
static uint64_t fresh(unsigned n, uint64_t tag)
{
	uint64_t base;
	RT_EXPECT_ERR(vm_reserve(vm, n * PG, 0, 0, &base), KERR_OK);
	RT_EXPECT_ERR(vm_commit(vm, base, n * PG, RW), KERR_OK);
	for (unsigned i = 0; i < n; i++) {
		volatile uint64_t *p = (volatile uint64_t *)(uintptr_t)(base + i * PG);
		RT_ASSERT(p[0] == 0 && p[511] == 0); /* zero-filled */
		p[0] = tag + i;
		p[511] = ~(tag + i);
	}
	return base;
}

static void tagged(uint64_t base, unsigned i, uint64_t tag)
{
	volatile uint64_t *p = (volatile uint64_t *)(uintptr_t)(base + i * PG);
	RT_ASSERT(page_state(base + i * PG, NULL) == CAPOS_PAGE_COMMITTED);
	RT_ASSERT(p[0] == tag + i && p[511] == ~(tag + i));
}

static void case_split_middle(void)
{
	struct snap s0 = snap();
	uint64_t b = fresh(8, 100), got;
	struct snap s1 = snap();
	RT_EXPECT_ERR(vm_unmap(vm, b + 3 * PG, 2 * PG), KERR_OK);
	struct snap s2 = snap();
	RT_ASSERT(s2.used[CAPOS_LEDGER_VIRTUAL] == s1.used[CAPOS_LEDGER_VIRTUAL] - 2);
	RT_ASSERT(s2.used[CAPOS_LEDGER_COMMIT] == s1.used[CAPOS_LEDGER_COMMIT] - 2);
	for (unsigned i = 0; i < 8; i++) {
		if (i == 3 || i == 4)
			RT_ASSERT(page_state(b + i * PG, NULL) == CAPOS_PAGE_FREE);
		else
			tagged(b, i, 100);
	}
	/* The hole is free again: a fixed reserve fits exactly, and conflicts one page wider. */
	RT_EXPECT_ERR(vm_reserve(vm, 3 * PG, b + 2 * PG, CAPOS_MAP_FIXED, &got), KERR_CONFLICT);
	RT_EXPECT_ERR(vm_reserve(vm, 2 * PG, b + 3 * PG, CAPOS_MAP_FIXED, &got), KERR_OK);
	RT_ASSERT(got == b + 3 * PG && page_state(got, NULL) == CAPOS_PAGE_RESERVED);
	RT_EXPECT_ERR(vm_unmap(vm, b, 8 * PG), KERR_OK); /* three reservations at once */
	struct snap s3 = snap();
	same(&s0, &s3);
}

static void case_split_tail(void)
{
	struct snap s0 = snap();
	uint64_t b = fresh(8, 200);
	RT_EXPECT_ERR(vm_unmap(vm, b + 5 * PG, 3 * PG), KERR_OK); /* tail */
	RT_EXPECT_ERR(vm_unmap(vm, b, PG), KERR_OK);              /* head */
	RT_ASSERT(page_state(b, NULL) == CAPOS_PAGE_FREE);
	for (unsigned i = 1; i < 5; i++)
		tagged(b, i, 200);
	for (unsigned i = 5; i < 8; i++)
		RT_ASSERT(page_state(b + i * PG, NULL) == CAPOS_PAGE_FREE);
	RT_EXPECT_ERR(vm_unmap(vm, b + 4 * PG, 2 * PG), KERR_NOT_FOUND); /* page 5 is free */
	tagged(b, 4, 200); /* the failed unmap changed nothing */
	RT_EXPECT_ERR(vm_unmap(vm, b + PG, 4 * PG), KERR_OK);
	struct snap s1 = snap();
	same(&s0, &s1);
}

static void case_split_adjacent(void)
{
	struct snap s0 = snap();
	uint64_t a, b;
	RT_EXPECT_ERR(vm_reserve(vm, 4 * PG, FIXED_AT, CAPOS_MAP_FIXED, &a), KERR_OK);
	RT_EXPECT_ERR(vm_reserve(vm, 4 * PG, FIXED_AT + 4 * PG, CAPOS_MAP_FIXED, &b), KERR_OK);
	RT_ASSERT(a == FIXED_AT && b == FIXED_AT + 4 * PG);
	RT_EXPECT_ERR(vm_commit(vm, a, 8 * PG, RW), KERR_NOT_FOUND); /* not one reservation */
	RT_EXPECT_ERR(vm_commit(vm, a, 4 * PG, RW), KERR_OK);
	RT_EXPECT_ERR(vm_commit(vm, b, 4 * PG, RW), KERR_OK);
	for (unsigned i = 0; i < 8; i++)
		*(volatile uint64_t *)(uintptr_t)(a + i * PG) = 300 + i,
			*(volatile uint64_t *)(uintptr_t)(a + i * PG + 4088) = ~(300ull + i);
	RT_EXPECT_ERR(vm_unmap(vm, a + 2 * PG, 4 * PG), KERR_OK); /* across the boundary */
	for (unsigned i = 0; i < 8; i++) {
		if (i >= 2 && i < 6)
			RT_ASSERT(page_state(a + i * PG, NULL) == CAPOS_PAGE_FREE);
		else
			tagged(a, i, 300);
	}
	RT_EXPECT_ERR(vm_unmap(vm, a, 2 * PG), KERR_OK);
	RT_EXPECT_ERR(vm_unmap(vm, a + 6 * PG, 2 * PG), KERR_OK);
	struct snap s1 = snap();
	same(&s0, &s1);
}

static void case_fixed_conflict(void)
{
	struct snap s0 = snap();
	uint64_t x = FIXED_AT, got;
	RT_EXPECT_ERR(vm_reserve(vm, 4 * PG, x, CAPOS_MAP_FIXED, &got), KERR_OK);
	RT_EXPECT_ERR(vm_commit(vm, x, 4 * PG, RW), KERR_OK);
	*(volatile uint64_t *)(uintptr_t)x = 77;
	struct snap s1 = snap();
	static const int64_t starts[] = { -2, 3, 1, -1, 0 };
	static const uint64_t lens[] = { 4, 2, 1, 6, 4 };
	for (unsigned i = 0; i < 5; i++)
		RT_EXPECT_ERR(vm_reserve(vm, lens[i] * PG, x + starts[i] * (int64_t)PG,
					 CAPOS_MAP_FIXED, &got), KERR_CONFLICT);
	/* The image, stack and start record are reservations too. */
	RT_EXPECT_ERR(vm_reserve(vm, PG, 0x401000, CAPOS_MAP_FIXED, &got), KERR_CONFLICT);
	RT_EXPECT_ERR(vm_reserve(vm, PG, CAPOS_USER_STACK_TOP - PG, CAPOS_MAP_FIXED, &got),
		      KERR_CONFLICT);
	RT_EXPECT_ERR(vm_reserve(vm, PG, CAPOS_USER_START_INFO_VA, CAPOS_MAP_FIXED, &got),
		      KERR_CONFLICT);
	struct snap s2 = snap();
	same(&s1, &s2);
	RT_ASSERT(*(volatile uint64_t *)(uintptr_t)x == 77);
	/* Bad arguments. */
	RT_EXPECT_ERR(vm_reserve(vm, 0, 0, 0, &got), KERR_INVALID_ARG);
	RT_EXPECT_ERR(vm_reserve(vm, 100, 0, 0, &got), KERR_INVALID_ARG);
	RT_EXPECT_ERR(vm_reserve(vm, PG, x + 1, CAPOS_MAP_FIXED, &got), KERR_INVALID_ARG);
	RT_EXPECT_ERR(vm_reserve(vm, PG, 0, 1u << 12, &got), KERR_INVALID_ARG);
	RT_EXPECT_ERR(vm_reserve(vm, PG, CAPOS_USER_VA_END, CAPOS_MAP_FIXED, &got),
		      KERR_INVALID_ARG);
	RT_EXPECT_ERR(vm_commit(vm, x, PG, CAPOS_PROT_WRITE | CAPOS_PROT_EXEC), KERR_INVALID_ARG);
	/* A hint without FIXED is only a hint: placed elsewhere. */
	RT_EXPECT_ERR(vm_reserve(vm, 2 * PG, x, 0, &got), KERR_OK);
	RT_ASSERT(got != x && (got + 2 * PG <= x || got >= x + 4 * PG));
	RT_EXPECT_ERR(vm_unmap(vm, got, 2 * PG), KERR_OK);
	RT_EXPECT_ERR(vm_unmap(vm, x, 4 * PG), KERR_OK);
	struct snap s3 = snap();
	same(&s0, &s3);
}

static void case_decommit_partial(void)
{
	struct snap s0 = snap();
	uint64_t b = fresh(8, 400);
	struct snap s1 = snap();
	RT_EXPECT_ERR(vm_decommit(vm, b + 2 * PG, 4 * PG), KERR_OK);
	struct snap s2 = snap();
	RT_ASSERT(s2.used[CAPOS_LEDGER_COMMIT] == s1.used[CAPOS_LEDGER_COMMIT] - 4);
	RT_ASSERT(s2.used[CAPOS_LEDGER_VIRTUAL] == s1.used[CAPOS_LEDGER_VIRTUAL]);
	for (unsigned i = 0; i < 8; i++) {
		if (i >= 2 && i < 6)
			RT_ASSERT(page_state(b + i * PG, NULL) == CAPOS_PAGE_RESERVED);
		else
			tagged(b, i, 400);
	}
	RT_EXPECT_ERR(vm_decommit(vm, b + 2 * PG, 4 * PG), KERR_OK); /* already reserved: no-op */
	struct snap s3 = snap();
	same(&s2, &s3);
	RT_EXPECT_ERR(vm_decommit(vm, b + 6 * PG, 4 * PG), KERR_NOT_FOUND); /* past the end */
	tagged(b, 7, 400);
	RT_EXPECT_ERR(vm_unmap(vm, b, 8 * PG), KERR_OK);
	struct snap s4 = snap();
	same(&s0, &s4);
}

static void case_recommit_zero(void)
{
	struct snap s0 = snap();
	uint64_t b = fresh(4, 500);
	for (unsigned i = 0; i < 4 * 512; i++)
		((volatile uint64_t *)(uintptr_t)b)[i] = 0xabababababababab;
	RT_EXPECT_ERR(vm_decommit(vm, b, 4 * PG), KERR_OK);
	RT_EXPECT_ERR(vm_commit(vm, b, 4 * PG, RW), KERR_OK);
	for (unsigned i = 0; i < 4 * 512; i++)
		RT_ASSERT(((volatile uint64_t *)(uintptr_t)b)[i] == 0);
	RT_EXPECT_ERR(vm_unmap(vm, b, 4 * PG), KERR_OK);
	struct snap s1 = snap();
	same(&s0, &s1);
}

static void case_prot_none_restore(void)
{
	struct snap s0 = snap();
	uint64_t b = fresh(4, 600), prot;
	RT_EXPECT_ERR(vm_protect(vm, b + PG, 2 * PG, CAPOS_PROT_NONE), KERR_OK);
	RT_ASSERT(page_state(b + PG, &prot) == CAPOS_PAGE_COMMITTED && prot == 0);
	RT_ASSERT(page_state(b, &prot) == CAPOS_PAGE_COMMITTED && prot == RW);
	/* The kernel refuses to copy through a PROT_NONE page too. */
	RT_EXPECT_ERR(console_write(rt_console, (const void *)(uintptr_t)(b + PG), 8),
		      KERR_BAD_ADDRESS);
	RT_EXPECT_ERR(vm_protect(vm, b, 4 * PG, CAPOS_PROT_READ), KERR_OK);
	for (unsigned i = 0; i < 4; i++)
		tagged(b, i, 600); /* data preserved */
	RT_EXPECT_ERR(vm_protect(vm, b, 4 * PG, RW), KERR_OK);
	*(volatile uint64_t *)(uintptr_t)(b + PG) = 1; /* writable again */
	RT_EXPECT_ERR(vm_unmap(vm, b, 4 * PG), KERR_OK);
	struct snap s1 = snap();
	same(&s0, &s1);
}

/* Rights captured at reserve time bound every later commit and protect. */
static void case_rights_bound(void)
{
	struct snap s0 = snap();
	cap_handle_t ro;
	uint64_t b, st, prot, max;
	RT_EXPECT_ERR(cap_copy(vm, CAP_RIGHT_READ | CAP_RIGHT_MODIFY, &ro), KERR_OK);
	RT_EXPECT_ERR(vm_reserve(ro, 2 * PG, 0, 0, &b), KERR_OK);
	RT_EXPECT_ERR(vm_query(vm, b, &st, &prot, &max), KERR_OK);
	RT_ASSERT(st == CAPOS_PAGE_RESERVED && max == CAPOS_PROT_READ);
	RT_EXPECT_ERR(vm_commit(vm, b, 2 * PG, RW), KERR_NO_RIGHTS); /* even through vm */
	RT_EXPECT_ERR(vm_commit(vm, b, 2 * PG, CAPOS_PROT_READ), KERR_OK);
	RT_EXPECT_ERR(vm_protect(vm, b, 2 * PG, RW), KERR_NO_RIGHTS);
	RT_EXPECT_ERR(vm_protect(vm, b, 2 * PG, CAPOS_PROT_NONE), KERR_OK);
	RT_EXPECT_ERR(vm_protect(vm, b, 2 * PG, CAPOS_PROT_READ | CAPOS_PROT_EXEC),
		      KERR_NO_RIGHTS);
	RT_EXPECT_ERR(vm_protect(vm, b, 2 * PG, CAPOS_PROT_READ), KERR_OK);
	RT_ASSERT(*(volatile uint64_t *)(uintptr_t)b == 0);
	RT_EXPECT_ERR(vm_unmap(ro, b, 2 * PG), KERR_OK);
	RT_EXPECT_ERR(cap_drop(ro), KERR_OK);
	struct snap s1 = snap();
	same(&s0, &s1);
}

static void case_quota_virtual(void)
{
	struct snap s0 = snap();
	uint64_t used, limit, b, got;
	RT_EXPECT_ERR(ledger_usage(led, CAPOS_LEDGER_VIRTUAL, &used, &limit), KERR_OK);
	uint64_t room = limit - used;
	rt_printf("vm: virtual %lu of %lu\n", (unsigned long)used, (unsigned long)limit);
	RT_EXPECT_ERR(vm_reserve(vm, (room + 1) * PG, 0, 0, &got), KERR_QUOTA_VIRTUAL);
	struct snap s1 = snap();
	same(&s0, &s1);
	RT_EXPECT_ERR(vm_reserve(vm, room * PG, 0, 0, &b), KERR_OK);
	RT_EXPECT_ERR(vm_reserve(vm, PG, FIXED_AT, CAPOS_MAP_FIXED, &got), KERR_QUOTA_VIRTUAL);
	RT_ASSERT(page_state(FIXED_AT, NULL) == CAPOS_PAGE_FREE);
	RT_EXPECT_ERR(vm_unmap(vm, b, room * PG), KERR_OK);
	struct snap s2 = snap();
	same(&s0, &s2);
}

static void case_quota_commit(void)
{
	struct snap s0 = snap();
	uint64_t used, limit, b;
	RT_EXPECT_ERR(ledger_usage(led, CAPOS_LEDGER_COMMIT, &used, &limit), KERR_OK);
	uint64_t room = limit - used;
	rt_printf("vm: commit %lu of %lu\n", (unsigned long)used, (unsigned long)limit);
	RT_EXPECT_ERR(vm_reserve(vm, (room + 8) * PG, 0, 0, &b), KERR_OK);
	struct snap s1 = snap();
	RT_EXPECT_ERR(vm_commit(vm, b, (room + 1) * PG, RW), KERR_QUOTA_COMMIT);
	struct snap s2 = snap();
	same(&s1, &s2);
	RT_ASSERT(page_state(b, NULL) == CAPOS_PAGE_RESERVED);
	RT_EXPECT_ERR(vm_commit(vm, b, room * PG, RW), KERR_OK);
	RT_EXPECT_ERR(vm_commit(vm, b + room * PG, PG, RW), KERR_QUOTA_COMMIT);
	RT_ASSERT(page_state(b + room * PG, NULL) == CAPOS_PAGE_RESERVED);
	RT_EXPECT_ERR(vm_unmap(vm, b, (room + 8) * PG), KERR_OK);
	struct snap s3 = snap();
	same(&s0, &s3);
}

/* Page-table pages: one page per GiB needs a PD and a PT each, until the limit. */
static void case_quota_pagetable(void)
{
	struct snap s0 = snap();
	const uint64_t at = 0x200000000000ull, gib = 1ull << 30;
	uint64_t n = 0, b;
	kerr_t e = KERR_OK;
	while (n < 1000) {
		RT_EXPECT_ERR(vm_reserve(vm, PG, at + n * gib, CAPOS_MAP_FIXED, &b), KERR_OK);
		struct snap before = snap();
		e = vm_commit(vm, b, PG, RW);
		n++;
		if (e != KERR_OK) {
			struct snap after = snap();
			same(&before, &after);
			RT_ASSERT(page_state(b, NULL) == CAPOS_PAGE_RESERVED);
			break;
		}
		*(volatile uint64_t *)(uintptr_t)b = n;
	}
	rt_printf("vm: %lu one-page commits a GiB apart, then %s\n", (unsigned long)n,
		  kerr_name(e));
	RT_ASSERT(e == KERR_QUOTA_PAGETABLE);
	for (uint64_t i = 0; i < n; i++)
		RT_EXPECT_ERR(vm_unmap(vm, at + i * gib, PG), KERR_OK);
	struct snap s1 = snap();
	same(&s0, &s1);
}

/* Commit until the machine runs out of frames (the parent donated more than is free). */
static void case_oom_global(void)
{
	struct snap s0 = snap();
	uint64_t used, limit, b, n = 0;
	const uint64_t chunk = 256;
	RT_EXPECT_ERR(ledger_usage(led, CAPOS_LEDGER_COMMIT, &used, &limit), KERR_OK);
	uint64_t pages = limit - used, step = chunk;
	RT_EXPECT_ERR(vm_reserve(vm, pages * PG, 0, 0, &b), KERR_OK);
	kerr_t e = KERR_OK;
	while (n < pages && (step = pages - n < chunk ? pages - n : chunk) &&
	       (e = vm_commit(vm, b + n * PG, step * PG, RW)) == KERR_OK)
		n += step;
	rt_printf("vm: committed %lu pages, then %s\n", (unsigned long)n, kerr_name(e));
	RT_ASSERT(e == KERR_NO_MEMORY);
	struct snap s1 = snap();
	RT_ASSERT(s1.used[CAPOS_LEDGER_COMMIT] == s0.used[CAPOS_LEDGER_COMMIT] + n);
	RT_ASSERT(page_state(b + n * PG, NULL) == CAPOS_PAGE_RESERVED);
	((volatile uint64_t *)(uintptr_t)b)[0] = 1; /* what was committed works */
	RT_EXPECT_ERR(vm_unmap(vm, b, pages * PG), KERR_OK);
	struct snap s2 = snap();
	same(&s0, &s2);
}

/* -- lazy commit (CAPOS_COMMIT_LAZY) ------------------------------------------------------ */

#define LAZY (RW | CAPOS_COMMIT_LAZY)

/* Every word of pages [i, j) of b is zero. */
static void zeros(uint64_t b, unsigned i, unsigned j)
{
	for (uint64_t w = i * 512ull; w < j * 512ull; w++)
		RT_ASSERT(((volatile uint64_t *)(uintptr_t)b)[w] == 0);
}

/* Lazy commit charges COMMIT at once; first touches read zeros, data sticks; a decommit of
 * touched and untouched pages and a lazy recommit read zeros again; protect and an eager
 * commit over untouched lazy pages work; unknown commit flags are rejected. */
static void case_lazy_commit(void)
{
	struct snap s0 = snap();
	uint64_t b, prot;
	RT_EXPECT_ERR(vm_reserve(vm, 8 * PG, 0, 0, &b), KERR_OK);
	struct snap sr = snap();
	RT_EXPECT_ERR(vm_commit(vm, b, 8 * PG, RW | (1u << 10)), KERR_INVALID_ARG);
	RT_EXPECT_ERR(vm_commit(vm, b, 8 * PG, RW | CAPOS_MAP_FIXED), KERR_INVALID_ARG);
	RT_EXPECT_ERR(vm_commit(vm, b, 8 * PG, CAPOS_PROT_NONE | CAPOS_COMMIT_LAZY),
		      KERR_INVALID_ARG);
	struct snap s1 = snap();
	same(&sr, &s1); /* the rejected calls changed nothing */
	RT_ASSERT(page_state(b, NULL) == CAPOS_PAGE_RESERVED);
	RT_EXPECT_ERR(vm_commit(vm, b, 8 * PG, LAZY), KERR_OK);
	struct snap s2 = snap();
	RT_ASSERT(s2.used[CAPOS_LEDGER_COMMIT] == s0.used[CAPOS_LEDGER_COMMIT] + 8);
	RT_ASSERT(page_state(b + 7 * PG, &prot) == CAPOS_PAGE_COMMITTED && prot == RW);
	/* Kernel copies do not fill: an untouched lazy page is no user buffer yet. */
	RT_EXPECT_ERR(console_write(rt_console, (const void *)(uintptr_t)(b + 7 * PG), 8),
		      KERR_BAD_ADDRESS);
	zeros(b, 0, 4); /* first touches of pages 0..3 (reads) */
	for (unsigned i = 0; i < 4; i++) {
		volatile uint64_t *p = (volatile uint64_t *)(uintptr_t)(b + i * PG);
		p[0] = 700 + i; /* the page was mapped RW by the read fill */
		p[511] = ~(700ull + i);
	}
	for (unsigned i = 0; i < 4; i++)
		tagged(b, i, 700);
	/* Page 4: PROT_NONE and back while untouched, then it still reads zeros. */
	RT_EXPECT_ERR(vm_protect(vm, b + 4 * PG, PG, CAPOS_PROT_NONE), KERR_OK);
	RT_EXPECT_ERR(vm_protect(vm, b + 4 * PG, PG, RW), KERR_OK);
	zeros(b, 4, 5);
	/* Pages 5..7: an eager commit over untouched lazy pages fills them; no new charge. */
	RT_EXPECT_ERR(vm_commit(vm, b + 5 * PG, 3 * PG, RW), KERR_OK);
	struct snap s3 = snap();
	RT_ASSERT(s3.used[CAPOS_LEDGER_COMMIT] == s2.used[CAPOS_LEDGER_COMMIT]);
	zeros(b, 5, 8);
	for (unsigned i = 0; i < 8 * 512; i++)
		((volatile uint64_t *)(uintptr_t)b)[i] = 0xcdcdcdcdcdcdcdcd;
	/* Every page is filled and dirty: decommit, recommit lazily, touch pages 0..1 only, then
	 * decommit 2 touched and 6 untouched pages together, recommit lazily: all zeros. */
	RT_EXPECT_ERR(vm_decommit(vm, b, 8 * PG), KERR_OK);
	RT_EXPECT_ERR(vm_commit(vm, b, 8 * PG, LAZY), KERR_OK);
	zeros(b, 0, 2);
	RT_EXPECT_ERR(vm_decommit(vm, b, 8 * PG), KERR_OK);
	RT_ASSERT(page_state(b, NULL) == CAPOS_PAGE_RESERVED);
	RT_EXPECT_ERR(vm_commit(vm, b, 8 * PG, LAZY), KERR_OK);
	zeros(b, 0, 8);
	RT_EXPECT_ERR(vm_unmap(vm, b, 8 * PG), KERR_OK);
	struct snap s4 = snap();
	same(&s0, &s4);
}

#define RACERS 4           /* threads touching the same lazy pages at once */
#define RACE_PAGES 64
#define RACER_STACK 16384
static uint8_t racer_stacks[RACERS][RACER_STACK] __attribute__((aligned(16)));
static uint64_t race_base;
static uint32_t race_go;

/* Racer i writes word i of every page (first touches race with the other racers'). */
static uint64_t racer(void *arg, cap_handle_t self)
{
	uint64_t i = (uint64_t)(uintptr_t)arg;
	(void)self;
	while (!__atomic_load_n(&race_go, __ATOMIC_ACQUIRE))
		;
	for (unsigned p = 0; p < RACE_PAGES; p++)
		((volatile uint64_t *)(uintptr_t)(race_base + p * PG))[i] = 0x100 * (p + 1) + i;
	return i;
}

/* Four threads write untouched lazy pages at once: each page is filled once (a second fill
 * would replace a frame and lose a racer's word), every word survives, no charge moves. */
static void case_lazy_race(void)
{
	struct snap s0 = snap();
	cap_handle_t t[RACERS];
	RT_EXPECT_ERR(vm_reserve(vm, RACE_PAGES * PG, 0, 0, &race_base), KERR_OK);
	RT_EXPECT_ERR(vm_commit(vm, race_base, RACE_PAGES * PG, LAZY), KERR_OK);
	struct snap s1 = snap();
	for (unsigned i = 1; i < RACERS; i++)
		RT_EXPECT_ERR(thread_start(racer, (void *)(uintptr_t)i, racer_stacks[i] + RACER_STACK,
					   &t[i]), KERR_OK);
	__atomic_store_n(&race_go, 1, __ATOMIC_RELEASE);
	racer((void *)0, CAP_HANDLE_NONE);
	for (unsigned i = 1; i < RACERS; i++) {
		uint64_t v;
		RT_EXPECT_ERR(thread_wait(t[i], &v), KERR_OK);
		RT_ASSERT(v == i);
	}
	for (unsigned p = 0; p < RACE_PAGES; p++) {
		volatile uint64_t *w = (volatile uint64_t *)(uintptr_t)(race_base + p * PG);
		for (unsigned i = 0; i < RACERS; i++)
			RT_ASSERT(w[i] == 0x100 * (p + 1) + i);
		RT_ASSERT(w[RACERS] == 0 && w[511] == 0);
	}
	struct snap s2 = snap();
	same(&s1, &s2);
	RT_EXPECT_ERR(vm_unmap(vm, race_base, RACE_PAGES * PG), KERR_OK);
	struct snap s3 = snap();
	same(&s0, &s3);
}

/* Lazily commit the whole commit quota (more than the machine has free frames) at FIXED_AT
 * and write every page: a first touch finds no frame and the process ends with
 * CAPOS_EXIT_OOM at that page. Never returns normally. */
static void lazy_oom(void)
{
	uint64_t used, limit, b;
	RT_EXPECT_ERR(ledger_usage(led, CAPOS_LEDGER_COMMIT, &used, &limit), KERR_OK);
	uint64_t pages = limit - used;
	RT_EXPECT_ERR(vm_reserve(vm, pages * PG, FIXED_AT, CAPOS_MAP_FIXED, &b), KERR_OK);
	RT_EXPECT_ERR(vm_commit(vm, b, pages * PG, LAZY), KERR_OK); /* no frame needed yet */
	rt_printf("vm: lazily committed %lu pages; touching them\n", (unsigned long)pages);
	for (uint64_t i = 0; i < pages; i++) {
		((volatile uint64_t *)(uintptr_t)(b + i * PG))[0] = i + 1;
		if (i % 16384 == 0)
			rt_printf("vm: touched %lu pages\n", (unsigned long)i);
	}
	rt_printf("vm: touched all %lu pages without running out\n", (unsigned long)pages);
}

/* -- MemoryObjects ------------------------------------------------------------------------- */

static cap_handle_t fa;

static uint64_t objmap(cap_handle_t o, uint64_t addr, uint64_t off, uint64_t pages,
		       uint64_t flags)
{
	uint64_t base;
	RT_EXPECT_ERR(memobj_map(o, vm, addr, off * PG, pages * PG, RW | flags, &base), KERR_OK);
	RT_ASSERT(page_state(base, NULL) == CAPOS_PAGE_OBJECT_MAPPED);
	return base;
}

static void case_obj_map_unmap(void)
{
	struct snap s0 = snap();
	cap_handle_t o;
	uint64_t pages, got;
	RT_EXPECT_ERR(frame_allocate(fa, 4, &o), KERR_OK);
	RT_ASSERT(cap_invoke(o, CAP_MEMOBJ_INFO, 0, 0, 0, 0, 0).r0 == 4);
	struct snap s1 = snap();
	RT_ASSERT(s1.used[CAPOS_LEDGER_OBJECT] == s0.used[CAPOS_LEDGER_OBJECT] + 4);
	uint64_t a = objmap(o, 0, 0, 4, 0);
	uint64_t b = objmap(o, FIXED_AT, 1, 2, CAPOS_MAP_FIXED); /* pages 1..2 again */
	RT_ASSERT(b == FIXED_AT);
	struct snap s2 = snap();
	RT_ASSERT(s2.used[CAPOS_LEDGER_MAPPING] == s0.used[CAPOS_LEDGER_MAPPING] + 6);
	for (unsigned i = 0; i < 4; i++)
		RT_ASSERT(((volatile uint64_t *)(uintptr_t)(a + i * PG))[0] == 0); /* zeroed */
	*(volatile uint64_t *)(uintptr_t)(b + PG) = 0x5eed;  /* object page 2 */
	RT_ASSERT(*(volatile uint64_t *)(uintptr_t)(a + 2 * PG) == 0x5eed);
	/* Anonymous operations do not touch object mappings. */
	RT_EXPECT_ERR(vm_unmap(vm, a, PG), KERR_CONFLICT);
	RT_EXPECT_ERR(vm_commit(vm, a, PG, RW), KERR_CONFLICT);
	RT_EXPECT_ERR(vm_reserve(vm, PG, b, CAPOS_MAP_FIXED, &got), KERR_CONFLICT);
	RT_EXPECT_ERR(memobj_map(o, vm, b + PG, 0, PG, RW | CAPOS_MAP_FIXED, &got), KERR_CONFLICT);
	RT_EXPECT_ERR(memobj_map(o, vm, 0, 3 * PG, 2 * PG, RW, &got), KERR_INVALID_ARG);
	/* Split an object mapping in the middle, then unmap the pieces. */
	RT_EXPECT_ERR(memobj_unmap(o, vm, a + PG, 2 * PG), KERR_OK);
	RT_ASSERT(page_state(a + PG, NULL) == CAPOS_PAGE_FREE);
	RT_ASSERT(*(volatile uint64_t *)(uintptr_t)(b + PG) == 0x5eed);
	RT_EXPECT_ERR(memobj_unmap(o, vm, a, PG), KERR_OK);
	RT_EXPECT_ERR(memobj_unmap(o, vm, a + 3 * PG, PG), KERR_OK);
	RT_EXPECT_ERR(memobj_unmap(o, vm, b, 2 * PG), KERR_OK);
	struct snap s3 = snap();
	same(&s1, &s3);
	(void)pages;
	RT_EXPECT_ERR(cap_drop(o), KERR_OK);
	struct snap s4 = snap();
	same(&s0, &s4);
}

static void case_obj_wrong_object(void)
{
	struct snap s0 = snap();
	cap_handle_t x, y;
	RT_EXPECT_ERR(frame_allocate(fa, 2, &x), KERR_OK);
	RT_EXPECT_ERR(frame_allocate(fa, 2, &y), KERR_OK);
	uint64_t a = objmap(x, FIXED_AT, 0, 2, CAPOS_MAP_FIXED);
	uint64_t b = objmap(y, 0, 0, 2, 0);
	uint64_t anon = fresh(2, 800);
	*(volatile uint64_t *)(uintptr_t)a = 11;
	struct snap s1 = snap();
	RT_EXPECT_ERR(memobj_unmap(y, vm, a, PG), KERR_WRONG_OBJECT);
	RT_EXPECT_ERR(memobj_unmap(x, vm, b, 2 * PG), KERR_WRONG_OBJECT);
	RT_EXPECT_ERR(memobj_unmap(x, vm, anon, PG), KERR_WRONG_OBJECT);
	RT_EXPECT_ERR(memobj_unmap(x, vm, a, 3 * PG), KERR_NOT_FOUND); /* runs past the mapping */
	RT_EXPECT_ERR(memobj_protect(y, vm, a, PG, CAPOS_PROT_READ), KERR_WRONG_OBJECT);
	RT_EXPECT_ERR(memobj_unmap(x, rt_console, a, PG), KERR_WRONG_TYPE);
	struct snap s2 = snap();
	same(&s1, &s2);
	RT_ASSERT(page_state(a, NULL) == CAPOS_PAGE_OBJECT_MAPPED &&
		  *(volatile uint64_t *)(uintptr_t)a == 11);
	tagged(anon, 1, 800);
	RT_EXPECT_ERR(memobj_protect(x, vm, a, 2 * PG, CAPOS_PROT_READ), KERR_OK);
	RT_ASSERT(*(volatile uint64_t *)(uintptr_t)a == 11);
	RT_EXPECT_ERR(memobj_protect(x, vm, a, 2 * PG, RW), KERR_OK);
	RT_EXPECT_ERR(vm_unmap(vm, anon, 2 * PG), KERR_OK);
	RT_EXPECT_ERR(cap_drop(x), KERR_OK); /* releases tear the mappings down */
	RT_EXPECT_ERR(cap_drop(y), KERR_OK);
	struct snap s3 = snap();
	same(&s0, &s3);
}

/* Dropping the last capability unmaps the object everywhere; a copy keeps it alive. */
static void case_obj_release(void)
{
	struct snap s0 = snap();
	cap_handle_t o, copy;
	RT_EXPECT_ERR(frame_allocate(fa, 3, &o), KERR_OK);
	uint64_t a = objmap(o, 0, 0, 3, 0), b = objmap(o, 0, 2, 1, 0);
	*(volatile uint64_t *)(uintptr_t)(a + 2 * PG) = 99;
	RT_EXPECT_ERR(cap_copy(o, CAP_RIGHT_MAP, &copy), KERR_OK);
	RT_EXPECT_ERR(cap_drop(o), KERR_OK);
	RT_ASSERT(*(volatile uint64_t *)(uintptr_t)b == 99); /* still mapped through the copy */
	RT_EXPECT_ERR(cap_drop(copy), KERR_OK);
	RT_ASSERT(page_state(a, NULL) == CAPOS_PAGE_FREE && page_state(b, NULL) == CAPOS_PAGE_FREE);
	struct snap s1 = snap();
	same(&s0, &s1);
}

static void case_quota_object(void)
{
	struct snap s0 = snap();
	uint64_t used, limit;
	cap_handle_t o;
	RT_EXPECT_ERR(ledger_usage(led, CAPOS_LEDGER_OBJECT, &used, &limit), KERR_OK);
	RT_EXPECT_ERR(frame_allocate(fa, limit - used + 1, &o), KERR_QUOTA_OBJECT);
	struct snap s1 = snap();
	same(&s0, &s1);
	RT_EXPECT_ERR(frame_allocate(fa, limit - used, &o), KERR_OK);
	RT_EXPECT_ERR(frame_allocate(fa, 1, &o), KERR_QUOTA_OBJECT);
	RT_EXPECT_ERR(frame_allocate(fa, 0, &o), KERR_INVALID_ARG);
	RT_EXPECT_ERR(cap_drop(o), KERR_OK);
	/* Borrowed mappings have their own quota. */
	RT_EXPECT_ERR(ledger_usage(led, CAPOS_LEDGER_MAPPING, &used, &limit), KERR_OK);
	uint64_t half = (limit - used) / 2 + 1, got;
	RT_EXPECT_ERR(frame_allocate(fa, half, &o), KERR_OK);
	uint64_t a = objmap(o, 0, 0, half, 0);
	struct snap s3 = snap();
	RT_EXPECT_ERR(memobj_map(o, vm, 0, 0, half * PG, RW, &got), KERR_QUOTA_MAPPING);
	struct snap s4 = snap();
	same(&s3, &s4);
	RT_EXPECT_ERR(memobj_unmap(o, vm, a, half * PG), KERR_OK);
	RT_EXPECT_ERR(cap_drop(o), KERR_OK);
	struct snap s2 = snap();
	same(&s0, &s2);
}

/* A full capability table: the allocation cannot publish its result and is rolled back. */
static void case_full_table(void)
{
	static cap_handle_t copies[128];
	unsigned n = 0;
	cap_handle_t o;
	kerr_t e = KERR_OK;
	struct snap s0 = snap();
	while (n < 128 && (e = cap_copy(led, CAP_RIGHT_READ, &copies[n])) == KERR_OK)
		n++;
	RT_ASSERT(e == KERR_NO_SLOTS);
	struct snap s1 = snap();
	RT_EXPECT_ERR(frame_allocate(fa, 8, &o), KERR_PUBLISH_FAILED);
	struct snap s2 = snap();
	same(&s1, &s2);
	for (unsigned i = 0; i < n; i++)
		RT_EXPECT_ERR(cap_drop(copies[i]), KERR_OK);
	RT_EXPECT_ERR(frame_allocate(fa, 8, &o), KERR_OK);
	RT_EXPECT_ERR(cap_drop(o), KERR_OK);
	struct snap s3 = snap();
	same(&s0, &s3);
}

/* Leave everything behind: exit (or a fault) must release it all exactly once. */
static void make_mess(void)
{
	cap_handle_t o, copy;
	uint64_t b = fresh(16, 900), got;
	RT_EXPECT_ERR(vm_decommit(vm, b + 4 * PG, 4 * PG), KERR_OK);
	RT_EXPECT_ERR(vm_protect(vm, b + 8 * PG, 2 * PG, CAPOS_PROT_NONE), KERR_OK);
	RT_EXPECT_ERR(vm_reserve(vm, 64 * PG, 0, 0, &got), KERR_OK);
	RT_EXPECT_ERR(frame_allocate(fa, 8, &o), KERR_OK);
	objmap(o, 0, 0, 8, 0);
	objmap(o, FIXED_AT, 2, 3, CAPOS_MAP_FIXED);
	RT_EXPECT_ERR(cap_copy(o, CAP_RIGHT_MAP, &copy), KERR_OK);
	RT_EXPECT_ERR(frame_allocate(fa, 2, &o), KERR_OK); /* held, never mapped */
	struct snap s = snap();
	rt_printf("vm: leaving virtual %lu commit %lu object %lu mapping %lu pagetable %lu\n",
		  (unsigned long)s.used[CAPOS_LEDGER_VIRTUAL], (unsigned long)s.used[CAPOS_LEDGER_COMMIT],
		  (unsigned long)s.used[CAPOS_LEDGER_OBJECT], (unsigned long)s.used[CAPOS_LEDGER_MAPPING],
		  (unsigned long)s.used[CAPOS_LEDGER_PAGETABLE]);
}

static void case_exit_dirty(void)
{
	make_mess();
}

static void fault_at(uint64_t va)
{
	rt_printf("vm: touching 0x%lx\n", (unsigned long)va);
	(void)*(volatile uint64_t *)(uintptr_t)va;
}

struct vcase {
	const char *name;
	void (*run)(void);
};

static const struct vcase cases[] = {
	{ "split_middle", case_split_middle },
	{ "split_tail", case_split_tail },
	{ "split_adjacent", case_split_adjacent },
	{ "fixed_conflict", case_fixed_conflict },
	{ "decommit_partial", case_decommit_partial },
	{ "recommit_zero", case_recommit_zero },
	{ "prot_none_restore", case_prot_none_restore },
	{ "rights_bound", case_rights_bound },
	{ "quota_virtual", case_quota_virtual },
	{ "quota_commit", case_quota_commit },
	{ "oom_global", case_oom_global },
	{ "quota_pagetable", case_quota_pagetable },
	{ "exit_dirty", case_exit_dirty },
	{ "obj_map_unmap", case_obj_map_unmap },
	{ "obj_wrong_object", case_obj_wrong_object },
	{ "obj_release", case_obj_release },
	{ "quota_object", case_quota_object },
	{ "full_table", case_full_table },
	{ "lazy_commit", case_lazy_commit },
	{ "lazy_race", case_lazy_race },
};

int main(const struct capos_start_info *si)
{
	uint64_t b;
	vm = si->vm;
	led = si->ledger;
	fa = si->ncaps > 1 ? si->caps[1] : CAP_HANDLE_NONE;
	if (!strcmp(si->arg, "prot_none_fault")) {
		RT_EXPECT_ERR(vm_protect(vm, FIXED_AT, PG, CAPOS_PROT_NONE), KERR_NOT_FOUND);
		RT_EXPECT_ERR(vm_reserve(vm, 2 * PG, FIXED_AT, CAPOS_MAP_FIXED, &b), KERR_OK);
		RT_EXPECT_ERR(vm_commit(vm, b, 2 * PG, RW), KERR_OK);
		*(volatile uint64_t *)(uintptr_t)b = 1;
		RT_EXPECT_ERR(vm_protect(vm, b, PG, CAPOS_PROT_NONE), KERR_OK);
		*(volatile uint64_t *)(uintptr_t)(b + PG) = 2; /* its neighbour still works */
		fault_at(b);
		return 1;
	}
	if (!strcmp(si->arg, "obj_release_fault")) {
		cap_handle_t o;
		RT_EXPECT_ERR(frame_allocate(fa, 1, &o), KERR_OK);
		b = objmap(o, FIXED_AT, 0, 1, CAPOS_MAP_FIXED);
		*(volatile uint64_t *)(uintptr_t)b = 1;
		RT_EXPECT_ERR(cap_drop(o), KERR_OK);
		fault_at(b);
		return 1;
	}
	if (!strcmp(si->arg, "fault_dirty")) { /* everything left behind, then a fault */
		make_mess();
		fault_at(FIXED_AT + 64 * PG);
		return 1;
	}
	if (!strcmp(si->arg, "oom_fault")) { /* ends with CAPOS_EXIT_OOM */
		lazy_oom();
		return 1;
	}
	if (!strcmp(si->arg, "uncommitted_fault")) {
		RT_EXPECT_ERR(vm_reserve(vm, 2 * PG, FIXED_AT, CAPOS_MAP_FIXED, &b), KERR_OK);
		fault_at(b + PG);
		return 1;
	}
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		if (!strcmp(si->arg, cases[i].name)) {
			cases[i].run();
			rt_printf("vm: %s: all checks held\n", cases[i].name);
			return 0;
		}
	}
	rt_printf("vm: unknown case '%s'\n", si->arg);
	return 2;
}
