/* A cocci-expect marker naming several rules: each must report the deliberate defect; one
 * that reports nothing there is a finding of its own. */
#include "fixture.h"

/* Two rules catch this defect, and the marker names both. */
void deliberate(struct frame *f)
{
	/* cocci-expect: state/indirect_write, state/constant_store: caught twice on purpose */
	*(uint8_t *)&f->state = FRAME_FREE;
}

/* Only state/constant_store reports this store (no pointer taken from the field): the
 * marker's second rule is unmatched. */
void half(uint8_t *statep)
{
	/* cocci-expect: state/constant_store, state/indirect_write: only one of them sees it */
	*statep = FRAME_MAPPED;
}

void lifecycle(struct frame *f)
{
	frame_transition(f, FRAME_FREE, FRAME_ALLOCATED);
	frame_transition(f, FRAME_ALLOCATED, FRAME_MAPPED);
}
