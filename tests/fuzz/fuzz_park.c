/*
 * fuzz_park.c - libFuzzer differential harness for ParkSpace waiter queues
 * (kernel/lib/park.c, compiled unchanged).
 *
 * Eight waiter nodes (one per simulated thread) run a sequence of 3-byte operations next to a
 * naive model: each model waiter has a state, a key (one of 6: private or shared, two ids,
 * two words), the mapping it came through (one of 2 address spaces, one of 4 pages) and its
 * arrival number. Operations: enqueue an idle waiter; wake a key with a count (the model wakes
 * the oldest matching waiters); fail a page range of an address space (the model fails every
 * waiter that came through it); cancel; finish. Every return value, every waiter's state and
 * result, the queue count and park_check() must agree with the model after each operation;
 * enqueueing a busy node or finishing an idle or waiting one is skipped (the kernel never
 * does it: each node belongs to one thread).
 *
 * Every waiter edge is taken and compared with the model:
 * @proves fuzz_park: park_waiter:PARK_IDLE->PARK_WAITING park_waiter:PARK_WAITING->PARK_WOKEN
 * @proves fuzz_park: park_waiter:PARK_WAITING->PARK_FAILED park_waiter:PARK_WAITING->PARK_CANCELLED
 * @proves fuzz_park: park_waiter:PARK_WOKEN->PARK_IDLE park_waiter:PARK_FAILED->PARK_IDLE
 * @proves fuzz_park: park_waiter:PARK_CANCELLED->PARK_IDLE MAM-C4
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <lib/park.h>

#include "fuzz_support.h"

#define NW 8
#define PAGE 0x1000u

struct mw {
	enum park_waiter_state state;
	unsigned key;     /* index into keys() */
	uint64_t space;   /* via address space */
	uint64_t addr;    /* via address */
	uint64_t seq;     /* arrival */
	kerr_t result;
};

static struct park_key key_of(unsigned k)
{
	static const struct kident ids[2] = { { 100, 1 }, { 101, 1 } };

	k %= 6;
	if (k < 2)
		return park_key_private(&ids[k], 0x4000); /* same address, two spaces */
	return park_key_shared(&ids[(k - 2) / 2], (k & 1) * 4);
}

static unsigned wake_model(struct mw *m, unsigned key, unsigned count)
{
	unsigned woken = 0;
	struct park_key want = key_of(key);

	while (woken < count) {
		int best = -1;
		for (int i = 0; i < NW; i++) {
			struct park_key k = key_of(m[i].key);
			if (m[i].state == PARK_WAITING && park_key_equal(&k, &want) &&
			    (best < 0 || m[i].seq < m[best].seq))
				best = i;
		}
		if (best < 0)
			break;
		m[best].state = PARK_WOKEN;
		woken++;
	}
	return woken;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct park_queue q;
	struct park_waiter w[NW];
	struct mw m[NW];
	uint64_t seq = 0;

	park_queue_init(&q);
	for (int i = 0; i < NW; i++) {
		park_waiter_init(&w[i], &m[i]);
		m[i] = (struct mw){ .state = PARK_IDLE, .result = KERR_OK };
	}
	for (size_t off = 0; off + 3 <= size; off += 3) {
		unsigned op = data[off] % 5, i = data[off + 1] % NW, arg = data[off + 2];
		uint64_t space = 1 + (arg & 1), addr = PAGE * ((arg >> 1) & 3) + 4 * ((arg >> 3) & 1);
		switch (op) {
		case 0: /* enqueue */
			if (m[i].state != PARK_IDLE)
				break;
			{
				struct park_key k = key_of(arg >> 4);
				park_enqueue(&q, &w[i], &k, space, addr);
			}
			m[i] = (struct mw){ PARK_WAITING, (arg >> 4) % 6, space, addr, seq++, KERR_OK };
			break;
		case 1: { /* wake */
			struct park_key k = key_of(arg % 6);
			unsigned count = (arg >> 3) % 4;
			REQUIRE(park_wake(&q, &k, count, NULL, NULL) == wake_model(m, arg % 6, count));
			break;
		}
		case 2: { /* fail [lo, hi) of space */
			uint64_t lo = PAGE * ((arg >> 1) & 3), hi = lo + PAGE * (1 + ((arg >> 3) & 1));
			unsigned failed = 0;
			for (int j = 0; j < NW; j++) {
				if (m[j].state == PARK_WAITING && m[j].space == space &&
				    m[j].addr >= lo && m[j].addr < hi) {
					m[j].state = PARK_FAILED;
					m[j].result = KERR_NOT_FOUND;
					failed++;
				}
			}
			REQUIRE(park_fail_range(&q, space, lo, hi, KERR_NOT_FOUND, NULL, NULL) ==
				failed);
			break;
		}
		case 3: /* cancel */
			if (m[i].state == PARK_IDLE)
				break;
			REQUIRE(park_cancel(&q, &w[i]) == (m[i].state == PARK_WAITING));
			if (m[i].state == PARK_WAITING)
				m[i].state = PARK_CANCELLED;
			break;
		default: { /* finish */
			if (m[i].state == PARK_IDLE || m[i].state == PARK_WAITING)
				break;
			kerr_t want = m[i].state == PARK_WOKEN	 ? KERR_OK
				      : m[i].state == PARK_FAILED ? m[i].result
								  : KERR_WOULD_BLOCK;
			REQUIRE(park_finish(&w[i]) == want);
			m[i].state = PARK_IDLE;
			m[i].result = KERR_OK;
			break;
		}
		}
		unsigned waiting = 0;
		for (int j = 0; j < NW; j++) {
			REQUIRE(w[j].state == m[j].state);
			REQUIRE(w[j].result == (m[j].state == PARK_FAILED ? m[j].result : KERR_OK));
			waiting += m[j].state == PARK_WAITING;
		}
		REQUIRE(q.count == waiting);
		REQUIRE(park_check(&q) == 0);
		REQUIRE(park_count_space(&q, 1) + park_count_space(&q, 2) == waiting);
	}
	return 0;
}
