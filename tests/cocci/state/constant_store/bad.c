/* A state constant stored into memory around the transition function, through whatever
 * alias: state/constant_store reports each store. The states are learnt from the transition
 * calls at the end of the file. */
#include "fixture.h"

enum frame_state last_state; /* a global copy of a state */

/* "struct frame starts with its state": the first byte, through a cast of the object. */
void unhook_first_byte(paddr_t pa)
{
	*(uint8_t *)frame_of(pa) = FRAME_UNHOOKED;
}

/* The same byte as an array element of the object. */
void free_as_bytes(struct frame *f)
{
	((uint8_t *)f)[0] = FRAME_FREE;
}

/* A pointer kept from somewhere else (not taken from the field in this function). */
void flush_through(uint8_t *statep)
{
	*statep = FRAME_FLUSHED;
}

/* The state written into another field of the object. */
void wrong_field(struct frame *f)
{
	f->flags = FRAME_MAPPED;
}

/* A global holding a state. */
void remember(void)
{
	last_state = FRAME_ALLOCATED;
}

/* A packed page byte: the state bits replaced by hand, with a cast. */
void commit_byte(uint8_t *pg)
{
	*pg = (uint8_t)((*pg & ~PG_STATE_MASK) | VPAGE_COMMITTED);
}

/* OR-ing a state into a byte. */
void mark_prot_none(struct info *in)
{
	in->last |= VPAGE_PROT_NONE;
}

/* The transitions that name the states (correct calls). */
void lifecycle(struct frame *f, uint8_t *pg)
{
	frame_transition(f, FRAME_FREE, FRAME_ALLOCATED);
	frame_transition(f, FRAME_ALLOCATED, FRAME_MAPPED);
	frame_transition(f, FRAME_MAPPED, FRAME_UNHOOKED);
	frame_transition(f, FRAME_UNHOOKED, FRAME_FLUSHED);
	vpage_transition(pg, VPAGE_RESERVED, VPAGE_COMMITTED);
	vpage_transition(pg, VPAGE_COMMITTED, VPAGE_PROT_NONE);
}
