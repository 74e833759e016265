/*
 * test_elig.c - host tests of page eligibility (kernel/lib/elig.c): each page kind the kernel
 * creates gets the verdict of its rule for swap and for DMA; every combination of residency
 * and bits agrees with a reference model written independently of the implementation
 * (exhaustive: 4 residencies x 512 bit masks x 2 purposes); the snapshot invariants; names.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include <lib/elig.h>

static struct elig_page pg(enum elig_residency res, unsigned bits)
{
	struct elig_page p = { (uint8_t)res, (uint16_t)bits };
	return p;
}

/* The page kinds a process can hold and the kernel's own, as the kernel marks them
 * (docs/architecture/page-eligibility.md), with the verdict for swap and for DMA. */
struct kind_case {
	const char *kind;
	unsigned bits;
	enum elig_reason swap, dma;
};

static const struct kind_case kinds[] = {
	{ "anonymous committed page", 0, ELIG_OK, ELIG_R_NOT_OBJECT },
	{ "pinned anonymous page", ELIG_PINNED, ELIG_R_PINNED, ELIG_R_NOT_OBJECT },
	{ "MemoryObject page", ELIG_OBJECT, ELIG_R_OBJECT, ELIG_R_NOT_PINNED },
	{ "pinned MemoryObject page", ELIG_OBJECT | ELIG_PINNED, ELIG_R_PINNED, ELIG_OK },
	{ "shared MemoryObject page", ELIG_OBJECT | ELIG_SHARED_IPC, ELIG_R_SHARED_IPC,
	  ELIG_R_SHARED_IPC },
	{ "SharedBuffer ring page", ELIG_OBJECT | ELIG_RING, ELIG_R_RING, ELIG_R_RING },
	{ "shared ring page", ELIG_OBJECT | ELIG_RING | ELIG_SHARED_IPC, ELIG_R_RING, ELIG_R_RING },
	{ "device-owned page", ELIG_OBJECT | ELIG_PINNED | ELIG_DMA, ELIG_R_DMA, ELIG_R_DMA },
	{ "secret page", ELIG_SECRET, ELIG_R_SECRET, ELIG_R_SECRET },
	{ "page-table page", ELIG_PAGETABLE, ELIG_R_PAGETABLE, ELIG_R_PAGETABLE },
	{ "capability table", ELIG_CAPTABLE, ELIG_R_CAPTABLE, ELIG_R_CAPTABLE },
	{ "kernel heap page", ELIG_KERNEL, ELIG_R_KERNEL, ELIG_R_KERNEL },
	{ "kernel secret page", ELIG_KERNEL | ELIG_SECRET, ELIG_R_KERNEL, ELIG_R_KERNEL },
};

/* @proves host_elig: MAM-F3 */
static void test_elig_page_kinds_get_their_verdict(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
		struct elig_page p = pg(ELIG_RES_OWNED, kinds[i].bits);
		enum elig_reason s = elig_query(&p, ELIG_FOR_SWAP), d = elig_query(&p, ELIG_FOR_DMA);
		if (s != kinds[i].swap || d != kinds[i].dma)
			fail_msg("%s: swap %s (want %s), dma %s (want %s)", kinds[i].kind,
				 elig_reason_name(s), elig_reason_name(kinds[i].swap), elig_reason_name(d),
				 elig_reason_name(kinds[i].dma));
		assert_int_equal(elig_page_check(&p), 0);
	}
}

/* @proves host_elig: MAM-F3 */
static void test_elig_not_owned_pages_refused_for_every_purpose(void **state)
{
	struct elig_page p;

	(void)state;
	for (int purpose = 0; purpose < ELIG_PURPOSE_COUNT; purpose++) {
		p = pg(ELIG_RES_FREE, 0);
		assert_int_equal(elig_query(&p, (enum elig_purpose)purpose), ELIG_R_FREE);
		p = pg(ELIG_RES_UNMANAGED, 0);
		assert_int_equal(elig_query(&p, (enum elig_purpose)purpose), ELIG_R_UNMANAGED);
		p = pg(ELIG_RES_TRANSIT, 0);
		assert_int_equal(elig_query(&p, (enum elig_purpose)purpose), ELIG_R_IN_TRANSIT);
		p = pg(ELIG_RES_COUNT, 0); /* a broken snapshot is never eligible */
		assert_int_equal(elig_query(&p, (enum elig_purpose)purpose), ELIG_R_UNMANAGED);
	}
	p = pg(ELIG_RES_OWNED, 0);
	assert_int_equal(elig_query(&p, ELIG_PURPOSE_COUNT), ELIG_R_UNMANAGED);
	assert_int_equal(elig_query(&p, (enum elig_purpose)-1), ELIG_R_UNMANAGED);
}

/* Reference model: the rules of lib/elig.h written as one list of (reason, condition) per
 * purpose, in the documented order. */
