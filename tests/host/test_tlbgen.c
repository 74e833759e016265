/*
 * test_tlbgen.c - host tests of the TLB shootdown bookkeeping (kernel/lib/tlbgen.c): one round
 * per gather whatever its page count, IPI targets = resident & ~self, a local flush only when
 * the issuing CPU is resident, frames released only once every CPU of the unhook-time snapshot
 * acknowledged (in any order, or by leaving), typed errors that change nothing, the counters,
 * and a seeded random run against a naive model with the invariants checked after every step.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <lib/tlbgen.h>

static void issue(struct tlbgen_gather *g, struct tlbgen_as *as, uint32_t pages,
		  uint32_t frames, tlbgen_mask_t resident, unsigned self, struct tlbgen_round *r)
{
	tlbgen_gather_init(g, as);
	assert_int_equal(tlbgen_gather_add_pages(g, pages), KERR_OK);
	if (frames)
		assert_int_equal(tlbgen_gather_add_frames(g, frames), KERR_OK);
	assert_int_equal(tlbgen_gather_issue(g, resident, self, r), KERR_OK);
	assert_int_equal(tlbgen_check(as), 0);
	assert_int_equal(tlbgen_gather_check(g), 0);
}

/* The mutators, each followed by the validators (invariants checked after every mutation). */
static kerr_t ack(struct tlbgen_as *as, unsigned cpu, uint64_t gen)
{
	kerr_t e = tlbgen_ack(as, cpu, gen);

	assert_int_equal(tlbgen_check(as), 0);
	return e;
}

static kerr_t cpu_left(struct tlbgen_as *as, unsigned cpu)
{
	kerr_t e = tlbgen_cpu_left(as, cpu);

	assert_int_equal(tlbgen_check(as), 0);
	return e;
}

static kerr_t finish(struct tlbgen_gather *g)
{
	kerr_t e = tlbgen_gather_finish(g);

	assert_int_equal(tlbgen_check(g->as), 0);
	assert_int_equal(tlbgen_gather_check(g), 0);
	return e;
}

/* @proves host_tlbgen: MAM-D2 */
static void test_tlbgen_targets_resident_other_than_self(void **state)
{
	struct tlbgen_as as;
	struct tlbgen_gather g;
	struct tlbgen_round r;

	(void)state;
	tlbgen_as_init(&as);
	/* Resident on the caller (CPU 0) and CPUs 1..3: three IPIs and a local flush. */
	issue(&g, &as, 1, 0, 0xf, 0, &r);
	assert_int_equal(r.targets, 0xe);
	assert_true(r.local);
	assert_int_equal(as.c.ipis_sent, 3);
	/* Resident on the caller only: no IPI, a local flush. */
	issue(&g, &as, 1, 0, 0x1, 0, &r);
	assert_int_equal(r.targets, 0);
	assert_true(r.local);
	assert_int_equal(as.c.ipis_sent, 3);
	assert_int_equal(as.c.local_flushes, 2);
	/* Resident elsewhere only: IPIs, no local flush (the caller has nothing cached). */
	issue(&g, &as, 1, 0, 0xa, 0, &r);
	assert_int_equal(r.targets, 0xa);
	assert_false(r.local);
	/* Resident nowhere: no flush at all, complete at once. */
	issue(&g, &as, 1, 0, 0, 2, &r);
	assert_int_equal(r.targets, 0);
	assert_false(r.local);
	assert_true(tlbgen_gather_complete(&g));
	assert_int_equal(as.c.ipis_sent, 5);
	assert_int_equal(as.c.local_flushes, 2);
	assert_int_equal(as.c.rounds, 4);
	assert_int_equal(as.gen, 4);
}

