/* Good cases for cocci/state/direct_assign: nothing below may be reported. */
#include "fixture.h"

/* The one place the frame state is written. */
void frame_transition(struct frame *f, enum frame_state from, enum frame_state to)
{
	if (f->state != from)
		return;
	f->state = to;
}

/* Callers go through the transition function; reads are fine. */
int good_caller(struct frame *f)
{
	frame_transition(f, FRAME_ALLOCATED, FRAME_MAPPED);
	f->pins++;
	return f->state == FRAME_MAPPED;
}

/* Initialisers of a new object are not assignments of a live object's state. */
struct frame good_init(void)
{
	struct frame f = { .state = FRAME_FREE, .pins = 0 };

	return f;
}

/* A local variable named state is not a state field. */
int good_local(struct vpage *p)
{
	int state = p->vp_state;

	state = state + 1;
	return state;
}

/* A query result is filled with a computed state: not a machine object (see //# notes). */
struct vres_info { int state; };
void good_query(struct vres_info *out, const struct vres *r)
{
	out->state = r->state;
}

/* Packed state: only the transition function writes the state bits; other bits are free. */
void vbyte_transition(uint8_t *pg, enum vpage_state from, enum vpage_state to)
{
	if ((*pg & PG_STATE_MASK) == from)
		*pg = (uint8_t)((*pg & ~PG_STATE_MASK) | (unsigned)to);
}

unsigned good_packed_read(uint8_t *pg)
{
	unsigned s;

	*pg |= PG_ZERO;
	s = *pg & PG_STATE_MASK;
	return s;
}
