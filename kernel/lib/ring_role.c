/*
 * ring_role.c - the producer and consumer roles of a SharedBuffer ring: opened by the first
 * capability of the role, closed for good by its last (lib/ring.h).
 */
#include <lib/assert.h>
#include <lib/ring.h>

static const uint8_t legal[RING_ROLE_STATE_COUNT] = {
	[RING_ROLE_NONE] = 1u << RING_ROLE_OPEN,
	[RING_ROLE_OPEN] = 1u << RING_ROLE_CLOSED,
};

void ring_role_transition(struct ring_role *role, enum ring_role_state from,
			  enum ring_role_state to)
{
	DASSERT(role->state == from);
	DASSERT(from < RING_ROLE_STATE_COUNT && to < RING_ROLE_STATE_COUNT &&
		((legal[from] >> to) & 1));
	role->state = (uint8_t)to;
}

kerr_t ring_role_get(struct ring_role *role)
{
	if (role->state == RING_ROLE_CLOSED)
		return KERR_NOT_FOUND;
	if (role->state == RING_ROLE_NONE)
		ring_role_transition(role, RING_ROLE_NONE, RING_ROLE_OPEN);
	role->caps++;
	return KERR_OK;
}

bool ring_role_put(struct ring_role *role)
{
	KASSERT(role->state == RING_ROLE_OPEN && role->caps > 0);
	if (--role->caps > 0)
		return false;
	ring_role_transition(role, RING_ROLE_OPEN, RING_ROLE_CLOSED);
	return true;
}
