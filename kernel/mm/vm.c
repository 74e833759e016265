/*
 * vm.c - the page-table half of the VirtualMemory operations: zeroed frames and page-table
 * pages allocated and charged before a commit changes anything, PROT_NONE as MMU_GUARD
 * entries, "unhook, one shootdown round, then free" for protect/decommit/unmap, and the lazy
 * commit's fill of a page at its first touch (aspace_vm_fault()).
 * The page states themselves (the vpage machine) live in lib/vmspace and change only through
 * its vpage_transition(). See mm/vm.h.
 */
#include <arch/mmu.h>
#include <capos/abi.h>
#include <lib/assert.h>
#include <mm/acct.h>
#include <mm/aspace.h>
#include <mm/park.h>
#include <mm/pin.h>
#include <mm/shootdown.h>
#include <mm/vm.h>

/* The PTE protection of a committed page in state st with protection prot. */
static unsigned vm_mmu_prot(enum vpage_state st, unsigned prot)
{
	if (st == VPAGE_PROT_NONE)
		return MMU_READ | MMU_USER | MMU_GUARD;
	return MMU_READ | MMU_USER | ((prot & VM_PROT_WRITE) ? MMU_WRITE : 0) |
	       ((prot & VM_PROT_EXEC) ? MMU_EXEC : 0);
}

/* TLB: none (no PTE changes). */
kerr_t aspace_vm_reserve(struct aspace *as, uint64_t len, uint64_t hint, unsigned flags,
			 unsigned max_prot, uint64_t *base)
{
	kerr_t err;

	if (!(flags & VM_FIXED) && hint < CAPOS_USER_MMAP_BASE)
		hint = CAPOS_USER_MMAP_BASE;
	spin_lock(&as->lock);
	spin_lock(&as->acct->lock);
	err = vmspace_reserve(&as->vm, hint, len, flags, max_prot, base);
	spin_unlock(&as->acct->lock);
	spin_unlock(&as->lock);
	if (err != KERR_OK) /* a non-fixed conflict means: no room at or after the hint */
		return err == KERR_CONFLICT && !(flags & VM_FIXED) ? KERR_NO_MEMORY : err;
	return KERR_OK;
}

/* What a commit needs: the range lies in one anonymous reservation allowing prot; *pages
 * receives its reserved pages (to charge), *fills those plus the committed pages a lazy commit
 * left untouched (to give frames). Checks the commit quota first (before frame pressure). */
static kerr_t vm_commit_check_locked(struct aspace *as, uint64_t addr, uint64_t len,
				     unsigned prot, uint64_t *pages, uint64_t *fills)
{
	struct vm_info vi;
	uint64_t n = 0, pend = 0, used, limit;

	KASSERT(spin_held(&as->lock));
	if (vmspace_lookup(&as->vm, addr, &vi) != KERR_OK || addr + len > vi.end)
		return KERR_NOT_FOUND;
	if (vi.kind != VRES_RESERVED)
		return KERR_CONFLICT;
	if (prot & ~vi.max_prot)
		return KERR_NO_RIGHTS;
	for (uint64_t va = addr; va < addr + len; va += PAGE_SIZE) {
		KASSERT(vmspace_lookup(&as->vm, va, &vi) == KERR_OK);
		n += vi.state == VPAGE_RESERVED;
		pend += vi.state != VPAGE_RESERVED && vi.zero_pending; /* lazy, untouched */
	}
	acct_usage(as->acct, LEDGER_COMMIT, &used, &limit);
	if (n > limit - used)
		return KERR_QUOTA_COMMIT;
	*pages = n;
	*fills = n + pend;
	return KERR_OK;
}

/* Charge the page-table pages and allocate every frame the commit needs, or nothing. */
static kerr_t vm_commit_prepare(struct aspace *as, uint64_t pages, uint64_t tables,
				struct frame_list *frames, struct frame_list *pts)
{
	paddr_t pa;
	kerr_t err = acct_charge(as->acct, LEDGER_PAGETABLE, tables);

	if (err != KERR_OK)
		return err;
	for (uint64_t i = 0; i < pages + tables; i++) {
		err = frame_alloc(i < pages ? FRAME_OWNER_USER : FRAME_OWNER_PAGETABLE, &pa);
		if (err != KERR_OK) {
			frame_list_free(frames);
			frame_list_free(pts);
			acct_release(as->acct, LEDGER_PAGETABLE, tables);
			return KERR_NO_MEMORY;
		}
		frame_list_push(i < pages ? frames : pts, frame_of(pa));
	}
	return KERR_OK;
}

