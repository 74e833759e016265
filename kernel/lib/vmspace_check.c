/*
 * vmspace_check.c - the validator (vmspace_check) of an address space's invariants and the
 * digest of its observable state that tests compare before and after a failed call.
 */
#include "vmspace_priv.h"

/* struct vmres I2-I5 for one page byte. */
static bool page_ok(const struct vmres *r, uint8_t pg)
{
	unsigned prot = pg_prot(pg);

	if ((pg & ~PG_VALID_BITS) || pg_state(pg) > VPAGE_PROT_NONE)
		return false;
	if (!pg_committed(pg))
		return prot == 0 && !(pg & PG_ZERO); /* I2, I4 */
	if (prot == 0 || (prot & ~r->max_prot))
		return false; /* I2 */
	return r->state == VRES_RESERVED || !(pg & PG_ZERO); /* I3 */
}

/* struct vmres I1-I5; adds the record's pages to the counters. */
static bool vmres_ok(const struct vmres *r, uint64_t *virt, uint64_t *commit, uint64_t *mapped)
{
	uint64_t n = vmres_npages(r);

	if (r->state != VRES_RESERVED && r->state != VRES_MAPPED)
		return false; /* I1 */
	if ((r->max_prot & ~VM_PROT_ALL) || (r->pages && r->pages_cap < n))
		return false; /* I2, I5 */
	if (r->state == VRES_MAPPED && !IS_PAGE_ALIGNED(r->obj.offset))
		return false; /* I5 */
	for (uint64_t i = 0; i < n; i++) {
		uint8_t pg = vmres_page(r, i);

		if (!page_ok(r, pg) || (r->state == VRES_MAPPED && !pg_committed(pg)))
			return false; /* I2-I4 */
	}
	if (!r->pages && !page_ok(r, r->fill))
		return false;
	if (r->state == VRES_MAPPED) {
		*mapped += n;
	} else {
		*virt += n;
		*commit += vmres_count_committed(r, 0, n);
	}
	return true;
}

bool vmspace_check(const struct vmspace *as)
{
	uint64_t virt = 0, commit = 0, mapped = 0;
	const struct ledger *l = as->ledger;

	if (!resmap_check(&as->map))
		return false; /* I1 */
	for (struct resmap_node *n = resmap_first_after(&as->map, 0); n;
	     n = resmap_next(&as->map, n))
		if (!vmres_ok(vmres_of(n), &virt, &commit, &mapped))
			return false;
	if (virt != as->virt_pages || commit != as->commit_pages || mapped != as->map_pages)
		return false; /* I2 */
	return l->used[LEDGER_VIRTUAL] >= virt && l->used[LEDGER_COMMIT] >= commit &&
	       l->used[LEDGER_MAPPING] >= mapped && ledger_check(l);
}

static uint64_t fnv(uint64_t h, uint64_t v)
{
	for (int i = 0; i < 8; i++) {
		h ^= (v >> (8 * i)) & 0xff;
		h *= 0x100000001b3ull;
	}
	return h;
}

uint64_t vmspace_digest(const struct vmspace *as)
{
	uint64_t h = 0xcbf29ce484222325ull;

	h = fnv(fnv(fnv(h, as->virt_pages), as->commit_pages), as->map_pages);
	for (struct resmap_node *n = resmap_first_after(&as->map, 0); n;
	     n = resmap_next(&as->map, n)) {
		const struct vmres *r = vmres_of(n);

		h = fnv(fnv(fnv(h, n->base), n->end), r->state);
		h = fnv(h, r->max_prot);
		if (r->state == VRES_MAPPED)
			h = fnv(fnv(fnv(fnv(h, r->obj.id), r->obj.gen), r->obj.offset), r->obj.mapgen);
		for (uint64_t i = 0; i < vmres_npages(r); i++)
			h = fnv(h, vmres_page(r, i));
	}
	return h;
}