/* @proves host_tlbgen: MAM-D2 */
static void test_tlbgen_one_round_whatever_page_count(void **state)
{
	static const uint32_t counts[] = { 1, 16, 512, TLBGEN_FLUSH_ALL_PAGES,
					   TLBGEN_FLUSH_ALL_PAGES + 1 };
	struct tlbgen_as as;
	struct tlbgen_gather g;
	struct tlbgen_round r;

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(counts); i++) {
		tlbgen_as_init(&as);
		tlbgen_gather_init(&g, &as);
		/* Pages added one at a time: still one round. */
		for (uint32_t p = 0; p < counts[i]; p++)
			assert_int_equal(tlbgen_gather_add_pages(&g, 1), KERR_OK);
		assert_int_equal(tlbgen_gather_add_frames(&g, counts[i]), KERR_OK);
		assert_int_equal(tlbgen_gather_issue(&g, 0x7, 0, &r), KERR_OK);
		assert_int_equal(as.c.rounds, 1);
		assert_int_equal(as.c.ipis_sent, 2);
		assert_int_equal(as.c.pages, counts[i]);
		assert_int_equal(as.gen, 1);
		assert_int_equal(r.flush_all, counts[i] > TLBGEN_FLUSH_ALL_PAGES);
		assert_int_equal(as.c.full_flushes, counts[i] > TLBGEN_FLUSH_ALL_PAGES);
		assert_int_equal(as.c.frames_deferred, counts[i]);
		assert_int_equal(as.frames_pending, counts[i]);
		assert_int_equal(tlbgen_check(&as), 0);
	}
}

/* @proves host_tlbgen: MAM-D2 */
/* The round goes OPEN -> ISSUED (issue) and ISSUED -> DONE only after the last snapshot ack:
 * @proves host_tlbgen: tlbgen_gather:TLBGEN_GATHER_OPEN->TLBGEN_GATHER_ISSUED
 * @proves host_tlbgen: tlbgen_gather:TLBGEN_GATHER_ISSUED->TLBGEN_GATHER_DONE
 */
static void test_tlbgen_frames_wait_for_every_snapshot_cpu(void **state)
{
	struct tlbgen_as as;
	struct tlbgen_gather g;
	struct tlbgen_round r;

	(void)state;
	tlbgen_as_init(&as);
	issue(&g, &as, 4, 4, 0x7, 0, &r); /* CPUs 0 (self), 1, 2 */
	assert_int_equal(finish(&g), KERR_WOULD_BLOCK);
	assert_int_equal(ack(&as, 2, r.gen), KERR_OK);
	assert_int_equal(finish(&g), KERR_WOULD_BLOCK);
	assert_int_equal(ack(&as, 0, r.gen), KERR_OK);
	assert_int_equal(finish(&g), KERR_WOULD_BLOCK);
	/* A CPU that was not resident at unhook time is never waited for. */
	assert_int_equal(ack(&as, 3, r.gen), KERR_OK);
	assert_int_equal(finish(&g), KERR_WOULD_BLOCK);
	assert_int_equal(as.c.frames_released, 0);
	assert_int_equal(as.frames_pending, 4);
	assert_int_equal(tlbgen_check(&as), 0);
	assert_int_equal(ack(&as, 1, r.gen), KERR_OK);
	assert_true(tlbgen_gather_complete(&g));
	assert_int_equal(finish(&g), KERR_OK);
	assert_int_equal(g.state, TLBGEN_GATHER_DONE);
	assert_int_equal(as.c.frames_released, 4);
	assert_int_equal(as.frames_pending, 0);
	assert_null(as.pending);
	assert_int_equal(tlbgen_check(&as), 0);
	assert_int_equal(tlbgen_gather_check(&g), 0);
	assert_int_equal(finish(&g), KERR_INVALID_ARG); /* not twice */
}

static void test_tlbgen_ack_out_of_order(void **state)
{
	struct tlbgen_as as;
	struct tlbgen_gather g1, g2;
	struct tlbgen_round r1, r2;

	(void)state;
	tlbgen_as_init(&as);
	issue(&g1, &as, 1, 1, 0x6, 0, &r1);
	issue(&g2, &as, 1, 2, 0x6, 0, &r2);
	/* Newer generation first: it covers the older round too. */
	assert_int_equal(ack(&as, 1, r2.gen), KERR_OK);
	assert_int_equal(ack(&as, 1, r1.gen), KERR_OK); /* late, older: no effect */
	assert_int_equal(as.ack[1], r2.gen);
	assert_int_equal(finish(&g2), KERR_WOULD_BLOCK);
	assert_int_equal(ack(&as, 2, r1.gen), KERR_OK);
	/* Round 1 complete (CPU 1 at gen 2 >= 1), round 2 still waits for CPU 2. */
	assert_int_equal(finish(&g2), KERR_WOULD_BLOCK);
	assert_int_equal(finish(&g1), KERR_OK);
	assert_int_equal(as.c.frames_released, 1);
	assert_int_equal(ack(&as, 2, r2.gen), KERR_OK);
	assert_int_equal(finish(&g2), KERR_OK);
	assert_int_equal(as.c.frames_released, 3);
	assert_int_equal(tlbgen_check(&as), 0);
}

