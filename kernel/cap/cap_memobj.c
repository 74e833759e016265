/*
 * cap_memobj.c - the FrameAllocator capability (allocate a MemoryObject and publish its
 * capability, or roll everything back) and the MemoryObject capability (map, object-specific
 * unmap, protect, info). decode_* validates every argument, perform_* acts; see mm/memobj.h.
 */
#include <cap/invoke.h>
#include <lib/vmspace.h>
#include <mm/aspace.h>
#include <mm/memobj.h>
#include <proc/process.h>

/* Largest MemoryObject (pages): bigger requests are malformed, not a quota question. */
#define MEMOBJ_MAX_PAGES (1ull << 24)
#define PROT_RIGHTS (CAP_RIGHT_READ | CAP_RIGHT_WRITE | CAP_RIGHT_EXEC)

/* Validated arguments of a MemoryObject method. */
struct memobj_args {
	struct aspace *as; /* the VirtualMemory a0 names (one reference) */
	uint32_t vm_rights;
	uint64_t addr, off, len;
	unsigned prot, flags;
};

static unsigned rights_prot(uint32_t rights)
{
	return ((rights & CAP_RIGHT_READ) ? VM_PROT_READ : 0) |
	       ((rights & CAP_RIGHT_WRITE) ? VM_PROT_WRITE : 0) |
	       ((rights & CAP_RIGHT_EXEC) ? VM_PROT_EXEC : 0);
}

static kerr_t decode_framealloc_allocate(const struct invocation *inv, uint64_t *pages)
{
	if (inv->a[0] == 0 || inv->a[0] > MEMOBJ_MAX_PAGES)
		return KERR_INVALID_ARG;
	*pages = inv->a[0];
	return KERR_OK;
}

static kerr_t perform_framealloc_allocate(struct invocation *inv, uint64_t pages)
{
	struct process *p = inv->proc;
	struct memobj *o;
	struct cap c;
	kerr_t err = memobj_create(p->as->acct, pages, &o);

	if (err != KERR_OK)
		return err;
	c = (struct cap){ CAP_TYPE_MEMORY_OBJECT,
			  CAP_RIGHT_MAP | CAP_RIGHT_COPY | CAP_RIGHT_TRANSFER |
				  (inv->cap.rights & PROT_RIGHTS),
			  (uintptr_t)o };
	spin_lock(&p->lock);
	err = captable_insert(&p->caps, &c, &inv->r[0]);
	if (err == KERR_OK)
		memobj_published(o); /* before anyone can drop it: we hold p->lock */
	spin_unlock(&p->lock);
	if (err != KERR_OK) {
		memobj_rollback(o); /* frames, charge and struct: nothing left behind */
		return KERR_PUBLISH_FAILED;
	}
	return KERR_OK;
}

kerr_t invoke_framealloc(struct invocation *inv)
{
	uint64_t pages;
	kerr_t err;

	if (inv->method != CAP_FRAMEALLOC_ALLOCATE)
		return KERR_UNKNOWN_METHOD; /* rights were checked by the common decode */
	err = decode_framealloc_allocate(inv, &pages);
	if (err != KERR_OK)
		return err;
	return perform_framealloc_allocate(inv, pages);
}

/* a0 names a VirtualMemory with MODIFY; take a reference on its address space. */
static kerr_t decode_memobj_vm(const struct invocation *inv, struct memobj_args *a)
{
	struct cap vmc;
	kerr_t err;

	spin_lock(&inv->proc->lock);
	err = captable_lookup(&inv->proc->caps, inv->a[0], CAP_TYPE_VIRTUAL_MEMORY,
			      CAP_RIGHT_MODIFY, &vmc);
	if (err == KERR_OK) {
		a->as = (struct aspace *)vmc.obj;
		a->vm_rights = vmc.rights;
		aspace_get(a->as); /* the table's capability keeps it alive until here */
	}
	spin_unlock(&inv->proc->lock);
	return err;
}

static bool range_ok(uint64_t addr, uint64_t len)
{
	return len > 0 && IS_PAGE_ALIGNED(addr) && IS_PAGE_ALIGNED(len) &&
	       capos_user_range_ok(addr, len);
}

static bool prot_ok(uint64_t prot)
{
	return !(prot & ~(uint64_t)CAPOS_PROT_MASK) &&
	       (prot & (CAPOS_PROT_WRITE | CAPOS_PROT_EXEC)) != (CAPOS_PROT_WRITE | CAPOS_PROT_EXEC);
}

