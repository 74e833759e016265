/*
 * vmspace.c - reservations and object-backed mappings of one address space: create (fixed
 * no-replace or first fit at a hint), release with head/tail trim or middle split, lookup and
 * teardown, with their ledger charges. Page state operations are in vmspace_pages.c, the
 * validator and digest in vmspace_check.c. TLB: none (no page table is touched here; the caller
 * unhooks, flushes and frees after a successful unmap).
 */
#include <lib/assert.h>
#include <lib/interval.h>

#include "vmspace_priv.h"

void vpage_transition(uint8_t *pg, enum vpage_state from, enum vpage_state to)
{
	DASSERT(pg_state(*pg) == from);
	DASSERT((from == VPAGE_RESERVED && to == VPAGE_COMMITTED) ||
		(from == VPAGE_COMMITTED && to == VPAGE_PROT_NONE) ||
		(from == VPAGE_PROT_NONE && to == VPAGE_COMMITTED) ||
		(from == VPAGE_COMMITTED && to == VPAGE_RESERVED) ||
		(from == VPAGE_PROT_NONE && to == VPAGE_RESERVED));
	*pg = (uint8_t)((*pg & ~PG_STATE_MASK) | (unsigned)to);
}

void vres_transition(struct vmres *res, enum vres_state from, enum vres_state to)
{
	DASSERT(res->state == from);
	DASSERT((from == VRES_FREE && (to == VRES_RESERVED || to == VRES_MAPPED)) ||
		(to == VRES_FREE && (from == VRES_RESERVED || from == VRES_MAPPED)));
	res->state = to;
}

kerr_t vm_range_valid(uint64_t addr, uint64_t len)
{
	if (len == 0 || !IS_PAGE_ALIGNED(addr) || !IS_PAGE_ALIGNED(len) || addr + len < addr)
		return KERR_INVALID_ARG;
	return KERR_OK;
}

struct vmres *vm_single(const struct vmspace *as, uint64_t addr, uint64_t len)
{
	struct vmres *r = vmres_of(resmap_find(&as->map, addr));

	if (!r || addr + len > r->node.end)
		return NULL;
	return r;
}

uint64_t vmres_count_committed(const struct vmres *r, uint64_t first, uint64_t n)
{
	uint64_t count = 0;

	if (!r->pages)
		return pg_committed(r->fill) ? n : 0;
	for (uint64_t i = first; i < first + n; i++)
		count += pg_committed(r->pages[i]);
	return count;
}

kerr_t vmres_materialize(struct vmspace *as, struct vmres *r)
{
	uint64_t n = vmres_npages(r);

	if (r->pages)
		return KERR_OK;
	r->pages = as->alloc.alloc(as->alloc.ctx, n);
	if (!r->pages)
		return KERR_NO_MEMORY;
	r->pages_cap = n;
	for (uint64_t i = 0; i < n; i++)
		r->pages[i] = r->fill;
	return KERR_OK;
}

static void vmres_free(struct vmspace *as, struct vmres *r)
{
	if (r->pages)
		as->alloc.free(as->alloc.ctx, r->pages, r->pages_cap);
	as->alloc.free(as->alloc.ctx, r, sizeof(*r));
}

kerr_t vmspace_init(struct vmspace *as, uint64_t lo, uint64_t hi, struct ledger *ledger,
		    const struct lib_alloc *alloc)
{
	struct resmap map;

	if (!ledger || !alloc || !alloc->alloc || !alloc->free ||
	    resmap_init(&map, lo, hi) != KERR_OK)
		return KERR_INVALID_ARG;
	as->map = map;
	as->ledger = ledger;
	as->alloc = *alloc;
	as->virt_pages = 0;
	as->commit_pages = 0;
	as->map_pages = 0;
	return KERR_OK;
}

