/* Each function writes a state around its transition function through another
 * representation: tools/cocci/state/indirect_write.cocci must report each one. */
#include "fixture.h"

/* The packed state byte written through a cast pointer. */
void packed_cast(struct frame *f)
{
	*(uint8_t *)&f->state = FRAME_FREE;
}

/* The same on a struct value. */
void packed_cast_value(struct pagebyte pb)
{
	*(uint8_t *)&pb.state = 2;
}

/* A pointer to the field kept in a local, written later. */
void alias_local(struct pagebyte *pg, int v)
{
	uint8_t *s = &pg->state;

	if (v)
		*s = (uint8_t)v;
}

/* The alias assigned, not initialised. */
void alias_assigned(struct frame *f)
{
	enum frame_state *s;

	s = &f->state;
	*s = FRAME_MAPPED;
}

/* An element of a global state array. */
void array_global(int i)
{
	states[i] = VPAGE_COMMITTED;
}

/* An element of a state array inside an object. */
void array_field(struct vobj *o, int i)
{
	o->page_states[i] = VPAGE_PROT_NONE;
}
