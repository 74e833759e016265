/*
 * ring.c - SharedBuffer ring indices kept by the kernel: every count a user passes is
 * validated against them. lib/ring.h has the invariants; the ACSL contracts here are proven
 * by tests/proofs (proof_ring). The role machine is in ring_role.c.
 */
#include <lib/ring.h>

/*@ requires \valid(r);
    assigns *r;
    behavior ok:
      assumes 1 <= size <= RING_MAX;
      ensures \result == KERR_OK && ring_ok(r) && r->used == 0 && r->size == size;
    behavior bad:
      assumes size < 1 || size > RING_MAX;
      ensures \result == KERR_INVALID_ARG && *r == \old(*r);
    complete behaviors;
    disjoint behaviors;
*/
kerr_t ring_init(struct ring *r, uint32_t size)
{
	if (size < 1 || size > RING_MAX)
		return KERR_INVALID_ARG;
	r->size = size;
	r->head = 0;
	r->used = 0;
	return KERR_OK;
}

/*@ requires \valid(r) && ring_ok(r);
    assigns r->head, r->used;
    ensures ring_ok(r);
    behavior fits:
      assumes n <= r->size - r->used;
      ensures \result == KERR_OK && r->used == \old(r->used) + n;
      ensures r->head == (\old(r->head) + n) % r->size;
    behavior over:
      assumes n > r->size - r->used;
      ensures \result == KERR_INVALID_ARG;
      ensures r->head == \old(r->head) && r->used == \old(r->used);
    complete behaviors;
    disjoint behaviors;
*/
kerr_t ring_produce(struct ring *r, uint32_t n)
{
	if (n > r->size - r->used)
		return KERR_INVALID_ARG; /* would overwrite bytes the consumer has not read */
	r->head = (uint32_t)(((uint64_t)r->head + n) % r->size);
	r->used += n;
	return KERR_OK;
}

/*@ requires \valid(r) && ring_ok(r);
    assigns r->used;
    ensures ring_ok(r);
    behavior fits:
      assumes n <= r->used;
      ensures \result == KERR_OK && r->used == \old(r->used) - n;
    behavior over:
      assumes n > r->used;
      ensures \result == KERR_INVALID_ARG && r->used == \old(r->used);
    complete behaviors;
    disjoint behaviors;
*/
kerr_t ring_consume(struct ring *r, uint32_t n)
{
	if (n > r->used)
		return KERR_INVALID_ARG; /* would read bytes the producer has not written */
	r->used -= n;
	return KERR_OK;
}

/*@ requires \valid_read(r) && ring_ok(r);
    assigns \nothing;
    ensures 0 <= \result < r->size;
    ensures (\result + r->used) % r->size == r->head;
*/
uint32_t ring_tail(const struct ring *r)
{
	return (uint32_t)(((uint64_t)r->head + r->size - r->used) % r->size);
}

/*@ requires \valid_read(r) && ring_ok(r) && pos < r->size && n <= r->size;
    requires \valid(first) && \valid(second) && \separated(r, first, second);
    assigns *first, *second;
    ensures *first + *second == n;
    ensures pos + *first <= r->size;
    ensures *second <= r->size;
*/
void ring_span(const struct ring *r, uint32_t pos, uint32_t n, uint32_t *first,
	       uint32_t *second)
{
	uint32_t room = r->size - pos;

	*first = n < room ? n : room;
	*second = n - *first;
}

/*@ requires \valid_read(r);
    assigns \nothing;
    ensures \result != 0 <==> ring_ok(r);
*/
bool ring_check(const struct ring *r)
{
	return r->size >= 1 && r->size <= RING_MAX && r->head < r->size && r->used <= r->size;
}