static void test_tlbgen_cpu_leaving_residency_acknowledges(void **state)
{
	struct tlbgen_as as;
	struct tlbgen_gather g1, g2;
	struct tlbgen_round r1, r2;

	(void)state;
	tlbgen_as_init(&as);
	issue(&g1, &as, 1, 1, 0x3, 0, &r1);
	assert_int_equal(ack(&as, 0, r1.gen), KERR_OK);
	/* CPU 1 switched to another root: its reload covers round 1. */
	assert_int_equal(cpu_left(&as, 1), KERR_OK);
	assert_int_equal(finish(&g1), KERR_OK);
	/* ... but not a round issued afterwards while it was (say) resident again. */
	issue(&g2, &as, 1, 1, 0x3, 0, &r2);
	assert_int_equal(ack(&as, 0, r2.gen), KERR_OK);
	assert_int_equal(finish(&g2), KERR_WOULD_BLOCK);
	assert_int_equal(cpu_left(&as, 1), KERR_OK);
	assert_int_equal(finish(&g2), KERR_OK);
	assert_int_equal(tlbgen_check(&as), 0);
}

static void test_tlbgen_bad_input_changes_nothing(void **state)
{
	struct tlbgen_as as, before;
	struct tlbgen_gather g, gbefore;
	struct tlbgen_round r;

	(void)state;
	tlbgen_as_init(&as);
	tlbgen_gather_init(&g, &as);
	before = as;
	gbefore = g;
	assert_int_equal(tlbgen_gather_issue(&g, 0x3, 0, &r), KERR_INVALID_ARG); /* no pages */
	assert_int_equal(tlbgen_gather_add_pages(&g, 0), KERR_INVALID_ARG);
	assert_int_equal(tlbgen_gather_add_frames(&g, 0), KERR_INVALID_ARG);
	assert_int_equal(ack(&as, 0, 1), KERR_INVALID_ARG); /* never issued */
	assert_int_equal(ack(&as, 0, 0), KERR_INVALID_ARG);
	assert_int_equal(ack(&as, TLBGEN_MAX_CPUS, 0), KERR_INVALID_ARG);
	assert_int_equal(cpu_left(&as, TLBGEN_MAX_CPUS), KERR_INVALID_ARG);
	assert_int_equal(finish(&g), KERR_INVALID_ARG); /* not issued */
	assert_memory_equal(&as, &before, sizeof(as));
	assert_memory_equal(&g, &gbefore, sizeof(g));
	assert_int_equal(tlbgen_gather_add_pages(&g, UINT32_MAX), KERR_OK);
	assert_int_equal(tlbgen_gather_add_pages(&g, 1), KERR_INVALID_ARG); /* overflow */
	assert_int_equal(g.npages, UINT32_MAX);
	assert_int_equal(tlbgen_gather_issue(&g, 0x3, TLBGEN_MAX_CPUS, &r), KERR_INVALID_ARG);
	assert_int_equal(g.state, TLBGEN_GATHER_OPEN);
	assert_int_equal(tlbgen_gather_issue(&g, 0x3, 1, &r), KERR_OK);
	before = as;
	/* An issued gather accepts nothing more. */
	assert_int_equal(tlbgen_gather_add_pages(&g, 1), KERR_INVALID_ARG);
	assert_int_equal(tlbgen_gather_add_frames(&g, 1), KERR_INVALID_ARG);
	assert_int_equal(tlbgen_gather_issue(&g, 0x3, 1, &r), KERR_INVALID_ARG);
	assert_int_equal(ack(&as, 0, r.gen + 1), KERR_INVALID_ARG);
	assert_memory_equal(&as, &before, sizeof(as));
	assert_int_equal(tlbgen_check(&as), 0);
}