/* Choose where [?, ? + size) goes: exactly at addr (VM_FIXED, no replace) or first fit. */
static kerr_t vm_place(const struct vmspace *as, uint64_t addr, uint64_t size, unsigned flags,
		       uint64_t *base)
{
	kerr_t err;

	if (size == 0 || !IS_PAGE_ALIGNED(addr) || !IS_PAGE_ALIGNED(size) || (flags & ~VM_FIXED))
		return KERR_INVALID_ARG;
	if (!(flags & VM_FIXED))
		return resmap_find_fit(&as->map, addr, size, base);
	err = resmap_check_fixed(&as->map, addr, size);
	if (err == KERR_OK)
		*base = addr;
	return err;
}

/* Prepare a record of the given provenance: place, allocate, charge. The caller moves it out
 * of VRES_FREE and links it (I1: linked iff not free); nothing can fail after this returns. */
static kerr_t vm_create(struct vmspace *as, uint64_t addr, uint64_t size, unsigned flags,
			const struct vmres *proto, enum ledger_kind kind, struct vmres **out)
{
	struct vmres *r;
	uint64_t base;
	kerr_t err = vm_place(as, addr, size, flags, &base);

	if (err != KERR_OK)
		return err;
	r = as->alloc.alloc(as->alloc.ctx, sizeof(*r));
	if (!r)
		return KERR_NO_MEMORY;
	err = ledger_charge(as->ledger, kind, size >> PAGE_SHIFT);
	if (err != KERR_OK) {
		as->alloc.free(as->alloc.ctx, r, sizeof(*r));
		return err;
	}
	*r = *proto;
	r->node.base = base;
	r->node.end = base + size;
	*out = r;
	return KERR_OK;
}

kerr_t vmspace_reserve(struct vmspace *as, uint64_t addr, uint64_t size, unsigned flags,
		       unsigned max_prot, uint64_t *out)
{
	struct vmres proto = { .state = VRES_FREE, .fill = VPAGE_RESERVED }, *r;
	kerr_t err;

	if (max_prot & ~VM_PROT_ALL)
		return KERR_INVALID_ARG;
	proto.max_prot = (uint8_t)max_prot;
	err = vm_create(as, addr, size, flags, &proto, LEDGER_VIRTUAL, &r);
	if (err != KERR_OK)
		return err;
	vres_transition(r, VRES_FREE, VRES_RESERVED);
	resmap_insert(&as->map, &r->node);
	as->virt_pages += size >> PAGE_SHIFT;
	*out = r->node.base;
	return KERR_OK;
}

kerr_t vmspace_map_object(struct vmspace *as, uint64_t addr, uint64_t size, unsigned flags,
			  const struct vm_objref *obj, unsigned prot, unsigned max_prot,
			  uint64_t *out)
{
	struct vmres proto = { .state = VRES_FREE, .obj = *obj }, *r;
	kerr_t err;

	if ((max_prot & ~VM_PROT_ALL) || prot == 0 || (prot & ~max_prot) ||
	    !IS_PAGE_ALIGNED(obj->offset) || obj->offset + size < obj->offset)
		return KERR_INVALID_ARG;
	proto.max_prot = (uint8_t)max_prot;
	proto.fill = (uint8_t)(VPAGE_COMMITTED | (prot << PG_PROT_SHIFT));
	err = vm_create(as, addr, size, flags, &proto, LEDGER_MAPPING, &r);
	if (err != KERR_OK)
		return err;
	vres_transition(r, VRES_FREE, VRES_MAPPED);
	resmap_insert(&as->map, &r->node);
	as->map_pages += size >> PAGE_SHIFT;
	*out = r->node.base;
	return KERR_OK;
}

