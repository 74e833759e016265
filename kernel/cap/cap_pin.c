/*
 * cap_pin.c - CAP_VM_PIN and CAP_VM_UNPIN of the VirtualMemory capability (mapping pins) and
 * CAP_MEMOBJ_PIN and CAP_MEMOBJ_UNPIN of the MemoryObject capability (object pins), charged
 * to the caller's ledger (mm/pin.h). decode_* validates, perform_* acts.
 */
#include <cap/invoke.h>
#include <mm/aspace.h>
#include <mm/memobj.h>
#include <mm/pin.h>
#include <proc/process.h>

/* a0 address, a1 length: page-aligned, non-empty, in user space. */
static kerr_t decode_vm_pin(const struct invocation *inv)
{
	uint64_t addr = inv->a[0], len = inv->a[1];

	if (len == 0 || !IS_PAGE_ALIGNED(addr) || !IS_PAGE_ALIGNED(len) ||
	    !capos_user_range_ok(addr, len))
		return KERR_INVALID_ARG;
	return KERR_OK;
}

static kerr_t perform_vm_pin(struct invocation *inv)
{
	/* The pinning process pays, whichever address space it pins in. */
	return pin_pin((struct aspace *)inv->cap.obj, inv->proc->as->acct, inv->a[0], inv->a[1]);
}

static kerr_t perform_vm_unpin(struct invocation *inv)
{
	return pin_unpin((struct aspace *)inv->cap.obj, inv->a[0], inv->a[1]);
}

kerr_t invoke_vm_pin(struct invocation *inv)
{
	kerr_t err = decode_vm_pin(inv);

	if (err != KERR_OK)
		return err;
	return inv->method == CAP_VM_PIN ? perform_vm_pin(inv) : perform_vm_unpin(inv);
}

/* a0 offset, a1 length: page multiples, non-empty, inside the object. */
static kerr_t decode_memobj_pin(const struct invocation *inv)
{
	const struct memobj *o = (const struct memobj *)inv->cap.obj;
	uint64_t off = inv->a[0], len = inv->a[1];

	if (len == 0 || !IS_PAGE_ALIGNED(off) || !IS_PAGE_ALIGNED(len) ||
	    off / PAGE_SIZE >= o->npages || len / PAGE_SIZE > o->npages - off / PAGE_SIZE)
		return KERR_INVALID_ARG;
	return KERR_OK;
}

static kerr_t perform_memobj_pin(struct invocation *inv)
{
	struct aspace *as = inv->proc->as;

	return pin_object(as, as->acct, (struct memobj *)inv->cap.obj, inv->a[0], inv->a[1]);
}

static kerr_t perform_memobj_unpin(struct invocation *inv)
{
	return pin_unpin_object(inv->proc->as, (struct memobj *)inv->cap.obj, inv->a[0],
				inv->a[1]);
}

kerr_t invoke_memobj_pin(struct invocation *inv)
{
	kerr_t err = decode_memobj_pin(inv);

	if (err != KERR_OK)
		return err;
	return inv->method == CAP_MEMOBJ_PIN ? perform_memobj_pin(inv) : perform_memobj_unpin(inv);
}
