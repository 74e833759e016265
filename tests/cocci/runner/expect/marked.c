/* cocci-expect markers: a deliberate defect marked on the line above is reported as expected
 * (not a finding); a marker whose line reports nothing is itself a finding. */
#include "fixture.h"

/* A test that commits the defect on purpose, to see a run-time witness catch it. */
void deliberate(struct frame *f)
{
	/* cocci-expect: state/indirect_write: the seeded defect a run-time check must catch */
	*(uint8_t *)&f->state = FRAME_FREE;
}

/* The same defect without a marker: still a finding. */
void unmarked(struct frame *f)
{
	*(uint8_t *)&f->state = FRAME_FREE;
}

/* A marker over code that no longer has the defect: the rule or the code changed. */
void stale(struct frame *f)
{
	/* cocci-expect: state/indirect_write: this used to write the state directly */
	frame_transition(f, FRAME_FREE, FRAME_ALLOCATED);
}
