/*
 * memobj.c - MemoryObjects: allocation with its ledger charge, publication and rollback,
 * borrowed mappings per address space, and the teardown of every mapping when the last
 * capability goes. See mm/memobj.h for the machine and invariants; mm/vm.c does the PTEs.
 */
#include <arch/cpu.h>
#include <lib/assert.h>
#include <mm/acct.h>
#include <mm/aspace.h>
#include <mm/frame.h>
#include <mm/kheap.h>
#include <mm/kvbig.h>
#include <mm/memobj.h>
#include <mm/pin.h>
#include <mm/shootdown.h>
#include <mm/vm.h>
#include <proc/thread.h>

static unsigned live;

static const uint8_t legal[MEMOBJ_STATE_COUNT] = {
	[MEMOBJ_ALLOCATED] = 1u << MEMOBJ_PUBLISHED | 1u << MEMOBJ_RELEASED,
	[MEMOBJ_PUBLISHED] = 1u << MEMOBJ_MAPPED | 1u << MEMOBJ_RELEASED,
	[MEMOBJ_MAPPED] = 1u << MEMOBJ_PUBLISHED | 1u << MEMOBJ_RELEASED,
};

void memobj_transition(struct memobj *o, enum memobj_state from, enum memobj_state to)
{
	DASSERT(o->state == from);
	DASSERT(from < MEMOBJ_STATE_COUNT && to < MEMOBJ_STATE_COUNT && ((legal[from] >> to) & 1));
	o->state = (uint8_t)to;
}

static size_t frames_bytes(uint64_t npages)
{
	return npages * sizeof(paddr_t);
}

/* Set or clear eligibility bits on frames [0, n) of o (I6). */
static void memobj_frames_elig(struct memobj *o, uint64_t n, unsigned bits, bool set)
{
	for (uint64_t i = 0; i < n; i++) {
		if (set)
			frame_elig_set(frame_of(o->frames[i]), bits);
		else
			frame_elig_clear(frame_of(o->frames[i]), bits);
	}
}

/* I6: ELIG_SHARED_IPC follows "mapped by two or more address spaces". Locks: o->lock. */
static void memobj_share_update_locked(struct memobj *o)
{
	bool shared = o->maps && o->maps->next;

	KASSERT(spin_held(&o->lock));
	if (shared != o->shared)
		memobj_frames_elig(o, o->npages, ELIG_SHARED_IPC, shared);
	o->shared = shared;
}

/* Frees frames [0, n), the array and the struct, and releases the charge of npages. */
static void memobj_free(struct memobj *o, uint64_t n)
{
	KASSERT(!o->shared && !o->rings); /* I6: only ELIG_OBJECT is left */
	memobj_frames_elig(o, n, ELIG_OBJECT, false);
	for (uint64_t i = 0; i < n; i++)
		frame_free(o->frames[i]); /* I1: FRAME_ALLOCATED, no PTE or TLB entry left */
	if (frames_bytes(o->npages) > KHEAP_MAX)
		kvbig_free(o->frames, frames_bytes(o->npages));
	else
		kfree(o->frames);
	acct_release(o->acct, LEDGER_OBJECT, o->npages);
	acct_put(o->acct);
	__atomic_sub_fetch(&live, 1, __ATOMIC_RELAXED);
	kfree(o);
}

static struct memobj *memobj_alloc(struct acct *acct, uint64_t npages)
{
	struct memobj *o = kmalloc(sizeof(*o));
	size_t bytes = frames_bytes(npages);

	if (!o)
		return NULL;
	o->frames = bytes > KHEAP_MAX ? kvbig_alloc(bytes) : kmalloc(bytes);
	if (!o->frames) {
		kfree(o);
		return NULL;
	}
	spin_init(&o->lock, "memobj");
	o->npages = npages;
	o->refs = 1;
	acct_get(acct);
	o->acct = acct;
	__atomic_add_fetch(&live, 1, __ATOMIC_RELAXED);
	return o;
}

kerr_t memobj_create(struct acct *acct, uint64_t npages, struct memobj **out)
{
	struct memobj *o;
	kerr_t err = acct_charge(acct, LEDGER_OBJECT, npages);

	if (err != KERR_OK)
		return err;
	o = memobj_alloc(acct, npages);
	if (o && kident_new(&mm_idents, &o->ident) != KERR_OK) {
		memobj_free(o, 0); /* releases the charge */
		return KERR_NO_MEMORY;
	}
	if (!o) {
		acct_release(acct, LEDGER_OBJECT, npages);
		return KERR_NO_MEMORY;
	}
	for (uint64_t i = 0; i < npages; i++) {
		if (frame_alloc(FRAME_OWNER_USER, &o->frames[i]) != KERR_OK) {
			memobj_free(o, i); /* releases the charge */
			return KERR_NO_MEMORY;
		}
		frame_elig_set(frame_of(o->frames[i]), ELIG_OBJECT); /* I6 */
	}
	*out = o;
	return KERR_OK;
}

