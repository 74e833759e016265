/* Fixture: the VirtualMemory capability: a static method table, charge/release unwind paths,
 * locks, a user copy under the address-space lock. */
#include "fx.h"

struct frame *frame_get(void);
void frame_unhook_and_free(struct aspace *as, vaddr_t va, struct frame *f);

/* Commit one page. TLB: none (new PTEs only). */
static kerr_t perform_vm_commit(struct aspace *as, vaddr_t va, unsigned long prot)
{
	struct vpage *p = vpage_lookup(as, va);
	struct frame *f;
	kerr_t err;

	err = ledger_charge(as->ledger, LEDGER_COMMIT, 1);
	if (err)
		return err;
	spin_lock(&as->lock);
	f = frame_get();
	if (!f) {
		err = KERR_NO_MEMORY;
		goto fail_charge;
	}
	err = arch_mmu_map(as, va, f->pa, (unsigned)prot);
	if (err != KERR_OK)
		goto fail_frame;
	frame_transition(f, FRAME_ALLOCATED, FRAME_MAPPED);
	vpage_transition(p, VPAGE_RESERVED, VPAGE_COMMITTED);
	spin_unlock(&as->lock);
	return KERR_OK;

fail_frame:
	frame_free(f);
fail_charge:
	spin_unlock(&as->lock);
	ledger_release(as->ledger, LEDGER_COMMIT, 1);
	return err;
}

/* Decommit one page. TLB: shootdown (in frame_unhook_and_free). */
static kerr_t perform_vm_decommit(struct aspace *as, vaddr_t va, unsigned long unused)
{
	struct vpage *p = vpage_lookup(as, va);
	struct frame fr = {FRAME_MAPPED, 0};

	spin_lock(&as->lock);
	frame_unhook_and_free(as, va, &fr);
	vpage_transition(p, VPAGE_COMMITTED, VPAGE_RESERVED);
	spin_unlock(&as->lock);
	ledger_release(as->ledger, LEDGER_COMMIT, 1);
	return KERR_OK;
}

/* Read the root back to the caller, under the address-space lock. */
static kerr_t perform_vm_query(struct aspace *as, vaddr_t va, unsigned long dst)
{
	kerr_t err;
	spin_lock(&as->lock);
	err = copy_to_user(dst, &as->root, sizeof as->root);
	spin_unlock(&as->lock);
	return err;
}

/* Drop one page: a new site of an existing edge, which no test reaches. */
static kerr_t perform_vm_drop(struct aspace *as, vaddr_t va, unsigned long unused)
{
	vpage_transition(vpage_lookup(as, va), VPAGE_COMMITTED, VPAGE_RESERVED);
	return KERR_OK;
}

static const struct cap_method vm_methods[] = {
	[0] = {.invoke = perform_vm_commit},
	[1] = {.invoke = perform_vm_decommit},
	[2] = {.invoke = perform_vm_query},
	[3] = {.invoke = perform_vm_drop},
};

/* Dispatch through the static table: the inventory resolves this indirect call. */
kerr_t vm_invoke(struct aspace *as, unsigned method, vaddr_t va, unsigned long arg)
{
	if (method >= sizeof vm_methods / sizeof vm_methods[0])
		return KERR_INVALID_ARG;
	return vm_methods[method].invoke(as, va, arg);
}