static void test_tlbgen_gather_edges_legal_only(void **state)
{
	struct tlbgen_as as;
	struct tlbgen_gather g;

	(void)state;
	tlbgen_as_init(&as);
	tlbgen_gather_init(&g, &as);
	/* The transition function asserts the from-state and the edge (debug builds). */
	expect_assert_failure(tlbgen_gather_transition(&g, TLBGEN_GATHER_ISSUED,
						       TLBGEN_GATHER_DONE));
	expect_assert_failure(tlbgen_gather_transition(&g, TLBGEN_GATHER_OPEN,
						       TLBGEN_GATHER_DONE));
	assert_int_equal(g.state, TLBGEN_GATHER_OPEN);
	for (int f = TLBGEN_GATHER_OPEN; f <= TLBGEN_GATHER_DONE; f++)
		for (int to = TLBGEN_GATHER_OPEN; to <= TLBGEN_GATHER_DONE; to++)
			assert_int_equal(tlbgen_gather_edge_legal(f, to),
					 (f == TLBGEN_GATHER_OPEN && to == TLBGEN_GATHER_ISSUED) ||
						 (f == TLBGEN_GATHER_ISSUED &&
						  to == TLBGEN_GATHER_DONE));
}

/* The validator sees an early free (C3/I1) and a forged acknowledgement (I2). */
static void test_tlbgen_check_detects_violations(void **state)
{
	struct tlbgen_as as;
	struct tlbgen_gather g;
	struct tlbgen_round r;

	(void)state;
	tlbgen_as_init(&as);
	issue(&g, &as, 1, 2, 0x3, 0, &r);
	assert_false(tlbgen_count_free(&as, r.gen, 0x3, 2)); /* nobody acknowledged yet */
	assert_int_equal(as.c.frames_freed_early, 2);
	assert_int_equal(tlbgen_check(&as), 1);
	tlbgen_as_init(&as);
	issue(&g, &as, 1, 1, 0x3, 0, &r);
	as.ack[5] = as.gen + 1;
	assert_int_equal(tlbgen_check(&as), 2);
	as.ack[5] = 0;
	as.frames_pending++;
	assert_int_equal(tlbgen_check(&as), 3);
	as.frames_pending--;
	as.c.local_flushes = as.c.rounds + 1;
	assert_int_equal(tlbgen_check(&as), 4);
	as.c.local_flushes = 1;
	assert_int_equal(ack(&as, 0, r.gen), KERR_OK);
	assert_int_equal(ack(&as, 1, r.gen), KERR_OK);
	assert_true(tlbgen_count_free(&as, r.gen, 0x3, 1));
	assert_int_equal(as.c.frames_freed_early, 0);
}

/*
 * Random run against a naive model. The model keeps, per gather, the set of CPUs of its
 * snapshot that have not yet flushed after it was issued; an acknowledgement of generation a by
 * CPU c clears c from every gather with gen <= a, a CPU leaving clears it from every issued
 * gather. A gather may finish exactly when its set is empty.
 */
#define RND_CPUS 4
#define RND_GATHERS 8
#define RND_STEPS 20000

struct model_gather {
	struct tlbgen_gather g;
	bool live;          /* issued, not finished */
	tlbgen_mask_t wait; /* snapshot CPUs not yet acknowledged */
};

static unsigned long rnd_seed;

static unsigned rnd(unsigned n)
{
	return (unsigned)(rand() % (int)n);
}

static void rnd_fail(const char *what, int step)
{
	fail_msg("%s at step %d (seed %lu; rerun with TLBGEN_SEED=%lu)", what, step, rnd_seed,
		 rnd_seed);
}