void memobj_published(struct memobj *o)
{
	spin_lock(&o->lock);
	memobj_transition(o, MEMOBJ_ALLOCATED, MEMOBJ_PUBLISHED);
	o->caps = 1;
	spin_unlock(&o->lock);
}

void memobj_rollback(struct memobj *o)
{
	memobj_transition(o, MEMOBJ_ALLOCATED, MEMOBJ_RELEASED);
	KASSERT(o->refs == 1 && !o->maps);
	memobj_free(o, o->npages);
}

static void memobj_get(struct memobj *o)
{
	KASSERT(__atomic_add_fetch(&o->refs, 1, __ATOMIC_RELAXED) > 1);
}

static void memobj_put(struct memobj *o)
{
	if (__atomic_sub_fetch(&o->refs, 1, __ATOMIC_ACQ_REL) != 0)
		return;
	KASSERT(o->state == MEMOBJ_RELEASED && !o->maps);
	memobj_free(o, o->npages);
}

void memobj_cap_get(struct memobj *o)
{
	spin_lock(&o->lock);
	KASSERT(o->caps > 0);
	o->caps++;
	spin_unlock(&o->lock);
}

/* Unlink the entry of as (NULL when there is none). */
static struct memobj_mapping *memobj_unlink_locked(struct memobj *o, struct aspace *as)
{
	KASSERT(spin_held(&o->lock));
	for (struct memobj_mapping **pp = &o->maps; *pp; pp = &(*pp)->next) {
		struct memobj_mapping *e = *pp;
		if (e->as == as) {
			*pp = e->next;
			return e;
		}
	}
	return NULL;
}

/* Remove every mapping of o from e->as (one round) and drop the entry's references.
 * TLB: shootdown (the object's frames are freed only by the last memobj_put()). */
static void memobj_unmap_entry(struct memobj *o, struct memobj_mapping *e)
{
	struct tlb_gather tg;

	tlb_gather_init(&tg, e->as);
	spin_lock(&e->as->lock);
	aspace_vm_unmap_object_all_locked(e->as, o->ident.id, o->ident.gen, &tg);
	tlb_shootdown(&tg);
	spin_unlock(&e->as->lock);
	tlb_shootdown_wait(&tg);
	aspace_put(e->as);
	kfree(e);
	memobj_put(o);
}

void memobj_cap_put(struct memobj *o)
{
	struct memobj_mapping *maps;

	spin_lock(&o->lock);
	KASSERT(o->caps > 0);
	if (--o->caps > 0) {
		spin_unlock(&o->lock);
		return;
	}
	maps = o->maps;
	o->maps = NULL;
	memobj_share_update_locked(o);
	if (o->state == MEMOBJ_MAPPED)
		memobj_transition(o, MEMOBJ_MAPPED, MEMOBJ_RELEASED);
	else
		memobj_transition(o, MEMOBJ_PUBLISHED, MEMOBJ_RELEASED);
	spin_unlock(&o->lock);
	while (maps) {
		struct memobj_mapping *e = maps;
		maps = e->next;
		memobj_unmap_entry(o, e);
	}
	memobj_put(o); /* the capabilities' reference */
}