/* Map a zeroed frame at every page the commit made zero-fill pending. Cannot fail.
 * TLB: none (new PTEs only). */
static void vm_commit_map_locked(struct aspace *as, uint64_t addr, uint64_t len,
				 struct frame_list *frames, struct frame_list *pts)
{
	struct vm_info vi;

	KASSERT(spin_held(&as->lock));
	for (uint64_t va = addr; va < addr + len; va += PAGE_SIZE) {
		KASSERT(vmspace_lookup(&as->vm, va, &vi) == KERR_OK);
		if (!vi.zero_pending)
			continue;
		struct frame *f = frame_list_pop(frames);
		KASSERT(f);
		/* frame_alloc() zeroed it: the fill is done before the PTE exists. */
		KASSERT(arch_mmu_map_pool(as->root, va, frame_paddr(f),
					  vm_mmu_prot(vi.state, vi.prot), pts) == KERR_OK);
		frame_transition(f, FRAME_ALLOCATED, FRAME_MAPPED);
		KASSERT(vmspace_filled(&as->vm, va) == KERR_OK);
	}
	KASSERT(frames->count == 0 && pts->count == 0);
}

/* TLB: none (new PTEs only). */
kerr_t aspace_vm_commit(struct aspace *as, uint64_t addr, uint64_t len, unsigned prot)
{
	struct frame_list frames = { 0, 0 }, pts = { 0, 0 };
	uint64_t pages = 0, fills = 0, tables = 0;
	kerr_t err;

	spin_lock(&as->lock);
	err = vm_commit_check_locked(as, addr, len, prot, &pages, &fills);
	if (err != KERR_OK) {
		spin_unlock(&as->lock);
		return err;
	}
	tables = arch_mmu_tables_needed(as->root, addr, len);
	err = vm_commit_prepare(as, fills, tables, &frames, &pts);
	if (err != KERR_OK) {
		spin_unlock(&as->lock);
		return err;
	}
	spin_lock(&as->acct->lock);
	err = vmspace_commit(&as->vm, addr, len, prot);
	spin_unlock(&as->acct->lock);
	if (err != KERR_OK) { /* the page-state array could not grow */
		frame_list_free(&frames);
		frame_list_free(&pts);
		acct_release(as->acct, LEDGER_PAGETABLE, tables);
		spin_unlock(&as->lock);
		return err;
	}
	vm_commit_map_locked(as, addr, len, &frames, &pts);
	spin_unlock(&as->lock);
	return KERR_OK;
}

/*
 * Lazy commit: charge COMMIT (vmspace_commit) and top lazy_pts up to the page-table pages the
 * range needs now (charged to LEDGER_PAGETABLE), so a first touch normally needs only its data
 * frame; the pages stay zero-fill pending and unmapped. TLB: none (no PTE changes).
 */
kerr_t aspace_vm_commit_lazy(struct aspace *as, uint64_t addr, uint64_t len, unsigned prot)
{
	struct frame_list pts = { 0, 0 };
	uint64_t pages = 0, fills = 0, tables = 0, need;
	kerr_t err;

	spin_lock(&as->lock);
	err = vm_commit_check_locked(as, addr, len, prot, &pages, &fills);
	if (err != KERR_OK) {
		spin_unlock(&as->lock);
		return err;
	}
	need = arch_mmu_tables_needed(as->root, addr, len);
	tables = need > as->lazy_pts.count ? need - as->lazy_pts.count : 0;
	err = vm_commit_prepare(as, 0, tables, &pts, &pts);
	if (err != KERR_OK) {
		spin_unlock(&as->lock);
		return err;
	}
	spin_lock(&as->acct->lock);
	err = vmspace_commit(&as->vm, addr, len, prot);
	spin_unlock(&as->acct->lock);
	if (err != KERR_OK) { /* the page-state array could not grow */
		frame_list_free(&pts);
		acct_release(as->acct, LEDGER_PAGETABLE, tables);
		spin_unlock(&as->lock);
		return err;
	}
	for (struct frame *f = frame_list_pop(&pts); f; f = frame_list_pop(&pts))
		frame_list_push(&as->lazy_pts, f);
	spin_unlock(&as->lock);
	return KERR_OK;
}

/* The tables mapping va needs: from lazy_pts, or charged and allocated now when it is short
 * (another lazy range took them). */
