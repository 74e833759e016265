/*
 * fuzz_tlbgen - libFuzzer differential harness for the TLB shootdown generations of
 * kernel/lib/tlbgen.c, against a flat model of the protocol (the rules of
 * tests/proofs/spin/shootdown.pml, applied to the C code):
 *
 *   - a gather collects pages and frames while OPEN, is issued once (one round: the generation
 *     grows by one, the resident snapshot is kept, the frames are queued), and is DONE only when
 *     every CPU of the snapshot acknowledged that generation or a later one;
 *   - finish before that returns KERR_WOULD_BLOCK and changes nothing (no frame is released
 *     while a stale entry may still reach it), and after it the frames are off the pending list;
 *   - acknowledgements arrive in any order and only raise a CPU's value; a CPU that loaded
 *     another root acknowledges every round issued so far;
 *   - the invariants of tlbgen_check()/tlbgen_gather_check() hold after every operation.
 *
 * Up to 4 gathers are live at once over 8 CPUs; each input byte pair is one operation.
 * @proves fuzz_tlbgen: tlbgen_gather:TLBGEN_GATHER_OPEN->TLBGEN_GATHER_ISSUED
 * @proves fuzz_tlbgen: tlbgen_gather:TLBGEN_GATHER_ISSUED->TLBGEN_GATHER_DONE
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <lib/tlbgen.h>

#include "fuzz_support.h"

#define NG 4
#define NCPU 8

struct model_gather {
	int state;          /* 0 open, 1 issued, 2 done, -1 unused */
	uint32_t npages, nframes;
	uint64_t gen;
	tlbgen_mask_t mask;
};

static struct tlbgen_as as;
static struct tlbgen_gather g[NG];
static struct model_gather mg[NG];
static uint64_t mgen, mack[NCPU];
static uint64_t mpending_frames;

static int model_complete(uint64_t gen, tlbgen_mask_t mask)
{
	for (unsigned c = 0; c < NCPU; c++)
		if ((mask >> c & 1) && mack[c] < gen)
			return 0;
	return 1;
}

static void check_all(void)
{
	REQUIRE(tlbgen_check(&as) == 0);
	REQUIRE(as.gen == mgen);
	REQUIRE(as.frames_pending == mpending_frames);
	for (unsigned c = 0; c < NCPU; c++)
		REQUIRE(as.ack[c] == mack[c]);
	for (int i = 0; i < NG; i++) {
		if (mg[i].state < 0)
			continue;
		REQUIRE(tlbgen_gather_check(&g[i]) == 0);
		REQUIRE((int)g[i].state == mg[i].state);
		REQUIRE(g[i].npages == mg[i].npages);
		if (mg[i].state == 1)
			REQUIRE(tlbgen_gather_complete(&g[i]) == (bool)model_complete(mg[i].gen, mg[i].mask));
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	tlbgen_as_init(&as);
	memset(g, 0, sizeof g);
	for (int i = 0; i < NG; i++)
		mg[i].state = -1;
	mgen = 0;
	memset(mack, 0, sizeof mack);
	mpending_frames = 0;

	for (size_t p = 0; p + 1 < size; p += 2) {
		uint8_t op = data[p] & 7, arg = data[p + 1];
		int i = (data[p] >> 3) & (NG - 1);
		struct tlbgen_round r;
		kerr_t e;

		switch (op) {
		case 0: /* open a gather in slot i (a finished or unused one) */
			if (mg[i].state == 0 || mg[i].state == 1)
				break;
			tlbgen_gather_init(&g[i], &as);
			mg[i] = (struct model_gather){0, 0, 0, 0, 0};
			break;
		case 1: /* pages */
			e = mg[i].state < 0 ? KERR_OK : tlbgen_gather_add_pages(&g[i], arg & 63);
			if (mg[i].state < 0)
				break;
			if (mg[i].state == 0 && (arg & 63)) {
				REQUIRE(e == KERR_OK);
				mg[i].npages += arg & 63;
			} else {
				REQUIRE(e == KERR_INVALID_ARG);
			}
			break;
		case 2: /* frames */
			if (mg[i].state < 0)
				break;
			e = tlbgen_gather_add_frames(&g[i], arg & 15);
			if (mg[i].state == 0 && (arg & 15)) {
				REQUIRE(e == KERR_OK);
				mg[i].nframes += arg & 15;
			} else {
				REQUIRE(e == KERR_INVALID_ARG);
			}
			break;
		case 3: { /* issue from CPU arg%NCPU with a resident mask */
			if (mg[i].state < 0)
				break;
			unsigned self = arg % NCPU;
			tlbgen_mask_t resident = (tlbgen_mask_t)(data[p] >> 5 | arg >> 3) & ((1u << NCPU) - 1);
			e = tlbgen_gather_issue(&g[i], resident, self, &r);
			if (mg[i].state == 0 && mg[i].npages > 0) {
				REQUIRE(e == KERR_OK);
				mgen++;
				mg[i].state = 1;
				mg[i].gen = mgen;
				mg[i].mask = resident;
				mpending_frames += mg[i].nframes;
				REQUIRE(r.gen == mgen);
				REQUIRE(r.targets == (resident & ~((tlbgen_mask_t)1 << self)));
				REQUIRE(r.local == ((resident >> self & 1) != 0));
				REQUIRE(r.flush_all == (mg[i].npages > TLBGEN_FLUSH_ALL_PAGES));
			} else {
				REQUIRE(e == KERR_INVALID_ARG);
			}
			break;
		}
		case 4: { /* CPU acknowledges a generation (possibly late, possibly never issued) */
			unsigned cpu = arg % NCPU;
			uint64_t gen = (uint64_t)(arg >> 3);
			e = tlbgen_ack(&as, cpu, gen);
			if (gen == 0 || gen > mgen) {
				REQUIRE(e == KERR_INVALID_ARG);
			} else {
				REQUIRE(e == KERR_OK);
				if (gen > mack[cpu])
					mack[cpu] = gen;
			}
			break;
		}
		case 5: /* CPU loaded another root */
			REQUIRE(tlbgen_cpu_left(&as, arg % NCPU) == KERR_OK);
			mack[arg % NCPU] = mgen;
			break;
		case 6: /* finish */
			if (mg[i].state < 0)
				break;
			e = tlbgen_gather_finish(&g[i]);
			if (mg[i].state != 1) {
				REQUIRE(e == KERR_INVALID_ARG);
			} else if (!model_complete(mg[i].gen, mg[i].mask)) {
				REQUIRE(e == KERR_WOULD_BLOCK); /* no frame back while a snapshot CPU lags */
			} else {
				REQUIRE(e == KERR_OK);
				mg[i].state = 2;
				mpending_frames -= mg[i].nframes;
				REQUIRE(g[i].batch.nframes == mg[i].nframes);
			}
			break;
		case 7: /* the independent release check: legal exactly when the round completed */
			if (mg[i].state == 1)
				REQUIRE(tlbgen_count_free(&as, mg[i].gen, mg[i].mask, 0) ==
					(bool)model_complete(mg[i].gen, mg[i].mask));
			break;
		}
		check_all();
	}
	return 0;
}