kerr_t vmspace_lookup(const struct vmspace *as, uint64_t addr, struct vm_info *out)
{
	struct vmres *r = vmres_of(resmap_find(&as->map, addr));
	uint64_t idx;
	uint8_t pg;

	if (!r)
		return KERR_NOT_FOUND;
	idx = (PAGE_ALIGN_DOWN(addr) - r->node.base) >> PAGE_SHIFT;
	pg = vmres_page(r, idx);
	out->base = r->node.base;
	out->end = r->node.end;
	out->kind = r->state;
	out->max_prot = r->max_prot;
	out->state = pg_state(pg);
	out->prot = pg_prot(pg);
	out->zero_pending = (pg & PG_ZERO) != 0;
	out->obj = r->obj;
	if (r->state == VRES_MAPPED)
		out->obj.offset += idx << PAGE_SHIFT;
	else
		out->obj = (struct vm_objref){ 0, 0, 0, 0, 0 };
	return KERR_OK;
}

/* The charges a record's pages [first, first + n) hold, per kind. */
static void vm_release_pages(struct vmspace *as, const struct vmres *r, uint64_t first,
			     uint64_t n)
{
	uint64_t committed;

	if (r->state == VRES_MAPPED) {
		ledger_release(as->ledger, LEDGER_MAPPING, n);
		as->map_pages -= n;
		return;
	}
	committed = vmres_count_committed(r, first, n);

	ledger_release(as->ledger, LEDGER_COMMIT, committed);
	ledger_release(as->ledger, LEDGER_VIRTUAL, n);
	as->commit_pages -= committed;
	as->virt_pages -= n;
}

/* Unlink, release and free a whole record (exactly once: it leaves the map here). */
static void vm_drop(struct vmspace *as, struct vmres *r)
{
	vm_release_pages(as, r, 0, vmres_npages(r));
	resmap_remove(&as->map, &r->node);
	if (r->state == VRES_MAPPED)
		vres_transition(r, VRES_MAPPED, VRES_FREE);
	else
		vres_transition(r, VRES_RESERVED, VRES_FREE);
	vmres_free(as, r);
}

/* Check every page of [addr, end) lies in a record of the wanted provenance, in address
 * order: the first page outside any record gives KERR_NOT_FOUND, the first page of the wrong
 * provenance (or object) gives @wrong. */
static kerr_t vm_cover(const struct vmspace *as, uint64_t addr, uint64_t end, bool object,
		       uint64_t id, uint64_t gen, kerr_t wrong)
{
	struct vmres *r = vmres_of(resmap_find(&as->map, addr)), *next;

	if (!r)
		return KERR_NOT_FOUND;
	for (;;) {
		if ((r->state == VRES_MAPPED) != object ||
		    (object && (r->obj.id != id || r->obj.gen != gen)))
			return wrong;
		if (r->node.end >= end)
			return KERR_OK;
		next = vmres_of(resmap_next(&as->map, &r->node));
		if (!next || next->node.base != r->node.end)
			return KERR_NOT_FOUND;
		r = next;
	}
}

/* Middle split: the part of r above the cut becomes a new record (preallocated in *above). */
static void vm_split_above(struct vmspace *as, struct vmres *r, const struct ival *keep,
			   struct vmres *above, uint8_t *above_pages)
{
	uint64_t skip = (keep->base - r->node.base) >> PAGE_SHIFT;

	*above = (struct vmres){
		.state = VRES_FREE,
		.max_prot = r->max_prot,
		.fill = r->fill,
		.pages = above_pages,
		.pages_cap = above_pages ? (keep->end - keep->base) >> PAGE_SHIFT : 0,
		.obj = r->obj,
	};
	above->node.base = keep->base;
	above->node.end = keep->end;
	for (uint64_t i = 0; above_pages && i < above->pages_cap; i++)
		above_pages[i] = r->pages[skip + i];
	if (r->state == VRES_MAPPED)
		above->obj.offset += keep->base - r->node.base;
	if (r->state == VRES_MAPPED)
		vres_transition(above, VRES_FREE, VRES_MAPPED);
	else
		vres_transition(above, VRES_FREE, VRES_RESERVED);
	resmap_insert(&as->map, &above->node);
}

