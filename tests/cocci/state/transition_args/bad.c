/* Bad cases for cocci/state/transition_args: every marked call must be reported. */
#include "fixture.h"

/* The from-state comes from a variable: the inventory cannot read the edge. */
void bad_from_var(struct frame *f, enum frame_state cur)
{
	frame_transition(f, cur, FRAME_MAPPED);
}

/* The to-state is computed. */
void bad_to_expr(struct vpage *p, int commit)
{
	vpage_transition(p, VPAGE_RESERVED, commit ? VPAGE_COMMITTED : VPAGE_PROT_NONE);
}

/* Reading the current state as the from-state defeats the run-time check. */
void bad_from_field(struct frame *f)
{
	frame_transition(f, f->state, FRAME_FREE);
}