static kerr_t vm_fault_tables_locked(struct aspace *as, uint64_t va)
{
	uint64_t need = arch_mmu_tables_needed(as->root, va, PAGE_SIZE);
	struct frame_list pts = { 0, 0 };
	kerr_t err;

	KASSERT(spin_held(&as->lock));
	if (need <= as->lazy_pts.count)
		return KERR_OK;
	err = vm_commit_prepare(as, 0, need - as->lazy_pts.count, &pts, &pts);
	if (err != KERR_OK)
		return err;
	for (struct frame *f = frame_list_pop(&pts); f; f = frame_list_pop(&pts))
		frame_list_push(&as->lazy_pts, f);
	return KERR_OK;
}

/* Fill and map the zero-fill pending page at va. TLB: none (new PTE only). */
static kerr_t vm_fault_fill_locked(struct aspace *as, uint64_t va, const struct vm_info *vi)
{
	paddr_t pa;
	kerr_t err = vm_fault_tables_locked(as, va);

	if (err != KERR_OK)
		return KERR_NO_MEMORY;
	if (frame_alloc(FRAME_OWNER_USER, &pa) != KERR_OK)
		return KERR_NO_MEMORY;
	/* frame_alloc() zeroed it: the fill is done before the PTE exists. */
	KASSERT(arch_mmu_map_pool(as->root, va, pa, vm_mmu_prot(vi->state, vi->prot),
				  &as->lazy_pts) == KERR_OK);
	frame_transition(frame_of(pa), FRAME_ALLOCATED, FRAME_MAPPED);
	KASSERT(vmspace_filled(&as->vm, va) == KERR_OK);
	return KERR_OK;
}

/* TLB: none (a new PTE only, for a page that had none). */
kerr_t aspace_vm_fault(struct aspace *as, uint64_t addr)
{
	uint64_t va = addr & ~(uint64_t)PAGE_MASK;
	struct vm_info vi;
	paddr_t pa;
	unsigned mp;
	kerr_t err = KERR_NOT_FOUND;

	if (!capos_user_range_ok(va, PAGE_SIZE))
		return KERR_NOT_FOUND;
	spin_lock(&as->lock);
	if (vmspace_lookup(&as->vm, va, &vi) == KERR_OK && vi.kind == VRES_RESERVED &&
	    vi.state == VPAGE_COMMITTED) {
		if (vi.zero_pending)
			err = vm_fault_fill_locked(as, va, &vi);
		else if (arch_mmu_query(as->root, va, &pa, &mp) == KERR_OK)
			err = KERR_OK; /* another thread filled it first: retry */
	}
	spin_unlock(&as->lock);
	if (err != KERR_OK)
		return err;
	return KERR_OK;
}

/* TLB: shootdown (one round: every changed PTE is gathered). */
kerr_t aspace_vm_protect(struct aspace *as, uint64_t addr, uint64_t len, unsigned prot)
{
	struct tlb_gather tg;
	struct vm_info vi;
	kerr_t err;

	tlb_gather_init(&tg, as);
	spin_lock(&as->lock);
	spin_lock(&as->acct->lock);
	err = vmspace_protect(&as->vm, addr, len, prot);
	spin_unlock(&as->acct->lock);
	if (err != KERR_OK) {
		spin_unlock(&as->lock);
		return err;
	}
	for (uint64_t va = addr; va < addr + len; va += PAGE_SIZE) {
		KASSERT(vmspace_lookup(&as->vm, va, &vi) == KERR_OK);
		if (vi.zero_pending)
			continue; /* lazy, untouched: no PTE; the fill uses the new protection */
		KASSERT(arch_mmu_protect(as->root, va, vm_mmu_prot(vi.state, vi.prot)) == KERR_OK);
		tlb_gather_page(&tg, va);
	}
	tlb_shootdown(&tg);
	spin_unlock(&as->lock);
	tlb_shootdown_wait(&tg);
	return KERR_OK;
}

/* Clear every present PTE of [addr, addr + len) (anonymous pages only), deferring frames and
 * emptied tables to the gather; releases the tables' charge. TLB: shootdown (caller's round). */
static void vm_unhook_range_locked(struct aspace *as, uint64_t addr, uint64_t len,
				   struct tlb_gather *tg)
{
	struct frame_list pt = { 0, 0 };
	paddr_t pa;