kerr_t memobj_map(struct memobj *o, struct aspace *as, uint64_t addr, uint64_t off,
		  uint64_t len, unsigned prot, unsigned max_prot, unsigned flags, uint64_t *base)
{
	struct memobj_mapping *fresh = kmalloc(sizeof(*fresh)), *e;
	struct vm_objmap m = {
		.ref = { o->ident.id, o->ident.gen, off, 0, (uintptr_t)o },
		.frames = &o->frames[off / PAGE_SIZE], .npages = len / PAGE_SIZE, .addr = addr,
		.flags = flags, .prot = prot, .max_prot = max_prot,
	};
	struct kident mapgen;
	kerr_t err;

	if (!fresh)
		return KERR_NO_MEMORY;
	if (kident_new(&mm_idents, &mapgen) != KERR_OK) {
		kfree(fresh);
		return KERR_NO_MEMORY;
	}
	m.ref.mapgen = mapgen.id; /* a new mapping generation per map call */
	spin_lock(&as->lock);
	spin_lock(&o->lock);
	err = o->state == MEMOBJ_RELEASED ? KERR_INVALID_ARG
					  : aspace_vm_map_object_locked(as, &m, base);
	if (err == KERR_OK) {
		for (e = o->maps; e && e->as != as; e = e->next)
			;
		if (!e) { /* I3: the entry holds a reference on both */
			e = fresh;
			fresh = NULL;
			*e = (struct memobj_mapping){ as, 0, o->maps };
			o->maps = e;
			aspace_get(as);
			memobj_get(o);
		}
		e->pages += m.npages;
		memobj_share_update_locked(o);
		if (o->state == MEMOBJ_PUBLISHED)
			memobj_transition(o, MEMOBJ_PUBLISHED, MEMOBJ_MAPPED);
	}
	spin_unlock(&o->lock);
	spin_unlock(&as->lock);
	kfree(fresh);
	if (err != KERR_OK)
		return err;
	return KERR_OK;
}

kerr_t memobj_unmap(struct memobj *o, struct aspace *as, uint64_t addr, uint64_t len)
{
	struct memobj_mapping *drop = NULL, *e;
	struct tlb_gather tg;
	kerr_t err;

	tlb_gather_init(&tg, as);
	spin_lock(&as->lock);
	/* A pinned page refuses a voluntary unmap (revocation and exit release pins instead). */
	err = pin_range_pinned_locked(as, addr, len)
		      ? KERR_PINNED
		      : aspace_vm_unmap_object_locked(as, addr, len, o->ident.id, o->ident.gen, &tg);
	if (err == KERR_OK) {
		spin_lock(&o->lock);
		for (e = o->maps; e && e->as != as; e = e->next)
			;
		/* No entry: a release detached it and will unmap the rest itself. */
		if (e && (e->pages -= len / PAGE_SIZE) == 0)
			drop = memobj_unlink_locked(o, as);
		memobj_share_update_locked(o);
		if (!o->maps && o->state == MEMOBJ_MAPPED)
			memobj_transition(o, MEMOBJ_MAPPED, MEMOBJ_PUBLISHED);
		spin_unlock(&o->lock);
		tlb_shootdown(&tg);
	}
	spin_unlock(&as->lock);
	if (err != KERR_OK)
		return err;
	tlb_shootdown_wait(&tg);
	if (drop) {
		aspace_put(drop->as);
		kfree(drop);
		memobj_put(o);
	}
	return KERR_OK;
}

kerr_t memobj_protect(struct memobj *o, struct aspace *as, uint64_t addr, uint64_t len,
		      unsigned prot)
{
	return aspace_vm_protect_object(as, addr, len, prot, o->ident.id, o->ident.gen);
}

void memobj_detach_all(struct aspace *as)
{
	struct vm_objref ref;

	for (;;) {
		spin_lock(&as->lock);
		bool found = aspace_vm_first_object_locked(as, &ref);
		struct memobj *o = (struct memobj *)ref.owner; /* lookup handle, not identity */
		if (found)
			memobj_get(o); /* alive: its mapping holds the entry's reference (I3) */
		spin_unlock(&as->lock);
		if (!found)
			return;
		spin_lock(&o->lock);
		struct memobj_mapping *e = memobj_unlink_locked(o, as);
		memobj_share_update_locked(o);
		if (e && !o->maps && o->state == MEMOBJ_MAPPED)
			memobj_transition(o, MEMOBJ_MAPPED, MEMOBJ_PUBLISHED);
		spin_unlock(&o->lock);
		if (e)
			memobj_unmap_entry(o, e);
		else
			sched_yield(); /* a release is unmapping it from as right now */
		memobj_put(o);
	}
}

void memobj_ring_attach(struct memobj *o)
{
	spin_lock(&o->lock);
	if (o->rings++ == 0)
		memobj_frames_elig(o, o->npages, ELIG_RING, true); /* I6 */
	spin_unlock(&o->lock);
}

void memobj_ring_detach(struct memobj *o)
{
	spin_lock(&o->lock);
	KASSERT(o->rings > 0);
	if (--o->rings == 0)
		memobj_frames_elig(o, o->npages, ELIG_RING, false); /* I6 */
	spin_unlock(&o->lock);
}

unsigned memobj_live_count(void)
{
	return __atomic_load_n(&live, __ATOMIC_RELAXED);
}
