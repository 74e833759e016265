/*
 * cap_sharedbuf.c - SharedBuffer: creation on a service's MemoryObject
 * (CAP_MEMOBJ_SHARED_BUFFER, publishing a producer and a consumer capability), role mappings,
 * produce/consume validated against the kernel's own ring indices (lib/ring.h), the
 * read-only header mirror, and notification through ParkSpace. See cap/sharedbuf.h.
 */
#include <cap/invoke.h>
#include <cap/sharedbuf.h>
#include <lib/park.h>
#include <lib/vmspace.h>
#include <mm/aspace.h>
#include <mm/kheap.h>
#include <mm/memobj.h>
#include <mm/park.h>
#include <mm/phys.h>
#include <proc/process.h>

#define SBUF_RIGHTS                                                                       \
	(CAP_RIGHT_READ | CAP_RIGHT_WRITE | CAP_RIGHT_MAP | CAP_RIGHT_COPY | CAP_RIGHT_TRANSFER)
#define HDR_PRODUCED __builtin_offsetof(struct capos_sbuf_header, produced)
#define HDR_CONSUMED __builtin_offsetof(struct capos_sbuf_header, consumed)

static struct capos_sbuf_header *sbuf_header(const struct sbuf *sb)
{
	return phys_to_virt(sb->obj->frames[0]);
}

/* I3: copy the indices and role states into the header page; bump the words waiters watch.
 * Locks: sb->lock. */
static void sbuf_mirror_locked(struct sbuf *sb, bool produced, bool consumed)
{
	struct capos_sbuf_header *h = sbuf_header(sb);
	uint32_t closed = (sb->roles[SBUF_PRODUCER].state == RING_ROLE_CLOSED ? 1u : 0u) |
			  (sb->roles[SBUF_CONSUMER].state == RING_ROLE_CLOSED ? 2u : 0u);

	KASSERT(spin_held(&sb->lock));
	__atomic_store_n(&h->size, sb->ring.size, __ATOMIC_RELAXED);
	__atomic_store_n(&h->head, sb->ring.head, __ATOMIC_RELAXED);
	__atomic_store_n(&h->tail, ring_tail(&sb->ring), __ATOMIC_RELAXED);
	__atomic_store_n(&h->used, sb->ring.used, __ATOMIC_RELAXED);
	__atomic_store_n(&h->closed, closed, __ATOMIC_RELAXED);
	if (produced)
		__atomic_add_fetch(&h->produced, 1, __ATOMIC_RELEASE);
	if (consumed)
		__atomic_add_fetch(&h->consumed, 1, __ATOMIC_RELEASE);
}

/* Wake every waiter of a header word (the object's shared key: any mapping of it). */
static void sbuf_notify(struct memobj *o, uint64_t off)
{
	struct park_key k = park_key_shared(&o->ident, off);

	park_wake_key(&k, UINT32_MAX);
}

void sbuf_cap_get(struct sbuf_end *e)
{
	struct sbuf *sb = e->sb;

	spin_lock(&sb->lock);
	KASSERT(ring_role_get(&sb->roles[e->role]) == KERR_OK); /* copied from a live one */
	spin_unlock(&sb->lock);
}

void sbuf_cap_put(struct sbuf_end *e)
{
	struct sbuf *sb = e->sb;
	struct memobj *o = sb->obj;
	bool closed, both;

	spin_lock(&sb->lock);
	closed = ring_role_put(&sb->roles[e->role]);
	both = sb->roles[SBUF_PRODUCER].state == RING_ROLE_CLOSED &&
	       sb->roles[SBUF_CONSUMER].state == RING_ROLE_CLOSED;
	if (closed)
		sbuf_mirror_locked(sb, true, true); /* the peer's waiters see it closed */
	spin_unlock(&sb->lock);
	if (closed) {
		sbuf_notify(o, HDR_PRODUCED);
		sbuf_notify(o, HDR_CONSUMED);
	}
	if (both) { /* I2: nobody names it any more */
		kfree(sb);
		memobj_ring_detach(o); /* its pages stop being ring pages (mm/memobj.h I6) */
		memobj_cap_put(o);
	}
}

/* -- creation (a MemoryObject method) ------------------------------------------------------ */

static kerr_t decode_memobj_sbuf(const struct invocation *inv, uint64_t *data_pages)
{
	const struct memobj *o = (const struct memobj *)inv->cap.obj;
	uint64_t size = inv->a[0];

	if (size == 0 || size > CAPOS_SBUF_MAX)
		return KERR_INVALID_ARG;
	*data_pages = PAGE_ALIGN_UP(size) / PAGE_SIZE;
	if (1 + *data_pages > o->npages)
		return KERR_INVALID_ARG; /* the header page and the data must fit */
	return KERR_OK;
}