	KASSERT(spin_held(&as->lock));
	for (uint64_t va = addr; va < addr + len; va += PAGE_SIZE) {
		if (arch_mmu_unmap(as->root, va, &pa, &pt) != KERR_OK)
			continue; /* was only reserved */
		frame_transition(frame_of(pa), FRAME_MAPPED, FRAME_UNHOOKED);
		tlb_gather_page(tg, va);
		tlb_defer_frame_free(tg, pa);
	}
	acct_release(as->acct, LEDGER_PAGETABLE, pt.count);
	tlb_defer_table_free(tg, &pt);
}

/*
 * Decommit (unmap == false) or unmap (true) [addr, addr + len): the bookkeeping first (which may
 * fail and then changes nothing), then unhook every PTE of the range into one gather.
 * TLB: shootdown (one round), frames freed after it.
 */
static kerr_t vm_remove_range(struct aspace *as, uint64_t addr, uint64_t len, bool unmap)
{
	struct tlb_gather tg;
	kerr_t err;

	tlb_gather_init(&tg, as);
	spin_lock(&as->lock);
	if (pin_range_pinned_locked(as, addr, len)) {
		spin_unlock(&as->lock);
		return KERR_PINNED; /* before anything changed */
	}
	spin_lock(&as->acct->lock);
	if (unmap)
		err = vmspace_unmap(&as->vm, addr, len);
	else
		err = vmspace_decommit(&as->vm, addr, len);
	spin_unlock(&as->acct->lock);
	if (err != KERR_OK) {
		spin_unlock(&as->lock);
		return err;
	}
	vm_unhook_range_locked(as, addr, len, &tg);
	park_mapping_gone_locked(as, addr, len); /* its waiters fail before anyone remaps */
	tlb_shootdown(&tg);
	spin_unlock(&as->lock);
	tlb_shootdown_wait(&tg);
	return KERR_OK;
}

/* TLB: shootdown (one round), frames freed after it. */
kerr_t aspace_vm_decommit(struct aspace *as, uint64_t addr, uint64_t len)
{
	return vm_remove_range(as, addr, len, false);
}

/* TLB: shootdown (one round), frames freed after it. */
kerr_t aspace_vm_unmap(struct aspace *as, uint64_t addr, uint64_t len)
{
	return vm_remove_range(as, addr, len, true);
}

void aspace_vm_query(struct aspace *as, uint64_t addr, uint64_t r[3])
{
	struct vm_info vi;

	r[0] = CAPOS_PAGE_FREE;
	r[1] = r[2] = 0;
	spin_lock(&as->lock);
	if (vmspace_lookup(&as->vm, addr & ~(uint64_t)PAGE_MASK, &vi) == KERR_OK) {
		if (vi.kind == VRES_MAPPED)
			r[0] = CAPOS_PAGE_OBJECT_MAPPED;
		else
			r[0] = vi.state == VPAGE_RESERVED ? CAPOS_PAGE_RESERVED : CAPOS_PAGE_COMMITTED;
		r[1] = vi.state == VPAGE_COMMITTED ? vi.prot : 0;
		r[2] = vi.max_prot;
	}
	spin_unlock(&as->lock);
}

kerr_t aspace_vm_eligibility(struct aspace *as, uint64_t addr, unsigned purpose,
			     uint64_t *reason, uint64_t *bits)
{
	uint64_t va = addr & ~(uint64_t)PAGE_MASK;
	unsigned prot;
	paddr_t pa;
	kerr_t err;

	if (purpose >= ELIG_PURPOSE_COUNT || !capos_user_range_ok(va, PAGE_SIZE))
		return KERR_INVALID_ARG;
	spin_lock(&as->lock);
	err = arch_mmu_query(as->root, va, &pa, &prot);
	if (err == KERR_OK) {
		*reason = frame_eligibility(pa, (enum elig_purpose)purpose);
		*bits = frame_elig_bits(frame_of(pa));
	}
	spin_unlock(&as->lock);
	if (err != KERR_OK)
		return KERR_NOT_FOUND;
	return KERR_OK;
}

