/* Good cases for cocci/state/transition_args: nothing below may be reported. */
#include "fixture.h"

/* Enum constants on both sides; a conditional picks between two constant calls. */
void good_calls(struct frame *f, struct vpage *p, int commit)
{
	frame_transition(f, FRAME_ALLOCATED, FRAME_MAPPED);
	if (commit)
		vpage_transition(p, VPAGE_RESERVED, VPAGE_COMMITTED);
	else
		vpage_transition(p, VPAGE_RESERVED, VPAGE_PROT_NONE);
}

/* The definition's own parameters are not calls. */
void frame_transition(struct frame *f, enum frame_state from, enum frame_state to)
{
	if (f->state == from)
		f->state = to;
}
