/*
 * tlbgen.c - the pure bookkeeping of the TLB shootdown protocol: generations, per-CPU
 * acknowledgements, gathers (one round each) and the pending-frame list. See lib/tlbgen.h for
 * the protocol and the invariants (I1..I4, G1..G3, C1..C3) cited below.
 */
#include <lib/assert.h>
#include <lib/tlbgen.h>

static tlbgen_mask_t cpu_bit(unsigned cpu)
{
	return (tlbgen_mask_t)1 << cpu;
}

void tlbgen_as_init(struct tlbgen_as *as)
{
	*as = (struct tlbgen_as){ 0 };
}

bool tlbgen_gather_edge_legal(enum tlbgen_gather_state from, enum tlbgen_gather_state to)
{
	return (from == TLBGEN_GATHER_OPEN && to == TLBGEN_GATHER_ISSUED) ||
	       (from == TLBGEN_GATHER_ISSUED && to == TLBGEN_GATHER_DONE);
}

void tlbgen_gather_transition(struct tlbgen_gather *g, enum tlbgen_gather_state from,
			      enum tlbgen_gather_state to)
{
	DASSERT(g->state == from);
	DASSERT(tlbgen_gather_edge_legal(from, to));
	g->state = to;
}

void tlbgen_gather_init(struct tlbgen_gather *g, struct tlbgen_as *as)
{
	*g = (struct tlbgen_gather){ .as = as, .state = TLBGEN_GATHER_OPEN };
}

kerr_t tlbgen_gather_add_pages(struct tlbgen_gather *g, uint32_t n)
{
	if (g->state != TLBGEN_GATHER_OPEN || n == 0 || g->npages > UINT32_MAX - n)
		return KERR_INVALID_ARG;
	g->npages += n;
	return KERR_OK;
}

kerr_t tlbgen_gather_add_frames(struct tlbgen_gather *g, uint32_t n)
{
	if (g->state != TLBGEN_GATHER_OPEN || n == 0 || g->batch.nframes > UINT32_MAX - n)
		return KERR_INVALID_ARG;
	g->batch.nframes += n;
	return KERR_OK;
}

/* Put a batch on its address space's pending list (I3); it leaves only through finish (I1). */
static void pending_queue(struct tlbgen_as *as, struct tlbgen_pending *p)
{
	p->next = as->pending;
	p->queued = true;
	as->pending = p;
	as->npending++;
	as->frames_pending += p->nframes;
	as->c.frames_deferred += p->nframes;
}

static void pending_unqueue(struct tlbgen_as *as, struct tlbgen_pending *p)
{
	for (struct tlbgen_pending **pp = &as->pending; *pp; pp = &(*pp)->next) {
		if (*pp == p) {
			*pp = p->next;
			break;
		}
	}
	p->next = NULL;
	p->queued = false;
	as->npending--;
	as->frames_pending -= p->nframes;
	as->c.frames_released += p->nframes;
}

kerr_t tlbgen_gather_issue(struct tlbgen_gather *g, tlbgen_mask_t resident, unsigned self,
			   struct tlbgen_round *out)
{
	struct tlbgen_as *as = g->as;

	if (g->state != TLBGEN_GATHER_OPEN || g->npages == 0 || self >= TLBGEN_MAX_CPUS)
		return KERR_INVALID_ARG;
	/* One round for the whole gather, whatever npages is. */
	g->batch.gen = ++as->gen;
	g->batch.mask = resident;
	g->self = self;
	g->targets = resident & ~cpu_bit(self);
	tlbgen_gather_transition(g, TLBGEN_GATHER_OPEN, TLBGEN_GATHER_ISSUED);
	if (g->batch.nframes > 0)
		pending_queue(as, &g->batch);

	*out = (struct tlbgen_round){
		.gen = g->batch.gen,
		.targets = g->targets,
		.local = (resident & cpu_bit(self)) != 0,
		.flush_all = g->npages > TLBGEN_FLUSH_ALL_PAGES,
	};
	as->c.rounds++;
	as->c.pages += g->npages;
	as->c.ipis_sent += (uint64_t)__builtin_popcountll(g->targets);
	as->c.local_flushes += out->local;
	as->c.full_flushes += out->flush_all;
	return KERR_OK;
}

