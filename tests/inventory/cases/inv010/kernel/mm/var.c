/* Fires INV010: the from state is a variable, so the edge cannot be read. */
#include "fx.h"

void vpage_set(struct vpage *p, enum vpage_state from)
{
	vpage_transition(p, from, VPAGE_COMMITTED);
}
