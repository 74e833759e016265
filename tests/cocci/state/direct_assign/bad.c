/* Bad cases for cocci/state/direct_assign: every assignment below must be reported. */
#include "fixture.h"

/* Through a pointer. */
void bad_arrow(struct frame *f)
{
	f->state = FRAME_MAPPED;
}

/* Through a struct value and an array element; a *_state field. */
void bad_dot(struct vres *r, int i)
{
	r->pages[i].vp_state = VPAGE_COMMITTED;
}

/* A compound assignment and an increment change the state too. */
void bad_compound(struct vres *r)
{
	r->pages[0].vp_state |= VPAGE_PROT_NONE;
	r->state++;
	--r->state;
}

/* A packed state (low bits of a page byte) rewritten around its transition function. */
void bad_packed(uint8_t *pg, uint8_t *pages, int i)
{
	*pg = (uint8_t)((*pg & ~PG_STATE_MASK) | VPAGE_COMMITTED);
	pages[i] &= ~PG_STATE_MASK;
}