static void rnd_issue(struct tlbgen_as *as, struct model_gather *m, uint64_t *frames_live)
{
	struct tlbgen_round r;
	tlbgen_mask_t resident = rnd(1u << RND_CPUS);
	unsigned self = rnd(RND_CPUS);
	uint32_t frames = rnd(3);

	tlbgen_gather_init(&m->g, as);
	if (tlbgen_gather_add_pages(&m->g, 1 + rnd(600)) != KERR_OK ||
	    (frames && tlbgen_gather_add_frames(&m->g, frames) != KERR_OK) ||
	    tlbgen_gather_issue(&m->g, resident, self, &r) != KERR_OK)
		fail_msg("issue refused (seed %lu)", rnd_seed);
	if (r.targets != (resident & ~((tlbgen_mask_t)1 << self)))
		fail_msg("targets (seed %lu)", rnd_seed);
	m->live = true;
	m->wait = resident;
	*frames_live += frames;
}

static void rnd_ack(struct tlbgen_as *as, struct model_gather *ms, bool leave)
{
	unsigned cpu = rnd(RND_CPUS);
	uint64_t gen;

	if (as->gen == 0)
		return;
	gen = leave ? as->gen : 1 + rnd((unsigned)as->gen);
	if ((leave ? tlbgen_cpu_left(as, cpu) : tlbgen_ack(as, cpu, gen)) != KERR_OK)
		fail_msg("ack refused (seed %lu)", rnd_seed);
	for (int i = 0; i < RND_GATHERS; i++)
		if (ms[i].live && ms[i].g.batch.gen <= gen)
			ms[i].wait &= ~((tlbgen_mask_t)1 << cpu);
}

static void rnd_finish(struct model_gather *m, uint64_t *frames_live, int step)
{
	kerr_t want = m->wait ? KERR_WOULD_BLOCK : KERR_OK;

	if (tlbgen_gather_finish(&m->g) != want)
		rnd_fail("finish disagrees with the model", step);
	if (want == KERR_OK) {
		m->live = false;
		*frames_live -= m->g.batch.nframes;
	}
}

static void test_tlbgen_random_against_model(void **state)
{
	static struct model_gather ms[RND_GATHERS];
	struct tlbgen_as as;
	uint64_t frames_live = 0;
	const char *env = getenv("TLBGEN_SEED");

	(void)state;
	rnd_seed = env ? strtoul(env, NULL, 0) : 0x7b9e5u;
	srand((unsigned)rnd_seed);
	memset(ms, 0, sizeof(ms));
	tlbgen_as_init(&as);
	for (int step = 0; step < RND_STEPS; step++) {
		struct model_gather *m = &ms[rnd(RND_GATHERS)];
		unsigned op = rnd(10);

		if (!m->live && op < 3)
			rnd_issue(&as, m, &frames_live);
		else if (op < 7)
			rnd_ack(&as, ms, false);
		else if (op < 8)
			rnd_ack(&as, ms, true);
		else if (m->live)
			rnd_finish(m, &frames_live, step);
		if (tlbgen_check(&as) != 0)
			rnd_fail("tlbgen_check", step);
		for (int i = 0; i < RND_GATHERS; i++)
			if (ms[i].g.as && tlbgen_gather_check(&ms[i].g) != 0)
				rnd_fail("tlbgen_gather_check", step);
		if (as.frames_pending != frames_live)
			rnd_fail("pending frames differ from the model", step);
	}
	assert_true(as.c.rounds > 1000);
	assert_true(as.c.frames_released > 500);
	assert_int_equal(as.c.frames_freed_early, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tlbgen_targets_resident_other_than_self),
		cmocka_unit_test(test_tlbgen_one_round_whatever_page_count),
		cmocka_unit_test(test_tlbgen_frames_wait_for_every_snapshot_cpu),
		cmocka_unit_test(test_tlbgen_ack_out_of_order),
		cmocka_unit_test(test_tlbgen_cpu_leaving_residency_acknowledges),
		cmocka_unit_test(test_tlbgen_bad_input_changes_nothing),
		cmocka_unit_test(test_tlbgen_gather_edges_legal_only),
		cmocka_unit_test(test_tlbgen_check_detects_violations),
		cmocka_unit_test(test_tlbgen_random_against_model),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