/* TLB: none: tlb_assert_not_resident() (no CPU has the root loaded). */
void aspace_vm_teardown(struct aspace *as)
{
	struct frame_list pt = { 0, 0 };
	struct resmap_node *n;
	struct vm_info vi;
	paddr_t pa;

	tlb_assert_not_resident(as);
	pin_teardown(as); /* while the PTEs still name the pinned frames */
	for (n = resmap_first_after(&as->vm.map, 0); n; n = resmap_next(&as->vm.map, n)) {
		KASSERT(vmspace_lookup(&as->vm, n->base, &vi) == KERR_OK);
		/* Borrowed mappings hold a reference on the address space (mm/memobj.h I3). */
		KASSERT(vi.kind == VRES_RESERVED);
		for (uint64_t va = n->base; va < n->end; va += PAGE_SIZE) {
			if (arch_mmu_unmap(as->root, va, &pa, &pt) != KERR_OK)
				continue;
			struct frame *f = frame_of(pa);
			frame_transition(f, FRAME_MAPPED, FRAME_UNHOOKED);
			tlb_assert_not_resident(as); /* TLB: none needed: loaded nowhere */
			frame_transition(f, FRAME_UNHOOKED, FRAME_FLUSHED);
			frame_free(pa);
		}
	}
	acct_release(as->acct, LEDGER_PAGETABLE, pt.count + as->lazy_pts.count);
	tlb_assert_not_resident(as);
	frame_list_free(&pt);
	frame_list_free(&as->lazy_pts); /* never linked into the tree */
	spin_lock(&as->acct->lock);
	vmspace_destroy(&as->vm); /* releases VIRTUAL, COMMIT and MAPPING exactly once */
	spin_unlock(&as->acct->lock);
}

/* -- object-backed (borrowed) mappings ------------------------------------------------------ */

/* Where a borrowed mapping goes, checked before anything is charged: the fixed range is free,
 * or the first fit at or after the hint; the mapping quota has room. */
static kerr_t vm_objmap_place_locked(struct aspace *as, const struct vm_objmap *m, uint64_t *b)
{
	uint64_t size = m->npages * PAGE_SIZE, hint = m->addr, used, limit;
	kerr_t err;

	KASSERT(spin_held(&as->lock));
	if (m->flags & VM_FIXED) {
		*b = hint;
		err = resmap_check_fixed(&as->vm.map, hint, size);
		if (err != KERR_OK)
			return err; /* KERR_CONFLICT, or KERR_INVALID_ARG outside the user range */
	} else {
		if (hint < CAPOS_USER_MMAP_BASE)
			hint = CAPOS_USER_MMAP_BASE;
		if (resmap_find_fit(&as->vm.map, hint, size, b) != KERR_OK)
			return KERR_NO_MEMORY; /* no room at or after the hint */
	}
	acct_usage(as->acct, LEDGER_MAPPING, &used, &limit);
	return m->npages > limit - used ? KERR_QUOTA_MAPPING : KERR_OK;
}

/* TLB: none (new PTEs only). */
kerr_t aspace_vm_map_object_locked(struct aspace *as, const struct vm_objmap *m, uint64_t *base)
{
	struct frame_list pts = { 0, 0 }, none = { 0, 0 };
	uint64_t tables, b;
	kerr_t err = vm_objmap_place_locked(as, m, &b);

	if (err != KERR_OK)
		return err;
	tables = arch_mmu_tables_needed(as->root, b, m->npages * PAGE_SIZE);
	err = vm_commit_prepare(as, 0, tables, &none, &pts);
	if (err != KERR_OK)
		return err;
	spin_lock(&as->acct->lock);
	err = vmspace_map_object(&as->vm, b, m->npages * PAGE_SIZE, VM_FIXED, &m->ref, m->prot,
				 m->max_prot, base);
	spin_unlock(&as->acct->lock);
	if (err != KERR_OK) { /* no memory for the record */
		frame_list_free(&pts);
		acct_release(as->acct, LEDGER_PAGETABLE, tables);
		return err;
	}
	for (uint64_t i = 0; i < m->npages; i++)
		KASSERT(arch_mmu_map_pool(as->root, b + i * PAGE_SIZE, m->frames[i],
					  vm_mmu_prot(VPAGE_COMMITTED, m->prot), &pts) == KERR_OK);
	KASSERT(pts.count == 0);
	return KERR_OK;
}

/* Clear the PTEs of [addr, addr + len) of an object mapping: the frames stay the object's
 * (FRAME_ALLOCATED, freed by it only after every mapping's round completed); the emptied
 * tables wait for the gather. TLB: shootdown (caller's round). */
static void vm_unhook_object_locked(struct aspace *as, uint64_t addr, uint64_t len,
				    struct tlb_gather *tg)
{
	struct frame_list pt = { 0, 0 };

	KASSERT(spin_held(&as->lock));
	for (uint64_t va = addr; va < addr + len; va += PAGE_SIZE) {
		KASSERT(arch_mmu_unmap(as->root, va, NULL, &pt) == KERR_OK);
		tlb_gather_page(tg, va);
	}
	acct_release(as->acct, LEDGER_PAGETABLE, pt.count);
	tlb_defer_table_free(tg, &pt);
}