static kerr_t perform_memobj_sbuf(struct invocation *inv, uint64_t data_pages)
{
	struct process *p = inv->proc;
	struct memobj *o = (struct memobj *)inv->cap.obj;
	struct sbuf *sb = kmalloc(sizeof(*sb));
	kerr_t err = KERR_OK;

	if (!sb)
		return KERR_NO_MEMORY;
	spin_init(&sb->lock, "sbuf");
	KASSERT(ring_init(&sb->ring, (uint32_t)inv->a[0]) == KERR_OK); /* decoded */
	sb->obj = o;
	sb->data_pages = data_pages;
	for (int r = 0; r < 2; r++)
		sb->ends[r] = (struct sbuf_end){ sb, (uint8_t)r };
	spin_lock(&p->lock);
	if (captable_free_slots(&p->caps) < 2) {
		err = KERR_PUBLISH_FAILED; /* both or neither */
	} else {
		for (int r = 0; r < 2; r++) {
			struct cap c = { CAP_TYPE_SHARED_BUFFER, SBUF_RIGHTS,
					 (uintptr_t)&sb->ends[r] };
			KASSERT(captable_insert(&p->caps, &c, &inv->r[r]) == KERR_OK);
			KASSERT(ring_role_get(&sb->roles[r]) == KERR_OK);
		}
		memobj_cap_get(o); /* I2: the caller's capability keeps o alive until here */
		memobj_ring_attach(o); /* its pages are ring pages now (mm/memobj.h I6) */
		spin_lock(&sb->lock);
		sbuf_mirror_locked(sb, false, false);
		spin_unlock(&sb->lock);
	}
	spin_unlock(&p->lock);
	if (err != KERR_OK) {
		kfree(sb);
		return err;
	}
	return KERR_OK;
}

kerr_t invoke_memobj_sbuf(struct invocation *inv)
{
	uint64_t data_pages;
	kerr_t err = decode_memobj_sbuf(inv, &data_pages);

	if (err != KERR_OK)
		return err;
	return perform_memobj_sbuf(inv, data_pages);
}

/* -- SharedBuffer methods ------------------------------------------------------------------ */

/* a0 names a VirtualMemory with MODIFY: a reference on its address space and its rights. */
static kerr_t sbuf_lookup_vm(const struct invocation *inv, struct aspace **as, uint32_t *rights)
{
	struct cap vmc;
	kerr_t err;

	spin_lock(&inv->proc->lock);
	err = captable_lookup(&inv->proc->caps, inv->a[0], CAP_TYPE_VIRTUAL_MEMORY,
			      CAP_RIGHT_MODIFY, &vmc);
	if (err == KERR_OK) {
		*as = (struct aspace *)vmc.obj;
		*rights = vmc.rights;
		aspace_get(*as); /* the table's capability keeps it alive until here */
	}
	spin_unlock(&inv->proc->lock);
	return err;
}

/* MAP: a1 address (exact), a2 CAPOS_MAP_FIXED. */
static kerr_t decode_sbuf_map(const struct invocation *inv, const struct sbuf *sb,
			      uint32_t vm_rights, unsigned *prot)
{
	uint64_t addr = inv->a[1], len = (1 + sb->data_pages) * PAGE_SIZE;
	const struct sbuf_end *e = (const struct sbuf_end *)inv->cap.obj;

	if (inv->a[2] != CAPOS_MAP_FIXED || !IS_PAGE_ALIGNED(addr) ||
	    !capos_user_range_ok(addr, len))
		return KERR_INVALID_ARG;
	*prot = e->role == SBUF_PRODUCER ? VM_PROT_READ | VM_PROT_WRITE : VM_PROT_READ;
	if (!(vm_rights & CAP_RIGHT_READ) ||
	    ((*prot & VM_PROT_WRITE) && !(vm_rights & CAP_RIGHT_WRITE)))
		return KERR_NO_RIGHTS;
	return KERR_OK;
}

/* The header read-only, then the data with the role's protection; nothing left on error. */
static kerr_t perform_sbuf_map(struct invocation *inv, struct sbuf *sb, struct aspace *as,
			       unsigned prot)
{
	uint64_t addr = inv->a[1], base;
	kerr_t err = memobj_map(sb->obj, as, addr, 0, PAGE_SIZE, VM_PROT_READ, VM_PROT_READ,
				VM_FIXED, &base);

	if (err != KERR_OK)
		return err;
	err = memobj_map(sb->obj, as, addr + PAGE_SIZE, PAGE_SIZE, sb->data_pages * PAGE_SIZE,
			 prot, prot, VM_FIXED, &base);
	if (err != KERR_OK) {
		KASSERT(memobj_unmap(sb->obj, as, addr, PAGE_SIZE) == KERR_OK);
		return err;
	}
	inv->r[0] = addr;
	return KERR_OK;
}

