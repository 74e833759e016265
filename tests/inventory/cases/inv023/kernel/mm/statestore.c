/* INV023: a state constant of a transition-function machine stored around its transition
 * function, whatever the left-hand side looks like; objects under construction are not. */
#include "fx.h"

struct frame *frame_table_slot(unsigned long i);
unsigned char last_state_byte;
struct fholder { struct frame *f; };

/* Fires: the state field written directly. */
void perform_ss_direct(struct frame *f)
{
	f->state = FRAME_MAPPED;
}

/* Fires: through a cast of the state field's address (one byte of it). */
void perform_ss_cast(struct frame *f)
{
	*(unsigned char *)&f->state = FRAME_UNHOOKED;
}

/* Fires: an output parameter and a global take a state too. */
void perform_ss_out(enum frame_state *out)
{
	*out = FRAME_FREE;
	last_state_byte = FRAME_FLUSHED;
}

/* Fires: through a member chain of a pointer held in a local struct. */
void perform_ss_chain(struct fholder h)
{
	h.f->state = FRAME_ALLOCATED;
}

/* Quiet: a local object under construction is no machine's object yet. */
void perform_ss_local(void)
{
	struct frame proto;
	struct frame arr[2];
	proto.state = FRAME_FREE;
	arr[1].state = FRAME_FREE;
	(void)proto;
	(void)arr;
}

/* Quiet: the transition function's own store, and a state compared, not stored. */
void frame_transition(struct frame *f, enum frame_state from, enum frame_state to)
{
	if (f->state == from)
		f->state = to;
	if (to == FRAME_FREE)
		f->state = FRAME_FREE;
}

/* Quiet: a transition through the function. */
void perform_ss_proper(struct frame *f)
{
	frame_transition(f, FRAME_ALLOCATED, FRAME_MAPPED);
}

/* Quiet: a parameter (the function's own copy) and a by-value struct parameter's field. */
enum frame_state perform_ss_param(enum frame_state s, struct frame copy)
{
	s = FRAME_FREE;
	copy.state = FRAME_MAPPED;
	return s == copy.state ? s : FRAME_FREE;
}