/* MAP: a1 addr, a2 offset, a3 length, a4 prot | flags. */
static kerr_t decode_memobj_map(const struct invocation *inv, struct memobj_args *a)
{
	const struct memobj *o = (const struct memobj *)inv->cap.obj;
	uint64_t pf = inv->a[4];

	a->addr = inv->a[1];
	a->off = inv->a[2];
	a->len = inv->a[3];
	a->prot = (unsigned)(pf & CAPOS_PROT_MASK);
	a->flags = (unsigned)(pf & ~(uint64_t)CAPOS_PROT_MASK);
	if (!prot_ok(a->prot) || a->prot == CAPOS_PROT_NONE || (a->flags & ~CAPOS_MAP_FLAGS_MASK))
		return KERR_INVALID_ARG;
	if (a->len == 0 || !IS_PAGE_ALIGNED(a->len) || !IS_PAGE_ALIGNED(a->off) ||
	    !IS_PAGE_ALIGNED(a->addr) || a->off / PAGE_SIZE >= o->npages ||
	    a->len / PAGE_SIZE > o->npages - a->off / PAGE_SIZE)
		return KERR_INVALID_ARG;
	if ((a->flags & CAPOS_MAP_FIXED) ? !range_ok(a->addr, a->len)
					 : (a->addr && !capos_user_range_ok(a->addr, 0)))
		return KERR_INVALID_ARG;
	if (a->prot & ~rights_prot(inv->cap.rights & a->vm_rights))
		return KERR_NO_RIGHTS;
	return KERR_OK;
}

/* UNMAP: a1 addr, a2 length; PROTECT: a3 prot too. */
static kerr_t decode_memobj_range(const struct invocation *inv, bool with_prot,
				  struct memobj_args *a)
{
	a->addr = inv->a[1];
	a->len = inv->a[2];
	if (!range_ok(a->addr, a->len) || (with_prot && !prot_ok(inv->a[3])))
		return KERR_INVALID_ARG;
	a->prot = with_prot ? (unsigned)inv->a[3] : 0;
	if (a->prot & ~rights_prot(inv->cap.rights))
		return KERR_NO_RIGHTS;
	return KERR_OK;
}

static kerr_t perform_memobj_map(struct invocation *inv, const struct memobj_args *a)
{
	return memobj_map((struct memobj *)inv->cap.obj, a->as, a->addr, a->off, a->len, a->prot,
			  rights_prot(inv->cap.rights & a->vm_rights), a->flags, &inv->r[0]);
}

static kerr_t perform_memobj_unmap(struct invocation *inv, const struct memobj_args *a)
{
	return memobj_unmap((struct memobj *)inv->cap.obj, a->as, a->addr, a->len);
}

static kerr_t perform_memobj_protect(struct invocation *inv, const struct memobj_args *a)
{
	return memobj_protect((struct memobj *)inv->cap.obj, a->as, a->addr, a->len, a->prot);
}

static kerr_t perform_memobj_info(struct invocation *inv)
{
	inv->r[0] = ((const struct memobj *)inv->cap.obj)->npages;
	return KERR_OK;
}

kerr_t invoke_memobj(struct invocation *inv)
{
	struct memobj_args a = { 0 };
	kerr_t err;

	if (inv->method == CAP_MEMOBJ_INFO)
		return perform_memobj_info(inv);
	if (inv->method == CAP_MEMOBJ_SHARED_BUFFER)
		return invoke_memobj_sbuf(inv); /* cap/cap_sharedbuf.c */
	if (inv->method == CAP_MEMOBJ_PIN || inv->method == CAP_MEMOBJ_UNPIN)
		return invoke_memobj_pin(inv); /* cap/cap_pin.c */
	if (inv->method < CAP_MEMOBJ_MAP || inv->method > CAP_MEMOBJ_PROTECT)
		return KERR_UNKNOWN_METHOD; /* rights were checked by the common decode */
	err = decode_memobj_vm(inv, &a);
	if (err != KERR_OK)
		return err;
	if (inv->method == CAP_MEMOBJ_MAP) {
		err = decode_memobj_map(inv, &a);
		if (err == KERR_OK)
			err = perform_memobj_map(inv, &a);
	} else if (inv->method == CAP_MEMOBJ_UNMAP) {
		err = decode_memobj_range(inv, false, &a);
		if (err == KERR_OK)
			err = perform_memobj_unmap(inv, &a);
	} else {
		err = decode_memobj_range(inv, true, &a);
		if (err == KERR_OK)
			err = perform_memobj_protect(inv, &a);
	}
	aspace_put(a.as);
	return err;
}