/* UNMAP: the data first (it fails if this is not such a mapping), then the header. */
static kerr_t perform_sbuf_unmap(struct invocation *inv, struct sbuf *sb, struct aspace *as)
{
	uint64_t addr = inv->a[1];
	kerr_t err;

	if (!IS_PAGE_ALIGNED(addr) ||
	    !capos_user_range_ok(addr, (1 + sb->data_pages) * PAGE_SIZE))
		return KERR_INVALID_ARG;
	err = memobj_unmap(sb->obj, as, addr + PAGE_SIZE, sb->data_pages * PAGE_SIZE);
	if (err != KERR_OK)
		return err;
	return memobj_unmap(sb->obj, as, addr, PAGE_SIZE);
}

static kerr_t invoke_sbuf_mapping(struct invocation *inv, struct sbuf *sb)
{
	struct aspace *as;
	uint32_t vm_rights;
	unsigned prot;
	kerr_t err = sbuf_lookup_vm(inv, &as, &vm_rights);

	if (err != KERR_OK)
		return err;
	if (inv->method == CAP_SBUF_MAP) {
		err = decode_sbuf_map(inv, sb, vm_rights, &prot);
		if (err == KERR_OK)
			err = perform_sbuf_map(inv, sb, as, prot);
	} else {
		err = perform_sbuf_unmap(inv, sb, as);
	}
	aspace_put(as);
	return err;
}

/* PRODUCE / CONSUME: a0 bytes (a 32-bit count), by the role that owns that index. */
static kerr_t decode_sbuf_move(const struct invocation *inv, enum sbuf_role need)
{
	const struct sbuf_end *e = (const struct sbuf_end *)inv->cap.obj;

	if (e->role != need)
		return KERR_NO_RIGHTS; /* only the producer advances head, the consumer tail */
	if (inv->a[0] > UINT32_MAX)
		return KERR_INVALID_ARG;
	return KERR_OK;
}

static kerr_t perform_sbuf_move(struct invocation *inv, struct sbuf *sb, enum sbuf_role role)
{
	bool produce = role == SBUF_PRODUCER;
	struct memobj *o = sb->obj;
	kerr_t err;

	spin_lock(&sb->lock);
	if (produce)
		err = sb->roles[SBUF_CONSUMER].state == RING_ROLE_CLOSED
			      ? KERR_NOT_FOUND
			      : ring_produce(&sb->ring, (uint32_t)inv->a[0]);
	else
		err = sb->roles[SBUF_PRODUCER].state == RING_ROLE_CLOSED && sb->ring.used == 0
			      ? KERR_NOT_FOUND
			      : ring_consume(&sb->ring, (uint32_t)inv->a[0]);
	if (err == KERR_OK) {
		sbuf_mirror_locked(sb, produce, !produce);
		inv->r[0] = produce ? sb->ring.head : ring_tail(&sb->ring);
		inv->r[1] = sb->ring.used;
	}
	spin_unlock(&sb->lock);
	if (err != KERR_OK)
		return err;
	sbuf_notify(o, produce ? HDR_PRODUCED : HDR_CONSUMED);
	return KERR_OK;
}

static kerr_t perform_sbuf_info(struct invocation *inv, struct sbuf *sb)
{
	const struct sbuf_end *e = (const struct sbuf_end *)inv->cap.obj;

	spin_lock(&sb->lock);
	inv->r[0] = sb->ring.size;
	inv->r[1] = sb->ring.used;
	inv->r[2] = (e->role == SBUF_PRODUCER ? 1u : 0u) |
		    (sb->roles[1 - e->role].state == RING_ROLE_CLOSED ? 2u : 0u);
	spin_unlock(&sb->lock);
	return KERR_OK;
}

kerr_t invoke_sbuf(struct invocation *inv)
{
	struct sbuf *sb = ((struct sbuf_end *)inv->cap.obj)->sb;
	kerr_t err;

	switch (inv->method) { /* rights were checked by the common decode */
	case CAP_SBUF_MAP:
	case CAP_SBUF_UNMAP:
		return invoke_sbuf_mapping(inv, sb);
	case CAP_SBUF_PRODUCE:
		err = decode_sbuf_move(inv, SBUF_PRODUCER);
		return err != KERR_OK ? err : perform_sbuf_move(inv, sb, SBUF_PRODUCER);
	case CAP_SBUF_CONSUME:
		err = decode_sbuf_move(inv, SBUF_CONSUMER);
		return err != KERR_OK ? err : perform_sbuf_move(inv, sb, SBUF_CONSUMER);
	case CAP_SBUF_INFO:
		return perform_sbuf_info(inv, sb);
	}
	return KERR_UNKNOWN_METHOD;
}