static uint32_t model_refusals(unsigned res, unsigned b, int purpose)
{
	uint32_t r = 0;
	bool swap = purpose == ELIG_FOR_SWAP;

	if (purpose < 0 || purpose >= ELIG_PURPOSE_COUNT || res >= ELIG_RES_COUNT ||
	    res == ELIG_RES_UNMANAGED)
		return 1u << ELIG_R_UNMANAGED;
	if (res == ELIG_RES_FREE)
		return 1u << ELIG_R_FREE;
	const struct { enum elig_reason why; bool applies; } rules[] = {
		{ ELIG_R_IN_TRANSIT, res == ELIG_RES_TRANSIT },
		{ ELIG_R_KERNEL, b & ELIG_KERNEL },
		{ ELIG_R_PAGETABLE, b & ELIG_PAGETABLE },
		{ ELIG_R_CAPTABLE, b & ELIG_CAPTABLE },
		{ ELIG_R_SECRET, b & ELIG_SECRET },
		{ ELIG_R_DMA, b & ELIG_DMA },
		{ ELIG_R_PINNED, swap && (b & ELIG_PINNED) },
		{ ELIG_R_RING, b & ELIG_RING },
		{ ELIG_R_SHARED_IPC, b & ELIG_SHARED_IPC },
		{ ELIG_R_OBJECT, swap && (b & ELIG_OBJECT) },
		{ ELIG_R_NOT_OBJECT, !swap && !(b & ELIG_OBJECT) },
		{ ELIG_R_NOT_PINNED, !swap && !(b & ELIG_PINNED) },
	};
	for (size_t i = 0; i < sizeof(rules) / sizeof(rules[0]); i++)
		if (rules[i].applies)
			r |= 1u << rules[i].why;
	return r;
}

/* @proves host_elig: MAM-F3 */
static void test_elig_every_combination_matches_model(void **state)
{
	unsigned checked = 0, eligible[ELIG_PURPOSE_COUNT] = { 0 };

	(void)state;
	for (unsigned res = 0; res <= ELIG_RES_COUNT; res++) {
		for (unsigned b = 0; b <= ELIG_BITS_ALL; b++) {
			struct elig_page p = pg((enum elig_residency)res, b);
			for (int purpose = -1; purpose <= ELIG_PURPOSE_COUNT; purpose++) {
				uint32_t want = model_refusals(res, b, purpose);
				uint32_t got = elig_refusals(&p, (enum elig_purpose)purpose);
				enum elig_reason q = elig_query(&p, (enum elig_purpose)purpose);
				if (got != want)
					fail_msg("res %u bits %#x purpose %d: refusals %#x, model %#x", res,
						 b, purpose, got, want);
				assert_int_equal(q, want ? (enum elig_reason)__builtin_ctz(want) : ELIG_OK);
				if (q == ELIG_OK)
					eligible[purpose]++;
				checked++;
			}
		}
	}
	assert_int_equal(checked, 5 * 512 * 4);
	/* Swap: exactly one mask (no bit) of the owned residency. DMA: OBJECT|PINNED with or
	 * without the bits that do not refuse (none: every other bit refuses), so exactly one. */
	assert_int_equal(eligible[ELIG_FOR_SWAP], 1);
	assert_int_equal(eligible[ELIG_FOR_DMA], 1);
}

/* Not a citation of MAM-F2: the eligibility bits are one of its five prerequisites, and a
 * tag here would count toward the whole item (docs/architecture/page-eligibility.md). */
static void test_elig_page_check_each_invariant(void **state)
{
	struct elig_page p;

	(void)state;
	p = pg(ELIG_RES_OWNED, 1u << 9);
	assert_int_equal(elig_page_check(&p), 1);
	p = pg(ELIG_RES_FREE, ELIG_OBJECT); /* a freed frame kept a bit: stale */
	assert_int_equal(elig_page_check(&p), 2);
	p = pg(ELIG_RES_UNMANAGED, ELIG_KERNEL);
	assert_int_equal(elig_page_check(&p), 2);
	p = pg(ELIG_RES_OWNED, ELIG_KERNEL | ELIG_PAGETABLE);
	assert_int_equal(elig_page_check(&p), 3);
	p = pg(ELIG_RES_OWNED, ELIG_CAPTABLE | ELIG_OBJECT);
	assert_int_equal(elig_page_check(&p), 3);
	p = pg(ELIG_RES_OWNED, ELIG_RING);
	assert_int_equal(elig_page_check(&p), 4);
	p = pg(ELIG_RES_OWNED, ELIG_SHARED_IPC);
	assert_int_equal(elig_page_check(&p), 4);
	p = pg(ELIG_RES_OWNED, ELIG_OBJECT | ELIG_DMA);
	assert_int_equal(elig_page_check(&p), 5);
	p = pg(ELIG_RES_TRANSIT, ELIG_PAGETABLE);
	assert_int_equal(elig_page_check(&p), 0);
	p = pg(ELIG_RES_OWNED, ELIG_KERNEL | ELIG_SECRET);
	assert_int_equal(elig_page_check(&p), 0);
}

static void test_elig_names_stable(void **state)
{
	(void)state;
	for (int r = 0; r < ELIG_REASON_COUNT; r++)
		assert_non_null(strstr(elig_reason_name((enum elig_reason)r), "ELIG_"));
	assert_string_equal(elig_reason_name(ELIG_R_PINNED), "ELIG_R_PINNED");
	assert_string_equal(elig_reason_name(ELIG_REASON_COUNT), "ELIG_<invalid>");
	assert_string_equal(elig_reason_name((enum elig_reason)-1), "ELIG_<invalid>");
	assert_string_equal(elig_purpose_name(ELIG_FOR_SWAP), "swap");
	assert_string_equal(elig_purpose_name(ELIG_FOR_DMA), "dma");
	assert_string_equal(elig_purpose_name(ELIG_PURPOSE_COUNT), "<invalid>");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_elig_page_kinds_get_their_verdict),
		cmocka_unit_test(test_elig_not_owned_pages_refused_for_every_purpose),
		cmocka_unit_test(test_elig_every_combination_matches_model),
		cmocka_unit_test(test_elig_page_check_each_invariant),
		cmocka_unit_test(test_elig_names_stable),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
