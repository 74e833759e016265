/* Stores that involve a state constant but bypass no transition: state/constant_store
 * reports none of these. */
#include "fixture.h"

/* The transition function itself is where the state is written. */
void frame_transition(struct frame *f, enum frame_state from, enum frame_state to)
{
	if (from == FRAME_UNHOOKED && to == FRAME_FLUSHED)
		*(uint8_t *)f = FRAME_FLUSHED;
	else
		f->state = (uint8_t)to;
}

/* Local variables: a computed state, no machine object. */
enum frame_state next_of(enum frame_state s)
{
	enum frame_state n = FRAME_FREE;

	if (s == FRAME_FREE)
		n = FRAME_ALLOCATED;
	return n;
}

/* A local object under construction (a template copied into new records). */
uint8_t fill_template(unsigned prot)
{
	struct info proto;

	proto.kind = VPAGE_COMMITTED;
	proto.last = (uint8_t)prot;
	return proto.kind;
}

/* A truth value about a state. */
void is_free(const struct frame *f, int *out)
{
	*out = f->state == FRAME_FREE;
}

/* A whole object initialised by a compound literal. */
void frame_init(struct frame *f)
{
	*f = (struct frame){ .state = FRAME_FREE, .flags = 0, .pins = 0 };
}

/* Constants that name no state (no transition call takes them). */
void set_flags(struct frame *f, uint8_t *pg)
{
	f->pins = MAX_PINS;
	*pg |= PG_ZERO;
}

/* The transitions that name the states. */
void lifecycle(struct frame *f, uint8_t *pg)
{
	frame_transition(f, FRAME_FREE, FRAME_ALLOCATED);
	frame_transition(f, FRAME_UNHOOKED, FRAME_FLUSHED);
	vpage_transition(pg, VPAGE_RESERVED, VPAGE_COMMITTED);
}
