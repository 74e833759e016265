/**
 * @file
 * @brief SharedBuffer ring indices and roles (pure logic, no locks, no allocation).
 *
 * The kernel keeps a SharedBuffer's indices itself; user memory only gets a read-only copy.
 * A producer reports how many bytes it wrote (ring_produce()), a consumer how many it read
 * (ring_consume()); each count is validated against the kernel's own indices, so neither side
 * can move an index outside the ring or past the other side's, and the positions the kernel
 * computes (ring_tail(), ring_span()) always lie inside the data area. The contracts below are
 * proven with Frama-C WP (tests/proofs, proof_ring).
 *
 * ring_role machine (ring_role_transition()), one per role (producer, consumer):
 *
 *     RING_ROLE_NONE -> RING_ROLE_OPEN     its first capability was issued
 *     RING_ROLE_OPEN -> RING_ROLE_CLOSED   its last capability was dropped; the peer's
 *                                          calls then fail with KERR_NOT_FOUND
 */
#ifndef CAPOS_LIB_RING_H
#define CAPOS_LIB_RING_H

#include <capos/errors.h>
#include <lib/types.h>

/** @brief Largest ring data area in bytes. */
#define RING_MAX (1u << 24)

/**
 * @brief A ring's indices.
 * Invariants (ring_ok, ring_check()): I1. 1 <= size <= RING_MAX. I2. head < size (where the
 * producer writes next). I3. used <= size (bytes written and not yet consumed).
 * Locking: the SharedBuffer's lock. States: none (the roles have states).
 */
struct ring {
	uint32_t size; /**< Data bytes (I1). */
	uint32_t head; /**< Next byte the producer writes (I2). */
	uint32_t used; /**< Bytes between the consumer and the producer (I3). */
};

/*@ predicate ring_ok(struct ring *r) =
      1 <= r->size <= RING_MAX && r->head < r->size && r->used <= r->size;
*/

/** @brief States of one role of a ring. */
enum ring_role_state {
	RING_ROLE_NONE = 0,  /**< No capability issued yet. */
	RING_ROLE_OPEN,      /**< Capabilities for the role exist. */
	RING_ROLE_CLOSED,    /**< Its last capability was dropped (never reopened). */
	RING_ROLE_STATE_COUNT /**< Number of states; not a state. */
};

/**
 * @brief One role (producer or consumer) of a ring.
 * Invariants: I1. caps > 0 iff state == RING_ROLE_OPEN.
 * Locking: the SharedBuffer's lock. States: enum ring_role_state.
 */
struct ring_role {
	uint8_t state; /**< enum ring_role_state (ring_role_transition()). */
	uint32_t caps; /**< Capabilities of this role (I1). */
};

/**
 * @brief An empty ring of @p size bytes.
 * @param r Ring. @param size 1..RING_MAX.
 * @return KERR_OK; KERR_INVALID_ARG (size out of range; r untouched).
 */
kerr_t ring_init(struct ring *r, uint32_t size);

/**
 * @brief The producer wrote @p n bytes at head: advance it.
 * @param r Ring (ring_ok). @param n Bytes.
 * @return KERR_OK; KERR_INVALID_ARG when @p n exceeds the free space (nothing changes).
 */
kerr_t ring_produce(struct ring *r, uint32_t n);

/**
 * @brief The consumer read @p n bytes at the tail: release them.
 * @param r Ring (ring_ok). @param n Bytes.
 * @return KERR_OK; KERR_INVALID_ARG when @p n exceeds what was produced (nothing changes).
 */
kerr_t ring_consume(struct ring *r, uint32_t n);

/**
 * @brief Where the consumer reads next.
 * @param r Ring (ring_ok). @return The tail offset, < size.
 */
uint32_t ring_tail(const struct ring *r);

/**
 * @brief Split @p n bytes from offset @p pos into the part before the end of the data area
 *        and the part that wraps to its start.
 * @param r Ring (ring_ok). @param pos Offset < size. @param n Bytes <= size.
 * @param first Receives the bytes at [pos, pos + first) (pos + first <= size).
 * @param second Receives the bytes at [0, second) (first + second == n).
 */
void ring_span(const struct ring *r, uint32_t pos, uint32_t n, uint32_t *first,
	       uint32_t *second);

/**
 * @brief Validate I1..I3.
 * @param r Ring. @return true when they hold.
 */
bool ring_check(const struct ring *r);

/**
 * @brief The one place a role's state changes; DASSERTs the from-state and the edge.
 * @param role Role. @param from Current state. @param to New state.
 */
void ring_role_transition(struct ring_role *role, enum ring_role_state from,
			  enum ring_role_state to);

/**
 * @brief A capability of the role was issued (the first opens it).
 * @param role Role (not closed). @return KERR_OK; KERR_NOT_FOUND (the role was closed).
 */
kerr_t ring_role_get(struct ring_role *role);

/**
 * @brief A capability of the role was dropped (the last closes it for good).
 * @param role An open role. @return true when this closed it.
 */
bool ring_role_put(struct ring_role *role);

#endif /* CAPOS_LIB_RING_H */
