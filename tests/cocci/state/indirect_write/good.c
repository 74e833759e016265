/* The correct forms and near misses: the rule must stay silent. */
#include "fixture.h"

/* The transition function itself writes through whatever representation it likes. */
void vbyte_transition(uint8_t *pg, enum vpage_state from, enum vpage_state to)
{
	uint8_t *s = pg;

	if (*s == (uint8_t)from)
		*s = (uint8_t)to;
}

void frame_transition(struct frame *f, enum frame_state from, enum frame_state to)
{
	*(uint8_t *)&f->state = (uint8_t)to;
	(void)from;
}

/* Reading a state through a pointer or an array is fine. */
int read_states(struct vobj *o, struct pagebyte *pg, int i)
{
	uint8_t *s = &pg->state;

	return *s + o->page_states[i] + states[i];
}

/* Other fields through cast pointers and other arrays are not states. */
void other_fields(struct pagebyte *pg, int *counts, int i)
{
	*(uint8_t *)&pg->flags = 1;
	counts[i] = 0;
}

/* The alias re-pointed at something else before the store. */
void alias_repointed(struct pagebyte *pg, uint8_t *other)
{
	uint8_t *s = &pg->state;

	s = other;
	*s = 1;
}

/* State changes through the transition function. */
void through_transition(struct frame *f)
{
	frame_transition(f, FRAME_ALLOCATED, FRAME_MAPPED);
}
