/*
 * fuzz_ring.c - libFuzzer differential harness for SharedBuffer ring indices
 * (kernel/lib/ring.c, ring_role.c, compiled unchanged).
 *
 * The first two input bytes pick the ring size (1..4096); then each 3-byte operation is a
 * produce or consume of a 16-bit count, a span query, or a role get/put, next to a model with
 * 64-bit produced/consumed counters and plain role counts. Every return code must equal the
 * model's; after every operation used == produced - consumed, head == produced % size,
 * tail == consumed % size, ring_check() holds, and a span from the tail lies in the data area.
 *
 * @proves fuzz_ring: MAM-C5 ring_role:RING_ROLE_NONE->RING_ROLE_OPEN ring_role:RING_ROLE_OPEN->RING_ROLE_CLOSED
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <lib/ring.h>

#include "fuzz_support.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ring r;
	struct ring_role role = { RING_ROLE_NONE, 0 };
	uint64_t produced = 0, consumed = 0;
	uint32_t caps = 0;
	bool closed = false;

	if (size < 2)
		return 0;
	uint32_t rsize = 1 + ((uint32_t)data[0] << 8 | data[1]) % 4096;
	REQUIRE(ring_init(&r, rsize) == KERR_OK);
	for (size_t off = 2; off + 3 <= size; off += 3) {
		uint32_t n = (uint32_t)data[off + 1] << 8 | data[off + 2];
		switch (data[off] % 5) {
		case 0:
			REQUIRE(ring_produce(&r, n) ==
				(n <= rsize - (produced - consumed) ? KERR_OK : KERR_INVALID_ARG));
			if (n <= rsize - (produced - consumed))
				produced += n;
			break;
		case 1:
			REQUIRE(ring_consume(&r, n) ==
				(n <= produced - consumed ? KERR_OK : KERR_INVALID_ARG));
			if (n <= produced - consumed)
				consumed += n;
			break;
		case 2: {
			uint32_t pos = n % rsize, len = (n >> 4) % (rsize + 1), a, b;
			ring_span(&r, pos, len, &a, &b);
			REQUIRE(a + b == len && pos + a <= rsize && b <= rsize);
			break;
		}
		case 3:
			REQUIRE(ring_role_get(&role) == (closed ? KERR_NOT_FOUND : KERR_OK));
			if (!closed)
				caps++;
			break;
		default:
			if (caps == 0)
				break; /* the kernel never drops a capability it does not hold */
			REQUIRE(ring_role_put(&role) == (caps == 1));
			closed = --caps == 0;
			break;
		}
		REQUIRE(ring_check(&r));
		REQUIRE(r.used == produced - consumed);
		REQUIRE(r.head == produced % rsize);
		REQUIRE(ring_tail(&r) == consumed % rsize);
		REQUIRE(role.caps == caps);
		REQUIRE(role.state == (closed ? RING_ROLE_CLOSED
					      : caps ? RING_ROLE_OPEN : RING_ROLE_NONE));
	}
	return 0;
}