/* Cut [addr, end) out of r, which overlaps it; spare/spare_pages serve a middle split. */
static void vm_cut(struct vmspace *as, struct vmres *r, uint64_t addr, uint64_t end,
		   struct vmres *spare, uint8_t *spare_pages)
{
	struct ival below, above;
	uint64_t first, n;

	ival_cut(r->node.base, r->node.end, addr, end, &below, &above);
	if (below.base == below.end && above.base == above.end) {
		vm_drop(as, r);
		return;
	}
	first = (below.end - r->node.base) >> PAGE_SHIFT;
	n = (above.base - below.end) >> PAGE_SHIFT;
	vm_release_pages(as, r, first, n);
	if (below.base != below.end && above.base != above.end) {
		/* Shrink first: the new record must not overlap r when it is linked. */
		resmap_shrink(&as->map, &r->node, below.base, below.end);
		vm_split_above(as, r, &above, spare, spare_pages);
	} else if (below.base != below.end) {
		resmap_shrink(&as->map, &r->node, below.base, below.end); /* tail cut */
	} else {
		/* Head cut: the kept pages move to the front of the array. */
		for (uint64_t i = 0; r->pages && i < (above.end - above.base) >> PAGE_SHIFT; i++)
			r->pages[i] = r->pages[n + i];
		if (r->state == VRES_MAPPED)
			r->obj.offset += above.base - r->node.base;
		resmap_shrink(&as->map, &r->node, above.base, above.end);
	}
}

/* Shared body of both unmaps: validate coverage, preallocate a middle split, then cut. */
static kerr_t vm_unmap_common(struct vmspace *as, uint64_t addr, uint64_t len, bool object,
			      uint64_t id, uint64_t gen, kerr_t wrong)
{
	uint64_t end = addr + len;
	struct vmres *r, *spare = NULL;
	uint8_t *spare_pages = NULL;
	kerr_t err = vm_range_valid(addr, len);

	if (err == KERR_OK)
		err = vm_cover(as, addr, end, object, id, gen, wrong);
	if (err != KERR_OK)
		return err;
	r = vmres_of(resmap_find(&as->map, addr));
	if (r->node.base < addr && end < r->node.end) {
		/* Middle split: the only case that needs memory, taken before any change. */
		spare = as->alloc.alloc(as->alloc.ctx, sizeof(*spare));
		if (!spare)
			return KERR_NO_MEMORY;
		if (r->pages) {
			spare_pages = as->alloc.alloc(as->alloc.ctx, (r->node.end - end) >> PAGE_SHIFT);
			if (!spare_pages) {
				as->alloc.free(as->alloc.ctx, spare, sizeof(*spare));
				return KERR_NO_MEMORY;
			}
		}
	}
	/* Loop invariant: [addr, cur) is released; every record overlapping [cur, end) is intact. */
	for (uint64_t cur = addr; cur < end;) {
		r = vmres_of(resmap_first_after(&as->map, cur));
		cur = r->node.end;
		vm_cut(as, r, addr, end, spare, spare_pages);
	}
	return KERR_OK;
}

kerr_t vmspace_unmap(struct vmspace *as, uint64_t addr, uint64_t len)
{
	return vm_unmap_common(as, addr, len, false, 0, 0, KERR_CONFLICT);
}

kerr_t vmspace_unmap_object(struct vmspace *as, uint64_t addr, uint64_t len, uint64_t id,
			    uint64_t gen)
{
	return vm_unmap_common(as, addr, len, true, id, gen, KERR_WRONG_OBJECT);
}

void vmspace_destroy(struct vmspace *as)
{
	/* Each record leaves the map exactly once, releasing exactly the charges it holds. */
	while (as->map.root)
		vm_drop(as, vmres_of(as->map.root));
	KASSERT(as->virt_pages == 0 && as->commit_pages == 0 && as->map_pages == 0);
}