kerr_t tlbgen_ack(struct tlbgen_as *as, unsigned cpu, uint64_t gen)
{
	if (cpu >= TLBGEN_MAX_CPUS || gen == 0 || gen > as->gen)
		return KERR_INVALID_ARG; /* I2: never acknowledge a round not issued */
	/* Out-of-order acknowledgements: a late, older one must not lower the value. */
	if (gen > as->ack[cpu])
		as->ack[cpu] = gen;
	as->c.acks++;
	return KERR_OK;
}

kerr_t tlbgen_cpu_left(struct tlbgen_as *as, unsigned cpu)
{
	if (cpu >= TLBGEN_MAX_CPUS)
		return KERR_INVALID_ARG;
	/* Every issued round cleared its PTEs before it was issued, so the root reload that
	 * followed dropped whatever those rounds were flushing. Later rounds are not covered. */
	as->ack[cpu] = as->gen;
	as->c.acks++;
	return KERR_OK;
}

bool tlbgen_complete(const struct tlbgen_as *as, uint64_t gen, tlbgen_mask_t mask)
{
	for (unsigned cpu = 0; mask != 0; cpu++, mask >>= 1)
		if ((mask & 1) && as->ack[cpu] < gen)
			return false;
	return true;
}

bool tlbgen_gather_complete(const struct tlbgen_gather *g)
{
	return g->state == TLBGEN_GATHER_ISSUED &&
	       tlbgen_complete(g->as, g->batch.gen, g->batch.mask);
}

kerr_t tlbgen_gather_finish(struct tlbgen_gather *g)
{
	if (g->state != TLBGEN_GATHER_ISSUED)
		return KERR_INVALID_ARG;
	if (!tlbgen_gather_complete(g))
		return KERR_WOULD_BLOCK; /* I1 */
	if (g->batch.queued)
		pending_unqueue(g->as, &g->batch);
	tlbgen_gather_transition(g, TLBGEN_GATHER_ISSUED, TLBGEN_GATHER_DONE);
	return KERR_OK;
}

bool tlbgen_count_free(struct tlbgen_as *as, uint64_t gen, tlbgen_mask_t mask, uint32_t n)
{
	if (tlbgen_complete(as, gen, mask))
		return true;
	as->c.frames_freed_early += n;
	return false;
}

/* I3: walk at most npending + 1 links so a cycle cannot hang the check. */
static bool pending_list_ok(const struct tlbgen_as *as)
{
	const struct tlbgen_pending *p = as->pending;
	uint64_t frames = 0;
	uint32_t n = 0;

	for (; p && n <= as->npending; p = p->next, n++) {
		if (!p->queued || p->gen == 0 || p->gen > as->gen || p->nframes == 0)
			return false;
		frames += p->nframes;
	}
	return p == NULL && n == as->npending && frames == as->frames_pending;
}

unsigned tlbgen_check(const struct tlbgen_as *as)
{
	const struct tlbgen_counters *c = &as->c;

	if (c->frames_freed_early != 0)
		return 1;
	for (unsigned cpu = 0; cpu < TLBGEN_MAX_CPUS; cpu++)
		if (as->ack[cpu] > as->gen)
			return 2;
	if (!pending_list_ok(as))
		return 3;
	if (c->frames_deferred != c->frames_released + as->frames_pending ||
	    c->local_flushes > c->rounds || c->full_flushes > c->rounds)
		return 4;
	return 0;
}

unsigned tlbgen_gather_check(const struct tlbgen_gather *g)
{
	const struct tlbgen_pending *b = &g->batch;

	switch (g->state) {
	case TLBGEN_GATHER_OPEN:
		return (b->gen == 0 && !b->queued) ? 0 : 1;
	case TLBGEN_GATHER_ISSUED:
		if (b->gen == 0 || b->gen > g->as->gen || b->queued != (b->nframes > 0) ||
		    g->self >= TLBGEN_MAX_CPUS || g->targets != (b->mask & ~cpu_bit(g->self)))
			return 2;
		return 0;
	case TLBGEN_GATHER_DONE:
		return b->queued ? 3 : 0;
	}
	return 2;
}