/* TLB: shootdown (one round on tg, issued by the caller after unlocking nothing). */
kerr_t aspace_vm_unmap_object_locked(struct aspace *as, uint64_t addr, uint64_t len,
				     uint64_t id, uint64_t gen, struct tlb_gather *tg)
{
	kerr_t err;

	KASSERT(spin_held(&as->lock));
	spin_lock(&as->acct->lock);
	err = vmspace_unmap_object(&as->vm, addr, len, id, gen);
	spin_unlock(&as->acct->lock);
	if (err != KERR_OK)
		return err;
	pin_revoke_range_locked(as, addr, len); /* forced paths only: memobj_unmap checked */
	vm_unhook_object_locked(as, addr, len, tg);
	park_mapping_gone_locked(as, addr, len); /* its waiters fail before anyone remaps */
	return KERR_OK;
}

/* TLB: shootdown (caller's round on tg). */
uint64_t aspace_vm_unmap_object_all_locked(struct aspace *as, uint64_t id, uint64_t gen,
					   struct tlb_gather *tg)
{
	struct resmap_node *n = resmap_first_after(&as->vm.map, 0);
	struct vm_info vi;
	uint64_t pages = 0;

	KASSERT(spin_held(&as->lock));
	while (n) {
		uint64_t base = n->base, len = n->end - n->base;
		KASSERT(vmspace_lookup(&as->vm, base, &vi) == KERR_OK);
		n = resmap_next(&as->vm.map, n); /* before the record goes */
		if (vi.kind != VRES_MAPPED || vi.obj.id != id || vi.obj.gen != gen)
			continue;
		KASSERT(aspace_vm_unmap_object_locked(as, base, len, id, gen, tg) == KERR_OK);
		pages += len / PAGE_SIZE;
	}
	return pages;
}

/* TLB: shootdown (one round). */
kerr_t aspace_vm_protect_object(struct aspace *as, uint64_t addr, uint64_t len, unsigned prot,
				uint64_t id, uint64_t gen)
{
	struct vm_info vi;
	kerr_t err = KERR_OK;

	spin_lock(&as->lock);
	for (uint64_t va = addr; va < addr + len && err == KERR_OK; va += PAGE_SIZE) {
		if (vmspace_lookup(&as->vm, va, &vi) != KERR_OK)
			err = KERR_NOT_FOUND;
		else if (vi.kind != VRES_MAPPED || vi.obj.id != id || vi.obj.gen != gen)
			err = KERR_WRONG_OBJECT;
	}
	spin_unlock(&as->lock);
	if (err != KERR_OK)
		return err;
	/* A racing unmap and remap by the same process between the check and the protect is
	 * the caller's own doing; the protect then applies to whatever is mapped (still bounded
	 * by that range's rights). */
	return aspace_vm_protect(as, addr, len, prot);
}

/* TLB: none (read only). */
bool aspace_vm_first_object_locked(struct aspace *as, struct vm_objref *ref)
{
	struct vm_info vi;

	KASSERT(spin_held(&as->lock));
	for (struct resmap_node *n = resmap_first_after(&as->vm.map, 0); n;
	     n = resmap_next(&as->vm.map, n)) {
		KASSERT(vmspace_lookup(&as->vm, n->base, &vi) == KERR_OK);
		if (vi.kind == VRES_MAPPED) {
			*ref = vi.obj;
			return true;
		}
	}
	return false;
}

/* TLB: none (read only). */
kerr_t aspace_vm_identity_locked(struct aspace *as, uint64_t va, struct vm_mapid *out)
{
	struct vm_info vi;

	KASSERT(spin_held(&as->lock));
	if (vmspace_lookup(&as->vm, PAGE_ALIGN_DOWN(va), &vi) != KERR_OK ||
	    vi.state == VPAGE_RESERVED)
		return KERR_NOT_FOUND;
	*out = (struct vm_mapid){ .as = as->ident, .object = vi.kind == VRES_MAPPED,
				  .prot = vi.state == VPAGE_COMMITTED ? vi.prot : 0,
				  .zero_pending = vi.zero_pending };
	if (out->object) {
		out->obj = (struct kident){ vi.obj.id, vi.obj.gen };
		out->offset = vi.obj.offset;
		out->mapgen = vi.obj.mapgen;
		out->owner = vi.obj.owner;
	}
	return KERR_OK;
}
