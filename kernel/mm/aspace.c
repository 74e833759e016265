/*
 * aspace.c - user address spaces: creation, user page mapping, teardown, and the residency
 * record updated at every address-space switch. See mm/aspace.h for the invariants.
 */
#include <arch/cpu.h>
#include <arch/layout.h>
#include <arch/mmu.h>
#include <capos/abi.h>
#include <kern/percpu.h>
#include <kern/string.h>
#include <kern/witness.h>
#include <lib/assert.h>
#include <mm/aspace.h>
#include <mm/acct.h>
#include <mm/kheap.h>
#include <mm/kvbig.h>
#include <mm/vm.h>

const char aspace_lock_class[] = "aspace";

static struct spinlock aspaces_lock = SPINLOCK_INIT("aspaces");
static struct aspace *aspaces; /* every live address space, under aspaces_lock */
static unsigned next_id = 1;
static unsigned live;
struct kident_alloc mm_idents = KIDENT_ALLOC_INIT;

static void *aspace_lib_alloc(void *ctx, size_t size)
{
	(void)ctx;
	return size > KHEAP_MAX ? kvbig_alloc(size) : kmalloc(size);
}

static void aspace_lib_free(void *ctx, void *ptr, size_t size)
{
	(void)ctx;
	if (size > KHEAP_MAX)
		kvbig_free(ptr, size);
	else
		kfree(ptr);
}

static const struct lib_alloc aspace_alloc_hook = { aspace_lib_alloc, aspace_lib_free, NULL };

kerr_t aspace_create(struct aspace **out)
{
	struct acct *a;
	kerr_t err = acct_create_root(&a);

	if (err != KERR_OK)
		return err;
	err = aspace_create_acct(a, out);
	acct_put(a); /* the address space holds its own reference */
	return err;
}

kerr_t aspace_create_acct(struct acct *acct, struct aspace **out)
{
	struct aspace *as = kmalloc(sizeof(*as));
	uint64_t flags;

	if (!as)
		return KERR_NO_MEMORY;
	memset(as, 0, sizeof(*as));
	if (kident_new(&mm_idents, &as->ident) != KERR_OK ||
	    arch_mmu_root_create(&as->root) != KERR_OK) {
		kfree(as);
		return KERR_NO_MEMORY;
	}
	KASSERT(vmspace_init(&as->vm, CAPOS_USER_VA_MIN, CAPOS_USER_VA_END, &acct->led,
			     &aspace_alloc_hook) == KERR_OK);
	acct_get(acct);
	as->acct = acct;
	spin_init(&as->lock, aspace_lock_class);
	tlbgen_as_init(&as->tlb);
	as->refs = 1;
	flags = spin_lock_irqsave(&aspaces_lock);
	as->id = next_id++;
	as->next = aspaces;
	aspaces = as;
	live++;
	spin_unlock_irqrestore(&aspaces_lock, flags);
	*out = as;
	return KERR_OK;
}

void aspace_get(struct aspace *as)
{
	KASSERT(__atomic_add_fetch(&as->refs, 1, __ATOMIC_RELAXED) > 1);
}

static unsigned aspace_vm_prot(unsigned mmu)
{
	return VM_PROT_READ | ((mmu & MMU_WRITE) ? VM_PROT_WRITE : 0) |
	       ((mmu & MMU_EXEC) ? VM_PROT_EXEC : 0);
}

/* TLB: none (new PTEs only). Locks: as->lock (inside the vm operations). */
kerr_t aspace_map_page(struct aspace *as, vaddr_t va, unsigned prot, paddr_t *pa_out)
{
	unsigned vp = aspace_vm_prot(prot);
	uint64_t base;
	kerr_t err;

	if (va < CAPOS_USER_VA_MIN || va >= USER_TOP || !IS_PAGE_ALIGNED(va) ||
	    (prot & ~(MMU_READ | MMU_WRITE | MMU_EXEC)))
		return KERR_INVALID_ARG;
	err = aspace_vm_reserve(as, PAGE_SIZE, va, VM_FIXED, vp, &base);
	if (err != KERR_OK)
		return err;
	err = aspace_vm_commit(as, va, PAGE_SIZE, vp);
	if (err != KERR_OK) {
		KASSERT(aspace_vm_unmap(as, va, PAGE_SIZE) == KERR_OK); /* nothing was mapped */
		return err;
	}
	if (pa_out) {
		spin_lock(&as->lock);
		KASSERT(arch_mmu_query(as->root, va, pa_out, NULL) == KERR_OK);
		spin_unlock(&as->lock);
	}
	return KERR_OK;
}

void tlb_assert_not_resident(const struct aspace *as)
{
	KASSERT(__atomic_load_n(&as->resident, __ATOMIC_ACQUIRE) == 0);
	witness_not_resident(as->root); /* nothing of it to flush anywhere */
}

/* Unmap and free every page. No CPU has the root loaded (I3), so no TLB holds its entries. */
/* TLB: none: tlb_assert_not_resident() (no CPU has the root loaded). */
static void aspace_teardown(struct aspace *as)
{
	aspace_vm_teardown(as);
	arch_mmu_root_destroy(as->root);
	acct_put(as->acct);
}

void aspace_put(struct aspace *as)
{
	uint64_t flags;

	if (__atomic_sub_fetch(&as->refs, 1, __ATOMIC_ACQ_REL) != 0)
		return;
	flags = spin_lock_irqsave(&aspaces_lock);
	for (struct aspace **pp = &aspaces; *pp; pp = &(*pp)->next) {
		if (*pp == as) {
			*pp = as->next;
			break;
		}
	}
	live--;
	spin_unlock_irqrestore(&aspaces_lock, flags);
	aspace_teardown(as);
	kfree(as);
}

void aspace_switch(struct aspace *to)
{
	struct cpu *c = this_cpu();
	struct aspace *from = c->aspace;
	cpumask_t me = (cpumask_t)1 << c->id;

	KASSERT(!irq_enabled());
	if (from == to)
		return;
	witness_switch(from, to, false);
	/* Record before loading (a shootdown that reads the mask now includes us), drop the old
	 * record only after CR3 no longer points at it. */
	if (to)
		__atomic_or_fetch(&to->resident, me, __ATOMIC_SEQ_CST);
	write_cr3(to ? to->root : arch_mmu_kernel_root());
	c->aspace = to;
	if (from)
		__atomic_and_fetch(&from->resident, ~me, __ATOMIC_SEQ_CST);
	witness_switch(from, to, true);
}

bool aspace_residency_exact_local(void)
{
	struct cpu *c = this_cpu();
	cpumask_t me = (cpumask_t)1 << c->id;
	paddr_t want = c->aspace ? c->aspace->root : arch_mmu_kernel_root();
	bool ok = (read_cr3() & ~PAGE_MASK) == want;
	uint64_t flags = spin_lock_irqsave(&aspaces_lock);

	for (struct aspace *as = aspaces; as; as = as->next) {
		bool recorded = __atomic_load_n(&as->resident, __ATOMIC_ACQUIRE) & me;
		if (recorded != (as == c->aspace))
			ok = false;
	}
	spin_unlock_irqrestore(&aspaces_lock, flags);
	return ok;
}

unsigned aspace_live_count(void)
{
	return __atomic_load_n(&live, __ATOMIC_RELAXED);
}
